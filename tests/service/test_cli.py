"""The ``juryo`` command over a real database, and the token it prints working over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from service.cli import app
from service.settings import Settings
from storage.db import create_db_engine
from tests.conftest import new_database_url
from tests.support import registration_number, start_live_server, unique


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment pointing the CLI at a fresh, migrated database."""
    return {
        "JURYO_DATABASE_URL": new_database_url(tmp_path),
        "JURYO_STORAGE_URL": f"file:{tmp_path}/objects",
    }


def juryo(env: dict[str, str], *args: str) -> tuple[int, str]:
    """Run a CLI command in-process; returns (exit code, stdout + stderr)."""
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_supplier_add_checks_the_registration_number(cli_env: dict[str, str]) -> None:
    good = registration_number()
    wrong = "T1234567890123"  # the JP PINT examples' placeholder: wrong check digit
    code, out = juryo(cli_env, "supplier", "add", good, "株式会社よい")
    assert code == 0, out
    code, out = juryo(cli_env, "supplier", "add", wrong, "株式会社わるい")
    assert code == 1
    assert "check digit" in out
    code, out = juryo(cli_env, "supplier", "add", wrong, "株式会社わるい", "--force")
    assert code == 0, out
    code, out = juryo(cli_env, "supplier", "add", "T12345", "短い")
    assert code == 1
    assert "13 digits" in out


def test_department_add_and_user_add_json(cli_env: dict[str, str]) -> None:
    code, out = juryo(cli_env, "department", "add", "ZAISEI-01", "財政局", "--threshold", "2000000")
    assert code == 0, out
    assert "2,000,000" in out
    code, out = juryo(
        cli_env, "user", "add", "clerk1", "--role", "clerk", "--department", "ZAISEI-01", "--json"
    )
    assert code == 0, out
    created = json.loads(out)
    assert created["login"] == "clerk1"
    assert created["role"] == "clerk"
    assert created["token"].startswith("jy_")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "clerk"), "at least one --department"),
        (("--role", "supplier"), "needs --supplier"),
        (("--role", "clerk", "--department", "NOPE"), "no department NOPE"),
        (("--role", "wizard"), "Invalid value"),
    ],
)
def test_user_add_refuses_unbound_roles(
    cli_env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    code, out = juryo(cli_env, "user", "add", unique("u"), *args)
    assert code != 0
    assert message in out


def test_bad_setting_stops_with_its_name(cli_env: dict[str, str]) -> None:
    code, out = juryo({**cli_env, "JURYO_RETENTION_YEARS": "forever"}, "audit", "verify")
    assert code == 2
    assert "JURYO_RETENTION_YEARS" in out


def test_demo_is_idempotent(cli_env: dict[str, str]) -> None:
    code, first = juryo(cli_env, "demo")
    assert code == 0, first
    assert "new records" in first
    code, second = juryo(cli_env, "demo")
    assert code == 0
    assert "already loaded" in second


def test_audit_verify_passes_then_catches_an_edited_event(cli_env: dict[str, str]) -> None:
    assert juryo(cli_env, "demo")[0] == 0
    code, out = juryo(cli_env, "audit", "verify")
    assert code == 0, out
    assert "intact" in out
    engine = create_db_engine(cli_env["JURYO_DATABASE_URL"])
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
        connection.execute(text("UPDATE audit_events SET actor_login = 'mallory' WHERE id = 2"))
    engine.dispose()
    code, out = juryo(cli_env, "audit", "verify")
    assert code == 1
    assert "event 2" in out


def test_installed_command_prints_a_token_the_api_accepts(
    cli_env: dict[str, str], settings: Settings
) -> None:
    """The 'done when' path: the console script, then GET /api/v1/me over HTTP."""
    script = Path(sys.executable).with_name("juryo")
    env = {**os.environ, **cli_env}
    subprocess.run([script, "db", "upgrade"], env=env, check=True, capture_output=True)
    added = subprocess.run(
        [script, "user", "add", "auditor1", "--role", "auditor", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    token = json.loads(added.stdout)["token"]
    served = settings.model_copy(update={"database_url": cli_env["JURYO_DATABASE_URL"]})
    with start_live_server(served) as server, server.client(token) as client:
        response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["login"] == "auditor1"


def test_purchase_orders_and_aliases_from_the_command_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert juryo(cli_env, "department", "add", "DOBOKU-02", "道路課")[0] == 0
    register = tmp_path / "po.csv"
    register.write_bytes("\ufeffpo_number,department_code\nPO-1,DOBOKU-02\n".encode())
    code, out = juryo(cli_env, "po", "import", str(register))
    assert code == 0, out
    assert "1 purchase orders imported" in out
    register.write_text("PO-2,NOPE\n", encoding="utf-8")
    code, out = juryo(cli_env, "po", "import", str(register))
    assert code == 1
    assert "no department NOPE" in out
    code, out = juryo(cli_env, "department", "alias", "DOBOKU-02", "ROAD")
    assert code == 0, out
    assert juryo(cli_env, "department", "alias", "DOBOKU-02", "ROAD")[0] == 1  # taken


def test_the_cli_takes_a_full_width_registration_number_and_login(
    cli_env: dict[str, str],
) -> None:
    number = registration_number()
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    code, out = juryo(cli_env, "supplier", "add", wide, "株式会社ぜんかく")
    assert code == 0, out
    assert f"supplier {number} added" in out
    code, out = juryo(cli_env, "supplier", "add", f"{number[:5]}-{number[5:]}", "二重")
    assert code == 1
    assert "exists already" in out
    code, out = juryo(
        cli_env, "supplier", "bank", wide, "--bank", "0001", "--branch", "001",
        "--account", "1234567", "--holder", "ｾﾞﾝｶｸ",
    )  # fmt: skip
    assert code == 0, out
    assert out.startswith(number)
    login = unique("wide")
    wide_login = "".join(chr(ord(c) + 0xFEE0) for c in login)
    code, out = juryo(
        cli_env, "user", "add", wide_login, "--role", "supplier", "--supplier", wide, "--json"
    )
    assert code == 0, out
    assert json.loads(out)["login"] == login
