"""The audit log viewer and its API over real HTTP: auditors and admins filter events by invoice,
actor, action and Tokyo date, page through them, and see what ``juryo audit verify`` says;
nobody else may look. Actions read as ja/en labels here and in an invoice's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.admin.pages import AUDIT_PAGE_SIZE
from service.runtime import Runtime
from service.settings import Settings
from storage import anchors, audit
from storage.db import transaction
from storage.models import AuditHead, Role
from tests.ledger import KEY
from tests.service.test_inbox_api import Office, make_office, submit
from tests.support import (
    Account,
    LiveServer,
    make_user,
    signed_in,
    start_live_server,
    unique,
)

pytestmark = pytest.mark.clock


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    return make_office(sessions)


@pytest.fixture
def auditor(sessions: sessionmaker[Session]) -> Account:
    return make_user(sessions, Role.AUDITOR)


@pytest.fixture
def auditor_browser(live_server: LiveServer, auditor: Account) -> Iterator[httpx.Client]:
    with signed_in(live_server, auditor.login, auditor.password) as client:
        yield client


def events(live_server: LiveServer, account: Account, **params: Any) -> httpx.Response:
    with live_server.client(account.token) as client:
        return client.get("/api/v1/admin/audit-events", params=params)


def test_auditor_filters_by_invoice_and_reads_actions_in_both_languages(
    live_server: LiveServer, office: Office, auditor_browser: httpx.Client
) -> None:
    sent = submit(live_server, office)
    page = auditor_browser.get("/admin/audit", params={"invoice": sent["id"]})
    assert page.status_code == 200
    assert 'data-action="invoice.receive"' in page.text
    assert "<td>受領</td>" in page.text
    assert "該当 1件" in page.text
    assert 'data-intact="yes"' in page.text
    assert "ハッシュチェーンは完全です" in page.text
    english = auditor_browser.get("/admin/audit", params={"invoice": sent["id"], "lang": "en"})
    assert "<td>Received</td>" in english.text
    assert "The hash chain is intact" in english.text
    assert "Anchors are not configured" in english.text  # the tests run without a key


def test_api_filters_by_invoice_actor_action_and_tokyo_date(
    live_server: LiveServer, office: Office, auditor: Account
) -> None:
    sent = submit(live_server, office)
    found = events(live_server, auditor, invoice_id=sent["id"])
    assert found.status_code == 200
    body = found.json()
    assert body["total"] == 1
    (event,) = body["items"]
    assert (event["action"], event["action_ja"], event["action_en"]) == (
        "invoice.receive",
        "受領",
        "Received",
    )
    assert body["verification"]["intact"] is True
    assert body["verification"]["events"] >= event["id"]
    actor = event["actor_login"]
    today = clock.today()
    assert events(live_server, auditor, actor=actor, action="invoice.receive").json()["total"] >= 1
    assert (
        events(live_server, auditor, invoice_id=sent["id"], action="batch.paid").json()["total"]
        == 0
    )
    on_the_day = events(live_server, auditor, invoice_id=sent["id"], date_from=today, date_to=today)
    assert on_the_day.json()["total"] == 1
    before = events(
        live_server, auditor, invoice_id=sent["id"], date_to=today - dt.timedelta(days=1)
    )
    assert before.json()["total"] == 0
    after = events(
        live_server, auditor, invoice_id=sent["id"], date_from=today + dt.timedelta(days=1)
    )
    assert after.json()["total"] == 0


def test_events_come_a_page_at_a_time_newest_first(
    live_server: LiveServer,
    auditor: Account,
    auditor_browser: httpx.Client,
    sessions: sessionmaker[Session],
) -> None:
    actor = unique("bulk")
    with transaction(sessions) as session:
        for n in range(AUDIT_PAGE_SIZE + 1):
            audit.record(
                session,
                actor=audit.Actor(actor, "admin"),
                action="department.update",
                entity_type="department",
                entity_id=f"D{n}",
            )
    first = events(live_server, auditor, actor=actor, limit=1).json()
    second = events(live_server, auditor, actor=actor, limit=1, offset=1).json()
    assert first["total"] == AUDIT_PAGE_SIZE + 1
    assert first["items"][0]["entity_id"] == f"D{AUDIT_PAGE_SIZE}"
    assert first["items"][0]["id"] > second["items"][0]["id"]
    page = auditor_browser.get("/admin/audit", params={"actor": actor})
    assert page.text.count('data-action="department.update"') == AUDIT_PAGE_SIZE
    assert 'rel="next"' in page.text
    assert 'rel="prev"' not in page.text
    last = auditor_browser.get("/admin/audit", params={"actor": actor, "page": 2}).text
    assert last.count('data-action="department.update"') == 1
    assert 'rel="prev"' in last
    assert 'rel="next"' not in last


def test_a_broken_chain_is_shown_at_the_top(
    live_server: LiveServer,
    office: Office,
    auditor: Account,
    auditor_browser: httpx.Client,
    sessions: sessionmaker[Session],
) -> None:
    assert 'data-intact="yes"' in auditor_browser.get("/admin/audit").text  # walked: intact
    submit(live_server, office)  # checked from there on, link by link, at the next view
    with sessions() as session:
        head = audit.head(session)
    with transaction(sessions) as session:  # a head past the end: the tail looks cut off
        session.execute(
            update(AuditHead).values(last_event_id=head.event_id + 3).where(AuditHead.id == 1)
        )
    try:
        page = auditor_browser.get("/admin/audit")
        state = events(live_server, auditor).json()["verification"]
    finally:
        with transaction(sessions) as session:
            session.execute(
                update(AuditHead).values(last_event_id=head.event_id).where(AuditHead.id == 1)
            )
    assert 'data-intact="no"' in page.text
    assert "監査ログが改ざんされているか、欠けています" in page.text
    assert state["intact"] is False
    assert state["problems"][0]["event_id"] == head.event_id + 3


@pytest.mark.parametrize("role", [Role.SUPPLIER, Role.CLERK, Role.ACCOUNTING])
def test_other_roles_may_not_read_the_audit_log(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session], role: Role
) -> None:
    account = {Role.SUPPLIER: office.supplier, Role.CLERK: office.clerk}.get(role) or make_user(
        sessions, role
    )
    assert events(live_server, account).status_code == 403
    with signed_in(live_server, account.login, account.password) as client:
        page = client.get("/admin/audit")
        assert page.status_code == 403
        assert "監査ログは監査担当と管理者だけが閲覧できます" in page.text
        assert 'href="/admin/audit"' not in client.get("/").text
    with live_server.client() as anonymous:
        assert anonymous.get("/api/v1/admin/audit-events").status_code == 401


def test_admin_reads_the_audit_log_too(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    assert events(live_server, admin, action="user.add").status_code == 200
    with signed_in(live_server, admin.login, admin.password) as client:
        page = client.get("/admin/audit", params={"action": "user.add", "lang": "en"})
    assert page.status_code == 200
    assert "<td>User added</td>" in page.text


def test_a_date_that_is_not_one_is_refused_in_the_readers_language(
    auditor_browser: httpx.Client,
) -> None:
    page = auditor_browser.get("/admin/audit", params={"date_from": "11/29"})
    assert page.status_code == 400
    assert "「11/29」は日付ではありません" in page.text


def test_invoice_history_names_batch_actions_instead_of_raw_names(
    live_server: LiveServer, office: Office, sessions: sessionmaker[Session]
) -> None:
    sent = submit(live_server, office)
    with transaction(sessions) as session:
        audit.record(
            session,
            actor=audit.Actor("keiri", "accounting"),
            action="batch.paid",
            entity_type="invoice",
            entity_id=sent["id"],
        )
    with signed_in(live_server, office.clerk.login, office.clerk.password) as client:
        ja = client.get(f"/invoices/{sent['id']}").text
        en = client.get(f"/invoices/{sent['id']}", params={"lang": "en"}).text
    assert "支払済みの記録" in ja
    assert "Recorded as paid" in en
    assert "batch.paid" not in ja


def test_with_anchors_configured_the_viewer_says_they_match(
    settings: Settings, auditor: Account, sessions: sessionmaker[Session]
) -> None:
    anchored = settings.model_copy(
        update={"audit_key": SecretStr(KEY.decode()), "audit_anchor_interval_seconds": 3600}
    )
    with start_live_server(anchored) as server:
        runtime = Runtime.from_settings(anchored)
        try:
            written = anchors.write_anchor(runtime.read_sessions, runtime.store, KEY)
        finally:
            runtime.close()
        with server.client(auditor.token) as client:
            state = client.get("/api/v1/admin/audit-events", params={"limit": 1}).json()
        with signed_in(server, auditor.login, auditor.password) as browser:
            page = browser.get("/admin/audit", params={"lang": "en"}).text
    verification = state["verification"]
    assert verification["intact"] is True, verification
    assert verification["anchored"] is True
    assert verification["anchors"] >= 1
    if written is not None:
        assert verification["newest_anchored_event"] >= written.event_id
    assert "anchors stored outside the database match" in page
    assert "Anchors are not configured" not in page
