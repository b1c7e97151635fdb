"""Audit anchors: a database writer who rebuilds the chain is still caught by the anchors.

The attacks are the ones from issue 12, done with raw SQL on a real database by someone who has
read ``storage/audit.py``: an event rewritten and every later hash recomputed (with the head
moved), and the newest events deleted (with the head moved back). The chain alone calls both
intact; ``juryo audit verify`` (the installed command, in a process of its own) must not.
Anchors go to the run's object store: a directory, or the moto S3 server on the S3 leg.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from storage import anchors, audit
from storage.models import utcnow
from storage.objects import FileObjectStore, ObjectStore, S3ObjectStore
from tests.ledger import (
    KEY,
    OTHER_KEY,
    S3_LEG,
    Ledger,
    juryo,
    open_ledger,
    rewrite_and_rechain,
    truncate_tail,
)


@pytest.fixture
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """Anchors in the run's store; on S3 a bucket with Object Lock, as production should use."""
    with open_ledger(request, tmp_path, locked=True) as opened:
        yield opened


@pytest.fixture
def unlocked_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    """Anchors in a store that lets them be deleted: a directory, or a bucket without Lock."""
    with open_ledger(request, tmp_path, locked=False) as opened:
        yield opened


# The attacks, caught by the command.


def test_intact_chain_with_anchors_verifies(ledger: Ledger) -> None:
    ledger.append(3)
    code, out, err = juryo(ledger.env, "audit", "anchor")
    assert code == 0, err
    assert out.startswith("anchor 1: event 3 (")
    ledger.append(2)
    assert juryo(ledger.env, "audit", "anchor")[0] == 0
    assert juryo(ledger.env, "audit", "anchor")[1].startswith("nothing new to anchor")

    code, out, err = juryo(ledger.env, "audit", "verify")

    assert code == 0, err
    assert out.strip() == "audit log intact: 5 events, 2 anchors match, newest at event 5"


def test_rewritten_and_rechained_event_is_named(ledger: Ledger) -> None:
    ledger.append(8, anchor_each=True)
    with ledger.engine.begin() as connection:
        rewrite_and_rechain(connection, 5, "理由なし")
    assert ledger.chain_alone().intact  # the attack works on the chain: that is the hole

    code, out, err = juryo(ledger.env, "audit", "verify")

    assert code == 1, out
    first = err.splitlines()[0]
    assert first.startswith("error: audit log broken at event 5: does not match anchor 5 ("), err
    assert "rewritten after event 4, at or before this one" in first


def test_rewrite_between_sparse_anchors_is_bounded_by_them(ledger: Ledger) -> None:
    ledger.append(3)
    ledger.anchor()
    ledger.append(3)
    ledger.anchor()
    ledger.append(2)
    with ledger.engine.begin() as connection:
        rewrite_and_rechain(connection, 5, "理由なし")

    findings = ledger.check().findings

    assert [(f.event_id, f.anchor_seq) for f in findings] == [(6, 2)]
    assert "rewritten after event 3, at or before this one" in findings[0].problem


def test_truncated_tail_is_named(ledger: Ledger) -> None:
    ledger.append(10)
    ledger.anchor()
    with ledger.engine.begin() as connection:
        truncate_tail(connection, 5)
    assert ledger.chain_alone().intact

    code, out, err = juryo(ledger.env, "audit", "verify")

    assert code == 1, out
    assert err.strip() == (
        "error: audit log broken at event 6: missing: anchor 1 names event 10, but the chain "
        "ends at event 5: at least events 6-10 were cut off"
    )


def test_forged_anchor_is_reported(ledger: Ledger) -> None:
    ledger.append(4)
    ledger.anchor()
    ledger.append(1)
    with ledger.sessions() as session:
        head = audit.head(session)
    forged = anchors.sign(OTHER_KEY, seq=2, link=head, at=utcnow())
    assert ledger.store.put_named(forged.name, forged.to_bytes(), media_type="application/json")

    code, out, err = juryo(ledger.env, "audit", "verify")

    assert code == 1, out
    assert (
        err.strip() == "error: audit log broken: anchor 2 is forged: not signed by JURYO_AUDIT_KEY"
    )
    # and the server will not build on it
    with pytest.raises(anchors.AnchorRefused, match="not signed"):
        ledger.anchor()


