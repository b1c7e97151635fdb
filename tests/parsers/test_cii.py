"""CII D16B CrossIndustryInvoice → canonical Invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from parsers.cii import read_cii
from parsers.model import DocumentKind, Identifier, Invoice
from parsers.safexml import parse_xml


def read(data: bytes) -> Invoice:
    root = parse_xml(data).root
    assert root is not None
    return read_cii(root)


def test_header(cii_xml: bytes) -> None:
    invoice = read(cii_xml)
    assert invoice.kind is DocumentKind.INVOICE
    assert (invoice.number, invoice.type_code) == ("FX-2026-42", "380")
    assert invoice.issue_date == dt.date(2026, 11, 26)
    assert invoice.due_date == dt.date(2026, 12, 26)
    assert invoice.currency == "EUR"
    assert invoice.customization_id == "urn:cen.eu:en16931:2017"
    assert invoice.business_process == "A1"
    assert invoice.buyer_reference == "SERV-7"
    assert (invoice.order_reference, invoice.contract_reference) == ("PO-5", "C-1")
    assert invoice.payment_terms == "30 jours net"
    assert invoice.period is not None
    assert invoice.period.end == dt.date(2026, 11, 30)
    (preceding,) = invoice.preceding_invoices
    assert (preceding.number, preceding.issue_date) == ("FX-2026-41", dt.date(2026, 10, 1))


def test_seller(cii_xml: bytes) -> None:
    seller = read(cii_xml).seller
    assert seller.name == "Conseil SARL"
    assert seller.trading_name == "Conseil"
    assert seller.legal_id == Identifier("123456789", "0002")
    assert seller.vat_id == "FR32123456789"
    assert seller.electronic_address == Identifier("billing@conseil.example", "EM")
    assert seller.address is not None
    assert (seller.address.city, seller.address.postal_zone) == ("Paris", "75001")


def test_payment(cii_xml: bytes) -> None:
    (means,) = read(cii_xml).payment_means
    assert (means.code, means.payment_id) == ("58", "FX-2026-42")
    (account,) = means.accounts
    assert account.account_id == "FR7630006000011234567890189"
    assert (account.name, account.bank_id) == ("Conseil SARL", "AGRIFRPP")


def test_amounts(cii_xml: bytes) -> None:
    invoice = read(cii_xml)
    totals = invoice.totals
    assert totals.line_total == Decimal("300.00")
    assert totals.allowance_total == Decimal("10.00")
    assert totals.tax_exclusive == Decimal("290.00")
    assert totals.tax_total == Decimal("58.00")
    assert totals.tax_inclusive == Decimal("348.00")
    assert totals.prepaid == Decimal("48.00")
    assert totals.payable == Decimal("300.00")
    (subtotal,) = invoice.tax_breakdown
    assert (subtotal.category, subtotal.rate, subtotal.taxable_amount, subtotal.tax_amount) == (
        "S",
        Decimal("20"),
        Decimal("290.00"),
        Decimal("58.00"),
    )
    (allowance,) = invoice.allowances
    assert (allowance.amount, allowance.reason) == (Decimal("10.00"), "Remise")
    (line,) = invoice.lines
    assert (line.id, line.quantity, line.unit, line.net_amount) == (
        "1",
        Decimal("2"),
        "HUR",
        Decimal("300.00"),
    )
    assert (line.item_name, line.price, line.tax_rate) == (
        "Consulting",
        Decimal("150.00"),
        Decimal("20"),
    )


def test_credit_note_by_type_code(cii_xml: bytes) -> None:
    data = cii_xml.replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>381</ram:TypeCode>")
    assert read(data).kind is DocumentKind.CREDIT_NOTE


def test_jp_registration_number_from_tax_registration(cii_xml: bytes) -> None:
    data = cii_xml.replace(b"FR32123456789", "Ｔ7123-4567-89012".encode())
    assert read(data).seller.jp_registration_number == "T7123456789012"


def test_missing_groups_read_as_none() -> None:
    root = etree.Element(
        "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
    )
    invoice = read_cii(root)
    assert invoice.number is None
    assert invoice.currency is None
    assert invoice.totals.payable is None
    assert invoice.payment_means == ()


def test_bad_numbers_and_dates(cii_xml: bytes) -> None:
    data = cii_xml.replace(b"<ram:DuePayableAmount>300.00", b"<ram:DuePayableAmount>abc").replace(
        b">20261126<", b">2026-13-45<"
    )
    invoice = read(data)
    assert invoice.totals.payable is None
    assert invoice.issue_date is None
