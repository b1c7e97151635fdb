"""Who may call which route: the expected answer per route and caller, and the world to ask in.

``EXPECTED`` has one row per (method, path template) of the app. Each row names, for the eight
callers in ``CALLERS``, what a request against the fixture objects must answer:

- ``OK``    the caller may: anything but 401/403/404 (a 409 or 422 is fine), never a 5xx
- ``LOGIN`` a page for a visitor without a session: 303 to ``/login?next=...``
- ``401``, ``403``, ``404`` the caller may not; the object is left as it was

The fixture objects belong to supplier A and department D: "own" callers are A's user and a
clerk of D, "other" callers are B's user and a clerk of E. A caller who may change an object
gets a fresh one (``Case.fresh``), so the shared objects stay put for the callers who may not.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage.db import transaction
from storage.models import (
    ApiToken,
    Batch,
    ComposeDraft,
    Delegation,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    DepartmentAlias,
    InvoiceRecord,
    Mail,
    MailStatus,
    PasswordReset,
    Role,
    Supplier,
    User,
    Webhook,
)
from tests.documents import jp_invoice, plain_pdf
from tests.support import (
    Account,
    LiveServer,
    make_department,
    make_supplier,
    make_user,
    registration_number,
    unique,
)

OK = "ok"
LOGIN = "login"
Expect = str | int

ANONYMOUS = "anonymous"
SUPPLIER_OWN = "supplier-own"
SUPPLIER_OTHER = "supplier-other"
CLERK_OWN = "clerk-own-dept"
CLERK_OTHER = "clerk-other-dept"
ACCOUNTING = "accounting"
AUDITOR = "auditor"
ADMIN = "admin"
CALLERS = (
    ANONYMOUS,
    SUPPLIER_OWN,
    SUPPLIER_OTHER,
    CLERK_OWN,
    CLERK_OTHER,
    ACCOUNTING,
    AUDITOR,
    ADMIN,
)

# Not the app's own routes: FastAPI's documentation and the static files (paths).
EXCLUDED = frozenset({"/openapi.json", "/docs", "/static/api-docs", "/static"})

XML = {"Content-Type": "application/xml"}
BANK_ACCOUNT = {
    "bank_code": "0005",
    "branch_code": "123",
    "account_type": "1",
    "account_number": "42",
    "account_holder": "カ）サンプル",
}
PDF_ENTRY = {"invoice_number": "A-100", "issue_date": "2026-11-20", "total": "11000", "taxes": []}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def is_page(path: str) -> bool:
    """Server-rendered pages, as opposed to the JSON API and the operations endpoints."""
    return not path.startswith(("/api/", "/healthz", "/readyz", "/metrics"))


# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    """Departments, suppliers, a user of every kind, and the objects the requests aim at."""

    server: LiveServer
    sessions: sessionmaker[Session]
    department: str
    other_department: str
    spare_department: str
    supplier: str
    other_supplier: str
    accounts: dict[str, Account]
    substitute: Account
    api: dict[str, httpx.Client] = field(default_factory=dict)
    browsers: dict[str, httpx.Client] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)

    # -- making objects (through the API as their owners would) --

    def invoice(self, *, pdf: bool = False, number: str | None = None) -> int:
        """A new invoice of supplier A, pending in department D."""
        client = self.api[SUPPLIER_OWN]
        if pdf:
            response = client.post(
                "/api/v1/invoices",
                content=plain_pdf(registration_number=self.supplier, number=unique("P")),
                headers={"Content-Type": "application/pdf"},
            )
        else:
            response = client.post(
                "/api/v1/invoices",
                content=jp_invoice(seller=self.supplier, number=number),
                headers=XML,
            )
        assert response.status_code == 201, response.text
        invoice_id: int = response.json()["id"]
        return invoice_id

    def entered_invoice(self) -> int:
        """A plain PDF of supplier A whose figures the supplier typed in: awaiting a clerk."""
        invoice_id = self.invoice(pdf=True)
        response = self.api[SUPPLIER_OWN].put(
            f"/api/v1/invoices/{invoice_id}/data-entry",
            json={**PDF_ENTRY, "invoice_number": unique("P"), "version": 1},
        )
        assert response.status_code == 200, response.text
        return invoice_id

    def returned_invoice(self) -> tuple[int, str]:
        """An invoice D's clerk sent back to supplier A; and its number."""
        number = unique("RET")
        invoice_id = self.invoice(number=number)
        response = self.api[CLERK_OWN].post(
            f"/api/v1/invoices/{invoice_id}/return", json={"version": 1, "reason": "単価違い"}
        )
        assert response.status_code == 200, response.text
        return invoice_id, number

    def batch(self) -> int:
        """A new, exported payment batch of department D's approved invoices."""
        invoice_id = self.invoice()
        with transaction(self.sessions) as session:
            session.execute(
                update(InvoiceRecord)
                .where(InvoiceRecord.id == invoice_id)
                .values(status="approved")
            )
        payday = (clock.today() + dt.timedelta(days=3)).isoformat()
        response = self.api[ACCOUNTING].post(
            "/api/v1/batches", json={"payment_date": payday, "department": self.department}
        )
        assert response.status_code == 201, response.text
        batch_id: int = response.json()["id"]
        return batch_id

    def token_id(self) -> int:
        """A spare API token of supplier A (never the one the tests call with)."""
        name = unique("spare")
        client = self.api[SUPPLIER_OWN]
        assert client.post("/api/v1/account/tokens", json={"name": name}).status_code == 201
        listed = client.get("/api/v1/account/tokens").json()
        token_id: int = next(t["id"] for t in listed if t["name"] == name)
        return token_id

    def delegation(self) -> int:
        """D's clerk names a substitute for tomorrow."""
        tomorrow = clock.today() + dt.timedelta(days=1)
        response = self.api[CLERK_OWN].post(
            "/api/v1/delegations",
            json={
                "substitute": self.substitute.login,
                "department": self.department,
                "starts_on": tomorrow.isoformat(),
                "ends_on": tomorrow.isoformat(),
            },
        )
        assert response.status_code == 201, response.text
        delegation_id: int = response.json()["id"]
        return delegation_id

    def user_login(self) -> str:
        """A fresh auditor an administrator may deactivate, change or reset."""
        return make_user(self.sessions, Role.AUDITOR).login

    def user_state(self, login: str) -> tuple[object, ...]:
        """A user's role, whether active, and how many reset codes were issued for it."""
        with self.sessions() as session:
            user = session.scalars(select(User).where(User.login == login)).one()
            resets = session.scalars(
                select(func.count())
                .select_from(PasswordReset)
                .where(PasswordReset.user_id == user.id)
            ).one()
            return user.role, user.active, resets

    def pending_supplier(self) -> int:
        """A sign-up waiting for an administrator."""
        number = registration_number()
        response = self.api[ANONYMOUS].post("/api/v1/signup", json=signup_body(number))
        assert response.status_code == 201, response.text
        with self.sessions() as session:
            found = session.scalars(
                select(Supplier.id).where(Supplier.registration_number == number)
            ).one()
        return found

    def alias(self) -> str:
        """A routing alias of department D."""
        alias = unique("ALIAS")
        response = self.api[ADMIN].post(
            f"/api/v1/admin/departments/{self.department}/aliases", json={"alias": alias}
        )
        assert response.status_code == 204, response.text
        return alias

    # -- reading state, to prove a refused request changed nothing --

    def invoice_state(self, invoice_id: str) -> tuple[object, ...]:
        with self.sessions() as session:
            invoice = session.get_one(InvoiceRecord, int(invoice_id))
            return (invoice.status, invoice.version, invoice.department_id, invoice.data_entry)

    def version(self, invoice_id: str) -> int:
        with self.sessions() as session:
            return session.get_one(InvoiceRecord, int(invoice_id)).version

    def batch_state(self, batch_id: str) -> tuple[object, ...]:
        with self.sessions() as session:
            batch = session.get_one(Batch, int(batch_id))
            return (batch.status, batch.paid_on)

    def token_state(self, token_id: str) -> object:
        with self.sessions() as session:
            return session.get_one(ApiToken, int(token_id)).revoked_at

    def delegation_state(self, delegation_id: str) -> object:
        with self.sessions() as session:
            return session.get(Delegation, int(delegation_id)) is not None

    def alias_state(self, alias: str) -> object:
        with self.sessions() as session:
            found = session.scalars(select(DepartmentAlias).where(DepartmentAlias.alias == alias))
            return found.one_or_none() is not None

    def supplier_state(self, supplier_id: str) -> object:
        """Where a sign-up stands: approved, and when and why it was rejected."""
        with self.sessions() as session:
            supplier = session.get_one(Supplier, int(supplier_id))
            return supplier.approved, supplier.rejected_at, supplier.rejection_reason

    def held_mail(self) -> int:
        """A mail from an unregistered address, held for an administrator (its original: the
        shared invoice's bytes, which the store holds)."""
        with transaction(self.sessions) as session:
            invoice = session.get_one(InvoiceRecord, int(self.shared["invoice_id"]))
            mail = Mail(
                size=invoice.original.size,
                original_id=invoice.original_id,
                from_address="stranger@example.jp",
                status=MailStatus.QUARANTINED,
            )
            session.add(mail)
            session.flush()
            return mail.id

    def webhook(self) -> int:
        """A webhook of supplier A's (made in the database: its URL need not resolve here)."""
        with transaction(self.sessions) as session:
            supplier_id = session.scalars(
                select(Supplier.id).where(Supplier.registration_number == self.supplier)
            ).one()
            hook = Webhook(
                supplier_id=supplier_id,
                url="https://192.0.2.10/juryo",  # TEST-NET: refused before any DNS lookup
                events=["invoice.paid"],
                secret="0" * 64,
            )
            session.add(hook)
            session.flush()
            return hook.id

    def delivery(self) -> int:
        """A delivery to supplier A's webhook, given up after its tries."""
        hook = int(self.shared["webhook_id"])
        with transaction(self.sessions) as session:
            row = Delivery(
                key=unique("delivery"),
                kind="invoice.paid",
                channel=DeliveryChannel.WEBHOOK,
                webhook_id=hook,
                language="en",
                payload={},
                status=DeliveryStatus.DEAD,
            )
            session.add(row)
            session.flush()
            return row.id

    def delivery_state(self, delivery_id: str) -> object:
        """Where a delivery stands."""
        with self.sessions() as session:
            row = session.get_one(Delivery, int(delivery_id))
            return row.status, row.next_attempt_at

    def webhook_state(self, webhook_id: str) -> object:
        """Whether a webhook is there, and on."""
        with self.sessions() as session:
            hook = session.get(Webhook, int(webhook_id))
            return None if hook is None else (hook.active, hook.url)

    def mail_state(self, mail_id: str) -> object:
        """Where a held mail stands."""
        with self.sessions() as session:
            mail = session.get_one(Mail, int(mail_id))
            return mail.status, mail.supplier_id, mail.reviewed_by_id


