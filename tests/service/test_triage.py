"""The triage inbox over real HTTP: central accounting's clerks work it like any department's
inbox, the demo has one, and an administrator sees every inbox and reassigns from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from service.cli import app
from service.settings import Settings
from storage.db import create_db_engine, session_factory, transaction
from storage.models import AuditEvent, Department, InvoiceRecord, Role
from tests.conftest import new_database_url
from tests.documents import jp_invoice
from tests.support import (
    Account,
    LiveServer,
    form_token,
    make_department,
    make_supplier,
    make_user,
    signed_in,
    start_live_server,
)

XML = {"Content-Type": "application/xml"}
TRIAGE = "triage"


@dataclass(frozen=True)
class World:
    """A supplier no rule routes (its invoices go to triage), a department, and its clerk."""

    department: str
    supplier: Account
    supplier_number: str
    clerk: Account
    triage_clerk: Account
    admin: Account
    accountant: Account


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    department = make_department(sessions)
    number = make_supplier(sessions)  # no default department: routing falls to triage
    return World(
        department=department,
        supplier=make_user(sessions, Role.SUPPLIER, supplier=number),
        supplier_number=number,
        clerk=make_user(sessions, Role.CLERK, departments=(department,)),
        triage_clerk=make_user(sessions, Role.CLERK, departments=(TRIAGE,)),
        admin=make_user(sessions, Role.ADMIN),
        accountant=make_user(sessions, Role.ACCOUNTING),
    )


def to_triage(server: LiveServer, world: World) -> int:
    """An invoice that no rule routes: it waits in the triage inbox."""
    with server.client(world.supplier.token) as client:
        response = client.post(
            "/api/v1/invoices", content=jp_invoice(seller=world.supplier_number), headers=XML
        )
    assert response.status_code == 201, response.text
    assert response.json()["department"] == TRIAGE
    return int(response.json()["id"])


def version(client: httpx.Client, invoice_id: int) -> int:
    return int(client.get(f"/api/v1/invoices/{invoice_id}").json()["version"])


def state(sessions: sessionmaker[Session], invoice_id: int) -> tuple[str, int | None, int]:
    with sessions() as session:
        invoice = session.get_one(InvoiceRecord, invoice_id)
        return invoice.status, invoice.department_id, invoice.version


def newest_first(client: httpx.Client, path: str) -> list[int]:
    response = client.get(path, params={"sort": "received", "order": "desc", "limit": 200})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_a_triage_clerk_works_the_triage_inbox_and_others_may_not(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    invoice_id = to_triage(live_server, world)
    with live_server.client(world.clerk.token) as other:
        assert other.get("/api/v1/inbox", params={"department": TRIAGE}).status_code == 404
        assert invoice_id not in newest_first(other, "/api/v1/inbox")
        assert other.get(f"/api/v1/invoices/{invoice_id}").status_code == 404
        for action, body in (
            ("approve", {}),
            ("forward", {"department": world.department}),
            ("reject", {"reason": "no"}),
        ):
            refused = other.post(
                f"/api/v1/invoices/{invoice_id}/{action}", json={**body, "version": 1}
            )
            assert refused.status_code == 404, refused.text
    before = state(sessions, invoice_id)
    assert before[0] == "pending"
    with live_server.client(world.triage_clerk.token) as triage:
        assert invoice_id in newest_first(triage, "/api/v1/inbox?department=triage")
        forwarded = triage.post(
            f"/api/v1/invoices/{invoice_id}/forward",
            json={"department": world.department, "version": version(triage, invoice_id)},
        )
        assert forwarded.status_code == 200, forwarded.text
        assert forwarded.json()["department"] == world.department
    with live_server.client(world.clerk.token) as clerk:
        assert invoice_id in newest_first(clerk, "/api/v1/inbox")


def test_an_admin_sees_every_inbox_and_reassigns_from_triage(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    invoice_id = to_triage(live_server, world)
    with live_server.client(world.admin.token) as admin:
        counts = {row["department"]: row for row in admin.get("/api/v1/inboxes").json()}
        assert counts[TRIAGE]["pending"] >= 1
        assert counts[world.department]["pending"] == 0
        assert invoice_id in newest_first(admin, "/api/v1/inboxes/triage")
        assert admin.get("/api/v1/inboxes/NO-SUCH-DEPT").status_code == 404
        stale = admin.post(
            f"/api/v1/invoices/{invoice_id}/reassign",
            json={"department": world.department, "version": 999},
        )
        assert stale.status_code == 409
        moved = admin.post(
            f"/api/v1/invoices/{invoice_id}/reassign",
            json={
                "department": world.department,
                "version": version(admin, invoice_id),
                "comment": "学校の文具",
            },
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["department"] == world.department
        assert invoice_id in newest_first(admin, f"/api/v1/inboxes/{world.department}")
        assert invoice_id not in newest_first(admin, "/api/v1/inboxes/triage")
    with sessions() as session:
        event = session.execute(
            select(AuditEvent).where(
                AuditEvent.entity_type == "invoice",
                AuditEvent.entity_id == str(invoice_id),
                AuditEvent.action == "invoice.reassign",
            )
        ).scalar_one()
        assert event.actor_login == world.admin.login
        assert event.reason == "学校の文具"
    with live_server.client(world.clerk.token) as clerk:
        assert invoice_id in newest_first(clerk, "/api/v1/inbox")


@pytest.mark.parametrize("who", ["triage_clerk", "clerk", "accountant", "supplier"])
def test_only_an_admin_reassigns_across_inboxes(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World, who: str
) -> None:
    invoice_id = to_triage(live_server, world)
    before = state(sessions, invoice_id)
    account: Account = getattr(world, who)
    with live_server.client(account.token) as client:
        refused = client.post(
            f"/api/v1/invoices/{invoice_id}/reassign",
            json={"department": world.department, "version": before[2]},
        )
        assert refused.status_code == 403, refused.text
        assert client.get("/api/v1/inboxes").status_code == 403
        assert client.get("/api/v1/inboxes/triage").status_code == 403
    assert state(sessions, invoice_id) == before
    with signed_in(live_server, account.login, account.password) as browser:
        assert browser.get("/admin/inboxes").status_code == 403
        assert browser.get("/admin/inboxes/triage").status_code == 403


def test_the_admin_pages_show_and_reassign_in_both_languages(
    live_server: LiveServer, sessions: sessionmaker[Session], world: World
) -> None:
    invoice_id = to_triage(live_server, world)
    with signed_in(live_server, world.admin.login, world.admin.password) as browser:
        japanese = browser.get("/admin/inboxes", params={"lang": "ja"})
        assert japanese.status_code == 200
        assert "振分け（会計課）" in japanese.text
        assert "Triage" not in japanese.text
        english = browser.get("/admin/inboxes", params={"lang": "en"}).text
        assert "Triage (central accounting)" in english
        assert "/ Triage" not in english
        assert "振分け" not in english
        newest = {"lang": "ja", "sort": "received", "order": "desc"}
        page = browser.get("/admin/inboxes/triage", params=newest)
        assert page.status_code == 200
        assert f'data-invoice="{invoice_id}"' in page.text
        action = f"/admin/inboxes/triage/{invoice_id}/reassign"
        assert action in page.text
        row = page.text[page.text.index(f'data-invoice="{invoice_id}"') :]
        current = re.search(r'name="version" value="(\d+)"', row)
        assert current is not None
        moved = browser.post(
            action,
            data={
                "csrf_token": form_token(page.text),
                "version": current.group(1),
                "department": world.department,
                "comment": "",
            },
        )
        assert moved.status_code == 303, moved.text
        assert moved.headers["location"] == "/admin/inboxes/triage?done=reassigned"
        again = browser.post(
            action,
            data={
                "csrf_token": form_token(page.text),
                "version": current.group(1),
                "department": world.department,
            },
        )
        assert again.status_code == 400  # it is there already: shown again with the reason
        assert 'role="alert"' in again.text
    with sessions() as session:
        department_id = session.execute(
            select(Department.id).where(Department.code == world.department)
        ).scalar_one()
    assert state(sessions, invoice_id)[1] == department_id


def test_the_demo_has_a_triage_clerk_who_can_sign_in_and_forward(tmp_path: Path) -> None:
    url = new_database_url(tmp_path)
    objects = f"file:{tmp_path}/objects"
    env = {"JURYO_DATABASE_URL": url, "JURYO_STORAGE_URL": objects}
    result = CliRunner().invoke(app, ["demo"], env=env)
    assert result.exit_code == 0, result.output
    engine = create_db_engine(url)
    try:
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            triage = session.execute(
                select(Department).where(Department.code == TRIAGE)
            ).scalar_one()
            assert triage.name == "振分け（会計課）"  # the stored name is Japanese alone
        number = make_supplier(sessions)
        supplier = make_user(sessions, Role.SUPPLIER, supplier=number)
        settings = Settings(database_url=url, storage_url=objects, log_json=False)
        with start_live_server(settings) as server:
            with server.client(supplier.token) as client:
                sent = client.post(
                    "/api/v1/invoices", content=jp_invoice(seller=number), headers=XML
                )
            assert sent.json()["department"] == TRIAGE, sent.text
            invoice_id = sent.json()["id"]
            with signed_in(server, "triage", "triage-demo") as browser:
                inbox = browser.get("/inbox", params={"lang": "en"})
                assert inbox.status_code == 200
                assert f'data-invoice="{invoice_id}"' in inbox.text
                assert "Triage (central accounting)" in inbox.text
                page = browser.get(f"/inbox/{invoice_id}").text
                version = re.search(r'name="version" value="(\d+)"', page)
                assert version is not None
                forwarded = browser.post(
                    f"/inbox/{invoice_id}/forward",
                    data={
                        "csrf_token": form_token(page),
                        "version": version.group(1),
                        "department": "KYOIKU-01",
                    },
                )
                assert forwarded.status_code == 303, forwarded.text
            with signed_in(server, "clerk", "clerk-demo") as browser:
                assert f'data-invoice="{invoice_id}"' in browser.get("/inbox").text
    finally:
        engine.dispose()
