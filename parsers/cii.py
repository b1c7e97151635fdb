"""Read a UN/CEFACT CII D16B CrossIndustryInvoice (Factur-X, ZUGFeRD) as ``Invoice``."""

from __future__ import annotations

from lxml import etree

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
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}

CREDIT_NOTE_TYPE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "532"})
"""UNCL 1001 codes of credit notes; CII has one root for both, so BT-3 decides."""

_GUIDELINE = "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
_BUSINESS_PROCESS = (
    "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"
)
_TRADE = "rsm:SupplyChainTradeTransaction"
_AGREEMENT = f"{_TRADE}/ram:ApplicableHeaderTradeAgreement"
_SETTLEMENT = f"{_TRADE}/ram:ApplicableHeaderTradeSettlement"


def guideline_id(root: etree._Element) -> str | None:
    """BT-24 (GuidelineSpecifiedDocumentContextParameter), which decides the profile."""
    return Fields(root, NAMESPACES).text(_GUIDELINE)


def _identifier(f: Fields | None) -> Identifier | None:
    if f is None or (value := f.text()) is None:
        return None
    return Identifier(value, f.attr(None, "schemeID"))


def _address(f: Fields | None) -> PostalAddress | None:
    if f is None:
        return None
    return PostalAddress(
        line1=f.text("ram:LineOne"),
        line2=f.text("ram:LineTwo"),
        line3=f.text("ram:LineThree"),
        city=f.text("ram:CityName"),
        postal_zone=f.text("ram:PostcodeCode"),
        subdivision=f.text("ram:CountrySubDivisionName"),
        country_code=f.text("ram:CountryID"),
    )


