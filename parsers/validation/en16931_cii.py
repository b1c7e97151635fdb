"""Layer 2 for CII: the CEN EN 16931 1.3.16 rules for UN/CEFACT CII, run natively.

All 806 assertions of the CEN CII artefact (``EN16931-CII-validation``): the model rules
(BR-*, BR-CO-*, BR-DEC-* and the VAT category families BR-S/Z/E/AE/IC/G/O/AF/AG/B), the code
lists (BR-CL-*) and the CII syntax rules (CII-SR-*, CII-DT-*), each with the id, flag, context
and business term of the official artefact and juryo's own English and Japanese messages.
``tests/parsers/test_validation_en16931_cii_differential.py`` holds them to the official XSLT.
"""

from __future__ import annotations

import functools

from lxml import etree

from parsers.findings import Finding
from parsers.validation.en16931_cii_calc import PREDICATES
from parsers.validation.en16931_cii_engine import Engine
from parsers.validation.en16931_cii_rules import RULES

__all__ = ["VERSION", "engine", "validate_en16931_cii"]

VERSION = "1.3.16"
"""The CEN EN 16931 validation artefacts release these rules restate."""


@functools.cache
def engine() -> Engine:
    """The compiled rule set, built on first use (compiling 806 tests takes about 0.5 s)."""
    return Engine(RULES, PREDICATES)


def validate_en16931_cii(root: etree._Element) -> list[Finding]:
    """Every EN 16931 finding (fatal and warning) for a CII document."""
    return engine().run(root)
