"""NTA registry download files made by the tests, in the published layout
(``parsers.nta_registry.COLUMNS``): a zip holding one CSV without a header line."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from parsers.nta_registry import COLUMNS


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


def nta_zip(path: Path, rows: Iterable[list[str]]) -> Path:
    """Write ``rows`` as the NTA does: a zip holding one UTF-8 CSV (CRLF, no header), streamed
    row by row so that a file of millions of rows (``bench/nta.py``) needs no memory."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(path.stem + ".csv", "w", force_zip64=True) as member,
        io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
    ):
        writer = csv.writer(text, lineterminator="\r\n")
        for row in rows:
            writer.writerow(row)
    return path