def signup_body(number: str | None = None) -> dict[str, str]:
    """A well-formed supplier sign-up."""
    return {
        "registration_number": number or registration_number(),
        "company_name": "株式会社サインアップ",
        "contact_email": "keiri@example.jp",
        "login": unique("signup"),
        "password": "long-enough-password",
    }


def sign_in(server: LiveServer, account: Account) -> tuple[httpx.Client, str]:
    """A browser session through the login form; returns the client and its CSRF token."""
    client = httpx.Client(base_url=server.base_url, timeout=30, headers={"Accept": "text/html"})
    form = client.get("/login")
    match = CSRF.search(form.text)
    assert match is not None, form.text
    response = client.post(
        "/login",
        data={"login": account.login, "password": account.password, "csrf_token": match[1]},
    )
    assert response.status_code == 303, response.text
    home = client.get("/")
    match = CSRF.search(home.text)
    assert match is not None, home.text
    return client, match[1]


@contextmanager
def build_world(server: LiveServer, sessions: sessionmaker[Session]) -> Iterator[World]:
    """Everything the matrix needs, made once; the clients close at the end."""
    department = make_department(sessions)
    other_department = make_department(sessions)
    spare_department = make_department(sessions)
    supplier = make_supplier(sessions, department=department)
    other_supplier = make_supplier(sessions, department=other_department)
    accounts = {
        SUPPLIER_OWN: make_user(sessions, Role.SUPPLIER, supplier=supplier),
        SUPPLIER_OTHER: make_user(sessions, Role.SUPPLIER, supplier=other_supplier),
        CLERK_OWN: make_user(sessions, Role.CLERK, departments=(department,)),
        CLERK_OTHER: make_user(sessions, Role.CLERK, departments=(other_department,)),
        ACCOUNTING: make_user(sessions, Role.ACCOUNTING),
        AUDITOR: make_user(sessions, Role.AUDITOR),
        ADMIN: make_user(sessions, Role.ADMIN),
    }
    world = World(
        server=server,
        sessions=sessions,
        department=department,
        other_department=other_department,
        spare_department=spare_department,
        supplier=supplier,
        other_supplier=other_supplier,
        accounts=accounts,
        substitute=make_user(sessions, Role.CLERK, departments=(department,)),
    )
    try:
        world.api[ANONYMOUS] = server.client()
        world.browsers[ANONYMOUS] = httpx.Client(
            base_url=server.base_url, timeout=30, headers={"Accept": "text/html"}
        )
        for name, account in accounts.items():
            world.api[name] = server.client(account.token)
            world.browsers[name], world.csrf[name] = sign_in(server, account)
        bank = world.api[ADMIN].put(f"/api/v1/creditors/{supplier}/bank-account", json=BANK_ACCOUNT)
        assert bank.status_code == 200, bank.text
        returned, returned_number = world.returned_invoice()
        world.shared.update(
            invoice_id=str(world.invoice()),
            pdf_invoice_id=str(world.invoice(pdf=True)),
            returned_invoice_id=str(returned),
            returned_number=returned_number,
            batch_id=str(world.batch()),
            token_id=str(world.token_id()),
            delegation_id=str(world.delegation()),
            supplier_id=str(world.pending_supplier()),
            user_login=world.user_login(),
            alias=world.alias(),
        )
        world.shared.update(mail_id=str(world.held_mail()), webhook_id=str(world.webhook()))
        world.shared.update(delivery_id=str(world.delivery()))
        yield world
    finally:
        for client in [*world.api.values(), *world.browsers.values()]:
            client.close()


