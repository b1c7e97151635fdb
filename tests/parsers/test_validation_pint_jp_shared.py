# ruff: noqa: E501  (tables of XML fragments read better one per line)
"""JP PINT shared rules (ibr-*, ibr-sr-*): hand-written invoices that make them fire or not."""

from __future__ import annotations

import re

import pytest

from parsers.profiles import Profile
from parsers.validation import pint_jp_identifiers as ids
from parsers.validation.pint_jp import RULE_SETS, validate_pint_jp
from tests.parsers.validation_samples import parse, ubl_invoice


def _ids(data: bytes) -> set[str]:
    return {f.rule_id for f in validate_pint_jp(parse(data), Profile.JP_PINT)}


def _swap(old: str, new: str, data: bytes | None = None) -> bytes:
    data = data if data is not None else ubl_invoice()
    assert old.encode() in data, old
    return data.replace(old.encode(), new.encode(), 1)


_PERIOD = "<cbc:StartDate>2024-03-01</cbc:StartDate><cbc:EndDate>2024-03-31</cbc:EndDate>"
_ITEM_NAME = "<cbc:Name>Item 1</cbc:Name>"
_LINE_QTY = '<cbc:InvoicedQuantity unitCode="EA">1</cbc:InvoicedQuantity>'


def test_every_rule_set_has_the_whole_official_count() -> None:
    """170 shared assertions (152 + 18 code lists) and the JP-aligned ones per variant.

    The official aligned files hold 43 (billing), 42 (self-billing) and 41 (non-tax-registered)
    assertions; two of each never fire there (see :mod:`parsers.validation.pint_jp`).
    """
    counts = {profile: len(rule_set.rules) for profile, rule_set in RULE_SETS.items()}
    shared = {r.rule_id for r in RULE_SETS[Profile.JP_PINT].rules if r.rule_id.startswith("ibr-")}
    assert len(shared) == 170
    assert counts == {
        Profile.JP_PINT: 170 + 43 - 2,
        Profile.JP_PINT_SELF_BILLING: 170 + 42 - 2,
        Profile.JP_PINT_NON_TAX_REGISTERED: 170 + 41 - 2,
    }


def test_every_rule_speaks_japanese_and_english() -> None:
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for rule_set in RULE_SETS.values():
        for rule in rule_set.rules:
            assert rule.message_en, rule.rule_id
            assert japanese.search(rule.message_ja), rule.rule_id
            assert rule.message_ja != rule.message_en
            assert rule.business_term is None or re.fullmatch(
                r"ib[tg]-[0-9]{2,3}", rule.business_term
            )


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("<cbc:ID>INV-1</cbc:ID>", "<cbc:ID>INV-1</cbc:ID><cbc:DueDate>2024-02-30</cbc:DueDate>", "ibr-073"),
        ("<cbc:ID>INV-1</cbc:ID>", "<cbc:ID>INV-1</cbc:ID><cbc:IssueTime>25:00:00</cbc:IssueTime>", "ibr-119"),
        (_PERIOD, "<cbc:StartDate>2024-03-31</cbc:StartDate><cbc:EndDate>2024-03-01</cbc:EndDate>", "ibr-029"),
        ("<cbc:ProfileID>urn:peppol:bis:billing</cbc:ProfileID>", "", "ibr-076"),
        ("<cbc:ID>INV-1</cbc:ID>", "<cbc:ID>INV-1</cbc:ID><cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note>", "ibr-sr-51"),
        ('currencyID="JPY">4000</cbc:LineExtensionAmount>', 'currencyID="USD">4000</cbc:LineExtensionAmount>', "ibr-126"),
        (_LINE_QTY, '<cbc:InvoicedQuantity>1</cbc:InvoicedQuantity>', "ibr-023"),
        ("<cbc:PriceAmount currencyID=\"JPY\">3000", "<cbc:PriceAmount currencyID=\"JPY\">-3000", "ibr-027"),
        ("<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode>",
         "<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>JPY</cbc:TaxCurrencyCode>", "ibr-077"),
        ("<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode>",
         "<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>USD</cbc:TaxCurrencyCode>", "ibr-053"),
        ("<cac:TaxTotal>", "<cac:PayeeFinancialAccount/><cac:TaxTotal>", "ibr-079"),
        ("<cac:TaxTotal>", "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>"
         "<cbc:PaymentMeansCode>42</cbc:PaymentMeansCode></cac:PaymentMeans><cac:TaxTotal>", "ibr-sr-27"),
        ("<cac:TaxTotal>", "<cac:PayeeParty><cac:PartyIdentification><cbc:ID>P1</cbc:ID></cac:PartyIdentification>"
         "</cac:PayeeParty><cac:TaxTotal>", "ibr-017"),
        ("<cac:TaxTotal>", "<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>R</cbc:Name></cac:PartyName>"
         "</cac:TaxRepresentativeParty><cac:TaxTotal>", "ibr-019"),
        ("<cac:AccountingSupplierParty>", "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:IssueDate>2024-01-01"
         "</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference><cac:AccountingSupplierParty>", "ibr-055"),
        (_ITEM_NAME, _ITEM_NAME + "<cac:AdditionalItemProperty><cbc:Name>colour</cbc:Name></cac:AdditionalItemProperty>", "ibr-054"),
        ("<cac:AccountingSupplierParty>", "<cac:AdditionalDocumentReference><cbc:ID>D1</cbc:ID><cac:Attachment>"
         '<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">QQ==</cbc:EmbeddedDocumentBinaryObject>'
         "</cac:Attachment></cac:AdditionalDocumentReference><cac:AccountingSupplierParty>", "ibr-075"),
    ],
)  # fmt: skip
def test_a_broken_invoice_fires_the_rule_and_the_sample_does_not(
    old: str, new: str, rule: str
) -> None:
    assert rule not in _ids(ubl_invoice())
    assert rule in _ids(_swap(old, new))


