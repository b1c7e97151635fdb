"""The NTA download layout as published (resource definition items 7 to 30): the fixtures are
written here in the NTA's own CSV style, and a row outside the published codes is refused."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from parsers.nta_registry import COLUMNS, LayoutError, Process, parse_row, read_rows
from tests.nta_files import nta_line, nta_row, nta_zip


def _zip_of(path: Path, text: str, *, bom: bool = False) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(path.stem + ".csv", ("\ufeff" if bom else "") + text)
    return path


def test_the_published_style_reads_quoted_text_bare_codes_and_iso_dates(tmp_path: Path) -> None:
    """Text quoted even when empty, a quote doubled inside a name, a comma inside an address."""
    text = (
        '1,"T1000000000001",01,0,2,1,1,2023-10-01,2024-02-01,,,"東京都千代田区霞が関３丁目１－１",'
        '13,101,"",,,"","株式会社""ジュウリョウ""文具","",,,"",""\r\n'
        '2,"T2000000000002",03,0,1,1,1,2023-10-01,2025-06-02,,2025-06-01,"",,,'
        '"大阪府大阪市北区, 梅田１丁目",27,127,"","山田　花子","",,,"山田商店",""\r\n'
        '3,"T3000000000003",04,1,2,3,1,2023-10-01,2025-04-02,2025-04-01,,"",,,"",,,"",'
        '"Example Trading Ltd.","東京都港区芝公園１丁目",13,103,"",""\r\n'
    )
    new, expired, cancelled = read_rows(_zip_of(tmp_path / "zenken_20261127.zip", text))
    assert new.name == '株式会社"ジュウリョウ"文具'
    assert new.address == "東京都千代田区霞が関３丁目１－１"
    assert (new.process, new.kind, new.country, new.latest) == (Process.NEW, "2", "1", True)
    assert new.update_date == dt.date(2024, 2, 1)
    assert new.disposal_date is None
    assert new.expire_date is None
    assert expired.process is Process.EXPIRED
    assert expired.expire_date == dt.date(2025, 6, 1)
    assert expired.address == "大阪府大阪市北区, 梅田１丁目"  # 公表申出: the individual's choice
    assert expired.trade_name == "山田商店"
    assert cancelled.process is Process.CANCELLED
    assert cancelled.disposal_date == dt.date(2025, 4, 1)
    assert cancelled.correct == "1"
    assert cancelled.address == "東京都港区芝公園１丁目"  # a foreign business's office in Japan


def test_a_bom_and_a_deletion_with_empty_codes_are_read(tmp_path: Path) -> None:
    deleted = nta_row("T4000000000004", process="99", registered="")
    deleted[COLUMNS.index("correct")] = ""
    deleted[COLUMNS.index("kind")] = ""
    deleted[COLUMNS.index("country")] = ""
    path = _zip_of(tmp_path / "sabun_20261127.zip", nta_line(deleted), bom=True)
    (row,) = read_rows(path)
    assert row.registration_number == "T4000000000004"
    assert (row.process, row.correct, row.kind, row.country) == (Process.DELETED, "", "", "")


def test_the_test_fixtures_round_trip_through_the_reader(tmp_path: Path) -> None:
    path = nta_zip(tmp_path / "zenken_20261127.zip", [nta_row("T5000000000005", name='A "B", C')])
    (row,) = read_rows(path)
    assert row.name == 'A "B", C'


@pytest.mark.parametrize(
    ("column", "value"),
    [("latest", "2"), ("country", "9"), ("kind", "3"), ("correct", "2"), ("latest", "")],
)
def test_a_code_outside_the_published_values_is_refused_naming_the_line(
    column: str, value: str
) -> None:
    fields = nta_row("T6000000000006")
    fields[COLUMNS.index(column)] = value
    with pytest.raises(LayoutError, match=rf"line 7: {column} '{value}' is not one of"):
        parse_row(fields, 7)


def test_a_sequence_number_that_is_not_one_is_named_as_such() -> None:
    fields = nta_row("T7000000000007")
    fields[COLUMNS.index("sequenceNumber")] = "x1"
    with pytest.raises(LayoutError, match=r"line 3: 'x1' is not a sequence number"):
        parse_row(fields, 3)
