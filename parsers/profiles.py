"""Document formats and invoicing profiles; the profile decides which rule sets apply."""

from __future__ import annotations

import enum


class Format(enum.StrEnum):
    """What the bytes are, as far as juryo is concerned."""

    UBL_INVOICE = "ubl-invoice"
    UBL_CREDIT_NOTE = "ubl-creditnote"
    CII = "cii"
    FACTURX_PDF = "facturx-pdf"
    """A PDF carrying an embedded CII or UBL invoice (Factur-X, ZUGFeRD, XRechnung-in-PDF)."""
    PDF = "pdf"
    """A PDF with no embedded invoice XML: a picture of paper."""
    UNKNOWN = "unknown"


class Syntax(enum.StrEnum):
    """The XML syntax binding of EN 16931."""

    UBL = "ubl"
    CII = "cii"


class Profile(enum.StrEnum):
    """The specification a document claims (BT-24 CustomizationID / guideline parameter)."""

    PEPPOL_BIS3 = "peppol-bis-3"
    JP_PINT = "jp-pint"
    JP_PINT_SELF_BILLING = "jp-pint-sb"
    JP_PINT_NON_TAX_REGISTERED = "jp-pint-ntr"
    XRECHNUNG = "xrechnung"
    EN16931 = "en16931"
    """EN 16931 itself or any CIUS without rules of its own here."""
    FACTURX_MINIMUM = "facturx-minimum"
    FACTURX_BASIC_WL = "facturx-basic-wl"
    FACTURX_BASIC = "facturx-basic"
    FACTURX_EN16931 = "facturx-en16931"
    FACTURX_EXTENDED = "facturx-extended"
    UNKNOWN = "unknown"

    @property
    def is_jp_pint(self) -> bool:
        """JP PINT documents are judged by PINT rules, not EN 16931's."""
        return self in _JP_PINT

    @property
    def lacks_invoice_content(self) -> bool:
        """Factur-X MINIMUM and BASIC WL carry no lines: not full invoices."""
        return self in (Profile.FACTURX_MINIMUM, Profile.FACTURX_BASIC_WL)


_JP_PINT = frozenset(
    {Profile.JP_PINT, Profile.JP_PINT_SELF_BILLING, Profile.JP_PINT_NON_TAX_REGISTERED}
)


def detect_profile(customization_id: str | None) -> Profile:
    """Map a CustomizationID / GuidelineSpecifiedDocumentContextParameter to a profile.

    The most specific marker wins: JP PINT variants before PINT, XRechnung and Peppol before
    plain EN 16931, Factur-X profiles by their URN suffix.
    """
    if not customization_id:
        return Profile.UNKNOWN
    cid = customization_id.strip()
    lowered = cid.lower()
    if "@jp-1" in lowered:
        if "pint:selfbilling-1@" in lowered:
            return Profile.JP_PINT_SELF_BILLING
        if "pint:nontaxinvoice-1@" in lowered:
            return Profile.JP_PINT_NON_TAX_REGISTERED
        return Profile.JP_PINT
    if "xrechnung" in lowered:
        return Profile.XRECHNUNG
    if "urn:fdc:peppol.eu:2017:poacc:billing:3.0" in lowered:
        return Profile.PEPPOL_BIS3
    if lowered.startswith("urn:factur-x.eu:1p0:minimum"):
        return Profile.FACTURX_MINIMUM
    if lowered.startswith("urn:factur-x.eu:1p0:basicwl"):
        return Profile.FACTURX_BASIC_WL
    if "#compliant#urn:factur-x.eu:1p0:basic" in lowered or lowered.endswith(
        "urn:factur-x.eu:1p0:basic"
    ):
        return Profile.FACTURX_BASIC
    if (
        "conformant#urn:factur-x.eu:1p0:extended" in lowered
        or "factur-x.eu:1p0:extended" in lowered
    ):
        return Profile.FACTURX_EXTENDED
    if "urn:cen.eu:en16931:2017" in lowered:
        return Profile.EN16931
    return Profile.UNKNOWN
