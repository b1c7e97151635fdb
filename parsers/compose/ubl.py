"""A draft written as JP PINT 1.1.3 UBL 2.1: an invoice (380) or a credit note (381).

Elements are written in the order the UBL 2.1 schema requires. A seller with a registration
number gets the billing specification (``urn:peppol:pint:billing-1@jp-1``); one without gets
the variant for non-registered businesses (``urn:peppol:pint:nontaxinvoice-1@jp-1``, type code
480 for an invoice), which states no tax of its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree
from lxml.builder import ElementMaker

from parsers.compose.amounts import Amounts, RateTotal, amounts
from parsers.compose.draft import Address, Draft, DraftLine, Endpoint, Seller, TaxRate

__all__ = ["BILLING", "NON_REGISTERED", "compose"]

BILLING = "urn:peppol:pint:billing-1@jp-1"
NON_REGISTERED = "urn:peppol:pint:nontaxinvoice-1@jp-1"
_PROFILE = "urn:peppol:bis:billing"
_UBL = "urn:oasis:names:specification:ubl:schema:xsd:{}-2"
_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
cac = ElementMaker(namespace=_CAC, nsmap={"cac": _CAC, "cbc": _CBC})
cbc = ElementMaker(namespace=_CBC, nsmap={"cac": _CAC, "cbc": _CBC})
_YEN = {"currencyID": "JPY"}
Children = list[etree._Element]


def _text(value: Decimal) -> str:
    """A decimal as XML text: no exponent, no trailing zeros after the point."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _yen(name: str, value: Decimal) -> etree._Element:
    return cbc(name, _text(value), _YEN)


def _date(name: str, value: dt.date | None) -> Children:
    return [cbc(name, value.isoformat())] if value else []


def _optional(maker: ElementMaker, name: str, value: str | None) -> Children:
    return [maker(name, value)] if value else []


def _endpoint(endpoint: Endpoint) -> etree._Element:
    return cbc.EndpointID(endpoint.value, schemeID=endpoint.scheme)


def _address(address: Address) -> etree._Element:
    return cac.PostalAddress(
        *_optional(cbc, "StreetName", address.street),
        *_optional(cbc, "AdditionalStreetName", address.building),
        *_optional(cbc, "CityName", address.city),
        *_optional(cbc, "PostalZone", address.postal_zone),
        *_optional(cbc, "CountrySubentity", address.prefecture),
        cac.Country(cbc.IdentificationCode("JP")),
    )


def _vat_scheme() -> etree._Element:
    return cac.TaxScheme(cbc.ID("VAT"))


def _contact(seller: Seller) -> Children:
    fields = [
        *_optional(cbc, "Name", seller.contact_name),
        *_optional(cbc, "Telephone", seller.telephone),
        *_optional(cbc, "ElectronicMail", seller.email),
    ]
    return [cac.Contact(*fields)] if fields else []


def _seller(seller: Seller) -> etree._Element:
    registration = (
        [cac.PartyTaxScheme(cbc.CompanyID(seller.registration_number), _vat_scheme())]
        if seller.registration_number
        else []
    )
    # Without a registration number, the electronic address identifies the seller (ibr-co-26).
    identification = (
        []
        if seller.registration_number
        else [
            cac.PartyIdentification(cbc.ID(seller.endpoint.value, schemeID=seller.endpoint.scheme))
        ]
    )
    return cac.AccountingSupplierParty(
        cac.Party(
            _endpoint(seller.endpoint),
            *identification,
            cac.PartyName(cbc.Name(seller.name)),
            _address(seller.address),
            *registration,
            cac.PartyLegalEntity(cbc.RegistrationName(seller.name)),
            *_contact(seller),
        )
    )


def _buyer(draft: Draft) -> etree._Element:
    buyer = draft.buyer
    return cac.AccountingCustomerParty(
        cac.Party(
            _endpoint(buyer.endpoint),
            cac.PartyName(cbc.Name(buyer.name)),
            _address(buyer.address),
            cac.PartyLegalEntity(cbc.RegistrationName(buyer.name)),
        )
    )


def _category(element: str, tax: TaxRate) -> etree._Element:
    percent = [cbc.Percent(_text(tax.percent))] if tax.percent is not None else []
    return cac(element, cbc.ID(tax.category), *percent, _vat_scheme())


def _payment(draft: Draft) -> Children:
    account = draft.seller.bank_account
    due = _date("PaymentDueDate", draft.due_date) if draft.credit_note else []
    if account is None and not due:
        return []
    financial = (
        [
            cac.PayeeFinancialAccount(
                cbc.ID(
                    f"{account.bank_code}:{account.branch_code}:"
                    f"{account.account_type}:{account.account_number}"
                ),
                cbc.Name(account.holder),
            )
        ]
        if account
        else []
    )
    return [cac.PaymentMeans(cbc.PaymentMeansCode("30"), *due, *financial)]


