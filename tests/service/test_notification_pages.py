"""The notification pages over HTTP: one's own address, webhooks, the delivery log, and who may
not see them."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session, sessionmaker

from storage.models import Role
from tests.support import (
    LiveServer,
    form_token,
    make_department,
    make_supplier,
    make_user,
    signed_in,
)


def test_everyone_sets_their_own_address_and_language(
    sessions: sessionmaker[Session], live_server: LiveServer
) -> None:
    clerk = make_user(sessions, Role.CLERK, departments=(make_department(sessions),))
    with signed_in(live_server, clerk.login, clerk.password) as browser:
        page = browser.get("/account/notifications")
        assert page.status_code == 200
        assert "Webhook" not in page.text  # a clerk has none to manage
        saved = browser.post(
            "/account/notifications",
            data={
                "email": "clerk@city.example.jp",
                "notify_language": "en",
                "wanted": ["digest.daily"],  # the delegation notice's box left unticked
                "csrf_token": form_token(page.text),
            },
        )
        assert saved.status_code == 303
        again = browser.get(saved.headers["location"])
        assert 'value="clerk@city.example.jp"' in again.text
        assert re.search(r'value="en"\s+checked', again.text)
        wrong = browser.post(
            "/account/notifications",
            data={
                "email": "not an address",
                "notify_language": "ja",
                "csrf_token": form_token(again.text),
            },
        )
        assert wrong.status_code == 422
        assert "「not an address」はメールアドレスではありません。" in wrong.text
    with live_server.client(clerk.token) as client:
        mine = client.get("/api/v1/me/notifications").json()
        refused = client.put("/api/v1/me/notifications", json={"email": "x@", "language": "ja"})
    assert mine == {
        "email": "clerk@city.example.jp",
        "language": "en",
        "muted": ["delegation.started"],
    }
    assert refused.status_code == 422
    assert refused.json()["detail"] == "'x@' is not an e-mail address."


def test_the_city_registers_a_webhook_and_sees_its_secret_once(
    sessions: sessionmaker[Session], live_server: LiveServer
) -> None:
    admin = make_user(sessions, Role.ADMIN)
    with signed_in(live_server, admin.login, admin.password) as browser:
        page = browser.get("/account/notifications?lang=en")
        made = browser.post(
            "/account/webhooks?lang=en",
            data={
                "url": "http://10.0.0.7/juryo-events",  # the city's own systems may be internal
                "events": ["invoice.received", "invoice.paid"],
                "csrf_token": form_token(page.text),
            },
        )
        assert made.status_code == 200, made.text
        secret = re.search(r'<p class="token">([0-9a-f]{64})</p>', made.text)
        assert secret is not None
        later = browser.get("/account/notifications?lang=en")
        assert "http://10.0.0.7/juryo-events" in later.text
        assert secret.group(1) not in later.text
        assert "Invoice received, Remittance notice" in later.text
        log = browser.get("/notifications/deliveries?lang=en")
        assert log.status_code == 200
        assert "Notification deliveries" in log.text


def test_a_supplier_is_refused_an_internal_url_in_its_language(
    sessions: sessionmaker[Session], live_server: LiveServer
) -> None:
    supplier = make_user(sessions, Role.SUPPLIER, supplier=make_supplier(sessions))
    with signed_in(live_server, supplier.login, supplier.password) as browser:
        page = browser.get("/account/notifications")
        refused = browser.post(
            "/account/webhooks",
            data={
                "url": "https://127.0.0.1/hook",
                "events": ["invoice.paid"],
                "csrf_token": form_token(page.text),
            },
        )
        none_chosen = browser.post(
            "/account/webhooks",
            data={"url": "https://127.0.0.1/hook", "csrf_token": form_token(page.text)},
        )
    assert refused.status_code == 422
    assert "ホスト 127.0.0.1 は内部ネットワークのアドレス（127.0.0.1）です。" in refused.text
    assert none_chosen.status_code == 422
    assert "送る出来事を次から一つ以上選んでください" in none_chosen.text


def test_who_may_not_open_the_webhook_pages(
    sessions: sessionmaker[Session], live_server: LiveServer
) -> None:
    for role in (Role.CLERK, Role.ACCOUNTING, Role.AUDITOR):
        departments = (make_department(sessions),) if role is Role.CLERK else ()
        person = make_user(sessions, role, departments=departments)
        with signed_in(live_server, person.login, person.password) as browser:
            page = browser.get("/account/notifications")
            assert browser.get("/notifications/deliveries").status_code == 403
            added = browser.post(
                "/account/webhooks",
                data={
                    "url": "https://example.jp/",
                    "events": ["invoice.paid"],
                    "csrf_token": form_token(page.text),
                },
            )
            assert added.status_code == 403
            resend = browser.post(
                "/notifications/deliveries/1/resend", data={"csrf_token": form_token(page.text)}
            )
            assert resend.status_code == 403
    with live_server.client() as anonymous:
        assert anonymous.get("/account/notifications").status_code in (303, 401)
        assert anonymous.get("/api/v1/me/notifications").status_code == 401
