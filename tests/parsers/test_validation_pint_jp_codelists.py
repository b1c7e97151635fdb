# ruff: noqa: E501  (tables of XML fragments read better one per line)
"""JP PINT code-list rules (ibr-cl-*): a listed code passes, an unlisted one fires."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parsers.profiles import Profile
from parsers.validation.pint_jp import validate_pint_jp
from schemas import pint_jp_codes as lists
from tests.parsers import validation_corpus as corpus
from tests.parsers.validation_samples import parse, ubl_invoice


def _ids(data: bytes, profile: Profile = Profile.JP_PINT) -> set[str]:
    return {f.rule_id for f in validate_pint_jp(parse(data), profile)}


def _swap(old: str, new: str) -> bytes:
    data = ubl_invoice()
    assert old.encode() in data, old
    return data.replace(old.encode(), new.encode(), 1)


_BUYER_ADDRESS = "<cbc:IdentificationCode>JP</cbc:IdentificationCode>"
_AFTER_LINE_ID = "<cbc:ID>1</cbc:ID>"

# (rule, fragment of the sample to replace, a listed value, an unlisted value)
CASES = [
    ("ibr-cl-03", 'currencyID="JPY">4000<', 'currencyID="JPY">4000<', 'currencyID="YEN">4000<'),
    (
        "ibr-cl-04",
        "<cbc:DocumentCurrencyCode>JPY",
        "<cbc:DocumentCurrencyCode>JPY",
        "<cbc:DocumentCurrencyCode>YEN",
    ),
    (
        "ibr-cl-14",
        _BUYER_ADDRESS,
        _BUYER_ADDRESS,
        "<cbc:IdentificationCode>JA</cbc:IdentificationCode>",
    ),
    ("ibr-cl-23", 'unitCode="EA"', 'unitCode="H87"', 'unitCode="PCS"'),
    (
        "ibr-cl-25",
        'schemeID="0188">1234567890123',
        'schemeID="0188">1234567890123',
        'schemeID="0000">1234567890123',
    ),
    (
        "ibr-cl-01",
        "<cbc:InvoiceTypeCode>380",
        "<cbc:InvoiceTypeCode>380",
        "<cbc:InvoiceTypeCode>999",
    ),
]


@pytest.mark.parametrize(("rule", "old", "good", "bad"), CASES, ids=[c[0] for c in CASES])
def test_code_list_rule(rule: str, old: str, good: str, bad: str) -> None:
    assert rule not in _ids(_swap(old, good))
    assert rule in _ids(_swap(old, bad))


_PARTY_ID = '<cac:PartyIdentification><cbc:ID schemeID="{}">X1</cbc:ID></cac:PartyIdentification>'
_SELLER_ENDPOINT = '<cbc:EndpointID schemeID="0188">1234567890123</cbc:EndpointID>'


@pytest.mark.parametrize(("scheme", "fires"), [("0188", False), ("SEPA", False), ("ZZZZ", True)])
def test_cl10_seller_identifier_scheme_may_be_sepa(scheme: str, fires: bool) -> None:
    data = _swap(_SELLER_ENDPOINT, _SELLER_ENDPOINT + _PARTY_ID.format(scheme))
    assert ("ibr-cl-10" in _ids(data)) is fires


def test_cl10_buyer_identifier_scheme_may_not_be_sepa() -> None:
    endpoint = '<cbc:EndpointID schemeID="0188">1000012345678</cbc:EndpointID>'
    assert "ibr-cl-10" in _ids(_swap(endpoint, endpoint + _PARTY_ID.format("SEPA")))


_ITEM_NAME = "<cbc:Name>Item 1</cbc:Name>"


@pytest.mark.parametrize(
    ("rule", "good", "bad"),
    [
        ("ibr-cl-13", '<cac:CommodityClassification><cbc:ItemClassificationCode listID="STI">1</cbc:ItemClassificationCode></cac:CommodityClassification>',
         '<cac:CommodityClassification><cbc:ItemClassificationCode listID="XX9">1</cbc:ItemClassificationCode></cac:CommodityClassification>'),
        ("ibr-cl-21", '<cac:StandardItemIdentification><cbc:ID schemeID="0160">4901234567894</cbc:ID></cac:StandardItemIdentification>',
         '<cac:StandardItemIdentification><cbc:ID schemeID="GTIN">4901234567894</cbc:ID></cac:StandardItemIdentification>'),
        ("ibr-cl-15", "<cac:OriginCountry><cbc:IdentificationCode>JP</cbc:IdentificationCode></cac:OriginCountry>",
         "<cac:OriginCountry><cbc:IdentificationCode>JPN</cbc:IdentificationCode></cac:OriginCountry>"),
    ],
)  # fmt: skip
def test_item_code_lists(rule: str, good: str, bad: str) -> None:
    """Item children in UBL order: name, standard id, origin, classification."""
    assert rule not in _ids(_swap(_ITEM_NAME, _ITEM_NAME + good))
    assert rule in _ids(_swap(_ITEM_NAME, _ITEM_NAME + bad))


def _payment_means(code: str) -> bytes:
    return _swap(
        "<cac:TaxTotal>",
        f"<cac:PaymentMeans><cbc:PaymentMeansCode>{code}</cbc:PaymentMeansCode></cac:PaymentMeans><cac:TaxTotal>",
    )


@pytest.mark.parametrize(("code", "fires"), [("42", False), ("ZZZ", False), ("99", True)])
def test_cl16_payment_means(code: str, fires: bool) -> None:
    assert ("ibr-cl-16" in _ids(_payment_means(code))) is fires


def _reason(indicator: str, code: str) -> bytes:
    return _swap(
        "<cac:TaxTotal>",
        f"<cac:AllowanceCharge><cbc:ChargeIndicator>{indicator}</cbc:ChargeIndicator>"
        f"<cbc:AllowanceChargeReasonCode>{code}</cbc:AllowanceChargeReasonCode>"
        '<cbc:Amount currencyID="JPY">0</cbc:Amount></cac:AllowanceCharge><cac:TaxTotal>',
    )


@pytest.mark.parametrize(
    ("indicator", "code", "rule", "fires"),
    [
        ("false", "95", "ibr-cl-19", False),
        ("false", "FC", "ibr-cl-19", True),
        ("true", "FC", "ibr-cl-20", False),
        ("true", "95", "ibr-cl-20", True),
    ],
)
def test_allowance_and_charge_reason_codes(
    indicator: str, code: str, rule: str, fires: bool
) -> None:
    assert (rule in _ids(_reason(indicator, code))) is fires


def _document(type_code: str, scheme: str, mime: str) -> bytes:
    return _swap(
        "<cac:AccountingSupplierParty>",
        "<cac:AdditionalDocumentReference>"
        f'<cbc:ID schemeID="{scheme}">OBJ-1</cbc:ID><cbc:DocumentTypeCode>{type_code}</cbc:DocumentTypeCode>'
        "</cac:AdditionalDocumentReference><cac:AdditionalDocumentReference><cbc:ID>D-1</cbc:ID>"
        f'<cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="{mime}" filename="a.pdf">QQ=='
        "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
        "<cac:AccountingSupplierParty>",
    )


def test_cl07_and_cl24_object_scheme_and_attachment_type() -> None:
    fired = _ids(_document("130", "ABT", "application/pdf"))
    assert {"ibr-cl-07", "ibr-cl-24"}.isdisjoint(fired)
    assert {"ibr-cl-07", "ibr-cl-24"} <= _ids(_document("130", "XYZ", "text/plain"))


def test_cl26_delivery_location_scheme() -> None:
    delivery = '<cac:Delivery><cac:DeliveryLocation><cbc:ID schemeID="{}">L1</cbc:ID></cac:DeliveryLocation></cac:Delivery>'
    good = _swap("<cac:TaxTotal>", delivery.format("0088") + "<cac:TaxTotal>")
    assert "ibr-cl-26" not in _ids(good)
    bad = _swap("<cac:TaxTotal>", delivery.format("GLN") + "<cac:TaxTotal>")
    assert "ibr-cl-26" in _ids(bad)


def test_cl05_tax_currency() -> None:
    data = _swap("<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode>",
                 "<cbc:DocumentCurrencyCode>JPY</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>YEN</cbc:TaxCurrencyCode>")  # fmt: skip
    assert "ibr-cl-05" in _ids(data)


@pytest.mark.parametrize(
    ("profile", "code", "rule", "fires"),
    [
        (Profile.JP_PINT, "383", "ibr-cl-01", False),
        (Profile.JP_PINT, "389", "ibr-cl-01", True),
        (Profile.JP_PINT_SELF_BILLING, "389", "ibr-cl-01-jp-sb", False),
        (Profile.JP_PINT_SELF_BILLING, "380", "ibr-cl-01-jp-sb", True),
        (Profile.JP_PINT_NON_TAX_REGISTERED, "480", "ibr-cl-01-jp-ntr", False),
        (Profile.JP_PINT_NON_TAX_REGISTERED, "380", "ibr-cl-01-jp-ntr", True),
    ],
)
def test_document_type_code_per_variant(
    profile: Profile, code: str, rule: str, fires: bool
) -> None:
    assert (rule in _ids(ubl_invoice(type_code=code), profile)) is fires


_CORPUS = Path(os.environ.get("JURYO_CORPUS", str(corpus.CORPUS)))
_GENERICODE = _CORPUS / "pint-jp" / "pint-jp-resources-dev-1.1.3" / "trn-invoice" / "codelist"
_DATA = {
    "ICD.gc": lists.ICD,
    "ISO3166.gc": lists.ISO3166,
    "ISO4217.gc": lists.ISO4217 - {"XXX"},  # the rules also accept XXX ("no currency")
    "MimeCode.gc": lists.MIME,
    "UNCL1001-inv.gc": lists.UNCL1001_INVOICE,
    "UNCL1153.gc": lists.UNCL1153,
    "UNCL4461.gc": lists.UNCL4461,
    "UNCL5189.gc": lists.UNCL5189,
    "UNCL7143.gc": lists.UNCL7143,
    "UNCL7161.gc": lists.UNCL7161,
    "UNECERec20.gc": lists.UNECE_REC20,
    "eas.gc": lists.EAS,
}


@pytest.mark.skipif(not _GENERICODE.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("name", sorted(_DATA))
def test_code_list_data_matches_the_published_genericode(name: str) -> None:
    tree = corpus.parse(_GENERICODE / name)
    published = {
        "".join(row.find("{*}Value/{*}SimpleValue").itertext()).strip()  # type: ignore[union-attr]
        for row in tree.iter("{*}Row")
    }  # the first value of a row is its code
    assert _DATA[name] == published
