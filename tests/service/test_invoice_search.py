"""The 電帳法 search a page at a time: cursors, the capped total, the same pages in API and HTML."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role, Supplier
from storage.repositories import invoices as repo
from tests.documents import jp_invoice
from tests.support import LiveServer, make_department, make_supplier, make_user, signed_in, unique

XML = {"Content-Type": "application/xml"}


@dataclass(frozen=True)
class Sent:
    """A supplier with three invoices received, and its user's credentials."""

    registration_number: str
    login: str
    password: str
    token: str
    ids: list[int]
    """Newest first, as the search lists them."""


@pytest.fixture
def sent(sessions: sessionmaker[Session], live_server: LiveServer) -> Sent:
    number = make_supplier(sessions, department=make_department(sessions))
    user = make_user(sessions, Role.SUPPLIER, supplier=number)
    with live_server.client(user.token) as client:
        ids = [
            client.post(
                "/api/v1/invoices",
                content=jp_invoice(seller=number, number=unique("K")),
                headers=XML,
            ).json()["id"]
            for _ in range(3)
        ]
    return Sent(number, user.login, user.password, user.token, ids[::-1])


@pytest.fixture
def api(live_server: LiveServer, sent: Sent) -> Iterator[httpx.Client]:
    with live_server.client(sent.token) as client:
        yield client


def test_cursor_walks_every_hit_once_newest_first(api: httpx.Client, sent: Sent) -> None:
    seen: list[int] = []
    params: dict[str, str | int] = {"limit": 1}
    for _ in range(len(sent.ids)):
        page = api.get("/api/v1/invoices", params=params).json()
        assert (page["total"], page["total_is_capped"]) == (3, False)
        seen += [item["id"] for item in page["items"]]
        params["cursor"] = page["next_cursor"]
    assert seen == sent.ids
    assert page["next_cursor"] is None


def test_a_cursor_juryo_did_not_hand_out_is_refused(api: httpx.Client) -> None:
    first = api.get("/api/v1/invoices", params={"limit": 1}).json()
    mangled = api.get("/api/v1/invoices", params={"cursor": "not-a-cursor"})
    both = api.get("/api/v1/invoices", params={"cursor": first["next_cursor"], "offset": 1})
    assert (mangled.status_code, both.status_code) == (400, 400)


def test_total_counts_up_to_the_cap_and_says_so(
    sessions: sessionmaker[Session], sent: Sent
) -> None:
    with sessions() as session:
        supplier_id = session.execute(
            select(Supplier.id).where(Supplier.registration_number == sent.registration_number)
        ).scalar_one()
        scope = repo.Scope(supplier_id=supplier_id)
        capped = repo.search(session, scope, repo.InvoiceFilter(), limit=2, cap=2)
        exact = repo.search(session, scope, repo.InvoiceFilter(), limit=2, cap=3)
    assert (capped.total, capped.total_is_capped) == (2, True)
    assert (exact.total, exact.total_is_capped) == (3, False)
    assert [row.id for row in capped.rows] == sent.ids[:2]


def test_a_date_range_pages_by_cursor_as_an_unfiltered_search(api: httpx.Client) -> None:
    params = {"issue_date_from": "2000-01-01", "issue_date_to": "2099-12-31", "limit": 2}
    ranged = api.get("/api/v1/invoices", params=params).json()
    plain = api.get("/api/v1/invoices", params={"limit": 2}).json()
    assert ranged["items"] == plain["items"]
    rest = api.get("/api/v1/invoices", params={**params, "cursor": ranged["next_cursor"]})
    assert len(rest.json()["items"]) == 1


@pytest.mark.parametrize(("lang", "hits"), [("ja", "該当 3 件"), ("en", "3 found")])
def test_the_list_page_follows_the_same_cursor(
    live_server: LiveServer, sent: Sent, api: httpx.Client, lang: str, hits: str
) -> None:
    with signed_in(live_server, sent.login, sent.password) as browser:
        first = browser.get("/invoices", params={"lang": lang}).text
        assert hits in first
        assert 'rel="first"' not in first
        next_link = re.search(r'href="(/invoices\?[^"]*after=[^"]+)" rel="next"', first)
        assert next_link is None  # 3 hits fit a page of 50
    page = api.get("/api/v1/invoices", params={"limit": 2}).json()
    with signed_in(live_server, sent.login, sent.password) as browser:
        after = browser.get("/invoices", params={"after": page["next_cursor"]}).text
    assert [int(i) for i in re.findall(r'href="/invoices/(\d+)"', after)] == sent.ids[2:]
    assert 'rel="first"' in after


def test_the_csv_export_lists_every_hit(api: httpx.Client, sent: Sent) -> None:
    text = unescape(api.get("/api/v1/invoices/export.csv").text)
    assert [int(line.split(",")[0]) for line in text.splitlines()[1:]] == sent.ids


def test_a_short_date_range_lists_its_days_newest_first(api: httpx.Client, sent: Sent) -> None:
    dates = ["2026-11-20", "2026-11-22", "2026-11-21"]
    posted = [
        api.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=sent.registration_number, issue_date=day),
            headers=XML,
        ).json()["id"]
        for day in dates
    ]
    walked: list[int] = []
    params: dict[str, str | int] = {
        "issue_date_from": "2026-11-20",
        "issue_date_to": "2026-11-22",
        "limit": 1,
    }
    for _ in range(len(dates) + 1):
        page = api.get("/api/v1/invoices", params=params).json()
        walked += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert (walked, page["total"]) == (posted[::-1], 3)
    open_ended = api.get("/api/v1/invoices", params={"issue_date_from": "2026-11-21"}).json()
    assert [item["id"] for item in open_ended["items"]] == [posted[2], posted[1], *sent.ids]


def test_a_page_of_hits_is_read_in_one_statement(
    sessions: sessionmaker[Session], sent: Sent
) -> None:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    with sessions() as session:
        supplier_id = session.execute(
            select(Supplier.id).where(Supplier.registration_number == sent.registration_number)
        ).scalar_one()
        bind = session.connection()
        event.listen(bind, "before_cursor_execute", record)
        found = repo.search(
            session, repo.Scope(supplier_id=supplier_id), repo.InvoiceFilter(), limit=2
        )
        event.remove(bind, "before_cursor_execute", record)
    assert [row.id for row in found.rows] == sent.ids[:2]
    assert (found.total, len(statements)) == (3, 1), statements


def test_a_supplier_is_found_by_part_of_its_name_and_none_by_a_name_nobody_has(
    api: httpx.Client, sent: Sent
) -> None:
    by_name = api.get("/api/v1/invoices", params={"supplier": f"テスト {sent.registration_number}"})
    nobody = api.get("/api/v1/invoices", params={"supplier": "存在しない会社"}).json()
    assert [item["id"] for item in by_name.json()["items"]] == sent.ids
    assert (nobody["items"], nobody["total"], nobody["next_cursor"]) == ([], 0, None)
