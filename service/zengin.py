"""The Zengin (全銀協) 総合振込 transfer file: fixed 120-byte Shift_JIS records.

A file is one header record (データ区分 1), one data record (2) per transfer, a trailer (8)
with the count and total, and an end record (9); every record is followed by CRLF. Numeric
fields (N) are right-aligned and zero-padded; text fields (C) are half-width katakana, upper-case
latin, digits and a few signs, left-aligned and space-padded. The layouts below are the
全銀協制定ファイルフォーマット【総合振込】 as banks publish it; ``tests/service/test_zengin.py``
rebuilds every field from these offsets.

Pure functions: no database, no web framework.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

RECORD_BYTES = 120
ENCODING = "shift_jis"
NEWLINE = b"\r\n"
MAX_AMOUNT = 9_999_999_999
"""振込金額 is N(10): the largest single transfer."""
MAX_TOTAL = 999_999_999_999
"""合計金額 in the trailer is N(12)."""
ACCOUNT_TYPES = frozenset({"1", "2", "4", "9"})
"""預金種目: 1 普通, 2 当座, 4 貯蓄, 9 その他."""

Kind = Literal["N", "C"]


@dataclass(frozen=True, slots=True)
class Field:
    """One fixed-width field: 0-based byte offset, width and kind (N numeric, C text)."""

    name: str
    offset: int
    width: int
    kind: Kind


def _layout(*fields: tuple[str, int, Kind]) -> tuple[Field, ...]:
    offset, laid = 0, []
    for name, width, kind in fields:
        laid.append(Field(name, offset, width, kind))
        offset += width
    if offset != RECORD_BYTES:  # pragma: no cover - a layout typo is a programming error
        raise AssertionError(f"layout is {offset} bytes, not {RECORD_BYTES}")
    return tuple(laid)


HEADER = _layout(
    ("データ区分", 1, "N"),
    ("種別コード", 2, "N"),
    ("コード区分", 1, "N"),
    ("依頼人コード", 10, "N"),
    ("依頼人名", 40, "C"),
    ("取組日", 4, "N"),
    ("仕向銀行番号", 4, "N"),
    ("仕向銀行名", 15, "C"),
    ("仕向支店番号", 3, "N"),
    ("仕向支店名", 15, "C"),
    ("預金種目", 1, "N"),
    ("口座番号", 7, "N"),
    ("ダミー", 17, "C"),
)
DATA = _layout(
    ("データ区分", 1, "N"),
    ("被仕向銀行番号", 4, "N"),
    ("被仕向銀行名", 15, "C"),
    ("被仕向支店番号", 3, "N"),
    ("被仕向支店名", 15, "C"),
    ("手形交換所番号", 4, "N"),
    ("預金種目", 1, "N"),
    ("口座番号", 7, "N"),
    ("受取人名", 30, "C"),
    ("振込金額", 10, "N"),
    ("新規コード", 1, "N"),
    ("顧客コード1", 10, "N"),
    ("顧客コード2", 10, "N"),
    ("振込指定区分", 1, "N"),
    ("識別表示", 1, "C"),
    ("ダミー", 7, "C"),
)
TRAILER = _layout(
    ("データ区分", 1, "N"),
    ("合計件数", 6, "N"),
    ("合計金額", 12, "N"),
    ("ダミー", 101, "C"),
)
END = _layout(("データ区分", 1, "N"), ("ダミー", 119, "C"))


class ZenginError(ValueError):
    """A value cannot be written into a Zengin field."""


# --- half-width katakana ----------------------------------------------------------------------

_HALF_KANA = "".join(chr(c) for c in range(0xFF66, 0xFF9E))  # ｦ … ﾝ (with small ｧ-ｯ, ｰ)
_SMALL_TO_LARGE = dict(zip("ｧｨｩｪｫｬｭｮｯ", "ｱｲｳｴｵﾔﾕﾖﾂ", strict=True))
ALLOWED = frozenset(
    "ｦｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ().-/"
)
"""Characters a Zengin text field may hold (JIS X 0201 subset the banks accept)."""


def _build_kana_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for half in _HALF_KANA:
        full = unicodedata.normalize("NFKC", half)
        table.setdefault(full, _SMALL_TO_LARGE.get(half, half))
        for mark in "ﾞﾟ":
            composed = unicodedata.normalize("NFKC", half + mark)
            if len(composed) == 1:
                table[composed] = half + mark
    # small full-width kana become large; ヮ and the long-vowel and dash marks too
    table.update({"ヮ": "ﾜ", "ヵ": "ｶ", "ヶ": "ｹ", "ー": "-", "ｰ": "-", "・": ".", "･": "."})
    table.update(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))  # dashes
    table.update({"ﾞ": "ﾞ", "ﾟ": "ﾟ", "゛": "ﾞ", "゜": "ﾟ"})
    for half, large in _SMALL_TO_LARGE.items():
        table[half] = large
    return table


_KANA = _build_kana_table()


@lru_cache(maxsize=65536)
def to_zengin_text(text: str) -> str:
    """Convert to the Zengin character set: half-width katakana, upper-case latin, digits.

    Hiragana and full-width katakana become half-width katakana (small kana large, voiced marks
    separate), full-width latin and digits become ASCII, latin is upper-cased. Raises
    ``ZenginError`` naming the characters that have no Zengin form (kanji, for instance).
    """
    out: list[str] = []
    bad: list[str] = []
    for char in text:
        if "\u3041" <= char <= "\u3096":  # hiragana → katakana
            char = chr(ord(char) + 0x60)
        if char in _KANA:
            out.append(_KANA[char])
            continue
        for piece in unicodedata.normalize("NFKC", char).upper():
            converted = _KANA.get(piece, piece)
            if all(c in ALLOWED for c in converted):
                out.append(converted)
            else:
                bad.append(char)
    if bad:
        unique = "".join(dict.fromkeys(bad))
        raise ZenginError(f"cannot be written in half-width katakana: {unique!r}")
    return " ".join("".join(out).split())  # runs of spaces become one, no edges


def is_digits(value: str | None, width: int) -> bool:
    """Exactly ``width`` ASCII digits."""
    return value is not None and len(value) == width and value.isascii() and value.isdigit()


# --- records ----------------------------------------------------------------------------------


def _number(value: int | str, field: Field) -> str:
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        raise ZenginError(f"{field.name}: {text!r} is not a non-negative number")
    if len(text) > field.width:
        raise ZenginError(f"{field.name}: {text} does not fit in {field.width} digits")
    return text.rjust(field.width, "0")


def _text(value: str, field: Field) -> str:
    if any(c not in ALLOWED for c in value):
        raise ZenginError(f"{field.name}: {value!r} holds characters Zengin does not allow")
    if len(value) > field.width:
        raise ZenginError(f"{field.name}: {value!r} is longer than {field.width} characters")
    return value.ljust(field.width, " ")


def record(layout: Sequence[Field], values: Sequence[int | str]) -> bytes:
    """One 120-byte record from its field values in layout order."""
    if len(values) != len(layout):  # pragma: no cover - programming error
        raise AssertionError("one value per field")
    text = "".join(
        _number(v, f) if f.kind == "N" else _text(str(v), f)
        for f, v in zip(layout, values, strict=True)
    )
    encoded = text.encode(ENCODING)
    if len(encoded) != RECORD_BYTES:  # pragma: no cover - ALLOWED is single-byte only
        raise AssertionError(f"record is {len(encoded)} bytes")
    return encoded


@dataclass(frozen=True, slots=True)
class Requester:
    """The city's own account, from settings (振込依頼人)."""

    code: str
    name: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    bank_name: str = ""
    branch_name: str = ""


