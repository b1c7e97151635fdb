"""The Zengin 総合振込 file, checked field by field against the published format.

The expected layouts below are written out from 全銀協制定ファイルフォーマット【総合振込】
(1-based start column, width, kind), independently of ``service.accounting.zengin``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from service import zengin
from service.zengin import Requester, Transfer, ZenginError, to_zengin_text

# (name, 1-based first column, width, kind)
SPEC_HEADER = [
    ("データ区分", 1, 1, "N"),
    ("種別コード", 2, 2, "N"),
    ("コード区分", 4, 1, "N"),
    ("依頼人コード", 5, 10, "N"),
    ("依頼人名", 15, 40, "C"),
    ("取組日", 55, 4, "N"),
    ("仕向銀行番号", 59, 4, "N"),
    ("仕向銀行名", 63, 15, "C"),
    ("仕向支店番号", 78, 3, "N"),
    ("仕向支店名", 81, 15, "C"),
    ("預金種目", 96, 1, "N"),
    ("口座番号", 97, 7, "N"),
    ("ダミー", 104, 17, "C"),
]
SPEC_DATA = [
    ("データ区分", 1, 1, "N"),
    ("被仕向銀行番号", 2, 4, "N"),
    ("被仕向銀行名", 6, 15, "C"),
    ("被仕向支店番号", 21, 3, "N"),
    ("被仕向支店名", 24, 15, "C"),
    ("手形交換所番号", 39, 4, "N"),
    ("預金種目", 43, 1, "N"),
    ("口座番号", 44, 7, "N"),
    ("受取人名", 51, 30, "C"),
    ("振込金額", 81, 10, "N"),
    ("新規コード", 91, 1, "N"),
    ("顧客コード1", 92, 10, "N"),
    ("顧客コード2", 102, 10, "N"),
    ("振込指定区分", 112, 1, "N"),
    ("識別表示", 113, 1, "C"),
    ("ダミー", 114, 7, "C"),
]
SPEC_TRAILER = [
    ("データ区分", 1, 1, "N"),
    ("合計件数", 2, 6, "N"),
    ("合計金額", 8, 12, "N"),
    ("ダミー", 20, 101, "C"),
]
SPEC_END = [("データ区分", 1, 1, "N"), ("ダミー", 2, 119, "C")]

REQUESTER = Requester(
    code="1234567890",
    name="ｼﾞﾕﾘﾖｳｼ ｶｲｹｲｶﾝﾘｼﾔ",
    bank_code="0001",
    branch_code="001",
    account_type="1",
    account_number="1234567",
)
TRANSFERS = [
    Transfer("0005", "123", "1", "0000042", "ｶ)ｻﾝﾌﾟﾙﾌﾞﾝｸﾞ", 16_150, 17, 3),
    Transfer("0009", "456", "2", "7654321", "ﾐﾅﾄｹﾝｾﾂ(ｶ", 9_999_999_999, 18, 3),
]
DAY = dt.date(2026, 12, 4)


def _fields(line: bytes, spec: list[tuple[str, int, int, str]]) -> dict[str, str]:
    """Slice a record by byte position (1-based columns), then decode each field."""
    assert len(line) == 120
    return {
        name: line[start - 1 : start - 1 + width].decode("shift_jis")
        for name, start, width, _ in spec
    }


@pytest.mark.parametrize(
    ("layout", "spec"),
    [
        (zengin.HEADER, SPEC_HEADER),
        (zengin.DATA, SPEC_DATA),
        (zengin.TRAILER, SPEC_TRAILER),
        (zengin.END, SPEC_END),
    ],
    ids=["header", "data", "trailer", "end"],
)
def test_layouts_match_the_published_offsets_and_widths(
    layout: tuple[zengin.Field, ...], spec: list[tuple[str, int, int, str]]
) -> None:
    assert [(f.name, f.offset + 1, f.width, f.kind) for f in layout] == spec
    assert sum(width for _, _, width, _ in spec) == 120


def test_file_is_built_field_by_field() -> None:
    produced = zengin.transfer_file(REQUESTER, DAY, TRANSFERS)
    text = produced.decode("shift_jis")  # decodes cleanly as Shift_JIS
    assert produced.endswith(b"\r\n")
    lines = produced.split(b"\r\n")[:-1]
    assert len(lines) == 1 + len(TRANSFERS) + 2  # header, data, trailer, end
    assert all(len(line) == 120 for line in lines)
    assert len(produced) == 122 * len(lines)
    assert "ｻﾝﾌﾟﾙ" in text

    header = _fields(lines[0], SPEC_HEADER)
    assert header == {
        "データ区分": "1",
        "種別コード": "21",
        "コード区分": "0",
        "依頼人コード": "1234567890",
        "依頼人名": "ｼﾞﾕﾘﾖｳｼ ｶｲｹｲｶﾝﾘｼﾔ".ljust(40),
        "取組日": "1204",
        "仕向銀行番号": "0001",
        "仕向銀行名": " " * 15,
        "仕向支店番号": "001",
        "仕向支店名": " " * 15,
        "預金種目": "1",
        "口座番号": "1234567",
        "ダミー": " " * 17,
    }

    first = _fields(lines[1], SPEC_DATA)
    assert first == {
        "データ区分": "2",
        "被仕向銀行番号": "0005",
        "被仕向銀行名": " " * 15,
        "被仕向支店番号": "123",
        "被仕向支店名": " " * 15,
        "手形交換所番号": "0000",
        "預金種目": "1",
        "口座番号": "0000042",
        "受取人名": "ｶ)ｻﾝﾌﾟﾙﾌﾞﾝｸﾞ".ljust(30),
        "振込金額": "0000016150",
        "新規コード": "0",
        "顧客コード1": "0000000017",
        "顧客コード2": "0000000003",
        "振込指定区分": "7",
        "識別表示": " ",
        "ダミー": " " * 7,
    }
    second = _fields(lines[2], SPEC_DATA)
    assert second["預金種目"] == "2"
    assert second["振込金額"] == "9999999999"
    assert second["受取人名"] == "ﾐﾅﾄｹﾝｾﾂ(ｶ".ljust(30)

    trailer = _fields(lines[3], SPEC_TRAILER)
    assert trailer == {
        "データ区分": "8",
        "合計件数": "000002",
        "合計金額": f"{16_150 + 9_999_999_999:012d}",
        "ダミー": " " * 101,
    }
    assert _fields(lines[4], SPEC_END) == {"データ区分": "9", "ダミー": " " * 119}

    # every half-width katakana is one byte in Shift_JIS: a record never grows
    for line in lines:
        assert len(line.decode("shift_jis").encode("shift_jis")) == 120


def test_empty_file_has_header_trailer_and_end() -> None:
    lines = zengin.transfer_file(REQUESTER, DAY, []).split(b"\r\n")[:-1]
    assert [line[:1] for line in lines] == [b"1", b"8", b"9"]
    assert _fields(lines[1], SPEC_TRAILER)["合計件数"] == "000000"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("カ）サンプルブング", "ｶ)ｻﾝﾌﾟﾙﾌﾞﾝｸﾞ"),
        ("ｶ)ｻﾝﾌﾟﾙ", "ｶ)ｻﾝﾌﾟﾙ"),
        ("がっこう　しょっぷ", "ｶﾞﾂｺｳ ｼﾖﾂﾌﾟ"),
        ("ヴィーナス", "ｳﾞｲ-ﾅｽ"),
        ("ｼｮｯﾌﾟ", "ｼﾖﾂﾌﾟ"),
        ("\uff41\uff42\uff43\u3000\uff24\uff45\uff46\uff11\uff12\uff13", "ABC DEF123"),
        ("abc corp.", "ABC CORP."),
        ("（ユ）テスト・ワン", "(ﾕ)ﾃｽﾄ.ﾜﾝ"),
        ("ヲ", "ｦ"),
    ],
)
def test_names_become_half_width_katakana(given: str, expected: str) -> None:
    assert to_zengin_text(given) == expected


@pytest.mark.parametrize("name", ["ミナト建設", "ｻﾝﾌﾟﾙ&ｶﾝﾊﾟﾆ-", "\uff21\uff20\uff22"])
def test_unconvertible_names_are_refused_naming_the_characters(name: str) -> None:
    with pytest.raises(ZenginError, match="cannot be written"):
        to_zengin_text(name)


def test_amounts_beyond_the_field_width_are_refused() -> None:
    too_much = Transfer("0005", "123", "1", "0000042", "ｻﾝﾌﾟﾙ", 10_000_000_000)
    with pytest.raises(ZenginError, match="振込金額"):
        zengin.transfer_file(REQUESTER, DAY, [too_much])
    with pytest.raises(ZenginError, match="振込金額"):
        zengin.data_record(Transfer("0005", "123", "1", "0000042", "ｻﾝﾌﾟﾙ", 0))


def test_a_payee_name_longer_than_thirty_characters_is_refused() -> None:
    long_name = "ｱ" * 31
    with pytest.raises(ZenginError, match="受取人名"):
        zengin.data_record(Transfer("0005", "123", "1", "0000042", long_name, 1))
