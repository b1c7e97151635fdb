"""Saxon's own complaints stay inside Saxon: nothing on the process's stderr (file descriptor 2).

SaxonC writes a dynamic XPath error to fd 2 itself before raising; a supplier's malformed
amount must not land in the service's error log (the finding already says what happened).
"""

from __future__ import annotations

import re
import sys

import pytest

from parsers import read
from tests.parsers.validation_samples import cii_invoice


def test_a_saxon_xpath_error_prints_nothing_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    # CII still runs on Saxon (UBL is judged natively): a line total that is no number
    document = re.sub(rb"(<ram:LineTotalAmount[^>]*>)", rb"\1abc", cii_invoice(), count=1)
    result = read(document)
    assert "JURYO-VALIDATION-ERROR" in [f.rule_id for f in result.findings]
    print("still ours", file=sys.stderr)
    assert capfd.readouterr().err == "still ours\n"