def test_deleted_anchor_is_reported(unlocked_ledger: Ledger) -> None:
    ledger = unlocked_ledger
    ledger.append(4, anchor_each=True)
    _delete(ledger.store, anchors.anchor_name(2))

    code, out, err = juryo(ledger.env, "audit", "verify")

    assert code == 1, out
    assert err.strip() == "error: audit log broken: anchor 2 is missing (deleted)"


@pytest.mark.skipif(not S3_LEG, reason="Object Lock is an S3 bucket's")
def test_anchor_deleted_under_object_lock_is_still_read(ledger: Ledger) -> None:
    ledger.append(3, anchor_each=True)
    assert isinstance(ledger.store, S3ObjectStore)
    client = ledger.store._client
    name = anchors.anchor_name(2)
    client.delete_object(Bucket=ledger.store.bucket, Key=name)  # only hides it behind a marker
    with ledger.engine.begin() as connection:
        truncate_tail(connection, 1)

    # no gap at anchor 2: its locked version is still listed and read

    findings = ledger.check().findings
    assert [(f.event_id, f.anchor_seq) for f in findings] == [(3, 3)]


def _detected(ledger: Ledger, attack: Callable[[Connection], None]) -> bool:
    """Run ``attack`` in a transaction, check chain and anchors inside it, roll it back."""
    stored = anchors.read(ledger.store, KEY)
    with ledger.engine.connect() as connection, connection.begin():
        attack(connection)
        session = Session(bind=connection)
        chain = audit.verify(session)
        checked = anchors.compare(session, stored)
        connection.rollback()
    return not (chain.intact and checked.intact)


def test_every_rewrite_and_cut_up_to_the_newest_anchor_is_detected(ledger: Ledger) -> None:
    """The sweep behind the README's figures: 14 events anchored at 3, 6, 9 and 12."""
    for _ in range(4):
        ledger.append(3)
        ledger.anchor()
    ledger.append(2)
    events = range(1, 15)

    rewrites = {
        e: _detected(ledger, partial(rewrite_and_rechain, event_id=e, reason="x")) for e in events
    }
    cuts = {n: _detected(ledger, partial(truncate_tail, count=n)) for n in range(1, 14)}

    assert [e for e, caught in rewrites.items() if not caught] == [13, 14]  # after the newest
    assert [n for n, caught in cuts.items() if not caught] == [1, 2]  # anchor: the chain alone
    assert ledger.chain_alone().intact  # every attack was rolled back
    assert ledger.check().intact


def _delete(store: ObjectStore, name: str) -> None:
    """What someone with write access to the store (but without Object Lock) can do."""
    if isinstance(store, FileObjectStore):
        (store.root / name).unlink()
    else:
        assert isinstance(store, S3ObjectStore)
        store._client.delete_object(Bucket=store.bucket, Key=name)


def test_verify_without_a_key_checks_the_chain_alone(ledger: Ledger) -> None:
    ledger.append(2)
    env = {k: v for k, v in ledger.env.items() if k != "JURYO_AUDIT_KEY"}

    code, out, err = juryo(env, "audit", "verify")

    assert code == 0, err
    assert out.strip() == "audit log intact: 2 events (chain only)"
    assert "anchors are not configured (JURYO_AUDIT_KEY unset)" in err
    assert juryo(env, "audit", "anchor")[0] == 1


# The writer.


def test_writer_refuses_to_sign_rewritten_history(ledger: Ledger) -> None:
    ledger.append(3)
    ledger.anchor()
    ledger.append(2)
    with ledger.engine.begin() as connection:
        rewrite_and_rechain(connection, 2, "理由なし")

    with pytest.raises(anchors.AnchorRefused, match="does not extend anchor 1 at event 4"):
        ledger.anchor()


def test_writer_refuses_a_head_behind_the_last_anchor(ledger: Ledger) -> None:
    ledger.append(4)
    ledger.anchor()
    with ledger.engine.begin() as connection:
        truncate_tail(connection, 2)

    with pytest.raises(anchors.AnchorRefused, match="head \\(event 2\\) is not what anchor 1"):
        ledger.anchor()


def test_concurrent_writers_number_anchors_without_gaps(ledger: Ledger) -> None:
    def work() -> None:
        for _ in range(3):
            ledger.append(1)
            ledger.anchor()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    checked = ledger.check()
    assert checked.intact, checked.findings
    assert checked.newest is not None
    assert checked.newest.event_id == 12
    assert checked.anchors == checked.newest.seq