@dataclass(frozen=True, slots=True)
class Transfer:
    """One payment to one creditor (its invoices with the same payment date, summed)."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    payee_name: str
    """Already in the Zengin character set (see ``to_zengin_text``)."""
    amount: int
    customer_code_1: int = 0
    customer_code_2: int = 0
    bank_name: str = ""
    branch_name: str = ""


def header_record(requester: Requester, transfer_date: dt.date) -> bytes:
    """データ区分 1: who pays, from which account, on which day (MMDD)."""
    return record(
        HEADER,
        (
            1,
            21,  # 種別コード: 総合振込
            0,  # コード区分: JIS
            requester.code,
            requester.name,
            transfer_date.strftime("%m%d"),
            requester.bank_code,
            requester.bank_name,
            requester.branch_code,
            requester.branch_name,
            requester.account_type,
            requester.account_number,
            "",
        ),
    )


def data_record(transfer: Transfer) -> bytes:
    """データ区分 2: one transfer."""
    if not 0 < transfer.amount <= MAX_AMOUNT:
        raise ZenginError(f"振込金額: {transfer.amount} is not between 1 and {MAX_AMOUNT:,}")
    return record(
        DATA,
        (
            2,
            transfer.bank_code,
            transfer.bank_name,
            transfer.branch_code,
            transfer.branch_name,
            0,  # 手形交換所番号: unused
            transfer.account_type,
            transfer.account_number,
            transfer.payee_name,
            transfer.amount,
            0,  # 新規コード: その他
            transfer.customer_code_1,
            transfer.customer_code_2,
            7,  # 振込指定区分: 電信
            "",  # 識別表示: the customer codes are codes, not EDI text
            "",
        ),
    )


def trailer_record(count: int, total: int) -> bytes:
    """データ区分 8: how many transfers and their sum."""
    if total > MAX_TOTAL:
        raise ZenginError(f"合計金額: {total:,} does not fit in 12 digits")
    return record(TRAILER, (8, count, total, ""))


def end_record() -> bytes:
    """データ区分 9."""
    return record(END, (9, ""))


def transfer_file(
    requester: Requester, transfer_date: dt.date, transfers: Iterable[Transfer]
) -> bytes:
    """The whole file: header, data records, trailer, end; each record ends with CRLF."""
    lines = [header_record(requester, transfer_date)]
    count = total = 0
    for transfer in transfers:
        lines.append(data_record(transfer))
        count += 1
        total += transfer.amount
    lines.append(trailer_record(count, total))
    lines.append(end_record())
    return NEWLINE.join(lines) + NEWLINE
