"""Read a UBL 2.1 Invoice or CreditNote (Peppol BIS 3, JP PINT, XRechnung) into ``Invoice``."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from parsers.detect import UBL_CREDIT_NOTE_NS
from parsers.model import (
    AllowanceCharge,
    Attachment,
    Contact,
    DocumentKind,
    Identifier,
    Invoice,
    InvoiceLine,
    Party,
    PaymentAccount,
    PaymentMeans,
    Period,
    PostalAddress,
    PrecedingInvoice,
    TaxSubtotal,
    Totals,
)
from parsers.xmlfields import Fields, base64_size, jp_registration_number

NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


def customization_id(root: etree._Element) -> str | None:
    """BT-24, which decides the profile."""
    return Fields(root, NAMESPACES).text("cbc:CustomizationID")


def _identifier(f: Fields | None) -> Identifier | None:
    if f is None or (value := f.text()) is None:
        return None
    return Identifier(value, f.attr(None, "schemeID"))


def _address(f: Fields | None) -> PostalAddress | None:
    if f is None:
        return None
    return PostalAddress(
        line1=f.text("cbc:StreetName"),
        line2=f.text("cbc:AdditionalStreetName"),
        line3=f.text("cac:AddressLine/cbc:Line"),
        city=f.text("cbc:CityName"),
        postal_zone=f.text("cbc:PostalZone"),
        subdivision=f.text("cbc:CountrySubentity"),
        country_code=f.text("cac:Country/cbc:IdentificationCode"),
    )


def _contact(f: Fields | None) -> Contact | None:
    if f is None:
        return None
    return Contact(
        name=f.text("cbc:Name"),
        telephone=f.text("cbc:Telephone"),
        email=f.text("cbc:ElectronicMail"),
    )


def _party(f: Fields | None) -> Party:
    if f is None:
        return Party()
    vat_id = tax_registration_id = None
    tax_ids: list[str] = []
    for scheme in f.all("cac:PartyTaxScheme"):
        company_id = scheme.text("cbc:CompanyID")
        if company_id is None:
            continue
        tax_ids.append(company_id)
        if scheme.text("cac:TaxScheme/cbc:ID") == "VAT":
            vat_id = vat_id or company_id
        else:
            tax_registration_id = tax_registration_id or company_id
    return Party(
        name=f.text("cac:PartyLegalEntity/cbc:RegistrationName"),
        trading_name=f.text("cac:PartyName/cbc:Name"),
        identifiers=tuple(
            ident for i in f.all("cac:PartyIdentification/cbc:ID") if (ident := _identifier(i))
        ),
        legal_id=_identifier(f.node("cac:PartyLegalEntity/cbc:CompanyID")),
        vat_id=vat_id,
        tax_registration_id=tax_registration_id,
        jp_registration_number=jp_registration_number(*tax_ids),
        electronic_address=_identifier(f.node("cbc:EndpointID")),
        address=_address(f.node("cac:PostalAddress")),
        contact=_contact(f.node("cac:Contact")),
    )


def _period(f: Fields | None) -> Period | None:
    if f is None:
        return None
    return Period(start=f.date("cbc:StartDate"), end=f.date("cbc:EndDate"))


def _allowance_charge(f: Fields) -> AllowanceCharge:
    return AllowanceCharge(
        is_charge=(f.text("cbc:ChargeIndicator") or "").lower() == "true",
        amount=f.decimal("cbc:Amount"),
        base_amount=f.decimal("cbc:BaseAmount"),
        percent=f.decimal("cbc:MultiplierFactorNumeric"),
        tax_category=f.text("cac:TaxCategory/cbc:ID"),
        tax_rate=f.decimal("cac:TaxCategory/cbc:Percent"),
        reason=f.text("cbc:AllowanceChargeReason"),
        reason_code=f.text("cbc:AllowanceChargeReasonCode"),
    )


def _payment_means(f: Fields) -> PaymentMeans:
    accounts = tuple(
        PaymentAccount(
            account_id=a.text("cbc:ID"),
            name=a.text("cbc:Name"),
            bank_id=a.text("cac:FinancialInstitutionBranch/cbc:ID"),
            bank_name=a.text("cac:FinancialInstitutionBranch/cbc:Name")
            or a.text("cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:Name"),
        )
        for a in f.all("cac:PayeeFinancialAccount")
    )
    return PaymentMeans(
        code=f.text("cbc:PaymentMeansCode"),
        text=f.attr("cbc:PaymentMeansCode", "name"),
        payment_id=f.text("cbc:PaymentID"),
        accounts=accounts,
        card_number=f.text("cac:CardAccount/cbc:PrimaryAccountNumberID"),
        mandate_id=f.text("cac:PaymentMandate/cbc:ID"),
        debited_account=f.text("cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"),
    )


def _line(f: Fields) -> InvoiceLine:
    quantity = f.node("cbc:InvoicedQuantity") or f.node("cbc:CreditedQuantity")
    tax = "cac:Item/cac:ClassifiedTaxCategory"
    return InvoiceLine(
        id=f.text("cbc:ID"),
        quantity=quantity.decimal(".") if quantity else None,
        unit=quantity.attr(None, "unitCode") if quantity else None,
        net_amount=f.decimal("cbc:LineExtensionAmount"),
        item_name=f.text("cac:Item/cbc:Name"),
        item_description=f.text("cac:Item/cbc:Description"),
        price=f.decimal("cac:Price/cbc:PriceAmount"),
        price_base_quantity=f.decimal("cac:Price/cbc:BaseQuantity"),
        tax_category=f.text(f"{tax}/cbc:ID"),
        tax_rate=f.decimal(f"{tax}/cbc:Percent"),
        note=f.text("cbc:Note"),
        period=_period(f.node("cac:InvoicePeriod")),
        allowances_charges=tuple(_allowance_charge(a) for a in f.all("cac:AllowanceCharge")),
    )


def _tax_subtotal(f: Fields) -> TaxSubtotal:
    return TaxSubtotal(
        category=f.text("cac:TaxCategory/cbc:ID"),
        rate=f.decimal("cac:TaxCategory/cbc:Percent"),
        taxable_amount=f.decimal("cbc:TaxableAmount"),
        tax_amount=f.decimal("cbc:TaxAmount"),
        exemption_reason=f.text("cac:TaxCategory/cbc:TaxExemptionReason"),
        exemption_reason_code=f.text("cac:TaxCategory/cbc:TaxExemptionReasonCode"),
    )


def _attachment(f: Fields) -> Attachment:
    binary = f.node("cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
    return Attachment(
        id=f.text("cbc:ID"),
        description=f.text("cbc:DocumentDescription"),
        uri=f.text("cac:Attachment/cac:ExternalReference/cbc:URI"),
        filename=binary.attr(None, "filename") if binary else None,
        mime_type=binary.attr(None, "mimeCode") if binary else None,
        size=base64_size(binary.element.text) if binary else None,
    )


def _is_supporting_document(f: Fields) -> bool:
    # DocumentTypeCode 130 makes it BT-18 (invoiced object identifier), not an attachment.
    return f.text("cbc:DocumentTypeCode") != "130"


def _tax_totals(
    root: Fields, currency: str | None, tax_currency: str | None
) -> tuple[tuple[TaxSubtotal, ...], Totals]:
    """BG-23 and BT-110 from the TaxTotal in the document currency, BT-111 from the other."""
    breakdown: tuple[TaxSubtotal, ...] = ()
    tax_total = tax_total_in_tax_currency = None
    found_document_total = False
    for total in root.all("cac:TaxTotal"):
        amount_currency = total.attr("cbc:TaxAmount", "currencyID")
        in_tax_currency = (
            tax_currency is not None
            and tax_currency != currency
            and amount_currency == tax_currency
        )
        if in_tax_currency:
            tax_total_in_tax_currency = total.decimal("cbc:TaxAmount")
        elif not found_document_total:
            found_document_total = True
            tax_total = total.decimal("cbc:TaxAmount")
            breakdown = tuple(_tax_subtotal(s) for s in total.all("cac:TaxSubtotal"))
    monetary = root.node("cac:LegalMonetaryTotal")

    def amount(name: str) -> Decimal | None:
        return monetary.decimal(f"cbc:{name}") if monetary else None

    totals = Totals(
        line_total=amount("LineExtensionAmount"),
        allowance_total=amount("AllowanceTotalAmount"),
        charge_total=amount("ChargeTotalAmount"),
        tax_exclusive=amount("TaxExclusiveAmount"),
        tax_total=tax_total,
        tax_total_in_tax_currency=tax_total_in_tax_currency,
        tax_inclusive=amount("TaxInclusiveAmount"),
        prepaid=amount("PrepaidAmount"),
        rounding=amount("PayableRoundingAmount"),
        payable=amount("PayableAmount"),
    )
    return breakdown, totals


def read_ubl(root: etree._Element) -> Invoice:
    """An ``Invoice`` from a UBL Invoice or CreditNote root; absent fields are ``None``."""
    r = Fields(root, NAMESPACES)
    is_credit_note = isinstance(root.tag, str) and root.tag.startswith(f"{{{UBL_CREDIT_NOTE_NS}}}")
    currency = r.text("cbc:DocumentCurrencyCode")
    tax_currency = r.text("cbc:TaxCurrencyCode")
    breakdown, totals = _tax_totals(r, currency, tax_currency)
    line_path = "cac:CreditNoteLine" if is_credit_note else "cac:InvoiceLine"
    return Invoice(
        kind=DocumentKind.CREDIT_NOTE if is_credit_note else DocumentKind.INVOICE,
        number=r.text("cbc:ID"),
        type_code=r.text("cbc:CreditNoteTypeCode" if is_credit_note else "cbc:InvoiceTypeCode"),
        issue_date=r.date("cbc:IssueDate"),
        # Credit notes have no cbc:DueDate in UBL 2.1; Peppol puts BT-9 under PaymentMeans.
        due_date=r.date("cbc:DueDate") or r.date("cac:PaymentMeans/cbc:PaymentDueDate"),
        tax_point_date=r.date("cbc:TaxPointDate"),
        currency=currency,
        tax_currency=tax_currency,
        customization_id=r.text("cbc:CustomizationID"),
        business_process=r.text("cbc:ProfileID"),
        notes=r.texts("cbc:Note"),
        buyer_reference=r.text("cbc:BuyerReference"),
        order_reference=r.text("cac:OrderReference/cbc:ID"),
        contract_reference=r.text("cac:ContractDocumentReference/cbc:ID"),
        project_reference=r.text("cac:ProjectReference/cbc:ID"),
        seller=_party(r.node("cac:AccountingSupplierParty/cac:Party")),
        buyer=_party(r.node("cac:AccountingCustomerParty/cac:Party")),
        period=_period(r.node("cac:InvoicePeriod")),
        payment_means=tuple(_payment_means(p) for p in r.all("cac:PaymentMeans")),
        payment_terms="\n".join(r.texts("cac:PaymentTerms/cbc:Note")) or None,
        lines=tuple(_line(line) for line in r.all(line_path)),
        allowances_charges=tuple(_allowance_charge(a) for a in r.all("cac:AllowanceCharge")),
        tax_breakdown=breakdown,
        totals=totals,
        preceding_invoices=tuple(
            PrecedingInvoice(number=b.text("cbc:ID"), issue_date=b.date("cbc:IssueDate"))
            for b in r.all("cac:BillingReference/cac:InvoiceDocumentReference")
        ),
        attachments=tuple(
            _attachment(a)
            for a in r.all("cac:AdditionalDocumentReference")
            if _is_supporting_document(a)
        ),
    )
