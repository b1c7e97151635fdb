"""``juryo reconcile``: orphans are listed and removed; referenced originals never are."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from service.cli import app
from service.invoices.reconcile import reconcile
from service.settings import Settings
from storage.models import Role
from storage.objects import open_object_store
from tests.documents import jp_invoice
from tests.support import LiveServer, make_supplier, make_user


def test_orphans_go_and_referenced_originals_stay(
    live_server: LiveServer, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    store = open_object_store(
        settings.storage_url,
        endpoint_url=settings.s3_endpoint_url,
        retention_years=settings.retention_years,
    )
    number = make_supplier(sessions)
    user = make_user(sessions, Role.SUPPLIER, supplier=number)
    with live_server.client(user.token) as client:
        sent = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=number),
            headers={"Content-Type": "application/xml"},
        ).json()
    orphan = store.put(b"<orphan>no row points here</orphan>", media_type="application/xml")

    young = reconcile(sessions, store, grace=dt.timedelta(hours=1), remove=True)
    assert orphan.key not in young.orphans
    assert young.too_young >= 1

    report = reconcile(sessions, store, grace=dt.timedelta(0), remove=True)
    assert orphan.key in report.orphans
    assert sent["sha256"] not in report.orphans
    if store.exists(orphan.key):  # an Object Lock bucket keeps it until retention ends
        assert orphan.key in report.locked
    else:
        assert orphan.key in report.removed
    assert store.get(sent["sha256"])  # the referenced original is intact


def test_cli_dry_run_lists_without_removing(settings: Settings) -> None:
    store = open_object_store(
        settings.storage_url,
        endpoint_url=settings.s3_endpoint_url,
        retention_years=settings.retention_years,
    )
    orphan = store.put(b"<dry-run-orphan/>", media_type="application/xml")
    env = {
        "JURYO_DATABASE_URL": settings.database_url,
        "JURYO_STORAGE_URL": settings.storage_url,
        **({"JURYO_S3_ENDPOINT_URL": settings.s3_endpoint_url} if settings.s3_endpoint_url else {}),
    }
    result = CliRunner().invoke(app, ["reconcile", "--dry-run", "--grace-minutes", "0"], env=env)
    assert result.exit_code == 0, result.output
    assert f"orphan\t{orphan.key}" in result.output
    assert store.exists(orphan.key)
