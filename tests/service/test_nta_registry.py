"""The NTA registry held offline: ``juryo nta import`` / ``status`` over a real database, the
OpenPGP signature (a key made here), and what intake says over HTTP on each case."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from service.cli import app
from service.clock import today
from service.registry.service import standing
from service.settings import Settings
from storage.db import create_db_engine, session_factory, transaction
from storage.models import NtaRegistration, Role
from storage.repositories.nta import lookup_plan
from tests.conftest import new_database_url
from tests.documents import jp_invoice
from tests.nta_files import nta_row, nta_zip
from tests.support import (
    LiveServer,
    make_supplier,
    make_user,
    registration_number,
    signed_in,
    start_live_server,
    unique,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # pgpy's own deprecation and self-signature warnings
    import pgpy  # type: ignore[import-untyped]
    from pgpy.constants import HashAlgorithm, KeyFlags, PubKeyAlgorithm


def juryo(env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run the CLI in-process; (exit code, stdout + stderr)."""
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The CLI pointed at a fresh, migrated database of its own (the registry is global)."""
    return {
        "JURYO_DATABASE_URL": new_database_url(tmp_path),
        "JURYO_STORAGE_URL": f"file:{tmp_path}/objects",
    }


def _rows(env: dict[str, str]) -> int:
    engine = create_db_engine(env["JURYO_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(NtaRegistration)) or 0
    finally:
        engine.dispose()


def _sessions(env: dict[str, str]) -> tuple[Engine, sessionmaker[Session]]:
    engine = create_db_engine(env["JURYO_DATABASE_URL"])
    return engine, session_factory(engine)


A, B, C = "T1000000000001", "T2000000000002", "T3000000000003"


def test_a_full_file_and_diffs_import_in_order_keep_history_and_twice_change_nothing(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    day0 = today() - dt.timedelta(days=1)
    full = nta_zip(
        tmp_path / f"zenken_{day0:%Y%m%d}.zip",
        [nta_row(A, name="株式会社エー"), nta_row(B, name="株式会社ビー", sequence=2)],
    )
    diff = nta_zip(
        tmp_path / f"sabun_{today():%Y%m%d}.zip",
        [
            nta_row(
                B, name="株式会社ビー", process="04", cancelled="2025-04-01", updated="2025-04-01"
            )
        ],
    )
    code, out = juryo(cli_env, "nta", "import", str(full), str(diff))
    assert code == 0, out
    assert "imported zenken" in out
    assert "imported sabun" in out
    code, out = juryo(cli_env, "nta", "status", "--json")
    status = json.loads(out)
    assert status["file"] == diff.name
    assert status["kind"] == "diff"
    assert status["date"] == today().isoformat()
    assert status["rows"] == 1
    assert _rows(cli_env) == 3  # B's registration and its cancellation, both kept

    code, out = juryo(cli_env, "nta", "import", str(full), str(diff))
    assert code == 0
    assert out.count("already imported, nothing changed") == 2
    assert _rows(cli_env) == 3

    engine, sessions = _sessions(cli_env)
    try:
        with transaction(sessions) as session:
            on = standing(session, B, dt.date(2025, 3, 31), today=today(), max_age_days=7)
            after = standing(session, B, dt.date(2025, 4, 1), today=today(), max_age_days=7)
            still = standing(session, A, dt.date(2025, 4, 1), today=today(), max_age_days=7)
    finally:
        engine.dispose()
    assert on.registered is True
    assert on.finding is None
    assert after.registered is False
    assert after.finding is not None
    assert after.finding.rule_id == "JURYO-INTAKE-NTA-INACTIVE"
    assert still.registered is True


def test_a_diff_after_a_gap_is_refused_naming_the_missing_days(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    monday = dt.date(2026, 11, 2)
    full = nta_zip(tmp_path / f"zenken_{monday:%Y%m%d}.zip", [nta_row(A)])
    tuesday = nta_zip(tmp_path / "sabun_20261103.zip", [nta_row(B)])
    friday = nta_zip(tmp_path / "sabun_20261106.zip", [nta_row(C)])
    code, out = juryo(cli_env, "nta", "import", str(full), str(tuesday), str(friday))
    assert code == 1
    assert "gap: the diffs of 2026-11-04, 2026-11-05 are missing" in out
    assert "sabun_20261103.zip" in out
    assert _rows(cli_env) == 2  # the file before the gap stays, nothing of the refused one
    monday_next = nta_zip(tmp_path / "sabun_20261109.zip", [nta_row(C)])
    code, out = juryo(cli_env, "nta", "import", str(friday), str(monday_next), "--accept-gap")
    assert code == 0, out  # the weekend is no gap; an accepted gap is the administrator's word


@dataclass(frozen=True)
class Keys:
    nta: pgpy.PGPKey
    other: pgpy.PGPKey


def _key(name: str) -> pgpy.PGPKey:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key = pgpy.PGPKey.new(PubKeyAlgorithm.RSAEncryptOrSign, 2048)
        key.add_uid(pgpy.PGPUID.new(name), usage={KeyFlags.Sign}, hashes=[HashAlgorithm.SHA256])
    return key


@pytest.fixture(scope="module")
def keys() -> Keys:
    """The "NTA's" signing key and a stranger's, made for the test."""
    return Keys(_key("NTA test key"), _key("someone else"))


