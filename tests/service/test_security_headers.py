"""Security headers on every kind of response, and templates a strict policy does not break."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.support import HTML, LiveServer, make_user

TEMPLATES = Path(__file__).resolve().parents[2] / "service" / "templates"


def _assert_protected(response: httpx.Response) -> None:
    policy = response.headers.get("content-security-policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part}
    assert directives.get("script-src") == ["'self'"], policy
    assert directives.get("style-src") == ["'self'"], policy
    assert directives.get("frame-ancestors") == ["'none'"], policy
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy") == "same-origin"


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/login", HTML, 200),
        ("/invoices", HTML, 303),  # not signed in: the redirect carries them too
        ("/no-such-page", HTML, 404),
        ("/api/v1/me", {}, 401),
        ("/logout", {}, 405),
        ("/healthz", {}, 200),
        ("/openapi.json", {}, 200),
    ],
)
def test_every_answer_carries_the_headers_and_is_not_stored(
    live_server: LiveServer, path: str, headers: dict[str, str], status: int
) -> None:
    with live_server.client() as client:
        response = client.get(path, headers=headers)
    assert response.status_code == status
    _assert_protected(response)
    assert response.headers.get("cache-control") == "no-store"


def test_pages_and_api_answers_with_invoices_are_not_stored(
    live_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    accountant = make_user(sessions, Role.ACCOUNTING)
    with live_server.client(accountant.token) as client:
        answers = [client.get("/api/v1/invoices"), client.get("/api/v1/batches")]
    assert [a.status_code for a in answers] == [200, 200]
    for answer in answers:
        _assert_protected(answer)
        assert answer.headers["cache-control"] == "no-store"


def test_static_files_carry_the_headers_and_may_be_cached(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/static/juryo.css")
    assert response.status_code == 200
    _assert_protected(response)
    assert "no-store" not in response.headers.get("cache-control", "")


def test_the_api_docs_load_nothing_from_outside_the_host_and_may_not_be_framed(
    live_server: LiveServer,
) -> None:
    with live_server.client() as client:
        response = client.get("/docs")
        assert response.status_code == 200
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy
        assert "script-src 'self';" in policy
        assert "http" not in policy
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), "inline <script>"
        linked = re.findall(r'(?:src|href)="([^"]+)"', response.text)
        assert linked
        for url in linked:
            assert url.startswith("/"), url
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(template: Path) -> None:
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"<style|\sstyle\s*=", html), "inline style"
    assert "javascript:" not in html
