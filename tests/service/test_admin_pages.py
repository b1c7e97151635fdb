"""Administrator pages over real HTTP: departments and aliases, the purchase-order register,
users; and that nobody else may use them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.db import transaction
from storage.models import Role
from storage.repositories import organisation
from tests.support import LiveServer, form_token, make_department, make_user, signed_in, unique


@pytest.fixture
def admin(live_server: LiveServer, sessions: sessionmaker[Session]) -> Iterator[httpx.Client]:
    account = make_user(sessions, Role.ADMIN)
    with signed_in(live_server, account.login, account.password) as client:
        yield client


def test_create_department_change_it_and_manage_aliases(
    admin: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    page = admin.get("/admin/departments")
    assert page.status_code == 200
    assert "部署の管理" in page.text
    assert 'href="/admin/suppliers"' in page.text
    code = unique("NEW")
    created = admin.post(
        "/admin/departments",
        data={
            "csrf_token": form_token(page.text),
            "code": code,
            "name": "土木課",
            "approval_threshold": "500,000",
            "works": "true",
        },
    )
    assert created.status_code == 303
    listing = admin.get(created.headers["location"]).text
    assert "保存しました" in listing
    assert code in listing
    assert "500,000" in listing

    token = form_token(listing)
    updated = admin.post(
        f"/admin/departments/{code}",
        data={"csrf_token": token, "name": "土木課", "approval_threshold": "2,000,000"},
    )
    assert updated.status_code == 303
    alias = unique("ALIAS")
    assert (
        admin.post(
            f"/admin/departments/{code}/aliases", data={"csrf_token": token, "alias": alias}
        ).status_code
        == 303
    )
    with transaction(sessions) as session:
        found = organisation.routing_department(
            session, code=alias, po_number=None, fallback_code="triage"
        )
        assert found is not None
        department, match = found
        assert match is organisation.RoutingMatch.ALIAS
        assert department.code == code
        assert department.approval_threshold == 2_000_000
        assert department.works_contracts is False

    duplicate = admin.post(
        "/admin/departments", data={"csrf_token": token, "code": code, "name": "again"}
    )
    assert duplicate.status_code == 409
    assert "登録済みです" in duplicate.text
    bad_code = admin.post(
        "/admin/departments", data={"csrf_token": token, "code": "no spaces", "name": "x"}
    )
    assert bad_code.status_code == 400
    assert "code" in bad_code.text

    removed = admin.post("/admin/aliases/remove", data={"csrf_token": token, "alias": alias})
    assert removed.status_code == 303
    with transaction(sessions) as session:
        found = organisation.routing_department(
            session, code=alias, po_number=None, fallback_code="triage"
        )
        assert found is not None
        assert found[1] is organisation.RoutingMatch.FALLBACK


def test_import_purchase_orders_and_show_the_errors_of_a_bad_csv(
    admin: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    code = make_department(sessions)
    page = admin.get("/admin/routing")
    assert page.status_code == 200
    token = form_token(page.text)
    first, second = unique("PO"), unique("PO")
    csv_text = f"po_number,department_code\n{first},{code}\n{second},{code}\n"
    imported = admin.post(
        "/admin/routing/purchase-orders",
        data={"csrf_token": token},
        files={"file": ("orders.csv", csv_text.encode(), "text/csv")},
    )
    assert imported.status_code == 200
    assert "2 件を取り込みました" in imported.text
    with transaction(sessions) as session:
        found = organisation.routing_department(
            session, code=None, po_number=first, fallback_code="triage"
        )
        assert found is not None
        assert found[0].code == code
        assert found[1] is organisation.RoutingMatch.PURCHASE_ORDER

    bad = f"{unique('PO')},NO-SUCH-DEPARTMENT\njust-one-field\n"
    refused = admin.post(
        "/admin/routing/purchase-orders",
        data={"csrf_token": token},
        files={"file": ("bad.csv", bad.encode(), "text/csv")},
    )
    assert refused.status_code == 400
    assert "取り込めませんでした" in refused.text
    assert "1行目: 部署コード「NO-SUCH-DEPARTMENT」の部署はありません。" in refused.text
    assert "2行目: 列は「po_number,department_code」の2つにしてください。" in refused.text


def test_create_user_shows_its_token_once(
    admin: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    code = make_department(sessions)
    page = admin.get("/admin/users")
    assert page.status_code == 200
    login = unique("clerk")
    created = admin.post(
        "/admin/users",
        data={
            "csrf_token": form_token(page.text),
            "login": login,
            "role": "clerk",
            "departments": [code],
            "password": "a-long-password",
            "display_name": "山田 花子",
        },
    )
    assert created.status_code == 201, created.text
    assert "利用者を作成しました" in created.text
    token = created.text.split('<p class="token">')[1].split("</p>")[0]
    assert len(token) > 20
    assert token not in admin.get("/admin/users").text
    with httpx.Client(base_url=str(admin.base_url)) as api:
        me = api.get("/api/v1/inbox", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200

    refused = admin.post(
        "/admin/users",
        data={"csrf_token": form_token(page.text), "login": unique("c"), "role": "clerk"},
    )
    assert refused.status_code == 400
    assert "所属部署を1つ以上指定してください" in refused.text


def test_non_admins_are_refused_and_forms_need_the_csrf_token(
    live_server: LiveServer, sessions: sessionmaker[Session], admin: httpx.Client
) -> None:
    clerk = make_user(sessions, Role.CLERK, departments=(make_department(sessions),))
    with signed_in(live_server, clerk.login, clerk.password) as client:
        for path in ("/admin/departments", "/admin/routing", "/admin/users"):
            assert client.get(path).status_code == 403
        html = client.get("/inbox").text
        refused = client.post(
            "/admin/departments",
            data={"csrf_token": form_token(html), "code": unique("X"), "name": "x"},
        )
        assert refused.status_code == 403
    no_csrf = admin.post("/admin/departments", data={"code": unique("X"), "name": "x"})
    assert no_csrf.status_code == 403