# --- the cases ---------------------------------------------------------------------------------

Target = dict[str, str]
"""Path parameters, plus ``_``-prefixed extras the body may need."""


@dataclass(frozen=True)
class Case:
    """One route: who may call it, and how to call it."""

    expect: Mapping[str, Expect]
    target: Callable[[World, bool], Target] = lambda world, fresh: {}
    """Path parameters; ``fresh`` asks for a new object because the caller may change it."""
    body: Callable[[World, str, Target], dict[str, Any]] = lambda world, caller, target: {}
    """``httpx`` keyword arguments (json, data, files, content, headers) for this caller."""
    observe: Callable[[World, Target], object] | None = None
    """State of the target that a refused request must leave unchanged."""
    send: Callable[[World, str, str, Target], httpx.Response] | None = None
    """A request of its own (sign-in, sign-out, sign-up need a fresh browser)."""

    @property
    def fresh(self) -> bool:
        """Callers who may change things get their own object."""
        return self.observe is not None


def row(*expected: Expect) -> dict[str, Expect]:
    """The expectations in the order of ``CALLERS``."""
    assert len(expected) == len(CALLERS)
    return dict(zip(CALLERS, expected, strict=True))


def page_row(*expected: Expect) -> dict[str, Expect]:
    """A signed-in page: a visitor without a session goes to the login page."""
    return row(LOGIN, *expected)


