"""Saxon's own complaints stay inside Saxon: nothing on the process's stderr (file descriptor 2).

No request runs Saxon any more, but the official stylesheets still run as the tests' oracle and
in ``bench/validate.py``; SaxonC writes a dynamic XPath error to fd 2 itself before raising.
"""

from __future__ import annotations

import re
import sys

import pytest

from parsers.validation.en16931 import run_svrl
from schemas import Artefact
from tests.parsers.validation_samples import cii_invoice, parse


def test_a_saxon_xpath_error_prints_nothing_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    # a line total that is no number stops the official CII stylesheet with FORG0001
    document = re.sub(rb"(<ram:LineTotalAmount[^>]*>)", rb"\1abc", cii_invoice(), count=1)
    with pytest.raises(Exception, match=r"FORG0001|convert"):
        run_svrl(parse(document), Artefact.EN16931_CII_XSLT)
    print("still ours", file=sys.stderr)
    assert capfd.readouterr().err == "still ours\n"
