"""The hardened parser refuses DTDs and entities and reports syntax errors with a position."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from lxml import etree

from parsers.findings import Severity
from parsers.safexml import make_parser, parse_xml

SECRET = "juryo-secret-marker"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def rule_ids(data: bytes) -> list[str]:
    return [f.rule_id for f in parse_xml(data).findings]


def test_parses_plain_xml() -> None:
    parsed = parse_xml(b"<Invoice><ID>1</ID></Invoice>")
    assert parsed.root is not None
    assert parsed.root.findtext("ID") == "1"
    assert parsed.findings == ()


def test_xxe_file_is_refused_and_never_read(secret_file: Path) -> None:
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_file}">]><r>&x;</r>'
    ).encode()
    parsed = parse_xml(data)
    assert parsed.root is None
    assert [f.rule_id for f in parsed.findings] == ["JURYO-XML-ENTITY"]
    assert SECRET not in repr(parsed)


def test_xxe_url_is_refused() -> None:
    data = b'<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/evil">]><r>&x;</r>'
    assert rule_ids(data) == ["JURYO-XML-ENTITY"]


def test_external_dtd_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>'
    assert rule_ids(data) == ["JURYO-XML-DTD"]


def test_billion_laughs_is_refused() -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = f'<!DOCTYPE r [<!ENTITY l0 "ha">{entities}]><r>&l9;</r>'.encode()
    assert rule_ids(data) == ["JURYO-XML-ENTITY"]


def test_quadratic_blowup_is_refused() -> None:
    data = ('<!DOCTYPE r [<!ENTITY a "' + "x" * 50_000 + '">]><r>' + "&a;" * 1000 + "</r>").encode()
    assert rule_ids(data) == ["JURYO-XML-ENTITY"]


def test_doctype_in_utf16_is_refused() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'
    assert rule_ids(data.encode("utf-16")) == ["JURYO-XML-ENTITY"]


def test_undeclared_entity_is_a_syntax_error() -> None:
    assert rule_ids(b"<r>&undeclared;</r>") == ["JURYO-XML-SYNTAX"]


def test_malformed_xml_reports_line_and_column() -> None:
    parsed = parse_xml(b"<r>\n  <a>\n</r>")
    (finding,) = parsed.findings
    assert finding.rule_id == "JURYO-XML-SYNTAX"
    assert finding.severity is Severity.FATAL
    assert finding.location == "3:5"
    assert "line 3" in finding.message_en
    assert finding.message_ja.startswith("XML")


def test_truncated_xml_is_a_syntax_error(jp_pint_xml: bytes) -> None:
    assert rule_ids(jp_pint_xml[: len(jp_pint_xml) // 2]) == ["JURYO-XML-SYNTAX"]


def test_size_cap() -> None:
    assert rule_ids(b"<r>" + b"x" * 100 + b"</r>") == []
    parsed = parse_xml(b"<r>" + b"x" * 100 + b"</r>", max_bytes=50)
    assert [f.rule_id for f in parsed.findings] == ["JURYO-XML-SIZE"]


@pytest.mark.parametrize(
    "data",
    [
        "\ufeff<r>日本</r>".encode(),
        '<?xml version="1.0" encoding="UTF-16"?><r>日本</r>'.encode("utf-16"),
        '<?xml version="1.0" encoding="UTF-16LE"?><r>日本</r>'.encode("utf-16-le"),
        '<?xml version="1.0" encoding="Shift_JIS"?><r>日本</r>'.encode("shift_jis"),
        '<?xml version="1.0" encoding="EUC-JP"?><r>日本</r>'.encode("euc_jp"),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16le-declared", "shift-jis", "euc-jp"],
)
def test_encodings(data: bytes) -> None:
    parsed = parse_xml(data)
    assert parsed.root is not None, parsed.findings
    assert parsed.root.text == "日本"


def test_unknown_encoding_is_a_syntax_finding() -> None:
    assert rule_ids(b'<?xml version="1.0" encoding="x-nonsense"?><r/>') == ["JURYO-XML-SYNTAX"]


def test_factory_parser_alone_neither_reads_files_nor_expands(secret_file: Path) -> None:
    """Even if the pre-scan were bypassed, the parser itself must not follow the DTD."""
    xxe = f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_file}">]><r>&x;</r>'.encode()
    root = etree.fromstring(xxe, parser=make_parser())
    assert SECRET not in etree.tostring(root).decode()
    assert (root.text or "") == ""


def test_doctype_after_prescan_is_still_refused() -> None:
    """The post-parse check sees a DOCTYPE the byte pre-scan could not (odd encodings)."""
    data = '<?xml version="1.0" encoding="UTF-16BE"?><!DOCTYPE r><r/>'.encode("utf-16-be")
    assert rule_ids(data) == ["JURYO-XML-DTD"]


def test_parses_concurrently(jp_pint_xml: bytes) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                assert parse_xml(jp_pint_xml).root is not None
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
