"""``juryo validate`` as a pure function: reports, JSON and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from parsers.cli import run_validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "jp_pint_invoice.xml"


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<Invoice>\n<unclosed>\n</Invoice>")
    return path


def run(paths: list[Path], *, as_json: bool = False, lang: str = "en") -> tuple[int, str]:
    out = io.StringIO()
    code = run_validate(paths, as_json=as_json, lang=lang, out=out)
    return code, out.getvalue()


def test_acceptable_file_exits_zero() -> None:
    code, text = run([GOOD])
    assert code == 0
    assert str(GOOD) in text
    assert "ubl-invoice" in text
    assert "jp-pint" in text
    assert "verdict: acceptable" in text


def test_rejected_file_exits_one(bad: Path) -> None:
    code, text = run([GOOD, bad])
    assert code == 1
    assert "NOT acceptable" in text
    assert "JURYO-XML-SYNTAX" in text
    assert "@ 3:" in text


def test_missing_file_exits_two(tmp_path: Path, bad: Path) -> None:
    code, text = run([bad, tmp_path / "nope.xml"])
    assert code == 2
    assert "cannot read" in text


def test_japanese(bad: Path) -> None:
    code, text = run([bad], lang="ja")
    assert code == 1
    assert "判定: 受理不可" in text
    assert "[致命的]" in text
    assert "XMLの構文が正しくありません" in text


def test_json(tmp_path: Path, bad: Path) -> None:
    code, text = run([GOOD, bad, tmp_path / "nope.xml"], as_json=True)
    assert code == 2
    good_report, bad_report, missing = json.loads(text)
    assert good_report == {
        "file": str(GOOD),
        "format": "ubl-invoice",
        "profile": "jp-pint",
        "valid": good_report["valid"],
        "findings": good_report["findings"],
        "rule_sets": good_report["rule_sets"],
    }
    assert good_report["valid"] is True
    assert bad_report["valid"] is False
    (finding,) = bad_report["findings"]
    assert finding["rule_id"] == "JURYO-XML-SYNTAX"
    assert finding["severity"] == "fatal"
    assert set(finding) == {
        "rule_id",
        "severity",
        "message_en",
        "message_ja",
        "location",
        "business_term",
    }
    assert missing["valid"] is False
    assert missing["error"]


def test_no_files_is_success() -> None:
    assert run([]) == (0, "")


def test_json_names_the_rule_sets_that_ran_and_their_versions(bad: Path) -> None:
    _, text = run([GOOD, bad], as_json=True)
    good_report, bad_report = json.loads(text)
    assert good_report["rule_sets"] == [
        {"name": "xsd", "version": "UBL 2.1 / Factur-X 1.09 CII"},
        {"name": "pint-jp", "version": "1.1.3"},
        {"name": "japan", "version": "juryo"},
    ]
    assert bad_report["rule_sets"] == []
