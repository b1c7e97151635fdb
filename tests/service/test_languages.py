"""Every page and every error path, in Japanese and in English, in its own language only.

A Japanese page must not carry an English sentence, and an English page no Japanese script,
outside what people typed or sent (the fixtures' own data, stripped before looking). Also:
every catalogue key has both texts, and every juryo rule both messages. Over real HTTP.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import httpx
import pytest
from sqlalchemy import select

from parsers import juryo_rules
from service.i18n import TEXTS
from service.settings import Settings
from storage.models import Department, InvoiceRecord, Supplier, User
from tests.documents import jp_invoice
from tests.page_tour import TRIAGE_CLERK, own_server, page_routes, tour, tour_world
from tests.reliability.access import (
    ACCOUNTING,
    ADMIN,
    ANONYMOUS,
    AUDITOR,
    CLERK_OWN,
    SUPPLIER_OWN,
    World,
    signup_body,
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e\uff66-\uff9f]+")
"""Kana, Kanji and full-width forms: what an English page must not show."""
ENGLISH_RUN = re.compile(r"(?<![\w-])[A-Za-z][a-z]+(?:[ ,'’]+[a-z]{2,})+(?![\w-])")
"""Two or more English words in a row (a phrase, not a code or a name)."""
ENGLISH_ON_JAPANESE_PAGES = (
    # names and codes that are the same in both languages
    "juryo audit verify",
    "po_number,department_code",
    "juryo",
    "Peppol BIS Billing",
)
LANGUAGE_NAMES = {"English", "日本語"}
"""The language switch names the other language in that language."""
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Text(HTMLParser):
    """The text a reader sees or hears: text nodes and labelling attributes, not scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.parts.append(value)
        values = dict(attrs)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def _document_texts(document: bytes) -> set[str]:
    """Every text and attribute value of an XML fixture: data the supplier sent."""
    found: set[str] = set()
    for element in ET.fromstring(document).iter():
        found.update(v.strip() for v in [element.text or "", *element.attrib.values()])
    return {text for text in found if text}


