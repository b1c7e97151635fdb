"""Electronic-Books search (電子帳簿保存法): filters combined, scoped, and its CSV download."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.invoices.search_export import SEARCH_CSV_COLUMNS
from storage.models import Role
from tests.documents import jp_invoice
from tests.support import LiveServer, make_department, make_supplier, make_user

XML = {"Content-Type": "application/xml"}


@pytest.fixture(scope="module")
def world(live_server: LiveServer, sessions: sessionmaker[Session]) -> dict[str, str]:
    """Two departments, two suppliers, invoices issued on three days."""
    north, south = make_department(sessions), make_department(sessions)
    alpha = make_supplier(sessions, department=north)
    beta = make_supplier(sessions, department=south)
    for number, days in ((alpha, ("2026-10-01", "2026-10-15")), (beta, ("2026-10-15",))):
        user = make_user(sessions, Role.SUPPLIER, supplier=number)
        with live_server.client(user.token) as client:
            for day in days:
                response = client.post(
                    "/api/v1/invoices",
                    content=jp_invoice(seller=number, issue_date=day),
                    headers=XML,
                )
                assert response.status_code == 201, response.text
    return {"north": north, "south": south, "alpha": alpha, "beta": beta}


def _csv(response_content: bytes) -> list[dict[str, str]]:
    assert response_content.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(response_content.decode("utf-8-sig")))
    assert tuple(reader.fieldnames or ()) == SEARCH_CSV_COLUMNS
    return list(reader)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"department": "north"}, {("alpha", "2026-10-01"), ("alpha", "2026-10-15")}),
        (
            {"department": "north", "issue_date_from": "2026-10-10"},
            {("alpha", "2026-10-15")},
        ),
        (
            {"supplier": "beta", "amount_min": "16150", "amount_max": "16150"},
            {("beta", "2026-10-15")},
        ),
        ({"supplier": "beta", "amount_min": "20000"}, set()),
        (
            {"supplier": "alpha", "issue_date_to": "2026-10-01", "status": "pending"},
            {("alpha", "2026-10-01")},
        ),
        ({"supplier": "alpha", "status": "paid"}, set()),
    ],
)
def test_filters_combine_in_json_and_csv(
    live_server: LiveServer,
    sessions: sessionmaker[Session],
    world: dict[str, str],
    params: dict[str, str],
    expected: set[tuple[str, str]],
) -> None:
    accountant = make_user(sessions, Role.ACCOUNTING)
    query = {
        k: world.get(v, v) if k in ("department", "supplier") else v for k, v in params.items()
    }
    names = {world["alpha"]: "alpha", world["beta"]: "beta"}
    with live_server.client(accountant.token) as client:
        listed = client.get("/api/v1/invoices", params=query).json()
        got = {
            (names[i["supplier"]["registration_number"]], i["issue_date"]) for i in listed["items"]
        }
        assert got == expected
        response = client.get("/api/v1/invoices/export.csv", params=query)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = _csv(response.content)
    assert {(names[r["registration_number"]], r["issue_date"]) for r in rows} == expected
    assert all(r["payable_amount"] == "16150" for r in rows)


def test_csv_is_scoped_like_the_search(
    live_server: LiveServer, sessions: sessionmaker[Session], world: dict[str, str]
) -> None:
    clerk = make_user(sessions, Role.CLERK, departments=(world["north"],))
    supplier = make_user(sessions, Role.SUPPLIER, supplier=world["beta"])
    with live_server.client(clerk.token) as client:
        rows = _csv(client.get("/api/v1/invoices/export.csv").content)
        assert {r["department"] for r in rows} == {world["north"]}
        assert (
            _csv(
                client.get(
                    "/api/v1/invoices/export.csv", params={"department": world["south"]}
                ).content
            )
            == []
        )
    with live_server.client(supplier.token) as client:
        rows = _csv(client.get("/api/v1/invoices/export.csv").content)
        assert {r["registration_number"] for r in rows} == {world["beta"]}
    with live_server.client() as anonymous:
        assert anonymous.get("/api/v1/invoices/export.csv").status_code == 401
    with live_server.client(clerk.token) as client:
        bad = client.get("/api/v1/invoices/export.csv", params={"issue_date_from": "x"})
        assert bad.status_code == 422
