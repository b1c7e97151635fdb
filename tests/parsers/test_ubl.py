"""UBL Invoice / CreditNote → canonical Invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from parsers.model import DocumentKind, Identifier, Invoice
from parsers.safexml import parse_xml
from parsers.ubl import read_ubl


def read(data: bytes) -> Invoice:
    root = parse_xml(data).root
    assert root is not None
    return read_ubl(root)


def test_jp_pint_header(jp_pint_xml: bytes) -> None:
    invoice = read(jp_pint_xml)
    assert invoice.kind is DocumentKind.INVOICE
    assert invoice.number == "JRY-2026-0001"
    assert invoice.type_code == "380"
    assert invoice.issue_date == dt.date(2026, 11, 26)
    assert invoice.due_date == dt.date(2026, 12, 20)
    assert invoice.currency == "JPY"
    assert invoice.customization_id == "urn:peppol:pint:billing-1@jp-1"
    assert invoice.buyer_reference == "KAIKEI-01"
    assert invoice.order_reference == "PO-778"
    assert invoice.contract_reference == "KEIYAKU-12"
    assert invoice.notes == ("11月分 事務用品",)
    assert invoice.period is not None
    assert (invoice.period.start, invoice.period.end) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
    )
    assert invoice.payment_terms == "月末締め翌月20日払い"
    assert invoice.guessed is False


def test_jp_pint_parties(jp_pint_xml: bytes) -> None:
    seller = read(jp_pint_xml).seller
    assert seller.name == "株式会社ジュウリョウ文具"
    assert seller.trading_name == "ジュウリョウ文具"
    assert seller.vat_id == "T7123456789012"
    assert seller.jp_registration_number == "T7123456789012"
    assert seller.legal_id == Identifier("7123456789012", "0188")
    assert seller.electronic_address == Identifier("7123456789012", "0188")
    assert seller.address is not None
    assert seller.address.subdivision == "東京都"
    assert seller.address.country_code == "JP"
    buyer = read(jp_pint_xml).buyer
    assert buyer.name == "さくら市"
    assert buyer.jp_registration_number is None


def test_jp_pint_payment(jp_pint_xml: bytes) -> None:
    (means,) = read(jp_pint_xml).payment_means
    assert means.code == "30"
    assert means.payment_id == "JRY-2026-0001"
    (account,) = means.accounts
    assert account.account_id == "1234567"
    assert account.name == "ｼﾞﾕｳﾘﾖｳﾌﾞﾝｸﾞ"
    assert account.bank_id == "0001-100"
    assert account.bank_name == "本店営業部"


def test_jp_pint_amounts_are_decimals(jp_pint_xml: bytes) -> None:
    invoice = read(jp_pint_xml)
    totals = invoice.totals
    assert totals.line_total == Decimal("13750")
    assert totals.charge_total == Decimal("1000")
    assert totals.tax_exclusive == Decimal("14750")
    assert totals.tax_total == Decimal("1400")
    assert totals.tax_inclusive == Decimal("16150")
    assert totals.payable == Decimal("16150")
    assert totals.prepaid is None
    rates = {(t.category, t.rate): (t.taxable_amount, t.tax_amount) for t in invoice.tax_breakdown}
    assert rates == {
        ("S", Decimal("10")): (Decimal("11000"), Decimal("1100")),
        ("AA", Decimal("8")): (Decimal("3750"), Decimal("300")),
    }
    (charge,) = invoice.charges
    assert (charge.amount, charge.reason, charge.tax_rate) == (
        Decimal("1000"),
        "送料",
        Decimal("10"),
    )
    assert invoice.allowances == ()


def test_jp_pint_lines_and_attachments(jp_pint_xml: bytes) -> None:
    invoice = read(jp_pint_xml)
    first, second = invoice.lines
    assert (first.id, first.quantity, first.unit) == ("1", Decimal("10"), "H87")
    assert (first.net_amount, first.price, first.item_name) == (
        Decimal("10000"),
        Decimal("1000"),
        "ボールペン（10本入）",
    )
    assert (second.tax_category, second.tax_rate) == ("AA", Decimal("8"))
    (attachment,) = invoice.attachments
    assert (attachment.filename, attachment.mime_type, attachment.size) == (
        "nouhin.csv",
        "text/csv",
        5,
    )


def test_credit_note(credit_note_xml: bytes) -> None:
    invoice = read(credit_note_xml)
    assert invoice.kind is DocumentKind.CREDIT_NOTE
    assert invoice.type_code == "381"
    assert invoice.due_date == dt.date(2026, 12, 31)
    assert invoice.tax_currency == "JPY"
    assert invoice.totals.tax_total == Decimal("19.00")
    assert invoice.totals.tax_total_in_tax_currency == Decimal("3100")
    assert len(invoice.tax_breakdown) == 1
    (line,) = invoice.lines
    assert (line.quantity, line.unit) == (Decimal("2"), "C62")
    (preceding,) = invoice.preceding_invoices
    assert (preceding.number, preceding.issue_date) == ("INV-8", dt.date(2026, 10, 1))


def test_invoice_is_frozen_and_hashable(jp_pint_xml: bytes) -> None:
    invoice = read(jp_pint_xml)
    assert hash(invoice) == hash(read(jp_pint_xml))
    assert isinstance(invoice.lines, tuple)


def test_tolerates_garbage_values() -> None:
    data = b"""<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
      xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
      xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
      <cbc:ID>  </cbc:ID><cbc:IssueDate>2026-02-30</cbc:IssueDate>
      <cac:LegalMonetaryTotal><cbc:PayableAmount>12,5</cbc:PayableAmount>
        <cbc:LineExtensionAmount>NaN</cbc:LineExtensionAmount>
        <cbc:TaxExclusiveAmount>1e999999</cbc:TaxExclusiveAmount></cac:LegalMonetaryTotal>
      <cac:InvoiceLine><cbc:InvoicedQuantity>x</cbc:InvoicedQuantity></cac:InvoiceLine>
    </Invoice>"""
    invoice = read(data)
    assert invoice.number is None
    assert invoice.issue_date is None
    assert invoice.totals.payable is None
    assert invoice.totals.line_total is None
    assert invoice.lines[0].quantity is None


def test_empty_root() -> None:
    root = etree.Element("{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice")
    invoice = read_ubl(root)
    assert invoice.number is None
    assert invoice.seller.name is None
    assert invoice.lines == ()
