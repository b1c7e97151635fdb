"""Validation layers: which rule sets judge a document, and running them.

Layers, in order (each returns findings, never raises on bad content):

1. ``xsd``      official UBL 2.1 / Factur-X CII XSDs (lxml), every document;
2. ``en16931``  CEN EN 16931 1.3.16 rules, natively for UBL (``en16931_ubl``) and CII
                (``en16931_cii``); every EN 16931 document except JP PINT and Factur-X
                MINIMUM / BASIC WL (which are not full invoices);
3. ``peppol``   Peppol BIS 3.0 rules, 2025.5, national ones included (native), every UBL
                document whose CustomizationID names no other specification (see ``peppol``);
   ``pint-jp``  JP PINT 1.1.3, all rules (native), JP PINT documents (instead of 2);
4. ``japan``    juryo's own Japan checks, JP PINT and any JPY invoice.

XRechnung and other CIUS are judged by EN 16931 only; what juryo does not run is listed in
:data:`NOT_IMPLEMENTED`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from parsers.findings import Finding
from parsers.profiles import Profile, Syntax
from parsers.validation import en16931, peppol, xsd
from parsers.validation.en16931 import validate_en16931
from parsers.validation.japan import applies as _japan_applies
from parsers.validation.japan import validate_japan
from parsers.validation.peppol import validate_peppol
from parsers.validation.peppol_cii import validate_peppol_cii
from parsers.validation.pint_jp import validate_pint_jp
from parsers.validation.xsd import validate_xsd

if TYPE_CHECKING:
    from parsers.model import Invoice

__all__ = ["NOT_IMPLEMENTED", "RULE_SETS", "RuleSetSpec", "rule_sets_for", "validate"]

Runner = Callable[[etree._Element, Syntax, Profile], list[Finding]]
Applies = Callable[[etree._Element, Syntax, Profile], bool]


@dataclass(frozen=True, slots=True)
class RuleSetSpec:
    """A rule set, when it applies and how it runs."""

    name: str
    description: str
    applies: Applies
    run: Runner
    business: bool = True
    """Business rules (as opposed to the XSD); unit-test fragments run only these."""
    version: str = ""
    """The release of the rules (or schemas) run, as reported with every verdict."""


def _is_en16931(root: etree._Element, syntax: Syntax, profile: Profile) -> bool:
    return not profile.is_jp_pint and not profile.lacks_invoice_content


RULE_SETS: tuple[RuleSetSpec, ...] = (
    RuleSetSpec(
        "xsd",
        "UBL 2.1 / Factur-X CII XML Schema",
        lambda root, syntax, profile: True,
        validate_xsd,
        business=False,
        version="UBL 2.1 / Factur-X 1.09 CII",
    ),
    RuleSetSpec(
        "en16931",
        "CEN EN 16931 1.3.16 business rules (native, UBL and CII)",
        _is_en16931,
        lambda root, syntax, profile: validate_en16931(root, syntax),
        version="1.3.16",
    ),
    RuleSetSpec(
        "peppol-bis-3",
        f"Peppol BIS Billing 3.0 rules, release {peppol.RELEASE} (PEPPOL-EN16931-*,"
        " PEPPOL-COMMON-*, national DE/DK/GR/IS/IT/NL/NO/SE), UBL and CII",
        peppol.applies,
        lambda root, syntax, profile: (
            validate_peppol_cii(root) if syntax is Syntax.CII else validate_peppol(root)
        ),
        version=peppol.RELEASE,
    ),
    RuleSetSpec(
        "pint-jp",
        "JP PINT 1.1.3 (billing, self-billing, non-tax-registered): shared ibr-*, ibr-co-*, "
        "ibr-cl-* and JP-aligned rules",
        lambda root, syntax, profile: profile.is_jp_pint and syntax is Syntax.UBL,
        lambda root, syntax, profile: validate_pint_jp(root, profile),
        version="1.1.3",
    ),
    RuleSetSpec(
        "japan",
        "juryo's Japan checks (JP-JURYO-*): registration number, tax rounding, rates, yen",
        _japan_applies,
        validate_japan,
        version="juryo",
    ),
)

NOT_IMPLEMENTED: tuple[str, ...] = (
    "DE- (XRechnung BR-DE-*)",
    "FR- (BR-FR-*, French CTC)",
)
"""Rule sets juryo does not run (the Peppol national rules are run, within Peppol BIS)."""


def rule_sets_for(root: etree._Element, syntax: Syntax, profile: Profile) -> list[str]:
    """Names of the rule sets that judge this document."""
    return [spec.name for spec in RULE_SETS if spec.applies(root, syntax, profile)]


def validate(
    root: etree._Element,
    syntax: Syntax,
    profile: Profile,
    invoice: Invoice | None = None,
    *,
    schema: bool = True,
) -> list[Finding]:
    """Every finding of every rule set that applies to the document.

    ``invoice`` (the canonical model) is accepted for callers that have it; the layers read the
    tree, which is what the official rules are written against. ``schema=False`` skips the XSD
    layer, for rule unit-test fragments that are deliberately not schema-valid.
    """
    del invoice
    findings: list[Finding] = []
    for spec in RULE_SETS:
        if not schema and not spec.business:
            continue
        if spec.applies(root, syntax, profile):
            findings.extend(spec.run(root, syntax, profile))
    return findings


def warm_up() -> None:
    """Compile every schema and stylesheet now (a second or two) rather than on first use."""
    xsd.warm_up()
    en16931.warm_up()
