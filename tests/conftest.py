"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when CI names one), an object
store (filesystem, or the S3 API when CI asks), and the real app served over HTTP.

Environment (set by ``.ci/run`` for the second leg):
  JURYO_TEST_DATABASE_URL  an admin URL of a PostgreSQL server; each run creates its own database
  JURYO_TEST_STORAGE       ``s3`` to put originals in a moto S3 server (JURYO_TEST_S3_ENDPOINT)
  JURYO_TEST_CLOCK         ``HH:MM``: the whole run's clock starts at that UTC time of today, and
                           ticks on (``make test`` runs the ``clock`` tests at 14:30 and 15:30,
                           half an hour either side of midnight in Tokyo)
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.db import create_db_engine, session_factory
from storage.migrate import upgrade
from tests.s3server import BucketFactory  # registered by -p in pyproject
from tests.support import LiveServer, start_live_server

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("JURYO_TEST_CORPUS") or REPO.parent / "shared" / "corpus")
"""``JURYO_TEST_CORPUS`` points elsewhere, e.g. from a git worktree that is not beside it."""


@pytest.fixture(scope="session", autouse=True)
def process_clock() -> Iterator[None]:
    """Move this process's clock to ``JURYO_TEST_CLOCK`` (UTC, today) for the whole run."""
    setting = os.environ.get("JURYO_TEST_CLOCK")
    if not setting:
        yield
        return
    hour, minute = (int(part) for part in setting.split(":"))
    start = dt.datetime.now(dt.UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
    with time_machine.travel(start, tick=True):
        yield


def _create_postgres_database(admin_url: str) -> str:
    """A fresh, empty database on the CI PostgreSQL server; returns its URL."""
    name = f"juryo_test_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def new_database_url(tmp_path: Path) -> str:
    """An empty database of the kind this test run is about, migrated to head."""
    admin_url = os.environ.get("JURYO_TEST_DATABASE_URL")
    url = _create_postgres_database(admin_url) if admin_url else f"sqlite:///{tmp_path}/juryo.db"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One migrated database for the session; tests keep apart by using unique names."""
    return new_database_url(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the session database."""
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Session factory on the session database."""
    return session_factory(engine)


@pytest.fixture(scope="session")
def storage_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str | None]:
    """(JURYO_STORAGE_URL, JURYO_S3_ENDPOINT_URL) for this run: filesystem, or S3 when asked."""
    if os.environ.get("JURYO_TEST_STORAGE") == "s3":
        endpoint: str = request.getfixturevalue("s3_endpoint")
        factory: BucketFactory = request.getfixturevalue("s3_bucket_factory")
        return f"s3://{factory(object_lock=True)}", endpoint
    return f"file:{tmp_path_factory.mktemp('objects')}", None


@pytest.fixture(scope="session")
def settings(database_url: str, storage_url: tuple[str, str | None]) -> Settings:
    """Settings for the app under test."""
    url, endpoint = storage_url
    return Settings(
        database_url=database_url,
        storage_url=url,
        s3_endpoint_url=endpoint,
        log_json=False,
        log_level="WARNING",
        notification_worker=False,  # tests run rounds themselves (tests/service/notifications)
        nta_check=False,  # the registry's findings are tested with it on (test_nta_registry)
    )


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[LiveServer]:
    """The real app, served by uvicorn on a free port of 127.0.0.1."""
    with start_live_server(settings) as server:
        yield server


@pytest.fixture
def corpus() -> Path:
    """``../shared/corpus``; skips the test where it is absent (a user's fresh clone)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return CORPUS