def _sign(key: pgpy.PGPKey, data: bytes, to: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        to.write_text(str(key.sign(data)), encoding="ascii")


def test_the_signature_is_verified_when_the_nta_key_is_set(
    cli_env: dict[str, str], tmp_path: Path, keys: Keys
) -> None:
    env = {**cli_env, "JURYO_NTA_PGP_KEY": str(keys.nta.pubkey)}
    day = today()
    unsigned = nta_zip(tmp_path / f"zenken_{day:%Y%m%d}.zip", [nta_row(A)])
    code, out = juryo(env, "nta", "import", str(unsigned))
    assert code == 1
    assert "no signature" in out

    _sign(keys.other, unsigned.read_bytes(), tmp_path / (unsigned.name + ".asc"))
    code, out = juryo(env, "nta", "import", str(unsigned))
    assert code == 1
    assert "does not verify with the NTA key" in out

    _sign(keys.nta, b"other bytes", tmp_path / (unsigned.name + ".asc"))
    code, out = juryo(env, "nta", "import", str(unsigned))
    assert code == 1
    assert "does not verify with the NTA key" in out
    assert _rows(env) == 0

    _sign(keys.nta, unsigned.read_bytes(), tmp_path / (unsigned.name + ".asc"))
    code, out = juryo(env, "nta", "import", str(unsigned))
    assert code == 0, out
    code, out = juryo(env, "nta", "status", "--json")
    assert json.loads(out)["signature_verified"] is True


def test_an_absent_or_stale_registry_claims_nothing_either_way(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    engine, sessions = _sessions(cli_env)
    try:
        with transaction(sessions) as session:
            absent = standing(session, A, dt.date(2026, 1, 5), today=today(), max_age_days=7)
        old = today() - dt.timedelta(days=8)
        code, out = juryo(
            cli_env, "nta", "import", str(nta_zip(tmp_path / f"zenken_{old:%Y%m%d}.zip", []))
        )
        assert code == 0, out
        with transaction(sessions) as session:
            stale = standing(session, A, dt.date(2026, 1, 5), today=today(), max_age_days=7)
            fresh = standing(session, A, dt.date(2026, 1, 5), today=today(), max_age_days=8)
    finally:
        engine.dispose()
    for said in (absent, stale):
        assert said.registered is None
        assert said.finding is not None
        assert said.finding.rule_id == "JURYO-NTA-UNKNOWN"
    assert stale.finding is not None
    assert "8 days old" in stale.finding.message_en
    assert fresh.registered is False  # within the age: an absent number is "not registered"


# --- at intake, over HTTP ------------------------------------------------------------------------


@dataclass(frozen=True)
class Registry:
    server: LiveServer
    sessions: sessionmaker[Session]
    active: str
    cancelled: str
    expired: str
    renamed: str
    applicant: str


@pytest.fixture(scope="module")
def registry(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A server on a database of its own holding a fresh registry of four suppliers."""
    tmp = tmp_path_factory.mktemp("nta")
    url = new_database_url(tmp)
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    numbers = [make_supplier(sessions) for _ in range(4)]
    active, cancelled, expired, renamed = numbers
    applicant = registration_number()
    day = today() - dt.timedelta(days=1)
    full = nta_zip(
        tmp / f"zenken_{day:%Y%m%d}.zip",
        [
            nta_row(active, name="株式会社ジュウリョウ文具"),
            nta_row(
                cancelled, name="株式会社ジュウリョウ文具", process="04", cancelled="2025-04-01"
            ),
            nta_row(expired, name="株式会社ジュウリョウ文具", process="03", expired="2025-06-01"),
            nta_row(renamed, name="まったく別の商事株式会社"),
            nta_row(applicant, name="株式会社申請者の登録名"),
        ],
    )
    env = {"JURYO_DATABASE_URL": url, "JURYO_STORAGE_URL": f"file:{tmp}/objects"}
    code, out = juryo(env, "nta", "import", str(full))
    assert code == 0, out
    checking = settings.model_copy(update={"database_url": url, "nta_check": True})
    with start_live_server(checking) as server:
        yield Registry(server, sessions, active, cancelled, expired, renamed, applicant)
    engine.dispose()


def _nta_findings(registry: Registry, seller: str, issue_date: str) -> list[dict[str, str]]:
    account = make_user(registry.sessions, Role.SUPPLIER, supplier=seller)
    with registry.server.client(account.token) as client:
        answer = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=seller, issue_date=issue_date),
            headers={"Content-Type": "application/xml"},
        )
    assert answer.status_code == 201, answer.text  # a warning never refuses: the city owes it
    return [f for f in answer.json()["findings"] if "NTA" in f["rule_id"]]


def test_registered_and_active_on_the_issue_date_gives_no_finding(registry: Registry) -> None:
    assert _nta_findings(registry, registry.active, "2026-11-26") == []


def test_cancelled_before_the_issue_date_warns_that_the_credit_may_not_be_claimed(
    registry: Registry,
) -> None:
    (finding,) = _nta_findings(registry, registry.cancelled, "2026-11-26")
    assert finding["rule_id"] == "JURYO-INTAKE-NTA-INACTIVE"
    assert finding["severity"] == "warning"
    assert "cancelled on 2025-04-01" in finding["message_en"]
    assert "may not claim the consumption-tax credit" in finding["message_en"]
    assert "仕入税額控除" in finding["message_ja"]
    assert "取消" in finding["message_ja"]


def test_cancelled_after_the_issue_date_gives_no_finding(registry: Registry) -> None:
    assert _nta_findings(registry, registry.cancelled, "2025-03-31") == []


def test_expired_before_the_issue_date_warns(registry: Registry) -> None:
    (finding,) = _nta_findings(registry, registry.expired, "2025-06-01")
    assert finding["rule_id"] == "JURYO-INTAKE-NTA-INACTIVE"
    assert "expired on 2025-06-01" in finding["message_en"]
    assert "失効" in finding["message_ja"]


def test_a_number_never_registered_warns(registry: Registry) -> None:
    stranger = make_supplier(registry.sessions)
    (finding,) = _nta_findings(registry, stranger, "2026-11-26")
    assert finding["rule_id"] == "JURYO-INTAKE-NTA-NOT-REGISTERED"
    assert finding["severity"] == "warning"
    assert "not registered as a qualified-invoice issuer" in finding["message_en"]


def test_a_registered_name_clearly_unlike_the_invoice_s_is_flagged(registry: Registry) -> None:
    (finding,) = _nta_findings(registry, registry.renamed, "2026-11-26")
    assert finding["rule_id"] == "JURYO-INTAKE-NTA-NAME"
    assert "まったく別の商事株式会社" in finding["message_en"]


def test_the_admin_sees_the_registry_the_scanner_and_a_lookup_with_history(
    registry: Registry,
) -> None:
    admin = make_user(registry.sessions, Role.ADMIN)
    with signed_in(registry.server, admin.login, admin.password) as browser:
        page = browser.get("/admin/registry", params={"number": registry.cancelled, "lang": "en"})
        index = browser.get("/admin").text
    assert page.status_code == 200
    assert "The malware scan is off" in page.text
    assert "zenken_" in page.text
    assert "not registered today" in page.text
    assert "Cancelled" in page.text
    assert "2025-04-01" in page.text
    assert "/admin/registry" in index


def test_the_admin_approving_a_sign_up_sees_the_registered_name(registry: Registry) -> None:
    admin = make_user(registry.sessions, Role.ADMIN)
    with registry.server.client() as client:
        answer = client.post(
            "/api/v1/signup",
            json={
                "registration_number": registry.applicant,
                "company_name": "申請者（自称）",
                "contact_email": "keiri@example.jp",
                "login": unique("applicant"),
                "password": "a-long-password-1",
            },
        )
    assert answer.status_code == 201, answer.text
    with signed_in(registry.server, admin.login, admin.password) as browser:
        page = browser.get("/admin/suppliers").text
    assert "株式会社申請者の登録名" in page


def test_the_invoice_page_shows_the_registered_name_beside_the_invoice_s(
    registry: Registry,
) -> None:
    account = make_user(registry.sessions, Role.SUPPLIER, supplier=registry.renamed)
    with registry.server.client(account.token) as client:
        answer = client.post(
            "/api/v1/invoices",
            content=jp_invoice(seller=registry.renamed),
            headers={"Content-Type": "application/xml"},
        )
    with signed_in(registry.server, account.login, account.password) as browser:
        page = browser.get(f"/invoices/{answer.json()['id']}").text
    assert '<dd class="registered-name">まったく別の商事株式会社</dd>' in page
    assert "株式会社ジュウリョウ文具" in page


def test_the_intake_lookup_is_one_seek_on_the_covering_index(registry: Registry) -> None:
    """At 5,000,000 rows as at five: no table row is read, so the cost does not grow."""
    with transaction(registry.sessions) as session:
        if session.get_bind().dialect.name == "postgresql":
            # Five rows: the planner would rightly scan the table; the plan at scale is wanted.
            session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = lookup_plan(session, registry.active)
    lookup = [line for line in plan if "nta_registrations" in line]
    assert len(lookup) == 1, plan
    assert "ix_nta_registrations_lookup" in lookup[0], plan
    assert "COVERING INDEX" in lookup[0] or "Index Only Scan" in lookup[0], plan
