"""Layer 2: the EN 16931 business rules, natively, for UBL and CII.

Both syntaxes are judged natively: UBL by :mod:`parsers.validation.en16931_ubl` and CII by
:mod:`parsers.validation.en16931_cii`, every assertion of the CEN 1.3.16 artefacts with its
official id and flag. The official stylesheets (XSLT 2.0 on SaxonC) are the tests' oracle
(``tests/parsers/oracle.py``), never run here: no request loads Saxon.
"""

from __future__ import annotations

from lxml import etree

from parsers.findings import Finding
from parsers.profiles import Syntax
from parsers.validation.en16931_cii import engine as cii_engine
from parsers.validation.en16931_cii import validate_en16931_cii
from parsers.validation.en16931_ubl import validate_en16931_ubl

__all__ = ["validate_en16931", "warm_up"]


def validate_en16931(root: etree._Element, syntax: Syntax) -> list[Finding]:
    """The EN 16931 core rules for a UBL or CII document, natively."""
    if syntax is Syntax.UBL:
        return validate_en16931_ubl(root)
    return validate_en16931_cii(root)


def warm_up() -> None:
    """Compile the native CII rules now rather than on the first invoice."""
    cii_engine()
