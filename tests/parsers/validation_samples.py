"""Hand-written tiny invoices for the validation tests, built from parameters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from parsers import registration

UBL = (
    'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"'
)
JP_PINT_ID = "urn:peppol:pint:billing-1@jp-1"
PEPPOL_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


def valid_registration_number(base12: str = "234567890123") -> str:
    """A registration number whose check digit is right."""
    return f"T{registration.check_digit(base12)}{base12}"


@dataclass(frozen=True)
class Line:
    amount: str
    category: str = "S"
    percent: str | None = "10"


def _category(tag: str, category: str, percent: str | None) -> str:
    rate = f"<cbc:Percent>{percent}</cbc:Percent>" if percent is not None else ""
    return (
        f"<cac:{tag}><cbc:ID>{category}</cbc:ID>{rate}"
        f"<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:{tag}>"
    )


_ADDRESS = (
    "<cac:PostalAddress><cac:Country><cbc:IdentificationCode>JP</cbc:IdentificationCode>"
    "</cac:Country></cac:PostalAddress>"
)


def ubl_invoice(
    *,
    lines: tuple[Line, ...] = (Line("3000"), Line("1000", "AA", "8")),
    taxes: dict[tuple[str, str | None], str] | None = None,
    customization: str = JP_PINT_ID,
    currency: str = "JPY",
    seller_tax_id: str | None = None,
    order: str = "normal",
    addresses: bool | None = None,
    profile_id: str = "urn:peppol:bis:billing",
    type_code: str = "380",
) -> bytes:
    """A small UBL invoice; ``taxes`` maps (category, rate) to a stated tax amount.

    ``addresses`` adds the parties' electronic and postal addresses, which PINT requires
    (``ibr-080``, ``ibr-081``, ``ibr-008``, ``ibr-010``); by default only JP PINT documents
    have them.
    """
    if addresses is None:
        addresses = "@jp-1" in customization
    seller_address = (
        f'<cbc:EndpointID schemeID="0188">1234567890123</cbc:EndpointID>{_ADDRESS}'
        if addresses
        else ""
    )
    buyer_address = (
        f'<cbc:EndpointID schemeID="0188">1000012345678</cbc:EndpointID>{_ADDRESS}'
        if addresses
        else ""
    )
    seller_tax_id = seller_tax_id or valid_registration_number()
    groups: dict[tuple[str, str | None], Decimal] = {}
    for line in lines:
        key = (line.category, line.percent)
        groups[key] = groups.get(key, Decimal(0)) + Decimal(line.amount)
    if taxes is None:
        taxes = {key: str(int(base * Decimal(key[1] or 0) / 100)) for key, base in groups.items()}
    subtotals = "".join(
        f'<cac:TaxSubtotal><cbc:TaxableAmount currencyID="{currency}">{base}</cbc:TaxableAmount>'
        f'<cbc:TaxAmount currencyID="{currency}">{taxes[key]}</cbc:TaxAmount>'
        f"{_category('TaxCategory', key[0], key[1])}</cac:TaxSubtotal>"
        for key, base in groups.items()
    )
    net = sum((Decimal(line.amount) for line in lines), Decimal(0))
    tax = sum((Decimal(t) for t in taxes.values()), Decimal(0))
    invoice_lines = "".join(
        f'<cac:InvoiceLine><cbc:ID>{n}</cbc:ID><cbc:InvoicedQuantity unitCode="EA">1'
        f'</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="{currency}">{line.amount}'
        f"</cbc:LineExtensionAmount><cac:Item><cbc:Name>Item {n}</cbc:Name>"
        f"{_category('ClassifiedTaxCategory', line.category, line.percent)}</cac:Item>"
        f'<cac:Price><cbc:PriceAmount currencyID="{currency}">{line.amount}</cbc:PriceAmount>'
        f"</cac:Price></cac:InvoiceLine>"
        for n, line in enumerate(lines, start=1)
    )
    period = (
        "<cac:InvoicePeriod><cbc:StartDate>2024-03-01</cbc:StartDate>"
        "<cbc:EndDate>2024-03-31</cbc:EndDate></cac:InvoicePeriod>"
    )
    currency_el = f"<cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>"
    head = (
        f"<cbc:CustomizationID>{customization}</cbc:CustomizationID>"
        f"<cbc:ProfileID>{profile_id}</cbc:ProfileID>"
        "<cbc:ID>INV-1</cbc:ID><cbc:IssueDate>2024-04-01</cbc:IssueDate>"
        f"<cbc:InvoiceTypeCode>{type_code}</cbc:InvoiceTypeCode>"
    )
    if order == "currency-last":  # schema-invalid element order
        head += period + currency_el
    else:
        head += currency_el + period
    return (
        f"<Invoice {UBL}>{head}"
        f"<cac:AccountingSupplierParty><cac:Party>{seller_address}<cac:PartyTaxScheme>"
        f"<cbc:CompanyID>{seller_tax_id}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID>"
        "</cac:TaxScheme></cac:PartyTaxScheme><cac:PartyLegalEntity><cbc:RegistrationName>"
        "売手株式会社</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>"
        "</cac:AccountingSupplierParty><cac:AccountingCustomerParty><cac:Party>"
        f"{buyer_address}<cac:PartyLegalEntity><cbc:RegistrationName>市役所</cbc:RegistrationName>"
        "</cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>"
        f'<cac:TaxTotal><cbc:TaxAmount currencyID="{currency}">{tax}</cbc:TaxAmount>'
        f"{subtotals}</cac:TaxTotal><cac:LegalMonetaryTotal>"
        f'<cbc:LineExtensionAmount currencyID="{currency}">{net}</cbc:LineExtensionAmount>'
        f'<cbc:TaxExclusiveAmount currencyID="{currency}">{net}</cbc:TaxExclusiveAmount>'
        f'<cbc:TaxInclusiveAmount currencyID="{currency}">{net + tax}</cbc:TaxInclusiveAmount>'
        f'<cbc:PayableAmount currencyID="{currency}">{net + tax}</cbc:PayableAmount>'
        f"</cac:LegalMonetaryTotal>{invoice_lines}</Invoice>"
    ).encode()


def cii_invoice(*, currency: str = "JPY", amount: str = "1000", tax: str = "100") -> bytes:
    """A tiny CII invoice carrying only what the Japan checks read."""
    return (
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        'CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:'
        'ReusableAggregateBusinessInformationEntity:100">'
        "<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeAgreement>"
        "<ram:SellerTradeParty><ram:SpecifiedTaxRegistration>"
        '<ram:ID schemeID="VA">T1234567890123</ram:ID></ram:SpecifiedTaxRegistration>'
        "</ram:SellerTradeParty></ram:ApplicableHeaderTradeAgreement>"
        "<ram:ApplicableHeaderTradeSettlement>"
        f"<ram:InvoiceCurrencyCode>{currency}</ram:InvoiceCurrencyCode>"
        f"<ram:ApplicableTradeTax><ram:CalculatedAmount>{tax}</ram:CalculatedAmount>"
        "<ram:TypeCode>VAT</ram:TypeCode>"
        f"<ram:BasisAmount>{amount}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>"
        "<ram:RateApplicablePercent>10</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        f"<ram:LineTotalAmount>{amount}</ram:LineTotalAmount>"
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"
        "</rsm:CrossIndustryInvoice>"
    ).encode()


def parse(data: bytes) -> etree._Element:
    """A hardened parse, as ``parsers.safexml`` would do it."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.fromstring(data, parser)
