"""Generated requests against every operation of the OpenAPI schema the server publishes.

For an administrator's and a supplier's token: no answer is a 5xx, every answer's status code is
documented for its operation, and every body matches its documented schema. The server has a
database of its own, so generated writes (departments, users, sign-ups) stay out of the others'.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.db import create_db_engine, session_factory
from storage.models import Role
from tests.conftest import new_database_url
from tests.documents import jp_invoice
from tests.reliability.access import EXPECTED, is_page
from tests.support import LiveServer, make_department, make_supplier, make_user, start_live_server

EXAMPLES = 12
XML = {"Content-Type": "application/xml"}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
OPERATIONS = sorted(
    (method, path) for method, path in EXPECTED if not is_page(path) and path != "/metrics"
)
"""Every JSON operation (``/metrics`` is Prometheus text and documented as such)."""


@pytest.fixture(scope="module")
def own_sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    url = new_database_url(tmp_path_factory.mktemp("schemathesis"))
    engine = create_db_engine(url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def server(settings: Settings, own_sessions: sessionmaker[Session]) -> Iterator[LiveServer]:
    url = own_sessions.kw["bind"].url.render_as_string(hide_password=False)
    with start_live_server(settings.model_copy(update={"database_url": url})) as live:
        yield live


@dataclass(frozen=True)
class Callers:
    """Tokens to call with, and real objects to aim some of the requests at."""

    tokens: dict[str, str]
    known: dict[str, Any]


@pytest.fixture(scope="module")
def callers(server: LiveServer, own_sessions: sessionmaker[Session]) -> Callers:
    department = make_department(own_sessions)
    supplier = make_supplier(own_sessions, department=department)
    tokens = {
        "admin": make_user(own_sessions, Role.ADMIN).token,
        "supplier": make_user(own_sessions, Role.SUPPLIER, supplier=supplier).token,
    }
    with server.client(tokens["supplier"]) as client:
        sent = client.post("/api/v1/invoices", content=jp_invoice(seller=supplier), headers=XML)
        assert sent.status_code == 201, sent.text
        assert client.post("/api/v1/account/tokens", json={"name": "spare"}).status_code == 201
        spare = next(
            t["id"] for t in client.get("/api/v1/account/tokens").json() if t["name"] == "spare"
        )
    known = {
        "invoice_id": sent.json()["id"],
        "registration_number": supplier,
        "code": department,
        "token_id": spare,
    }
    return Callers(tokens, known)


def strategy(operation: Any, known: dict[str, Any]) -> Any:
    """Generated requests, and as many again aimed at the real objects where the path names one.

    Revoking a token only ever aims at the spare one: a generated id could be the caller's own.
    """
    names = [p.name for p in operation.path_parameters]
    generated = operation.as_strategy()
    if not names or not set(names) <= known.keys():
        return generated
    aimed = operation.as_strategy(path_parameters={name: known[name] for name in names})
    return aimed if "token_id" in names else st.one_of(generated, aimed)


@pytest.fixture(scope="module")
def api_schema(server: LiveServer) -> Any:
    return schemathesis.openapi.from_url(f"{server.base_url}/openapi.json")


def test_the_schema_lists_exactly_the_json_operations(api_schema: Any) -> None:
    documented = {
        (method.upper(), path)
        for path, methods in api_schema.raw_schema["paths"].items()
        for method in methods
    }
    assert documented == {*OPERATIONS, ("GET", "/metrics")}


@pytest.mark.parametrize("role", ["admin", "supplier"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_generated_requests_get_documented_answers(
    api_schema: Any,
    server: LiveServer,
    callers: Callers,
    method: str,
    path: str,
    role: str,
) -> None:
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {callers.tokens[role]}"}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy(operation, callers.known))
    def run(case: Any) -> None:
        case.call_and_validate(base_url=server.base_url, headers=headers, checks=CHECKS)

    run()
