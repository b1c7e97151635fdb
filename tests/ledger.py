"""A ledger of its own for the audit tests (database + anchor store), and the attacker's tools.

The attacks are those of issue 12, done with raw SQL on a real database by someone who has read
``storage/audit.py`` and so can recompute every hash.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from storage import anchors, audit
from storage.db import create_db_engine, session_factory, transaction
from storage.models import AuditEvent
from storage.objects import FileObjectStore, ObjectStore, S3ObjectStore
from tests.conftest import new_database_url

KEY = b"0123456789abcdef" * 2  # 32 bytes: the shortest key accepted
OTHER_KEY = b"m" * 32
ACTOR = audit.Actor(login="clerk-1", role="clerk", user_id=7)
JURYO = Path(sys.executable).with_name("juryo")
S3_LEG = os.environ.get("JURYO_TEST_STORAGE") == "s3"


@dataclass
class Ledger:
    """A database and an anchor store of their own: these tests break both on purpose."""

    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    env: dict[str, str]
    """For running ``juryo`` against them."""

    def append(self, count: int, *, anchor_each: bool = False) -> None:
        """Record ``count`` events, anchoring after each one when asked."""
        for _ in range(count):
            with transaction(self.sessions) as session:
                audit.record(
                    session, actor=ACTOR, action="invoice.approve", entity_type="invoice",
                    entity_id=1, reason="確認済み", details={"amount": "12000"},
                )  # fmt: skip
            if anchor_each:
                self.anchor()

    def anchor(self) -> anchors.Anchor | None:
        """What ``juryo audit anchor`` and the server's loop do."""
        return anchors.write_anchor(self.sessions, self.store, KEY)

    def check(self, key: bytes = KEY) -> anchors.AnchorCheck:
        """Compare the chain with the anchors, in process (anchors first, as the command)."""
        stored = anchors.read(self.store, key)
        with self.sessions() as session:
            return anchors.compare(session, stored)

    def chain_alone(self) -> audit.Verification:
        """What ``audit verify`` said before anchors."""
        with self.sessions() as session:
            return audit.verify(session)


def _store(
    request: pytest.FixtureRequest, tmp_path: Path, *, locked: bool
) -> tuple[ObjectStore, dict[str, str]]:
    """The store and the environment that names it to ``juryo``."""
    if not S3_LEG:
        root = tmp_path / "objects"
        return FileObjectStore(root), {"JURYO_STORAGE_URL": f"file:{root}"}
    endpoint: str = request.getfixturevalue("s3_endpoint")
    bucket: str = request.getfixturevalue("s3_bucket_factory")(object_lock=locked)
    env = {"JURYO_STORAGE_URL": f"s3://{bucket}", "JURYO_S3_ENDPOINT_URL": endpoint}
    return S3ObjectStore(bucket, endpoint_url=endpoint, region="us-east-1"), env


@contextmanager
def open_ledger(
    request: pytest.FixtureRequest, tmp_path: Path, *, locked: bool
) -> Iterator[Ledger]:
    """A fresh migrated database, and an anchor store of the run's kind (on S3: a new bucket,
    with Object Lock if ``locked``)."""
    url = new_database_url(tmp_path)
    engine = create_db_engine(url)
    store, store_env = _store(request, tmp_path, locked=locked)
    env = {
        **os.environ,
        **store_env,
        "JURYO_DATABASE_URL": url,
        "JURYO_AUDIT_KEY": KEY.decode(),
        "JURYO_LOG_JSON": "false",
    }
    try:
        yield Ledger(engine, session_factory(engine), store, env)
    finally:
        engine.dispose()


def juryo(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """The installed ``juryo`` command: (exit code, stdout, stderr)."""
    done = subprocess.run(
        [str(JURYO), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    return done.returncode, done.stdout, done.stderr


# The attacker: raw SQL, hashes recomputed with the published algorithm.


def _disable_append_only(connection: Connection, verb: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"DROP TRIGGER audit_events_no_{verb} ON audit_events"))
    else:
        connection.execute(text(f"DROP TRIGGER audit_events_no_{verb}"))


def rewrite_and_rechain(connection: Connection, event_id: int, reason: str) -> None:
    """Change one event's reason, recompute it and every later hash, and move the head.

    SQLite: ``INSERT OR REPLACE`` replaces a row without firing the DELETE trigger (recursive
    triggers are off), so the triggers need not even be dropped. PostgreSQL: drop the UPDATE
    trigger, then UPDATE. Runs in the caller's transaction (a test may roll it back).
    """
    events = Session(bind=connection).scalars(
        select(AuditEvent).where(AuditEvent.id >= event_id).order_by(AuditEvent.id)
    )
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        _disable_append_only(connection, "update")
    prev: str | None = None
    for event in events.all():
        prev = prev or event.prev_hash
        new_reason = reason if event.id == event_id else event.reason
        digest = audit.event_hash(
            event_id=event.id, occurred_at=event.occurred_at,
            actor=audit.Actor(event.actor_login, event.actor_role, event.actor_user_id),
            action=event.action, entity_type=event.entity_type, entity_id=event.entity_id,
            reason=new_reason, details=event.details, prev_hash=prev,
        )  # fmt: skip
        values = {"id": event.id, "reason": new_reason, "prev": prev, "hash": digest}
        connection.execute(text(_REPLACE_POSTGRES if postgres else _REPLACE_SQLITE), values)
        prev = digest
    connection.execute(text("UPDATE audit_head SET last_hash = :hash"), {"hash": prev})


_REPLACE_SQLITE = """
INSERT OR REPLACE INTO audit_events (id, occurred_at, actor_user_id, actor_login, actor_role,
    action, entity_type, entity_id, reason, details, prev_hash, hash)
SELECT id, occurred_at, actor_user_id, actor_login, actor_role, action, entity_type, entity_id,
    :reason, details, :prev, :hash FROM audit_events WHERE id = :id
"""
_REPLACE_POSTGRES = (
    "UPDATE audit_events SET reason = :reason, prev_hash = :prev, hash = :hash WHERE id = :id"
)


def truncate_tail(connection: Connection, count: int) -> None:
    """Drop the DELETE trigger, delete the newest ``count`` events (not all), move the head."""
    _disable_append_only(connection, "delete")
    last = connection.execute(text("SELECT last_event_id FROM audit_head")).scalar_one()
    keep = last - count
    connection.execute(text("DELETE FROM audit_events WHERE id > :keep"), {"keep": keep})
    kept_hash = connection.execute(
        text("SELECT hash FROM audit_events WHERE id = :keep"), {"keep": keep}
    ).scalar_one()
    connection.execute(
        text("UPDATE audit_head SET last_event_id = :keep, last_hash = :hash"),
        {"keep": keep, "hash": kept_hash},
    )
