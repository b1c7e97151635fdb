"""The audit chain: appends link up, and editing, deleting or reordering is detected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from storage import audit
from storage.db import create_db_engine, session_factory, transaction
from tests.conftest import new_database_url

ACTOR = audit.Actor(login="clerk-1", role="clerk", user_id=7)


@pytest.fixture
def audit_db(tmp_path: Path) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    """A database of its own: these tests break the chain on purpose."""
    engine = create_db_engine(new_database_url(tmp_path))
    yield engine, session_factory(engine)
    engine.dispose()


def _append(sessions: sessionmaker[Session], count: int) -> None:
    for n in range(count):
        with transaction(sessions) as session:
            audit.record(
                session,
                actor=ACTOR,
                action="invoice.approve",
                entity_type="invoice",
                entity_id=n,
                reason=f"理由 {n}",
                details={"amount": "12000", "n": n},
            )


def _verify(sessions: sessionmaker[Session]) -> audit.Verification:
    with sessions() as session:
        return audit.verify(session)


def _bypass_triggers(engine: Engine, statements: tuple[str, ...]) -> None:
    """What someone with direct database access could do."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
            connection.execute(text("DROP TRIGGER audit_events_no_delete"))
        for statement in statements:
            connection.execute(text(statement))
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def test_appended_events_form_an_intact_chain(
    audit_db: tuple[Engine, sessionmaker[Session]],
) -> None:
    _, sessions = audit_db
    _append(sessions, 5)
    result = _verify(sessions)
    assert result.intact
    assert result.checked == 5


def test_database_refuses_update_and_delete(
    audit_db: tuple[Engine, sessionmaker[Session]],
) -> None:
    engine, sessions = audit_db
    _append(sessions, 1)
    for statement in ("UPDATE audit_events SET reason = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert _verify(sessions).intact


@pytest.mark.parametrize(
    ("statements", "broken_id", "problem"),
    [
        (("UPDATE audit_events SET reason = 'no reason' WHERE id = 3",), 3, "edited"),
        (("DELETE FROM audit_events WHERE id = 2",), 3, "expected event 2"),
        (("DELETE FROM audit_events WHERE id = 4",), 4, "head points past the end"),
        (
            (
                "UPDATE audit_events SET id = -id WHERE id IN (2, 3)",
                "UPDATE audit_events SET id = 5 + id WHERE id IN (-2, -3)",
            ),
            2,
            "link does not match",
        ),
    ],
    ids=["edited", "deleted-middle", "deleted-last", "reordered"],
)
def test_tampering_is_detected(
    audit_db: tuple[Engine, sessionmaker[Session]],
    statements: tuple[str, ...],
    broken_id: int,
    problem: str,
) -> None:
    engine, sessions = audit_db
    _append(sessions, 4)
    _bypass_triggers(engine, statements)
    result = _verify(sessions)
    assert not result.intact
    assert result.broken_event_id == broken_id
    assert problem in (result.problem or "")


def test_concurrent_appends_keep_one_chain(
    audit_db: tuple[Engine, sessionmaker[Session]],
) -> None:
    import threading

    _, sessions = audit_db
    threads = [threading.Thread(target=_append, args=(sessions, 5)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = _verify(sessions)
    assert result.intact
    assert result.checked == 20


def test_verify_while_events_are_appended_sees_no_break(
    audit_db: tuple[Engine, sessionmaker[Session]],
) -> None:
    """On PostgreSQL the walk saw events committed after it began, and then called the head
    behind the chain: 3 false alarms in 40 verifications during appends."""
    import threading

    from storage.db import read_only

    engine, sessions = audit_db
    readers = session_factory(read_only(engine))
    stop = threading.Event()

    def keep_appending() -> None:
        while not stop.is_set():
            _append(sessions, 1)

    appenders = [threading.Thread(target=keep_appending) for _ in range(2)]
    for thread in appenders:
        thread.start()
    try:
        results = [_verify(readers) for _ in range(60)]
    finally:
        stop.set()
        for thread in appenders:
            thread.join()
    assert [r.problem for r in results if not r.intact] == []
    assert _verify(sessions).checked > results[0].checked
