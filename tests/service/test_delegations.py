"""Delegations over the API and on their page, over real HTTP: a clerk sets, sees and ends
their own; an administrator anyone's, on the clerk's behalf, by the same rules; a clerk
cannot touch another's, and nobody else may use them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from storage import audit
from storage.models import AuditEvent, Delegation, Role
from tests.support import (
    Account,
    LiveServer,
    form_token,
    make_department,
    make_supplier,
    make_user,
    signed_in,
)


@dataclass(frozen=True)
class Team:
    """A department with two clerks, a clerk of another department and an administrator."""

    department: str
    clerk: Account
    colleague: Account
    outsider: Account
    admin: Account


@pytest.fixture
def team(sessions: sessionmaker[Session]) -> Team:
    department, other = make_department(sessions), make_department(sessions)
    return Team(
        department=department,
        clerk=make_user(sessions, Role.CLERK, departments=(department,)),
        colleague=make_user(sessions, Role.CLERK, departments=(department,)),
        outsider=make_user(sessions, Role.CLERK, departments=(other,)),
        admin=make_user(sessions, Role.ADMIN),
    )


def _body(team: Team, **changes: str) -> dict[str, str]:
    today = clock.today()
    return {
        "substitute": team.colleague.login,
        "department": team.department,
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=3)).isoformat(),
        **changes,
    }


def _exists(sessions: sessionmaker[Session], delegation_id: int) -> bool:
    with sessions() as session:
        return session.get(Delegation, delegation_id) is not None


def test_an_admin_sets_lists_and_ends_a_clerks_delegation_over_the_api(
    live_server: LiveServer, sessions: sessionmaker[Session], team: Team
) -> None:
    with sessions() as session:  # SQLite hands a deleted row's id out again: look after this
        before = audit.last_event_id(session)
    with live_server.client(team.admin.token) as admin:
        nameless = admin.post("/api/v1/delegations", json=_body(team))
        assert nameless.status_code == 400
        assert "担当職員のログインID" in nameless.json()["message_ja"]
        not_a_clerk = admin.post("/api/v1/delegations", json=_body(team, clerk=team.admin.login))
        assert not_a_clerk.status_code == 400
        elsewhere = admin.post("/api/v1/delegations", json=_body(team, clerk=team.outsider.login))
        assert elsewhere.status_code == 404
        created = admin.post("/api/v1/delegations", json=_body(team, clerk=team.clerk.login))
        assert created.status_code == 201, created.text
        delegation_id = created.json()["id"]
        assert delegation_id in {d["id"] for d in admin.get("/api/v1/delegations").json()}
    with live_server.client(team.clerk.token) as clerk:
        assert delegation_id in {d["id"] for d in clerk.get("/api/v1/delegations").json()}
    with live_server.client(team.admin.token) as admin:
        assert admin.delete(f"/api/v1/delegations/{delegation_id}").status_code == 204
    assert not _exists(sessions, delegation_id)
    with sessions() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.actor_login).where(
                AuditEvent.entity_type == "delegation",
                AuditEvent.entity_id == str(delegation_id),
                AuditEvent.id > before,
            )
        ).all()
    assert sorted(events) == [
        ("delegation.add", team.admin.login),
        ("delegation.delete", team.admin.login),
    ]


def test_a_clerk_may_not_set_or_end_another_clerks_delegation(
    live_server: LiveServer, sessions: sessionmaker[Session], team: Team
) -> None:
    with live_server.client(team.clerk.token) as clerk:
        created = clerk.post("/api/v1/delegations", json=_body(team))
        assert created.status_code == 201
        delegation_id = created.json()["id"]
        for_another = clerk.post(
            "/api/v1/delegations", json=_body(team, clerk=team.colleague.login)
        )
        assert for_another.status_code == 403
    with live_server.client(team.colleague.token) as colleague:
        assert colleague.delete(f"/api/v1/delegations/{delegation_id}").status_code == 404
    with live_server.client(team.outsider.token) as outsider:
        assert outsider.delete(f"/api/v1/delegations/{delegation_id}").status_code == 404
        listed = outsider.get("/api/v1/delegations").json()
        assert delegation_id not in {d["id"] for d in listed}
    assert _exists(sessions, delegation_id)


@pytest.mark.parametrize("role", [Role.SUPPLIER, Role.ACCOUNTING, Role.AUDITOR])
def test_nobody_else_uses_delegations(
    live_server: LiveServer, sessions: sessionmaker[Session], team: Team, role: Role
) -> None:
    caller = make_user(
        sessions, role, supplier=make_supplier(sessions) if role is Role.SUPPLIER else None
    )
    with live_server.client(caller.token) as client:
        assert client.get("/api/v1/delegations").status_code == 403
        assert client.post("/api/v1/delegations", json=_body(team)).status_code == 403
    with signed_in(live_server, caller.login, caller.password) as browser:
        assert browser.get("/delegations").status_code == 403
        token = form_token(browser.get("/").text)
        refused = browser.post("/delegations", data={"csrf_token": token, **_body(team)})
        assert refused.status_code == 403


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ja", ("代理承認を設定しました", "終了日が開始日より前です")),
        ("en", ("The delegation is set", "The range ends before it starts")),
    ],
)
def test_a_clerk_sets_and_ends_a_delegation_on_the_page(
    live_server: LiveServer,
    sessions: sessionmaker[Session],
    team: Team,
    lang: str,
    words: tuple[str, str],
) -> None:
    with signed_in(live_server, team.clerk.login, team.clerk.password) as browser:
        page = browser.get("/delegations", params={"lang": lang})
        assert page.status_code == 200
        assert 'name="clerk"' not in page.text
        token = form_token(page.text)
        created = browser.post("/delegations", data={"csrf_token": token, **_body(team)})
        assert created.status_code == 303
        listing = browser.get(created.headers["location"]).text
        assert words[0] in listing
        assert team.colleague.login in listing
        backwards = _body(team, starts_on="2026-12-10", ends_on="2026-12-01")
        refused = browser.post("/delegations", data={"csrf_token": token, **backwards})
        assert refused.status_code == 400
        assert words[1] in refused.text
        with sessions() as session:
            delegation_id = session.scalars(
                select(Delegation.id).order_by(Delegation.id.desc()).limit(1)
            ).one()
        assert (
            browser.post(
                f"/delegations/{delegation_id}/end", data={"csrf_token": token}
            ).status_code
            == 303
        )
    assert not _exists(sessions, delegation_id)


def test_an_admin_sets_a_delegation_for_a_clerk_on_the_page_and_another_clerk_cannot_end_it(
    live_server: LiveServer, sessions: sessionmaker[Session], team: Team
) -> None:
    with signed_in(live_server, team.admin.login, team.admin.password) as browser:
        page = browser.get("/delegations")
        assert 'name="clerk"' in page.text
        token = form_token(page.text)
        body = {"csrf_token": token, "clerk": team.clerk.login, **_body(team)}
        assert browser.post("/delegations", data=body).status_code == 303
    with sessions() as session:
        delegation_id = session.scalars(
            select(Delegation.id).order_by(Delegation.id.desc()).limit(1)
        ).one()
    with signed_in(live_server, team.outsider.login, team.outsider.password) as other:
        token = form_token(other.get("/delegations").text)
        refused = other.post(f"/delegations/{delegation_id}/end", data={"csrf_token": token})
        assert refused.status_code == 404
    assert _exists(sessions, delegation_id)
    with signed_in(live_server, team.clerk.login, team.clerk.password) as clerk:
        shown = clerk.get("/delegations").text
        assert f'action="/delegations/{delegation_id}/end"' in shown
        token = form_token(shown)
        ended = clerk.post(f"/delegations/{delegation_id}/end", data={"csrf_token": token})
        assert ended.status_code == 303
    assert not _exists(sessions, delegation_id)