def _contact(f: Fields | None) -> Contact | None:
    if f is None:
        return None
    return Contact(
        name=f.text("ram:PersonName") or f.text("ram:DepartmentName"),
        telephone=f.text("ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
        email=f.text("ram:EmailURIUniversalCommunication/ram:URIID"),
    )


def _party(f: Fields | None) -> Party:
    if f is None:
        return Party()
    vat_id = tax_registration_id = None
    tax_ids: list[str] = []
    for registration in f.all("ram:SpecifiedTaxRegistration/ram:ID"):
        if (value := registration.text()) is None:
            continue
        tax_ids.append(value)
        if registration.attr(None, "schemeID") == "VA":
            vat_id = vat_id or value
        else:
            tax_registration_id = tax_registration_id or value
    identifiers = [
        ident
        for path in ("ram:ID", "ram:GlobalID")
        for i in f.all(path)
        if (ident := _identifier(i))
    ]
    return Party(
        name=f.text("ram:Name"),
        trading_name=f.text("ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        identifiers=tuple(identifiers),
        legal_id=_identifier(f.node("ram:SpecifiedLegalOrganization/ram:ID")),
        vat_id=vat_id,
        tax_registration_id=tax_registration_id,
        jp_registration_number=jp_registration_number(*tax_ids),
        electronic_address=_identifier(f.node("ram:URIUniversalCommunication/ram:URIID")),
        address=_address(f.node("ram:PostalTradeAddress")),
        contact=_contact(f.node("ram:DefinedTradeContact")),
    )


def _period(f: Fields | None) -> Period | None:
    if f is None:
        return None
    return Period(
        start=f.date("ram:StartDateTime/udt:DateTimeString"),
        end=f.date("ram:EndDateTime/udt:DateTimeString"),
    )


def _allowance_charge(f: Fields) -> AllowanceCharge:
    return AllowanceCharge(
        is_charge=(f.text("ram:ChargeIndicator/udt:Indicator") or "").lower() == "true",
        amount=f.decimal("ram:ActualAmount"),
        base_amount=f.decimal("ram:BasisAmount"),
        percent=f.decimal("ram:CalculationPercent"),
        tax_category=f.text("ram:CategoryTradeTax/ram:CategoryCode"),
        tax_rate=f.decimal("ram:CategoryTradeTax/ram:RateApplicablePercent"),
        reason=f.text("ram:Reason"),
        reason_code=f.text("ram:ReasonCode"),
    )


def _payment_means(f: Fields, payment_id: str | None, mandate_id: str | None) -> PaymentMeans:
    accounts = tuple(
        PaymentAccount(
            account_id=a.text("ram:IBANID") or a.text("ram:ProprietaryID"),
            name=a.text("ram:AccountName"),
            bank_id=f.text("ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
            bank_name=f.text("ram:PayeeSpecifiedCreditorFinancialInstitution/ram:Name"),
        )
        for a in f.all("ram:PayeePartyCreditorFinancialAccount")
    )
    return PaymentMeans(
        code=f.text("ram:TypeCode"),
        text=f.text("ram:Information"),
        payment_id=payment_id,
        accounts=accounts,
        card_number=f.text("ram:ApplicableTradeSettlementFinancialCard/ram:ID"),
        mandate_id=mandate_id,
        debited_account=f.text("ram:PayerPartyDebtorFinancialAccount/ram:IBANID"),
    )


def _line(f: Fields) -> InvoiceLine:
    quantity = f.node("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    price = "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice"
    settlement = "ram:SpecifiedLineTradeSettlement"
    return InvoiceLine(
        id=f.text("ram:AssociatedDocumentLineDocument/ram:LineID"),
        quantity=quantity.decimal(".") if quantity else None,
        unit=quantity.attr(None, "unitCode") if quantity else None,
        net_amount=f.decimal(
            f"{settlement}/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
        ),
        item_name=f.text("ram:SpecifiedTradeProduct/ram:Name"),
        item_description=f.text("ram:SpecifiedTradeProduct/ram:Description"),
        price=f.decimal(f"{price}/ram:ChargeAmount"),
        price_base_quantity=f.decimal(f"{price}/ram:BasisQuantity"),
        tax_category=f.text(f"{settlement}/ram:ApplicableTradeTax/ram:CategoryCode"),
        tax_rate=f.decimal(f"{settlement}/ram:ApplicableTradeTax/ram:RateApplicablePercent"),
        note=f.text("ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content"),
        period=_period(f.node(f"{settlement}/ram:BillingSpecifiedPeriod")),
        allowances_charges=tuple(
            _allowance_charge(a) for a in f.all(f"{settlement}/ram:SpecifiedTradeAllowanceCharge")
        ),
    )


def _tax_subtotal(f: Fields) -> TaxSubtotal:
    return TaxSubtotal(
        category=f.text("ram:CategoryCode"),
        rate=f.decimal("ram:RateApplicablePercent"),
        taxable_amount=f.decimal("ram:BasisAmount"),
        tax_amount=f.decimal("ram:CalculatedAmount"),
        exemption_reason=f.text("ram:ExemptionReason"),
        exemption_reason_code=f.text("ram:ExemptionReasonCode"),
    )


def _totals(f: Fields | None, currency: str | None, tax_currency: str | None) -> Totals:
    if f is None:
        return Totals()
    tax_total = tax_total_in_tax_currency = None
    for amount in f.all("ram:TaxTotalAmount"):
        amount_currency = amount.attr(None, "currencyID")
        if tax_currency and tax_currency != currency and amount_currency == tax_currency:
            tax_total_in_tax_currency = amount.decimal(".")
        elif tax_total is None:
            tax_total = amount.decimal(".")
    return Totals(
        line_total=f.decimal("ram:LineTotalAmount"),
        allowance_total=f.decimal("ram:AllowanceTotalAmount"),
        charge_total=f.decimal("ram:ChargeTotalAmount"),
        tax_exclusive=f.decimal("ram:TaxBasisTotalAmount"),
        tax_total=tax_total,
        tax_total_in_tax_currency=tax_total_in_tax_currency,
        tax_inclusive=f.decimal("ram:GrandTotalAmount"),
        prepaid=f.decimal("ram:TotalPrepaidAmount"),
        rounding=f.decimal("ram:RoundingAmount"),
        payable=f.decimal("ram:DuePayableAmount"),
    )


def _attachment(f: Fields) -> Attachment:
    binary = f.node("ram:AttachmentBinaryObject")
    return Attachment(
        id=f.text("ram:IssuerAssignedID"),
        description=f.text("ram:Name"),
        uri=f.text("ram:URIID"),
        filename=binary.attr(None, "filename") if binary else None,
        mime_type=binary.attr(None, "mimeCode") if binary else None,
        size=base64_size(binary.element.text) if binary else None,
    )


def _group(root: Fields, path: str) -> Fields:
    """The group at ``path``, or an empty one so that lookups inside it find nothing."""
    return root.node(path) or Fields(etree.Element("absent"), NAMESPACES)


def read_cii(root: etree._Element) -> Invoice:
    """An ``Invoice`` from a CrossIndustryInvoice root; absent fields are ``None``."""
    r = Fields(root, NAMESPACES)
    agreement = _group(r, _AGREEMENT)
    settlement = _group(r, _SETTLEMENT)
    type_code = r.text("rsm:ExchangedDocument/ram:TypeCode")
    currency = settlement.text("ram:InvoiceCurrencyCode")
    tax_currency = settlement.text("ram:TaxCurrencyCode")
    terms = tuple(settlement.all("ram:SpecifiedTradePaymentTerms"))
    payment_id = settlement.text("ram:PaymentReference")
    mandate_id = next((m for t in terms if (m := t.text("ram:DirectDebitMandateID"))), None)
    is_credit_note = type_code in CREDIT_NOTE_TYPE_CODES
    return Invoice(
        kind=DocumentKind.CREDIT_NOTE if is_credit_note else DocumentKind.INVOICE,
        number=r.text("rsm:ExchangedDocument/ram:ID"),
        type_code=type_code,
        issue_date=r.date("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"),
        due_date=next(
            (d for t in terms if (d := t.date("ram:DueDateDateTime/udt:DateTimeString"))), None
        ),
        tax_point_date=settlement.date("ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString"),
        currency=currency,
        tax_currency=tax_currency,
        customization_id=r.text(_GUIDELINE),
        business_process=r.text(_BUSINESS_PROCESS),
        notes=r.texts("rsm:ExchangedDocument/ram:IncludedNote/ram:Content"),
        buyer_reference=agreement.text("ram:BuyerReference"),
        order_reference=agreement.text("ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        contract_reference=agreement.text("ram:ContractReferencedDocument/ram:IssuerAssignedID"),
        project_reference=agreement.text("ram:SpecifiedProcuringProject/ram:ID"),
        seller=_party(agreement.node("ram:SellerTradeParty")),
        buyer=_party(agreement.node("ram:BuyerTradeParty")),
        period=_period(settlement.node("ram:BillingSpecifiedPeriod")),
        payment_means=tuple(
            _payment_means(p, payment_id, mandate_id)
            for p in settlement.all("ram:SpecifiedTradeSettlementPaymentMeans")
        ),
        payment_terms="\n".join(x for t in terms if (x := t.text("ram:Description"))) or None,
        lines=tuple(
            _line(item) for item in r.all(f"{_TRADE}/ram:IncludedSupplyChainTradeLineItem")
        ),
        allowances_charges=tuple(
            _allowance_charge(c) for c in settlement.all("ram:SpecifiedTradeAllowanceCharge")
        ),
        tax_breakdown=tuple(_tax_subtotal(t) for t in settlement.all("ram:ApplicableTradeTax")),
        totals=_totals(
            settlement.node("ram:SpecifiedTradeSettlementHeaderMonetarySummation"),
            currency,
            tax_currency,
        ),
        preceding_invoices=tuple(
            PrecedingInvoice(
                number=p.text("ram:IssuerAssignedID"),
                issue_date=p.date("ram:FormattedIssueDateTime/qdt:DateTimeString"),
            )
            for p in settlement.all("ram:InvoiceReferencedDocument")
        ),
        attachments=tuple(
            _attachment(d)
            for d in agreement.all("ram:AdditionalReferencedDocument")
            # TypeCode 130 makes it BT-18 (invoiced object identifier), not an attachment.
            if d.text("ram:TypeCode") != "130"
        ),
    )
