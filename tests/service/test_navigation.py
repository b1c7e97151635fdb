"""Finding one's way, over real HTTP: the login page leads to sign-up, error pages keep the
navigation and the signed-in user, the administrator's index, the favicon from the host."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.admin.pages import ADMIN_PAGES
from storage.models import Role
from tests.support import HTML, Account, LiveServer, make_department, make_user, signed_in

HEAD = re.compile(r"<head>(.*?)</head>", re.S)


@pytest.fixture
def clerk(sessions: sessionmaker[Session]) -> Account:
    return make_user(sessions, Role.CLERK, departments=(make_department(sessions),))


@pytest.fixture
def admin(live_server: LiveServer, sessions: sessionmaker[Session]) -> Iterator[httpx.Client]:
    account = make_user(sessions, Role.ADMIN)
    with signed_in(live_server, account.login, account.password) as client:
        yield client


@pytest.mark.parametrize(("lang", "words"), [("ja", "利用登録へ"), ("en", "Sign up")])
def test_login_page_links_to_the_sign_up_page(
    live_server: LiveServer, lang: str, words: str
) -> None:
    with live_server.client() as client:
        page = client.get("/login", params={"lang": lang}, headers=HTML)
        assert page.status_code == 200
        assert f'<a href="/signup">{words}</a>' in page.text
        assert client.get("/signup", headers=HTML).status_code == 200


@pytest.mark.parametrize(
    ("path", "status"), [("/admin/users", 403), ("/invoices/2147483000", 404), ("/nope", 404)]
)
def test_error_pages_keep_the_navigation_and_the_signed_in_user(
    live_server: LiveServer, clerk: Account, path: str, status: int
) -> None:
    with signed_in(live_server, clerk.login, clerk.password) as client:
        page = client.get(path)
    assert page.status_code == status
    assert 'href="/inbox"' in page.text  # the clerk's navigation
    assert clerk.login in page.text  # who is signed in
    assert 'action="/logout"' in page.text  # and a way out


def test_an_anonymous_error_page_names_nobody(live_server: LiveServer) -> None:
    with live_server.client() as client:
        page = client.get("/nope", headers=HTML)
    assert page.status_code == 404
    assert 'action="/logout"' not in page.text


def test_admin_index_links_every_admin_page(admin: httpx.Client) -> None:
    page = admin.get("/admin")
    assert page.status_code == 200
    assert "管理メニュー" in page.text
    for href, _, _ in ADMIN_PAGES:
        assert f'href="{href}"' in page.text
        assert admin.get(href).status_code == 200, href
    assert 'href="/admin"' in admin.get("/").text  # reachable from the navigation
    assert "Administration" in admin.get("/admin", params={"lang": "en"}).text


def test_admin_index_is_for_admins_only(live_server: LiveServer, clerk: Account) -> None:
    with signed_in(live_server, clerk.login, clerk.password) as client:
        assert client.get("/admin").status_code == 403
        assert 'href="/admin"' not in client.get("/").text
    with live_server.client() as anonymous:
        visit = anonymous.get("/admin", headers=HTML)
    assert visit.status_code == 303
    assert visit.headers["location"].startswith("/login?next=")


def test_favicon_is_served_by_the_host_and_linked_from_every_page(
    live_server: LiveServer, clerk: Account
) -> None:
    with live_server.client() as client:
        icon = client.get("/static/favicon.svg")
        login = client.get("/login", headers=HTML)
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.content
    with signed_in(live_server, clerk.login, clerk.password) as client:
        pages = [login.text, client.get("/").text, client.get("/admin").text]
    for html in pages:
        head = HEAD.search(html)
        assert head is not None
        assert '<link rel="icon" href="/static/favicon.svg"' in head.group(1)
        assert "//" not in re.sub(r"https?://www\.w3\.org", "", head.group(1))  # nothing remote