def _period(draft: Draft) -> Children:
    """BG-14, which JP PINT requires: the period stated, else the day of delivery."""
    start = draft.period_start or draft.delivery_date
    end = draft.period_end or (draft.delivery_date if draft.period_start is None else None)
    if start is None and end is None:
        return []  # the validator names the missing period at its field
    return [cac.InvoicePeriod(*_date("StartDate", start), *_date("EndDate", end))]


def _delivery(draft: Draft) -> Children:
    if draft.delivery_date is None:
        return []
    return [cac.Delivery(cbc.ActualDeliveryDate(draft.delivery_date.isoformat()))]


def _references(draft: Draft) -> Children:
    order = _optional(cbc, "ID", draft.buyer.purchase_order)
    preceding = draft.preceding
    billing = (
        [
            cac.BillingReference(
                cac.InvoiceDocumentReference(
                    cbc.ID(preceding.number), *_date("IssueDate", preceding.issue_date)
                )
            )
        ]
        if preceding
        else []
    )
    return [*([cac.OrderReference(*order)] if order else []), *billing]


def _subtotal(row: RateTotal) -> etree._Element:
    return cac.TaxSubtotal(
        _yen("TaxableAmount", row.taxable),
        _yen("TaxAmount", row.tax_amount),
        _category("TaxCategory", row.tax),
    )


def _totals(figures: Amounts) -> Children:
    return [
        cac.TaxTotal(_yen("TaxAmount", figures.tax_total), *(_subtotal(r) for r in figures.rates)),
        cac.LegalMonetaryTotal(
            _yen("LineExtensionAmount", figures.line_total),
            _yen("TaxExclusiveAmount", figures.line_total),
            _yen("TaxInclusiveAmount", figures.payable),
            _yen("PayableAmount", figures.payable),
        ),
    ]


def _line(draft: Draft, index: int, line: DraftLine, amount: Decimal) -> etree._Element:
    kind = "CreditNote" if draft.credit_note else "Invoice"
    quantity = "CreditedQuantity" if draft.credit_note else "InvoicedQuantity"
    allowances = [
        cac.AllowanceCharge(
            cbc.ChargeIndicator("false"),
            cbc.AllowanceChargeReason(a.reason),
            _yen("Amount", a.amount),
        )
        for a in line.allowances
    ]
    return cac(
        f"{kind}Line",
        cbc.ID(str(index)),
        cbc(quantity, _text(line.quantity), unitCode=line.unit_code),
        _yen("LineExtensionAmount", amount),
        *allowances,
        cac.Item(cbc.Name(line.description), _category("ClassifiedTaxCategory", line.tax)),
        cac.Price(_yen("PriceAmount", line.unit_price)),
    )


def _type_code(draft: Draft) -> str:
    if draft.credit_note:
        return "381"
    return "380" if draft.seller.registration_number else "480"


def compose(draft: Draft) -> bytes:
    """The draft as JP PINT UBL 2.1 XML (UTF-8, with an XML declaration)."""
    kind = "CreditNote" if draft.credit_note else "Invoice"
    figures = amounts(draft)
    specification = BILLING if draft.seller.registration_number else NON_REGISTERED
    root = etree.Element(
        f"{{{_UBL.format(kind)}}}{kind}", nsmap={None: _UBL.format(kind), "cac": _CAC, "cbc": _CBC}
    )
    root.extend(
        [
            cbc.CustomizationID(specification),
            cbc.ProfileID(_PROFILE),
            cbc.ID(draft.number),
            cbc.IssueDate(draft.issue_date.isoformat()),
            *([] if draft.credit_note else _date("DueDate", draft.due_date)),
            cbc(f"{kind}TypeCode", _type_code(draft)),
            *_optional(cbc, "Note", draft.note),
            cbc.DocumentCurrencyCode("JPY"),
            cbc.BuyerReference(draft.buyer.department_reference),
            *_period(draft),
            *_references(draft),
            _seller(draft.seller),
            _buyer(draft),
            *_delivery(draft),
            *_payment(draft),
            *([cac.PaymentTerms(cbc.Note(draft.payment_terms))] if draft.payment_terms else []),
            *_totals(figures),
            *(
                _line(draft, index, line, amount)
                for index, (line, amount) in enumerate(
                    zip(draft.lines, figures.lines, strict=True), start=1
                )
            ),
        ]
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
