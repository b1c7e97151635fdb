"""The administrator's user pages and the password reset page, over real HTTP, in Japanese
and English: filter the list, deactivate and reactivate, change role and departments, issue a
reset code that the user redeems once; and nobody else may."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.support import (
    HTML,
    Account,
    LiveServer,
    form_token,
    make_department,
    make_supplier,
    make_user,
    signed_in,
)

NEW_PASSWORD = "another-long-password"
RESET_CODE = re.compile(r'id="reset-code">([^<]+)<')


@pytest.fixture
def admin(live_server: LiveServer, sessions: sessionmaker[Session]) -> Iterator[httpx.Client]:
    account = make_user(sessions, Role.ADMIN)
    with signed_in(live_server, account.login, account.password) as client:
        yield client


def _post(client: httpx.Client, path: str, **fields: str | list[str]) -> httpx.Response:
    """A form POST with the session's CSRF token (one per session, on every page)."""
    return client.post(path, data={"csrf_token": form_token(client.get("/admin").text), **fields})


@pytest.mark.parametrize(
    ("lang", "words", "none"),
    [("ja", "無効", "該当する利用者はいません"), ("en", "Deactivated", "No user matches")],
)
def test_the_list_filters_by_status_and_text_in_both_languages(
    admin: httpx.Client, sessions: sessionmaker[Session], lang: str, words: str, none: str
) -> None:
    gone = make_user(sessions, Role.AUDITOR)
    assert _post(admin, f"/admin/users/{gone.login}/deactivate").status_code == 200
    page = admin.get(
        "/admin/users", params={"status": "deactivated", "q": gone.login, "lang": lang}
    )
    assert page.status_code == 200
    assert f'href="/admin/users/{gone.login}"' in page.text
    assert f'<span class="status status-deactivated">{words}</span>' in page.text
    nothing = admin.get("/admin/users", params={"status": "active", "q": gone.login}).text
    assert f'href="/admin/users/{gone.login}"' not in nothing
    assert none in nothing


def test_deactivate_reactivate_and_change_role_on_the_users_page(
    live_server: LiveServer, admin: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    department = make_department(sessions)
    clerk = make_user(sessions, Role.CLERK, departments=(department,))
    path = f"/admin/users/{clerk.login}"
    off = _post(admin, f"{path}/deactivate")
    assert off.status_code == 200
    assert "無効化しました" in off.text
    with live_server.client(clerk.token) as program:
        assert program.get("/api/v1/inbox").status_code == 401
    on = _post(admin, f"{path}/reactivate")
    assert "再有効化しました" in on.text
    refused = _post(admin, path, role="clerk", departments=[])
    assert refused.status_code == 400
    assert "担当職員には部署が1つ以上必要です" in refused.text
    english = admin.post(
        path,
        params={"lang": "en"},
        data={"csrf_token": form_token(on.text), "role": "accounting"},
    )
    assert english.status_code == 200
    assert "Saved." in english.text
    with live_server.client(clerk.token) as program:
        assert program.get("/api/v1/batches").status_code == 200


def test_an_admin_page_refuses_deactivating_oneself(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    me = make_user(sessions, Role.ADMIN)
    with signed_in(live_server, me.login, me.password) as client:
        page = client.get(f"/admin/users/{me.login}", params={"lang": "en"})
        assert "This is your own account" in page.text
        refused = _post(client, f"/admin/users/{me.login}/deactivate")
        assert refused.status_code == 409
        assert "You cannot deactivate yourself" in refused.text
        assert client.get("/admin/users").status_code == 200


def test_a_reset_code_shown_once_is_redeemed_on_the_reset_page_once(
    live_server: LiveServer, admin: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    accountant = make_user(sessions, Role.ACCOUNTING)
    issued = _post(admin, f"/admin/users/{accountant.login}/password-reset")
    assert issued.status_code == 200
    match = RESET_CODE.search(issued.text)
    assert match is not None, issued.text
    code = match[1]
    assert f'href="/password-reset?code={code}"' in issued.text
    assert code not in admin.get(f"/admin/users/{accountant.login}").text
    with live_server.client() as visitor:
        visitor.headers.update(HTML)
        form = visitor.get("/password-reset", params={"code": code, "lang": "en"})
        assert form.status_code == 200
        assert f'value="{code}"' in form.text
        fields = {"csrf_token": form_token(form.text), "code": code}
        short = visitor.post("/password-reset", data={**fields, "password": "short"})
        assert short.status_code == 400
        assert "10 to 200 characters" in short.text
        fields["csrf_token"] = form_token(short.text)  # each form showing has its own token
        done = visitor.post("/password-reset", data={**fields, "password": NEW_PASSWORD})
        assert done.status_code == 200, done.text
        assert "Your password is set" in done.text
        again_form = visitor.get("/password-reset")
        again = visitor.post(
            "/password-reset",
            data={
                "csrf_token": form_token(again_form.text),
                "code": code,
                "password": NEW_PASSWORD,
            },
        )
        assert again.status_code == 400
        assert "wrong, used or expired" in again.text
        forged = visitor.post("/password-reset", data={"code": code, "password": NEW_PASSWORD})
        assert forged.status_code == 403
    with signed_in(live_server, accountant.login, NEW_PASSWORD) as client:
        assert client.get("/accounting").status_code == 200


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPPLIER, Role.AUDITOR])
def test_nobody_else_uses_the_user_pages(
    live_server: LiveServer, sessions: sessionmaker[Session], role: Role
) -> None:
    department = make_department(sessions)
    target = make_user(sessions, Role.CLERK, departments=(department,))
    caller: Account = make_user(
        sessions,
        role,
        departments=(department,) if role is Role.CLERK else (),
        supplier=make_supplier(sessions) if role is Role.SUPPLIER else None,
    )
    with signed_in(live_server, caller.login, caller.password) as client:
        token = form_token(client.get("/").text)
        path = f"/admin/users/{target.login}"
        assert client.get(path).status_code == 403
        for action in ("", "/deactivate", "/reactivate", "/password-reset"):
            response = client.post(path + action, data={"csrf_token": token, "role": "admin"})
            assert response.status_code == 403, action
    with live_server.client(target.token) as program:
        assert program.get("/api/v1/inbox").status_code == 200
