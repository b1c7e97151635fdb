"""Every page of the app as each role that may see it: the tour the axe and language tests take.

The pages come from the app's own route table: every ``GET`` route outside the API is a page
unless ``NOT_PAGES`` says why not, so a new page that no tour visits fails both tests. Who
may see a page, and on which objects, is ``tests/reliability/access.py``'s table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy.orm import Session, sessionmaker

from service.app import create_app
from service.routing.service import TRIAGE_CODE
from service.settings import Settings
from storage.db import create_db_engine, session_factory
from storage.models import Role
from tests.conftest import new_database_url
from tests.documents import jp_invoice
from tests.reliability.access import (
    ACCOUNTING,
    ADMIN,
    ANONYMOUS,
    AUDITOR,
    CLERK_OWN,
    EXPECTED,
    OK,
    SUPPLIER_OWN,
    World,
    build_world,
    sign_in,
)
from tests.support import LiveServer, make_supplier, make_user, start_live_server

NOT_PAGES = {
    "/openapi.json": "the API schema (JSON)",
    "/docs": "Swagger UI: its markup is fastapi-offline's, not ours",
    "/healthz": "operations (JSON)",
    "/readyz": "operations (JSON)",
    "/metrics": "operations (Prometheus text)",
    "/invoices/{invoice_id}/original": "the stored original (XML or PDF), not a page",
    "/invoices/{invoice_id}/copy.pdf": "the supplier's PDF copy (a download), not a page",
    "/admin/mail/{mail_id}/original": "a held mail's raw message (a download), not a page",
    "/invoices/{invoice_id}/pages/{page}.png": "a PDF page as an image, shown inside pages",
}
SECOND_CLERK = "second-clerk"
TRIAGE_CLERK = "triage-clerk"
ROLES = {
    # who visits → whose row of access.EXPECTED says what they may see
    ANONYMOUS: ANONYMOUS,
    SUPPLIER_OWN: SUPPLIER_OWN,
    CLERK_OWN: CLERK_OWN,
    SECOND_CLERK: CLERK_OWN,
    TRIAGE_CLERK: CLERK_OWN,
    ACCOUNTING: ACCOUNTING,
    AUDITOR: AUDITOR,
    ADMIN: ADMIN,
}
TRIAGE_PAGES = {"/", "/inbox", "/inbox/{invoice_id}", "/invoices", "/invoices/{invoice_id}"}
"""The triage clerk's day: their inbox and its invoice (the other pages are a clerk's)."""


def page_routes(settings: Settings) -> set[str]:
    """Path templates of every page the app serves (``GET``, outside the API)."""
    app = create_app(settings)
    try:
        return {
            route.path
            for route in iter_route_contexts(app.routes)
            if route.path is not None
            and "GET" in (route.methods or ())
            and not route.path.startswith("/api/")
            and route.path not in NOT_PAGES
        }
    finally:
        app.state.runtime.close()


def may_see(role: str, template: str) -> bool:
    """Whether access.py lets ``role`` see the page (its own objects)."""
    return EXPECTED[("GET", template)].expect[ROLES.get(role, role)] == OK


@contextmanager
def tour_world(server: LiveServer, sessions: sessionmaker[Session]) -> Iterator[World]:
    """access.py's world, plus a second clerk of D and a triage clerk with an invoice."""
    with build_world(server, sessions) as built:
        built.accounts[TRIAGE_CLERK] = make_user(sessions, Role.CLERK, departments=(TRIAGE_CODE,))
        built.accounts[SECOND_CLERK] = built.substitute
        for name in (TRIAGE_CLERK, SECOND_CLERK):
            built.browsers[name], built.csrf[name] = sign_in(server, built.accounts[name])
        number = make_supplier(sessions)  # no default department: to triage
        sender = make_user(sessions, Role.SUPPLIER, supplier=number)
        with server.client(sender.token) as client:
            sent = client.post(
                "/api/v1/invoices",
                content=jp_invoice(seller=number),
                headers={"Content-Type": "application/xml"},
            )
        assert sent.json()["department"] == TRIAGE_CODE, sent.text
        built.shared["triage_invoice_id"] = str(sent.json()["id"])
        yield built


@contextmanager
def own_server(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, sessionmaker[Session]]]:
    """The app on a database of its own: only what the test puts there shows on its pages."""
    url = new_database_url(tmp_path_factory.mktemp("own"))
    with start_live_server(settings.model_copy(update={"database_url": url})) as server:
        engine = create_db_engine(url)
        try:
            yield server, session_factory(engine)
        finally:
            engine.dispose()


def _path(template: str, target: dict[str, str]) -> str:
    return template.format(**{k: v for k, v in target.items() if not k.startswith("_")})


def _target(world: World, role: str, template: str) -> dict[str, str]:
    target = EXPECTED[("GET", template)].target(world, False)
    if role == TRIAGE_CLERK and "invoice_id" in target:
        return {**target, "invoice_id": world.shared["triage_invoice_id"]}
    return target


def tour(world: World, routes: set[str]) -> dict[str, list[tuple[str, str]]]:
    """Role → (path template, path) of every page the role may see."""
    visits: dict[str, list[tuple[str, str]]] = {}
    for role in ROLES:
        for template in sorted(routes):
            if role == TRIAGE_CLERK and template not in TRIAGE_PAGES:
                continue
            if may_see(role, template):
                path = _path(template, _target(world, role, template))
                visits.setdefault(role, []).append((template, path))
    return visits