@dataclass
class Reader:
    """What a page shows that is not the app's own words, and what was found wrong."""

    user_data: list[str]
    found: list[str]

    def strip(self, text: str) -> str:
        for value in self.user_data:
            text = text.replace(value, " ")
        return text

    def check(self, label: str, lang: str, text: str) -> None:
        """Japanese script on an English page, English sentences on a Japanese one."""
        text = self.strip(text)
        for name in LANGUAGE_NAMES:
            text = text.replace(name, " ")
        if lang == "en":
            wrong = JAPANESE.findall(text)
        else:
            for name in ENGLISH_ON_JAPANESE_PAGES:
                text = text.replace(name, " ")
            wrong = ENGLISH_RUN.findall(text)
        if wrong:
            self.found.append(f"{label} [{lang}]: {sorted(set(wrong))[:12]}")


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.fixture(scope="module")
def world(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The tour's world on a database of its own, so other tests' data stays off its pages."""
    with (
        own_server(settings, tmp_path_factory) as (server, sessions),
        tour_world(server, sessions) as built,
    ):
        yield built


def _user_data(world: World) -> list[str]:
    """Names people gave, documents' contents, reasons typed: longest first, so the longer
    one goes before a name inside it."""
    with world.sessions() as session:
        names = {
            *session.scalars(select(Department.name)),
            *session.scalars(select(Supplier.name)),
            *(name for name in session.scalars(select(User.display_name)) if name),
            *(name for name in session.scalars(select(Supplier.account_holder)) if name),
            *session.scalars(select(User.login)),
            *session.scalars(select(InvoiceRecord.invoice_number)),
        }
    documents = _document_texts(jp_invoice(seller=world.supplier))
    typed = {
        "単価違い",
        "株式会社サインアップ",
        "カ）サンプル",
        "５０万",
        signup_body()["company_name"],
    }
    return sorted(names | documents | typed, key=len, reverse=True)


def test_every_catalogue_key_has_a_japanese_and_an_english_text() -> None:
    for key, (ja, en) in TEXTS.items():
        assert ja.strip(), key
        assert en.strip(), key
        if key != "lang.switch":
            assert not JAPANESE.search(en), f"{key}: Japanese in the English text {en!r}"
            assert JAPANESE.search(ja), f"{key}: no Japanese in {ja!r}"


def test_every_juryo_rule_has_a_japanese_and_an_english_message() -> None:
    rules = [r for r in vars(juryo_rules).values() if isinstance(r, juryo_rules.IntakeRule)]
    assert rules
    for rule in rules:
        assert JAPANESE.search(rule.ja), rule.rule_id
        assert not JAPANESE.search(rule.en), rule.rule_id


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_is_in_its_readers_language(settings: Settings, world: World, lang: str) -> None:
    reader = Reader(_user_data(world), [])
    for role, visits in tour(world, page_routes(settings)).items():
        client = world.browsers[role]
        for template, path in visits:
            response = client.get(_with_lang(path, lang))
            assert response.status_code == 200, (role, path, response.status_code)
            reader.check(f"{role} {template}", lang, visible_text(response.text))
    assert not reader.found, "\n".join(reader.found)


@dataclass(frozen=True)
class Attempt:
    """One error path: who asks what, and the status it must answer."""

    label: str
    role: str
    method: str
    path: str
    status: int
    form: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None


NOT_AN_INVOICE = ("notes.txt", b"just some notes", "text/plain")
NOT_AN_E_INVOICE = ("other.xml", b"<?xml version='1.0'?><order/>", "application/xml")
BAD_TOTALS = jp_invoice(seller="T1234567890123").replace(b"16150", b"16151")


def _attempts(world: World) -> list[Attempt]:
    """404, 403, 401, forms refused (422/400), actions refused (409), for every role."""
    pdf = world.shared["pdf_invoice_id"]
    invoice = world.shared["invoice_id"]
    entry = {"invoice_number": "A-100", "issue_date": "2026-11-20", "version": "1"}
    typo = f"T{(int(world.supplier[1]) + 1) % 10}{world.supplier[2:]}"  # its own, mistyped
    return [
        Attempt("no such page", ANONYMOUS, "GET", "/nope", 404),
        Attempt("no such invoice", SUPPLIER_OWN, "GET", "/invoices/999999999", 404),
        Attempt("not the admin's page", SUPPLIER_OWN, "GET", "/admin", 403),
        Attempt("not a supplier's page", SUPPLIER_OWN, "GET", "/accounting", 403),
        Attempt("not a clerk's page", CLERK_OWN, "GET", "/accounting/creditors", 403),
        Attempt("no inbox for accounting", ACCOUNTING, "GET", "/inbox", 403),
        Attempt("not the auditor's page", AUDITOR, "GET", "/account", 403),
        Attempt("not accounting's upload", ACCOUNTING, "GET", "/invoices/upload", 403),
        Attempt(
            "an amount in words",
            SUPPLIER_OWN,
            "POST",
            f"/invoices/{pdf}/data-entry",
            400,
            form={**entry, "total": "５０万"},
        ),
        Attempt(
            "a wrong check digit",
            SUPPLIER_OWN,
            "POST",
            f"/invoices/{pdf}/data-entry",
            400,
            form={**entry, "total": "11000", "registration_number": typo},
        ),
        Attempt(
            "no such department in the register",
            ADMIN,
            "POST",
            "/admin/routing/purchase-orders",
            400,
            files={"file": ("po.csv", b"po_number,department_code\nPO-1,NOPE-99\n", "text/csv")},
        ),
        Attempt(
            "a batch without a date",
            ACCOUNTING,
            "POST",
            "/accounting/batches",
            422,
            form={"payment_date": "", "mode": "filters"},
        ),
        Attempt(
            "a batch on a day that is no date",
            ACCOUNTING,
            "POST",
            "/accounting/batches",
            422,
            form={"payment_date": "tomorrow", "mode": "filters"},
        ),
        Attempt(
            "an approval on a stale version",
            CLERK_OWN,
            "POST",
            f"/inbox/{invoice}/approve",
            409,
            form={"version": "99"},
        ),
        Attempt(
            "files that are no invoices",
            SUPPLIER_OWN,
            "POST",
            "/invoices/upload",
            200,
            form={"mode": "validate"},
            files={"files": NOT_AN_INVOICE},
        ),
        Attempt(
            "an XML that is no e-invoice",
            SUPPLIER_OWN,
            "POST",
            "/invoices/upload",
            200,
            form={"mode": "validate"},
            files={"files": NOT_AN_E_INVOICE},
        ),
        Attempt(
            "an invoice that breaks the rules",
            SUPPLIER_OWN,
            "POST",
            "/invoices/upload",
            200,
            form={"mode": "validate"},
            files={"files": ("bad.xml", BAD_TOTALS, "application/xml")},
        ),
    ]


def _send(world: World, attempt: Attempt, lang: str) -> httpx.Response:
    client = world.browsers[attempt.role]
    if attempt.method == "GET":
        return client.get(_with_lang(attempt.path, lang))
    form = {**(attempt.form or {}), "csrf_token": world.csrf.get(attempt.role, "none")}
    return client.post(_with_lang(attempt.path, lang), data=form, files=attempt.files)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_error_path_is_in_its_readers_language(world: World, lang: str) -> None:
    reader = Reader(_user_data(world), [])
    for attempt in _attempts(world):
        response = _send(world, attempt, lang)
        if response.status_code != attempt.status:
            reader.found.append(f"{attempt.label}: {response.status_code}, not {attempt.status}")
        reader.check(attempt.label, lang, visible_text(response.text))
    assert not reader.found, "\n".join(reader.found)


def _text(client: httpx.Client, path: str, lang: str) -> str:
    return visible_text(client.get(_with_lang(path, lang)).text)


def test_the_mixed_language_examples_of_issue_15_read_right(world: World) -> None:
    """Each example the issue names, in both languages."""
    clerk, auditor = world.browsers[CLERK_OWN], world.browsers[AUDITOR]
    invoice = f"/invoices/{world.shared['invoice_id']}"
    ja, en = _text(clerk, invoice, "ja"), _text(clerk, invoice, "en")
    assert "5 個" in ja  # unit codes named, not shown raw
    assert "5 piece" in en
    assert "H87" not in ja + en
    assert "口座振込" in ja
    assert "Credit transfer" in en
    assert "Credit transfer" not in ja
    number = world.shared["returned_number"]
    listed = f"/invoices?invoice_number={number}"
    assert "該当 1 件" in _text(clerk, listed, "ja")
    english = _text(clerk, listed, "en")
    assert "1 found" in english
    assert "1 invoices" not in english
    audit_ja, audit_en = _text(auditor, "/admin/audit", "ja"), _text(auditor, "/admin/audit", "en")
    assert "支払バッチの作成" in audit_ja
    assert "Payment batch created" in audit_en
    assert "batch.create" not in audit_ja + audit_en
    triage = world.browsers[TRIAGE_CLERK]
    assert "振分け（会計課）" in _text(triage, "/inbox", "ja")
    assert "Triage" not in _text(triage, "/inbox", "ja")
    assert "Triage (central accounting)" in _text(triage, "/inbox", "en")
    supplier = world.browsers[SUPPLIER_OWN]
    assert "この操作は会計課だけが行えます。" in _text(supplier, "/accounting", "ja")
    assert "該当するページまたはデータはありません。" in _text(supplier, "/nope", "ja")
    unreadable = supplier.post(
        _with_lang("/invoices/upload", "ja"),
        data={"mode": "validate", "csrf_token": world.csrf[SUPPLIER_OWN]},
        files={"files": NOT_AN_E_INVOICE},
    )
    assert "電子インボイスではありません" in visible_text(unreadable.text)  # JURYO-FORMAT-UNKNOWN