def _line_period(start: str, end: str) -> bytes:
    return _swap(
        "</cbc:LineExtensionAmount><cac:Item>",
        f"</cbc:LineExtensionAmount><cac:InvoicePeriod><cbc:StartDate>{start}</cbc:StartDate>"
        f"<cbc:EndDate>{end}</cbc:EndDate></cac:InvoicePeriod><cac:Item>",
    )


@pytest.mark.parametrize(
    ("start", "end", "fired"),
    [
        ("2024-03-01", "2024-03-31", set()),
        ("2024-02-28", "2024-03-31", {"ibr-085"}),
        ("2024-03-01", "2024-04-01", {"ibr-086"}),
        ("2024-03-20", "2024-03-10", {"ibr-030"}),
    ],
)
def test_a_line_period_lies_within_the_invoice_period(
    start: str, end: str, fired: set[str]
) -> None:
    rules = {"ibr-085", "ibr-086", "ibr-030", "ibr-029"}
    assert _ids(_line_period(start, end)) & rules == fired


def _price_discount(indicator: str) -> bytes:
    return _swap(
        '<cbc:PriceAmount currencyID="JPY">3000</cbc:PriceAmount>',
        '<cbc:PriceAmount currencyID="JPY">3000</cbc:PriceAmount><cac:AllowanceCharge>'
        f"<cbc:ChargeIndicator>{indicator}</cbc:ChargeIndicator>"
        '<cbc:Amount currencyID="JPY">100</cbc:Amount></cac:AllowanceCharge>',
    )


def test_a_price_discount_is_judged_only_as_a_price_discount() -> None:
    """First matching context wins: no reason is asked of a price-level allowance."""
    assert _ids(_price_discount("false")) & {"ibr-083", "ibr-042", "ibr-033"} == set()
    fired = _ids(_price_discount("true"))
    assert "ibr-083" in fired
    assert {"ibr-044", "ibr-036"}.isdisjoint(fired)


def test_an_empty_date_is_reported_as_a_bad_date_not_as_an_empty_element() -> None:
    fired = _ids(
        _swap("<cbc:ID>INV-1</cbc:ID>", "<cbc:ID>INV-1</cbc:ID><cbc:DueDate></cbc:DueDate>")
    )
    assert "ibr-073" in fired
    assert "ibr-079" not in fired


def test_a_document_charge_needs_a_reason_twice_as_upstream_asks() -> None:
    data = _swap("<cac:TaxTotal>", "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
                 '<cbc:Amount currencyID="JPY">0</cbc:Amount></cac:AllowanceCharge><cac:TaxTotal>')  # fmt: skip
    assert {"ibr-038", "ibr-044"} <= _ids(data)


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (ids.gln, "4000001000005", "4000001000006"),
        (ids.se_orgnr, "5560360793", "556036079"),
        (ids.no_orgnr, "974760673", "974760674"),
        (ids.dk_cvr, "DK12345678", "DK1234567X"),
        (ids.be_enterprise, "0411905847", "0411905848"),
        (ids.codice_ipa, "UFY9MH", "UFY9M"),
        (ids.codice_fiscale, "RSSMRA85T10A562S", "RSSMRA85T10A56"),
        (ids.partita_iva, "IT12345670017", "IT12345670018"),
        (ids.abn, "51824753556", "51824753557"),
    ],
)
def test_national_identifier_checks(check: object, good: str, bad: str) -> None:
    assert callable(check)
    assert check(good) is True
    assert check(bad) is False


def test_a_gln_endpoint_with_a_wrong_check_digit_fires() -> None:
    endpoint = '<cbc:EndpointID schemeID="0188">1000012345678</cbc:EndpointID>'
    good = '<cbc:EndpointID schemeID="0088">4000001000005</cbc:EndpointID>'
    assert "ibr-068" not in _ids(_swap(endpoint, good))
    assert "ibr-068" in _ids(_swap(endpoint, good.replace("05<", "06<")))
