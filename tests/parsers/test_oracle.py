"""The tests' oracle: the official stylesheets on SaxonC, read as findings, quietly."""

from __future__ import annotations

import re
import sys

import pytest
from lxml import etree

from parsers.findings import Finding, Severity
from schemas import Artefact
from tests.parsers import oracle
from tests.parsers.validation_samples import cii_invoice, parse

_SVRL = b"""<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <svrl:failed-assert id="BR-01" flag="fatal" location="/*:Invoice[namespace-uri()='urn:x'][1]">
    <svrl:text>[BR-01]-An Invoice shall have a Specification identifier (BT-24).</svrl:text>
  </svrl:failed-assert>
  <svrl:failed-assert id="BR-CL-99" flag="warning" location="/x"><svrl:text>Hm.</svrl:text>
  </svrl:failed-assert>
  <svrl:successful-report location="/x"><svrl:text>no id: informational</svrl:text>
  </svrl:successful-report>
</svrl:schematron-output>"""


def test_svrl_becomes_findings_located_as_juryo_locates_them() -> None:
    first, second = oracle.findings(etree.fromstring(_SVRL))
    message = "An Invoice shall have a Specification identifier (BT-24)."
    assert first == Finding(
        rule_id="BR-01",
        severity=Severity.FATAL,
        message_en=message,
        message_ja=message,
        location="/Invoice[1]",
        business_term="BT-24",
    )
    assert second.severity is Severity.WARNING


def test_a_saxon_xpath_error_is_no_verdict_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # a line total that is no number stops the official CII stylesheet with FORG0001
    document = re.sub(rb"(<ram:LineTotalAmount[^>]*>)", rb"\1abc", cii_invoice(), count=1)
    with pytest.raises(oracle.NoVerdict, match=r"FORG0001|convert"):
        oracle.Stylesheet(Artefact.EN16931_CII_XSLT).svrl(parse(document))
    print("still ours", file=sys.stderr)
    assert capfd.readouterr().err == "still ours\n"