# Recurring rows.
PUBLIC = row(OK, OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = row(401, OK, OK, OK, OK, OK, OK, OK)
SCOPED = row(401, OK, 404, OK, 404, OK, OK, OK)
SUPPLIERS = row(401, OK, OK, 403, 403, 403, 403, 403)
CLERKS = row(401, 403, 403, OK, OK, 403, 403, 403)
DECISION = row(401, 403, 403, OK, 404, 403, 403, 403)
ENTRY = row(401, OK, 404, OK, 404, 403, 403, 403)
ACCOUNTANTS = row(401, 403, 403, 403, 403, OK, 403, 403)
BATCH_READERS = row(401, 403, 403, 403, 403, OK, OK, 403)
LEDGER = row(401, 403, 403, 403, 403, OK, OK, OK)
CREDITOR_READERS = row(401, 403, 403, 403, 403, OK, 403, OK)
ADMINS = row(401, 403, 403, 403, 403, 403, 403, OK)
AUDIT_READERS = row(401, 403, 403, 403, 403, 403, OK, OK)
PAGE_ANY = page_row(OK, OK, OK, OK, OK, OK, OK)
PAGE_SCOPED = page_row(OK, 404, OK, 404, OK, OK, OK)
PAGE_SUPPLIERS = page_row(OK, OK, 403, 403, 403, 403, 403)
PAGE_CLERKS = page_row(403, 403, OK, OK, 403, 403, 403)
PAGE_DECISION = page_row(403, 403, OK, 404, 403, 403, 403)
PAGE_ENTRY = page_row(OK, 404, OK, 404, 403, 403, 403)
PAGE_ACCOUNTANTS = page_row(403, 403, 403, 403, OK, 403, 403)
PAGE_CREDITOR_READERS = page_row(403, 403, 403, 403, OK, 403, OK)
PAGE_ADMINS = page_row(403, 403, 403, 403, 403, 403, OK)
PAGE_AUDIT_READERS = page_row(403, 403, 403, 403, 403, OK, OK)
PAGE_DELEGATIONS = page_row(403, 403, OK, OK, 403, 403, OK)
WEBHOOK_OWNERS = row(401, OK, OK, 403, 403, 403, 403, OK)
PAGE_WEBHOOK_OWNERS = page_row(OK, OK, 403, 403, 403, 403, OK)
STATISTICS_READERS = row(401, 403, 403, OK, OK, OK, OK, OK)
"""Clerks too, each seeing only its departments' figures (never a supplier)."""
PAGE_STATISTICS_READERS = page_row(403, 403, OK, OK, OK, OK, OK)
A_MONTH = {"params": {"month": "2026-11"}}


def _invoice(world: World, fresh: bool) -> Target:
    return {"invoice_id": str(world.invoice()) if fresh else world.shared["invoice_id"]}


def _pdf_invoice(world: World, fresh: bool) -> Target:
    invoice_id = str(world.invoice(pdf=True)) if fresh else world.shared["pdf_invoice_id"]
    return {"invoice_id": invoice_id}


def _pdf_page(world: World, fresh: bool) -> Target:
    return {**_pdf_invoice(world, fresh), "page": "1"}


def _entered_pdf(world: World, fresh: bool) -> Target:
    return {"invoice_id": str(world.entered_invoice())}


def _returned(world: World, fresh: bool) -> Target:
    if not fresh:
        return {
            "invoice_id": world.shared["returned_invoice_id"],
            "_number": world.shared["returned_number"],
        }
    invoice_id, number = world.returned_invoice()
    return {"invoice_id": str(invoice_id), "_number": number}


def _batch(world: World, fresh: bool) -> Target:
    return {"batch_id": str(world.batch()) if fresh else world.shared["batch_id"]}


def _token(world: World, fresh: bool) -> Target:
    return {"token_id": str(world.token_id()) if fresh else world.shared["token_id"]}


def _delegation(world: World, fresh: bool) -> Target:
    delegation_id = str(world.delegation()) if fresh else world.shared["delegation_id"]
    return {"delegation_id": delegation_id}


def _user(world: World, fresh: bool) -> Target:
    return {"login": world.user_login() if fresh else world.shared["user_login"]}


def _user_state(world: World, target: Target) -> object:
    return world.user_state(target["login"])


def _pending_supplier(world: World, fresh: bool) -> Target:
    return {"supplier_id": str(world.pending_supplier()) if fresh else world.shared["supplier_id"]}


def _webhook(world: World, fresh: bool) -> Target:
    return {"webhook_id": str(world.webhook()) if fresh else world.shared["webhook_id"]}


def _webhook_enable(world: World, fresh: bool) -> Target:
    return {"webhook_id": world.shared["webhook_id"], "act": "enable"}


def _delivery(world: World, fresh: bool) -> Target:
    return {"delivery_id": str(world.delivery()) if fresh else world.shared["delivery_id"]}


def _held_mail(world: World, fresh: bool) -> Target:
    return {"mail_id": str(world.held_mail()) if fresh else world.shared["mail_id"]}


def _alias(world: World, fresh: bool) -> Target:
    return {"alias": world.alias() if fresh else world.shared["alias"]}


def _creditor(world: World, fresh: bool) -> Target:
    return {"registration_number": world.supplier}


def _unlocked_login(world: World, fresh: bool) -> Target:
    return {"login": world.substitute.login}


def _department(world: World, fresh: bool) -> Target:
    return {"code": world.spare_department}


def _invoice_state(world: World, target: Target) -> object:
    return world.invoice_state(target["invoice_id"])


def _batch_state(world: World, target: Target) -> object:
    return world.batch_state(target["batch_id"])


def _json(payload: Any) -> Callable[[World, str, Target], dict[str, Any]]:
    return lambda world, caller, target: {"json": payload}


def _versioned(**fields: Any) -> Callable[[World, str, Target], dict[str, Any]]:
    """A decision body carrying the invoice's current version."""

    def body(world: World, caller: str, target: Target) -> dict[str, Any]:
        return {"json": {**fields, "version": world.version(target["invoice_id"])}}

    return body


def _versioned_form(**fields: Any) -> Callable[[World, str, Target], dict[str, Any]]:
    def body(world: World, caller: str, target: Target) -> dict[str, Any]:
        return {"data": {**fields, "version": str(world.version(target["invoice_id"]))}}

    return body


def _form(**fields: Any) -> Callable[[World, str, Target], dict[str, Any]]:
    return lambda world, caller, target: {"data": dict(fields)}


def _participant(caller: str) -> dict[str, str]:
    """A Peppol participant id no other caller or run records."""
    return {"participant_id": f"0188:{uuid.uuid4().int % 10**13:013d}"}


def _own_seller(world: World, caller: str) -> str:
    return world.other_supplier if caller == SUPPLIER_OTHER else world.supplier


def _upload(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"content": jp_invoice(seller=_own_seller(world, caller)), "headers": XML}


def _upload_page(world: World, caller: str, target: Target) -> dict[str, Any]:
    document = jp_invoice(seller=_own_seller(world, caller))
    return {
        "data": {"mode": "validate"},
        "files": {"files": ("invoice.xml", document, "application/xml")},
    }


def _correction(world: World, caller: str, target: Target) -> dict[str, Any]:
    document = jp_invoice(seller=_own_seller(world, caller), number=target["_number"], note="訂正")
    return {"files": {"file": ("corrected.xml", document, "application/xml")}}


def _batch_create(world: World, caller: str, target: Target) -> dict[str, Any]:
    payday = (clock.today() + dt.timedelta(days=3)).isoformat()
    return {"json": {"payment_date": payday, "department": world.department}}


def _batch_create_page(world: World, caller: str, target: Target) -> dict[str, Any]:
    payday = (clock.today() + dt.timedelta(days=3)).isoformat()
    return {"data": {"payment_date": payday, "department": world.department}}


def _paid(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"json": {"paid_on": clock.today().isoformat()}}


def _delegation_fields(world: World, caller: str) -> dict[str, str]:
    """A delegation of D's clerk (an administrator names that clerk) to the substitute."""
    day = (clock.today() + dt.timedelta(days=2)).isoformat()
    fields = {
        "substitute": world.substitute.login,
        "department": world.department,
        "starts_on": day,
        "ends_on": day,
    }
    if caller == ADMIN:
        fields["clerk"] = world.accounts[CLERK_OWN].login
    return fields


def _delegation_body(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"json": _delegation_fields(world, caller)}


def _delegation_form(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"data": _delegation_fields(world, caller)}


def _send_password_reset(world: World, caller: str, method: str, target: Target) -> httpx.Response:
    """The reset form's double-submit cookie, in the caller's own browser; a code that is no
    code is refused (400) for everyone alike."""
    with _fresh_browser(world) as browser:
        browser.cookies.update(world.browsers[caller].cookies)
        match = CSRF.search(browser.get("/password-reset").text)
        assert match is not None
        body = {"code": "no-such-code", "password": "long-enough-password"}
        return browser.post("/password-reset", data={**body, "csrf_token": match[1]})


def _approval(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"json": {"default_department": world.department}}


def _colleague(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"json": {"login": unique("colleague"), "password": "long-enough-password"}}


def _colleague_form(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"data": {"login": unique("colleague"), "password": "long-enough-password"}}


def _new_department(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"json": {"code": unique("NEW"), "name": "新しい課"}}


def _new_department_form(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"data": {"code": unique("NEW"), "name": "新しい課"}}


def _new_alias(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"json": {"alias": unique("ALIAS")}}


def _new_alias_form(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"data": {"alias": unique("ALIAS")}}


def _alias_form(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"data": {"alias": target["alias"]}}


def _purchase_orders(world: World, caller: str, target: Target) -> dict[str, Any]:
    csv = f"{unique('PO')},{world.spare_department}\n".encode()
    return {"content": csv, "headers": {"Content-Type": "text/csv"}}


def _purchase_orders_form(world: World, caller: str, target: Target) -> dict[str, Any]:
    csv = f"{unique('PO')},{world.spare_department}\n".encode()
    return {"files": {"file": ("po.csv", csv, "text/csv")}}


def _new_user(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"json": {"login": unique("auditor"), "role": "auditor"}}


def _new_user_form(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"data": {"login": unique("auditor"), "role": "auditor"}}


def _signup(world: World, caller: str, target: Target) -> dict[str, Any]:
    return {"json": signup_body()}


def _fresh_browser(world: World) -> httpx.Client:
    return httpx.Client(base_url=world.server.base_url, timeout=30, headers={"Accept": "text/html"})


def _send_login(world: World, caller: str, method: str, target: Target) -> httpx.Response:
    """Sign in with the caller's password (a visitor has none) in a browser of its own."""
    with _fresh_browser(world) as browser:
        match = CSRF.search(browser.get("/login").text)
        assert match is not None
        account = world.accounts.get(caller)
        login, password = (account.login, account.password) if account else ("nobody", "wrong")
        return browser.post(
            "/login", data={"login": login, "password": password, "csrf_token": match[1]}
        )


def _send_logout(world: World, caller: str, method: str, target: Target) -> httpx.Response:
    """Sign out of a session of its own, so the shared session stays signed in."""
    if caller == ANONYMOUS:
        return world.browsers[ANONYMOUS].post("/logout", data={"csrf_token": "none"})
    browser, csrf = sign_in(world.server, world.accounts[caller])
    try:
        return browser.post("/logout", data={"csrf_token": csrf})
    finally:
        browser.close()


def _send_signup(world: World, caller: str, method: str, target: Target) -> httpx.Response:
    """The sign-up form's double-submit cookie, in the caller's own browser."""
    with _fresh_browser(world) as browser:
        browser.cookies.update(world.browsers[caller].cookies)
        match = CSRF.search(browser.get("/signup").text)
        assert match is not None
        body = signup_body()
        return browser.post("/signup", data={**body, "csrf_token": match[1]})


def _compose_dry_run(world: World, caller: str, target: Target) -> dict[str, Any]:
    """A valid invoice for the form's API, only checked (nothing is stored)."""
    body = {
        "invoice_number": unique("F"),
        "issue_date": clock.today().isoformat(),
        "buyer_reference": world.department,
        "delivery_date": clock.today().isoformat(),
        "lines": [{"description": "点検", "quantity": "1", "unit_price": "1000"}],
    }
    return {"json": body, "params": {"dry_run": "true"}}


def _draft(world: World, fresh: bool) -> Target:
    """A draft on supplier A's invoice form (a fresh one for whoever may delete it)."""
    if not fresh and "draft_id" in world.shared:
        return {"draft_id": world.shared["draft_id"]}
    with transaction(world.sessions) as session:
        supplier_id = session.execute(
            select(Supplier.id).where(Supplier.registration_number == world.supplier)
        ).scalar_one()
        draft = ComposeDraft(supplier_id=supplier_id, template=False, name="draft", body={})
        session.add(draft)
        session.flush()
        draft_id = str(draft.id)
    if not fresh:
        world.shared["draft_id"] = draft_id
    return {"draft_id": draft_id}


def _draft_state(world: World, target: Target) -> object:
    with world.sessions() as session:
        return session.get(ComposeDraft, int(target["draft_id"])) is not None


EXPECTED: dict[tuple[str, str], Case] = {
    # --- operations: public by design (orchestrator and Prometheus) ---
    ("GET", "/healthz"): Case(PUBLIC),
    ("GET", "/readyz"): Case(PUBLIC),
    ("GET", "/metrics"): Case(PUBLIC),
    # --- API: identity, invoices ---
    ("GET", "/api/v1/me"): Case(SIGNED_IN),
    ("POST", "/api/v1/invoices"): Case(SUPPLIERS, body=_upload),
    ("POST", "/api/v1/validate"): Case(SIGNED_IN, body=_upload),
    ("GET", "/api/v1/invoices/export.csv"): Case(SIGNED_IN),
    ("GET", "/api/v1/invoices"): Case(SIGNED_IN),
    ("GET", "/api/v1/invoices/{invoice_id}"): Case(SCOPED, _invoice),
    ("GET", "/api/v1/invoices/{invoice_id}/original"): Case(SCOPED, _invoice),
    ("GET", "/api/v1/invoices/{invoice_id}/pages/{page}.png"): Case(SCOPED, _pdf_page),
    ("GET", "/api/v1/invoices/{invoice_id}/routing"): Case(SCOPED, _invoice),
    ("PUT", "/api/v1/invoices/{invoice_id}/data-entry"): Case(
        ENTRY, _pdf_invoice, _versioned(**PDF_ENTRY), _invoice_state
    ),
    ("POST", "/api/v1/invoices/{invoice_id}/data-entry/confirm"): Case(
        DECISION, _entered_pdf, _versioned(), _invoice_state
    ),
    # --- API: the inbox and decisions ---
    ("GET", "/api/v1/inbox"): Case(CLERKS),
    ("POST", "/api/v1/invoices/{invoice_id}/approve"): Case(
        DECISION, _invoice, _versioned(comment="確認"), _invoice_state
    ),
    ("POST", "/api/v1/invoices/{invoice_id}/return"): Case(
        DECISION, _invoice, _versioned(reason="単価違い"), _invoice_state
    ),
    ("POST", "/api/v1/invoices/{invoice_id}/reject"): Case(
        DECISION, _invoice, _versioned(reason="重複"), _invoice_state
    ),
    ("POST", "/api/v1/invoices/{invoice_id}/forward"): Case(
        DECISION,
        _invoice,
        lambda world, caller, target: _versioned(department=world.other_department)(
            world, caller, target
        ),
        _invoice_state,
    ),
    ("POST", "/api/v1/invoices/{invoice_id}/works"): Case(
        row(401, 403, 404, OK, 404, 403, 403, OK), _invoice, _versioned(works=True), _invoice_state
    ),
    ("GET", "/api/v1/overdue"): Case(LEDGER),
    ("GET", "/api/v1/statistics"): Case(STATISTICS_READERS, body=lambda *_: A_MONTH),
    ("GET", "/api/v1/statistics/export"): Case(STATISTICS_READERS, body=lambda *_: A_MONTH),
    ("GET", "/api/v1/inboxes"): Case(ADMINS),
    ("GET", "/api/v1/inboxes/{department}"): Case(
        ADMINS, lambda world, fresh: {"department": world.department}
    ),
    ("POST", "/api/v1/invoices/{invoice_id}/reassign"): Case(
        ADMINS,
        _invoice,
        lambda world, caller, target: _versioned(department=world.other_department)(
            world, caller, target
        ),
        _invoice_state,
    ),
    ("POST", "/api/v1/delegations"): Case(
        row(401, 403, 403, OK, 404, 403, 403, OK), body=_delegation_body
    ),
    ("GET", "/api/v1/delegations"): Case(row(401, 403, 403, OK, OK, 403, 403, OK)),
    ("DELETE", "/api/v1/delegations/{delegation_id}"): Case(
        row(401, 403, 403, OK, 404, 403, 403, OK),
        _delegation,
        observe=lambda world, target: world.delegation_state(target["delegation_id"]),
    ),
    # --- API: accounting ---
    ("POST", "/api/v1/batches"): Case(ACCOUNTANTS, body=_batch_create),
    ("GET", "/api/v1/batches"): Case(BATCH_READERS),
    ("GET", "/api/v1/batches/{batch_id}"): Case(BATCH_READERS, _batch),
    ("GET", "/api/v1/batches/{batch_id}/export"): Case(BATCH_READERS, _batch),
    ("POST", "/api/v1/batches/{batch_id}/cancel"): Case(ACCOUNTANTS, _batch, observe=_batch_state),
    ("POST", "/api/v1/batches/{batch_id}/paid"): Case(ACCOUNTANTS, _batch, _paid, _batch_state),
    ("GET", "/api/v1/creditors/{registration_number}"): Case(CREDITOR_READERS, _creditor),
    ("PUT", "/api/v1/creditors/{registration_number}/bank-account"): Case(
        ADMINS, _creditor, _json(BANK_ACCOUNT)
    ),
    # --- API: accounts ---
    ("POST", "/api/v1/signup"): Case(PUBLIC, body=_signup),
    ("GET", "/api/v1/admin/suppliers"): Case(ADMINS),
    ("POST", "/api/v1/admin/suppliers/{supplier_id}/approve"): Case(
        ADMINS,
        _pending_supplier,
        _approval,
        lambda world, target: world.supplier_state(target["supplier_id"]),
    ),
    ("POST", "/api/v1/admin/suppliers/{supplier_id}/reject"): Case(
        ADMINS,
        _pending_supplier,
        lambda world, caller, target: {"json": {"reason": "matrix"}},
        lambda world, target: world.supplier_state(target["supplier_id"]),
    ),
    # --- API: Peppol (the access point is a role of its own: none of these callers) ---
    ("POST", "/api/v1/peppol/inbound"): Case(
        row(401, 403, 403, 403, 403, 403, 403, 403),
        body=lambda world, caller, target: {"content": b"<x/>", "headers": XML},
    ),
    # only the access point pulls Invoice Responses (tests/service/peppol checks it may)
    ("GET", "/api/v1/peppol/outbound"): Case(row(401, 403, 403, 403, 403, 403, 403, 403)),
    ("POST", "/api/v1/peppol/outbound/{delivery_id}/ack"): Case(
        row(401, 403, 403, 403, 403, 403, 403, 403), _delivery
    ),
    ("GET", "/api/v1/account/peppol-participants"): Case(SUPPLIERS),
    ("POST", "/api/v1/account/peppol-participants"): Case(
        SUPPLIERS, body=lambda world, caller, target: {"json": _participant(caller)}
    ),
    ("GET", "/api/v1/admin/suppliers/{supplier_id}/peppol-participants"): Case(
        ADMINS, _pending_supplier
    ),
    ("POST", "/api/v1/admin/suppliers/{supplier_id}/peppol-participants"): Case(
        ADMINS,
        _pending_supplier,
        lambda world, caller, target: {"json": _participant(caller)},
    ),
    ("GET", "/api/v1/account/tokens"): Case(SUPPLIERS),
    ("POST", "/api/v1/account/tokens"): Case(SUPPLIERS, body=_json({"name": "matrix"})),
    ("POST", "/api/v1/account/tokens/{token_id}/revoke"): Case(
        row(401, OK, 404, 403, 403, 403, 403, 403),
        _token,
        observe=lambda world, target: world.token_state(target["token_id"]),
    ),
    ("POST", "/api/v1/account/users"): Case(SUPPLIERS, body=_colleague),
    # --- API: administration ---
    ("GET", "/api/v1/admin/departments"): Case(ADMINS),
    ("POST", "/api/v1/admin/departments"): Case(ADMINS, body=_new_department),
    ("PATCH", "/api/v1/admin/departments/{code}"): Case(
        ADMINS, _department, _json({"name": "予備の課"})
    ),
    ("POST", "/api/v1/admin/departments/{code}/aliases"): Case(ADMINS, _department, _new_alias),
    ("DELETE", "/api/v1/admin/aliases/{alias}"): Case(
        ADMINS, _alias, observe=lambda world, target: world.alias_state(target["alias"])
    ),
    ("POST", "/api/v1/admin/purchase-orders"): Case(ADMINS, body=_purchase_orders),
    ("GET", "/api/v1/admin/purchase-orders"): Case(ADMINS),
    ("GET", "/api/v1/admin/users"): Case(ADMINS),
    ("GET", "/api/v1/admin/audit-events"): Case(AUDIT_READERS),
    ("POST", "/api/v1/admin/users"): Case(ADMINS, body=_new_user),
    ("POST", "/api/v1/admin/users/{login}/unlock"): Case(ADMINS, _unlocked_login),
    ("PATCH", "/api/v1/admin/users/{login}"): Case(
        ADMINS, _user, _json({"role": "accounting"}), _user_state
    ),
    ("POST", "/api/v1/admin/users/{login}/deactivate"): Case(ADMINS, _user, observe=_user_state),
    ("POST", "/api/v1/admin/users/{login}/reactivate"): Case(ADMINS, _user, observe=_user_state),
    ("POST", "/api/v1/admin/users/{login}/password-reset"): Case(
        ADMINS, _user, observe=_user_state
    ),
    ("POST", "/api/v1/password-reset"): Case(
        PUBLIC, body=_json({"code": "no-such-code", "password": "long-enough-password"})
    ),
    # --- pages: signing in and out ---
    ("GET", "/login"): Case(PUBLIC),
    ("POST", "/login"): Case(row(401, OK, OK, OK, OK, OK, OK, OK), send=_send_login),
    ("POST", "/logout"): Case(PAGE_ANY, send=_send_logout),
    ("GET", "/"): Case(PAGE_ANY),
    # --- pages: invoices ---
    ("GET", "/invoices/upload"): Case(PAGE_SUPPLIERS),
    ("POST", "/invoices/upload"): Case(PAGE_SUPPLIERS, body=_upload_page),
    ("GET", "/invoices/{invoice_id}/data-entry"): Case(PAGE_SCOPED, _pdf_invoice),
    ("POST", "/invoices/{invoice_id}/data-entry"): Case(
        PAGE_ENTRY,
        _pdf_invoice,
        _versioned_form(invoice_number="A-100", issue_date="2026-11-20", total="11000"),
        _invoice_state,
    ),
    ("POST", "/invoices/{invoice_id}/data-entry/confirm"): Case(
        PAGE_DECISION, _entered_pdf, _versioned_form(), _invoice_state
    ),
    ("GET", "/invoices"): Case(PAGE_ANY),
    ("GET", "/invoices/{invoice_id}"): Case(PAGE_SCOPED, _invoice),
    ("GET", "/invoices/{invoice_id}/original"): Case(PAGE_SCOPED, _invoice),
    ("GET", "/invoices/{invoice_id}/pages/{page}.png"): Case(PAGE_SCOPED, _pdf_page),
    # --- the invoice form and the supplier's copy (service.compose) ---
    ("POST", "/api/v1/compose"): Case(SUPPLIERS, body=_compose_dry_run),
    ("GET", "/compose"): Case(PAGE_SUPPLIERS),
    ("POST", "/compose"): Case(PAGE_SUPPLIERS, body=_form(action="add_line")),
    ("POST", "/compose/save"): Case(PAGE_SUPPLIERS, body=_form(action="save_draft")),
    ("POST", "/compose/seller"): Case(PAGE_SUPPLIERS, body=_form(action="save_seller")),
    ("POST", "/compose/drafts/{draft_id}/delete"): Case(
        page_row(OK, 404, 403, 403, 403, 403, 403), _draft, observe=_draft_state
    ),
    ("GET", "/invoices/{invoice_id}/copy.pdf"): Case(PAGE_SCOPED, _invoice),
    ("POST", "/invoices/{invoice_id}/correct"): Case(
        page_row(OK, 404, 403, 403, 403, 403, 403), _returned, _correction, _invoice_state
    ),
    # --- pages: the inbox ---
    ("GET", "/inbox"): Case(PAGE_CLERKS),
    ("GET", "/inbox/{invoice_id}"): Case(PAGE_DECISION, _invoice),
    ("POST", "/inbox/{invoice_id}/approve"): Case(
        PAGE_DECISION, _invoice, _versioned_form(comment="確認"), _invoice_state
    ),
    ("POST", "/inbox/{invoice_id}/return"): Case(
        PAGE_DECISION, _invoice, _versioned_form(reason="単価違い"), _invoice_state
    ),
    ("POST", "/inbox/{invoice_id}/reject"): Case(
        PAGE_DECISION, _invoice, _versioned_form(reason="重複"), _invoice_state
    ),
    ("POST", "/inbox/{invoice_id}/forward"): Case(
        PAGE_DECISION,
        _invoice,
        lambda world, caller, target: _versioned_form(department=world.other_department)(
            world, caller, target
        ),
        _invoice_state,
    ),
    ("POST", "/inbox/{invoice_id}/works"): Case(
        PAGE_DECISION, _invoice, _versioned_form(works="yes"), _invoice_state
    ),
    # --- pages: accounting ---
    ("GET", "/accounting"): Case(PAGE_ACCOUNTANTS),
    ("POST", "/accounting/batches"): Case(PAGE_ACCOUNTANTS, body=_batch_create_page),
    ("GET", "/accounting/batches/{batch_id}"): Case(PAGE_ACCOUNTANTS, _batch),
    ("POST", "/accounting/batches/{batch_id}/paid"): Case(
        PAGE_ACCOUNTANTS, _batch, _form(paid_on=""), _batch_state
    ),
    ("POST", "/accounting/batches/{batch_id}/cancel"): Case(
        PAGE_ACCOUNTANTS, _batch, _form(confirm="yes"), _batch_state
    ),
    ("GET", "/accounting/creditors"): Case(PAGE_CREDITOR_READERS),
    ("POST", "/accounting/creditors/{registration_number}/bank"): Case(
        PAGE_ADMINS, _creditor, _form(**BANK_ACCOUNT)
    ),
    # --- pages: accounts ---
    ("GET", "/signup"): Case(PUBLIC),
    ("POST", "/signup"): Case(PUBLIC, send=_send_signup),
    ("GET", "/admin/suppliers"): Case(PAGE_ADMINS),
    # --- pages: received mail ---
    # --- notifications: one's own settings, webhooks, the delivery log (service.notifications) ---
    ("GET", "/api/v1/me/notifications"): Case(SIGNED_IN),
    ("PUT", "/api/v1/me/notifications"): Case(
        SIGNED_IN, body=lambda world, caller, target: {"json": {"email": None}}
    ),
    ("GET", "/api/v1/webhooks"): Case(WEBHOOK_OWNERS),
    ("POST", "/api/v1/webhooks"): Case(
        WEBHOOK_OWNERS,  # a URL no one may call: refused (422) after the role check
        body=lambda world, caller, target: {"json": {"url": "ftp://x", "events": ["invoice.paid"]}},
    ),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): Case(
        row(401, OK, 404, 403, 403, 403, 403, 404),
        _webhook,
        observe=lambda world, target: world.webhook_state(target["webhook_id"]),
    ),
    ("POST", "/api/v1/webhooks/{webhook_id}/enable"): Case(
        row(401, OK, 404, 403, 403, 403, 403, 404), _webhook
    ),
    ("GET", "/api/v1/deliveries"): Case(WEBHOOK_OWNERS),
    ("POST", "/api/v1/deliveries/{delivery_id}/resend"): Case(
        row(401, OK, 404, 403, 403, 403, 403, OK),
        _delivery,
        observe=lambda world, target: world.delivery_state(target["delivery_id"]),
    ),
    ("GET", "/account/notifications"): Case(PAGE_ANY),
    ("POST", "/account/notifications"): Case(
        PAGE_ANY, body=_form(email="", notify_language="ja", wanted="digest.daily")
    ),
    ("POST", "/account/webhooks"): Case(
        PAGE_WEBHOOK_OWNERS, body=_form(url="ftp://x", events="invoice.paid")
    ),
    ("POST", "/account/webhooks/{webhook_id}/{act}"): Case(
        page_row(OK, 404, 403, 403, 403, 403, 404), _webhook_enable
    ),
    ("GET", "/notifications/deliveries"): Case(PAGE_WEBHOOK_OWNERS),
    ("POST", "/notifications/deliveries/{delivery_id}/resend"): Case(
        page_row(OK, 404, 403, 403, 403, 403, OK),
        _delivery,
        observe=lambda world, target: world.delivery_state(target["delivery_id"]),
    ),
    ("GET", "/admin/mail"): Case(PAGE_ADMINS),
    ("GET", "/admin/mail/{mail_id}/original"): Case(PAGE_ADMINS, _held_mail),
    ("POST", "/admin/mail/{mail_id}/assign"): Case(
        PAGE_ADMINS,
        _held_mail,
        lambda world, caller, target: {"data": {"supplier": world.supplier}},
        lambda world, target: world.mail_state(target["mail_id"]),
    ),
    ("POST", "/admin/suppliers/{supplier_id}/approve"): Case(
        PAGE_ADMINS,
        _pending_supplier,
        lambda world, caller, target: {"data": {"default_department": world.department}},
        lambda world, target: world.supplier_state(target["supplier_id"]),
    ),
    ("POST", "/admin/suppliers/{supplier_id}/reject"): Case(
        PAGE_ADMINS,
        _pending_supplier,
        lambda world, caller, target: {"data": {"reason": "matrix"}},
        lambda world, target: world.supplier_state(target["supplier_id"]),
    ),
    ("GET", "/account"): Case(PAGE_SUPPLIERS),
    ("POST", "/account/tokens"): Case(PAGE_SUPPLIERS, body=_form(name="matrix")),
    ("POST", "/account/tokens/{token_id}/revoke"): Case(
        page_row(OK, 404, 403, 403, 403, 403, 403),
        _token,
        observe=lambda world, target: world.token_state(target["token_id"]),
    ),
    ("POST", "/account/users"): Case(PAGE_SUPPLIERS, body=_colleague_form),
    ("GET", "/account/peppol"): Case(PAGE_SUPPLIERS),
    ("POST", "/account/peppol"): Case(
        PAGE_SUPPLIERS, body=lambda world, caller, target: {"data": _participant(caller)}
    ),
    # --- pages: administration ---
    ("GET", "/admin"): Case(PAGE_ADMINS),
    ("GET", "/admin/audit"): Case(PAGE_AUDIT_READERS),
    ("GET", "/statistics"): Case(PAGE_STATISTICS_READERS),
    ("GET", "/admin/departments"): Case(PAGE_ADMINS),
    ("GET", "/admin/inboxes"): Case(PAGE_ADMINS),
    ("GET", "/admin/inboxes/{code}"): Case(
        PAGE_ADMINS, lambda world, fresh: {"code": world.department}
    ),
    ("POST", "/admin/inboxes/{code}/{invoice_id}/reassign"): Case(
        PAGE_ADMINS,
        lambda world, fresh: {"code": world.department, **_invoice(world, fresh)},
        lambda world, caller, target: _versioned_form(department=world.other_department)(
            world, caller, target
        ),
        _invoice_state,
    ),
    ("POST", "/admin/departments"): Case(PAGE_ADMINS, body=_new_department_form),
    ("POST", "/admin/departments/{code}"): Case(PAGE_ADMINS, _department, _form(name="予備の課")),
    ("POST", "/admin/departments/{code}/aliases"): Case(PAGE_ADMINS, _department, _new_alias_form),
    ("POST", "/admin/aliases/remove"): Case(
        PAGE_ADMINS, _alias, _alias_form, lambda world, target: world.alias_state(target["alias"])
    ),
    ("GET", "/admin/routing"): Case(PAGE_ADMINS),
    ("GET", "/admin/registry"): Case(PAGE_ADMINS),
    ("POST", "/admin/routing/purchase-orders"): Case(PAGE_ADMINS, body=_purchase_orders_form),
    ("GET", "/admin/users"): Case(PAGE_ADMINS),
    ("POST", "/admin/users"): Case(PAGE_ADMINS, body=_new_user_form),
    ("GET", "/admin/users/{login}"): Case(PAGE_ADMINS, _user),
    ("POST", "/admin/users/{login}"): Case(
        PAGE_ADMINS, _user, _form(role="accounting"), _user_state
    ),
    ("POST", "/admin/users/{login}/deactivate"): Case(PAGE_ADMINS, _user, observe=_user_state),
    ("POST", "/admin/users/{login}/reactivate"): Case(PAGE_ADMINS, _user, observe=_user_state),
    ("POST", "/admin/users/{login}/password-reset"): Case(PAGE_ADMINS, _user, observe=_user_state),
    ("GET", "/password-reset"): Case(PUBLIC),
    ("POST", "/password-reset"): Case(PUBLIC, send=_send_password_reset),
    # --- pages: delegations ---
    ("GET", "/delegations"): Case(PAGE_DELEGATIONS),
    ("POST", "/delegations"): Case(
        page_row(403, 403, OK, 404, 403, 403, OK), body=_delegation_form
    ),
    ("POST", "/delegations/{delegation_id}/end"): Case(
        page_row(403, 403, OK, 404, 403, 403, OK),
        _delegation,
        observe=lambda world, target: world.delegation_state(target["delegation_id"]),
    ),
}
