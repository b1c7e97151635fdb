"""NTA registry download files made by the tests, in the published layout
(``parsers.nta_registry.COLUMNS``): a zip holding one UTF-8 CSV without a header line, CRLF,
text fields double-quoted even when empty, codes, numbers and dates bare, as the NTA writes
them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from parsers.nta_registry import COLUMNS

TEXT_COLUMNS = frozenset(
    {
        "registratedNumber",
        "address",
        "addressRequest",
        "kana",
        "name",
        "addressInside",
        "tradeName",
        "popularName_previousName",
    }
)
"""The fields the NTA quotes, empty or not; every other field is a code, a number or a date."""


def nta_row(
    number: str,
    *,
    name: str = "株式会社テスト",
    process: str = "01",
    registered: str = "2023-10-01",
    updated: str = "2023-10-01",
    cancelled: str = "",
    expired: str = "",
    sequence: int = 1,
    latest: str = "1",
) -> list[str]:
    """One CSV record: a corporation (kind 2) in Japan (country 1) with the given dates."""
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {
            "sequenceNumber": str(sequence),
            "registratedNumber": number,
            "process": process,
            "correct": "0",
            "kind": "2",
            "country": "1",
            "latest": latest,
            "registrationDate": registered,
            "updateDate": updated,
            "disposalDate": cancelled,
            "expireDate": expired,
            "address": "東京都千代田区霞が関３丁目１－１",
            "addressPrefectureCode": "13",
            "addressCityCode": "101",
            "name": name,
        }
    )
    return [values[column] for column in COLUMNS]


def nta_line(row: list[str]) -> str:
    """One record as the NTA writes it (quotes doubled inside a quoted field, RFC 4180)."""
    cells = (
        '"' + value.replace('"', '""') + '"' if column in TEXT_COLUMNS else value
        for column, value in zip(COLUMNS, row, strict=True)
    )
    return ",".join(cells) + "\r\n"


def nta_zip(path: Path, rows: Iterable[list[str]]) -> Path:
    """Write ``rows`` as the NTA does: a zip holding one UTF-8 CSV (CRLF, no header), streamed
    row by row so that a file of millions of rows (``bench/nta.py``) needs no memory."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(path.stem + ".csv", "w", force_zip64=True) as member,
        io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
    ):
        for row in rows:
            text.write(nta_line(row))
    return path
