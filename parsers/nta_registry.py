"""The NTA's download files of qualified-invoice issuers (適格請求書発行事業者公表データ), read
as a stream.

Where the layout comes from
---------------------------
The NTA publishes the files at https://www.invoice-kohyo.nta.go.jp/download/ (全件データ and
差分データ: "the last 40 days", zip, signed with OpenPGP, in CSV, XML and JSON; the 差分データ
page, /download/sabun). The fields are those of the NTA's リソース定義書 (resource definition,
第二編 of 「適格請求書発行事業者公表システムWeb-API機能のリクエストの設定方法及び提供データの
内容について」), items 7 (一連番号) to 30 (通称・旧姓): 24 fields, in that order. The NTA's PDF
itself could not be read here (it is not among the stored pages); the layout below is what
several independent implementations that cite it or read the NTA's own files agree on:

- the order and names of the 24 fields, and "no header line, read by position": a Deno
  importer of the download CSV with a two-line fixture cut from a real file, a Python tool
  that reads the download CSVs with DuckDB (``header=false``, the same 24 names), a Ruby
  client generated from the Web-API's definition, and a web page naming items 7 to 30;
- the codes of 事業者処理区分 (item 9): 01 新規, 02 公表内容の変更, 03 登録の失効, 04 登録の
  取消, 99 削除 (差分データ only): a TypeScript code table citing リソース定義書 1.5版 (令和6年5月)
  item 9, a Java importer's transcription of the definition, and a TypeScript Web-API client
  citing the specification's §4.3. (One Python model has 03 and 04 the other way round,
  citing nothing; it is the odd one out.);
- 訂正区分 (item 10): 0 訂正以外, 1 訂正, empty on a deletion; 人格区分 (item 11): 1 個人,
  2 法人 (人格のない社団等 included); 国内外区分 (item 12): 1 国内事業者, 2 特定国外事業者,
  3 特定国外事業者以外の国外事業者; 最新履歴 (item 13): 0 過去情報, 1 最新情報;
- dates ``YYYY-MM-DD``, empty when not set; UTF-8 (the Web-API's answers are always UTF-8; a
  BOM is accepted); text fields double-quoted even when empty (``""``), codes, numbers and
  dates bare, RFC 4180 doubling of quotes inside a field: the real two-line fixture above.

A row outside these codes is refused, naming its line, rather than read as something else.
The XML and JSON zips carry the same data; juryo reads the CSV ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

COLUMNS = (
    "sequenceNumber",  # 一連番号
    "registratedNumber",  # 登録番号 (T + 13 digits)
    "process",  # 事業者処理区分
    "correct",  # 訂正区分
    "kind",  # 人格区分: 1 individual, 2 corporation
    "country",  # 国内外区分
    "latest",  # 最新履歴: 1 the latest row of the number, 0 history
    "registrationDate",  # 登録年月日
    "updateDate",  # 更新年月日
    "disposalDate",  # 取消年月日
    "expireDate",  # 失効年月日
    "address",  # 本店又は主たる事務所の所在地
    "addressPrefectureCode",
    "addressCityCode",
    "addressRequest",  # 本店又は主たる事務所の所在地（公表申出）
    "addressRequestPrefectureCode",
    "addressRequestCityCode",
    "kana",  # 日本語（カナ）
    "name",  # 氏名又は名称
    "addressInside",  # 国内において行う資産の譲渡等に係る事務所…の所在地
    "addressInsidePrefectureCode",
    "addressInsideCityCode",
    "tradeName",  # 主たる屋号
    "popularName_previousName",  # 通称・旧姓
)
"""The 24 columns of a CSV download file, in the published order."""

NUMBER = re.compile(r"^T[0-9]{13}$")


class Process(enum.StrEnum):
    """事業者処理区分: what happened to the registration in this row."""

    NEW = "01"
    CHANGED = "02"
    EXPIRED = "03"
    CANCELLED = "04"
    DELETED = "99"


CODES = {
    "correct": frozenset({"0", "1", ""}),
    "kind": frozenset({"1", "2", ""}),
    "country": frozenset({"1", "2", "3", ""}),
    "latest": frozenset({"0", "1"}),
}
"""The values items 10 to 13 of the resource definition allow (empty only on a deletion)."""


class LayoutError(ValueError):
    """A row or file that is not in the published layout; names the line."""


@dataclass(frozen=True, slots=True)
class RegistryRow:
    """One row of a download file, the fields juryo keeps."""

    sequence_number: int
    registration_number: str
    process: Process
    correct: str
    kind: str
    country: str
    latest: bool
    registration_date: dt.date | None
    update_date: dt.date | None
    disposal_date: dt.date | None
    expire_date: dt.date | None
    name: str
    address: str
    trade_name: str


def _date(value: str, line: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise LayoutError(f"line {line}: {value!r} is not a date (YYYY-MM-DD)") from None


def _code(value: dict[str, str], column: str, line: int) -> str:
    code = value[column]
    if code not in CODES[column]:
        raise LayoutError(f"line {line}: {column} {code!r} is not one of the published codes")
    return code


def parse_row(fields: list[str], line: int) -> RegistryRow:
    """One CSV record in the published layout; ``LayoutError`` names what is wrong."""
    if len(fields) != len(COLUMNS):
        raise LayoutError(f"line {line}: {len(fields)} columns, the layout has {len(COLUMNS)}")
    value = dict(zip(COLUMNS, fields, strict=True))
    number = value["registratedNumber"]
    if not NUMBER.match(number):
        raise LayoutError(f"line {line}: {number!r} is not a registration number")
    if not (value["sequenceNumber"].isascii() and value["sequenceNumber"].isdigit()):
        raise LayoutError(f"line {line}: {value['sequenceNumber']!r} is not a sequence number")
    try:
        process = Process(value["process"])
    except ValueError:
        raise LayoutError(f"line {line}: unknown process code {value['process']!r}") from None
    return RegistryRow(
        sequence_number=int(value["sequenceNumber"]),
        registration_number=number,
        process=process,
        correct=_code(value, "correct", line),
        kind=_code(value, "kind", line),
        country=_code(value, "country", line),
        latest=_code(value, "latest", line) == "1",
        registration_date=_date(value["registrationDate"], line),
        update_date=_date(value["updateDate"], line),
        disposal_date=_date(value["disposalDate"], line),
        expire_date=_date(value["expireDate"], line),
        name=value["name"],
        address=value["address"] or value["addressRequest"] or value["addressInside"],
        trade_name=value["tradeName"],
    )


def read_rows(path: Path) -> Iterator[RegistryRow]:
    """Every row of every CSV member of a download zip, one at a time: the file is never held
    in memory whole (the full file has millions of rows)."""
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
        if not members:
            raise LayoutError(f"{path.name}: no CSV file in the zip")
        for member in sorted(members):
            with archive.open(member) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                for line, fields in enumerate(csv.reader(text), start=1):
                    if fields:
                        yield parse_row(fields, line)


def file_date(name: str) -> dt.date | None:
    """The date in a download file's name (``YYYYMMDD``), which orders the diffs."""
    found = re.search(r"(20[0-9]{2})([01][0-9])([0-3][0-9])", name)
    if found is None:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def publication_days(after: dt.date, before: dt.date) -> list[dt.date]:
    """The days strictly between two files on which the NTA publishes a diff: Monday to
    Friday, except 29 December to 3 January (the 差分データ page). Public holidays are not
    known here, so a gap over one is named and needs ``--accept-gap``."""
    days = []
    day = after + dt.timedelta(days=1)
    while day < before:
        new_year = (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)
        if day.weekday() < 5 and not new_year:
            days.append(day)
        day += dt.timedelta(days=1)
    return days
