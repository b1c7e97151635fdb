"""Anchors: the audit chain's head, signed with a key the database never sees, kept outside it.

The hash chain (``storage.audit``) shows that no event was changed *unless* whoever changed it
also recomputed every later hash and moved the head: with write access to the database, that
is a few statements. An anchor pins a point of the chain where the database cannot reach it:
``(sequence number, event id, event hash, time)`` with an HMAC-SHA256 under ``JURYO_AUDIT_KEY``,
written once to the object store as ``audit-anchors/<sequence>.json`` (COMPLIANCE Object Lock
where the bucket has it). ``read`` and ``compare`` then hold the chain against every anchor:

- an anchored event whose hash differs: history at or before it was rewritten;
- an anchor naming an event past the chain's end: the tail was cut off;
- an anchor whose signature does not verify: forged (written without the key);
- a gap in the sequence numbers: an anchor was deleted.

Sequence numbers are consecutive because each anchor is created only if its name is free
(``If-None-Match: *`` on S3, ``link`` on a filesystem): of two servers anchoring at once, one
wins and the other reads again. What anchors cannot tell is listed in the README: deleting the
*newest* anchors leaves no gap, events after the last anchor are protected by the chain alone,
and whoever holds the key can sign anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from storage import audit
from storage.models import utcnow
from storage.objects import ObjectNotFound, ObjectStore

FOLDER = "audit-anchors"
MIN_KEY_BYTES = 32
_NAME = re.compile(rf"{FOLDER}/(\d{{12}})\.json")
_MEDIA_TYPE = "application/json"
_READERS = 16
_WRITE_ATTEMPTS = 50  # each lost race means another writer anchored: progress

log = logging.getLogger(__name__)


class AnchorRefused(Exception):
    """The chain does not extend the last anchor (or that anchor is forged): nothing is signed."""


def key_problem(key: bytes) -> str | None:
    """Why ``key`` cannot sign anchors, if it cannot (too short to resist guessing)."""
    if len(key) < MIN_KEY_BYTES:
        return f"must be at least {MIN_KEY_BYTES} bytes, not {len(key)}"
    return None


@dataclass(frozen=True, slots=True)
class Anchor:
    """One signed point of the chain."""

    seq: int
    event_id: int
    event_hash: str
    anchored_at: dt.datetime
    mac: str

    @property
    def name(self) -> str:
        """Where it is stored."""
        return anchor_name(self.seq)

    def to_bytes(self) -> bytes:
        """The stored form: the signed fields and their MAC, as JSON."""
        fields = {**_signed_fields(self.seq, self.link, self.anchored_at), "mac": self.mac}
        return json.dumps(fields, sort_keys=True).encode()

    @property
    def link(self) -> audit.Link:
        """The chain point it pins."""
        return audit.Link(self.event_id, self.event_hash)

    def signed_by(self, key: bytes) -> bool:
        """True when ``key`` made this MAC (compared in constant time)."""
        expected = _mac(key, self.seq, self.link, self.anchored_at)
        return hmac.compare_digest(expected, self.mac)


def anchor_name(seq: int) -> str:
    """Zero-padded, so names sort in sequence order."""
    return f"{FOLDER}/{seq:012d}.json"


def _signed_fields(seq: int, link: audit.Link, at: dt.datetime) -> dict[str, Any]:
    return {
        "version": 1,
        "seq": seq,
        "event_id": link.event_id,
        "event_hash": link.hash,
        "anchored_at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
    }


def _mac(key: bytes, seq: int, link: audit.Link, at: dt.datetime) -> str:
    canonical = json.dumps(_signed_fields(seq, link, at), sort_keys=True, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def sign(key: bytes, *, seq: int, link: audit.Link, at: dt.datetime) -> Anchor:
    """A new anchor for ``link``."""
    return Anchor(seq, link.event_id, link.hash, at, _mac(key, seq, link, at))


def parse(data: bytes) -> Anchor:
    """Read a stored anchor; ``ValueError`` if it is not one."""
    try:
        fields = json.loads(data)
        return Anchor(
            seq=int(fields["seq"]),
            event_id=int(fields["event_id"]),
            event_hash=str(fields["event_hash"]),
            anchored_at=dt.datetime.fromisoformat(fields["anchored_at"]),
            mac=str(fields["mac"]),
        )
    except (KeyError, TypeError, ValueError, json.JSONDecodeError) as exc:
        raise ValueError(f"not an anchor: {exc}") from None


def _sequence(name: str) -> int | None:
    match = _NAME.fullmatch(name)
    return None if match is None else int(match.group(1))


def _stored_sequences(store: ObjectStore) -> list[int]:
    return sorted(seq for seq in map(_sequence, store.list_named(FOLDER)) if seq is not None)


# Writing.


def _last_anchor(store: ObjectStore, key: bytes) -> Anchor | None:
    """The newest anchor, which the next one must extend; a forged one stops anchoring."""
    sequences = _stored_sequences(store)
    if not sequences:
        return None
    name = anchor_name(sequences[-1])
    try:
        last = parse(store.get_named(name))
    except ValueError as exc:
        raise AnchorRefused(f"{name} is unreadable ({exc}): run juryo audit verify") from None
    if last.seq != sequences[-1] or not last.signed_by(key):
        raise AnchorRefused(f"{name} is not signed by JURYO_AUDIT_KEY: run juryo audit verify")
    return last


def _head_to_sign(sessions: sessionmaker[Session], last: Anchor | None) -> audit.Link | None:
    """The head, if it is new and extends ``last`` link by link; None when nothing is new."""
    with sessions() as session:
        head = audit.head(session)
        if last is not None and head.event_id <= last.event_id:
            if head.event_id < last.event_id or head != last.link:
                raise AnchorRefused(
                    f"the head (event {head.event_id}) is not what anchor {last.seq} signed "
                    f"(event {last.event_id}): run juryo audit verify"
                )
            return None
        if head.event_id == 0:
            return None
        since = audit.GENESIS if last is None else last.link
        extension = audit.verify_extension(session, since=since, until=head)
    if not extension.intact:
        raise AnchorRefused(
            f"the chain does not extend anchor {last.seq if last else 0} at event "
            f"{extension.broken_event_id}: {extension.problem}; run juryo audit verify"
        )
    return head


def write_anchor(sessions: sessionmaker[Session], store: ObjectStore, key: bytes) -> Anchor | None:
    """Anchor the current head if the chain has grown since the last anchor.

    Returns the new anchor, or None when there was nothing new to anchor. Safe to run from
    several processes at once: a taken sequence number means someone else anchored first, so
    read again.
    """
    for _ in range(_WRITE_ATTEMPTS):
        last = _last_anchor(store, key)
        head = _head_to_sign(sessions, last)
        if head is None:
            return None
        anchor = sign(key, seq=1 if last is None else last.seq + 1, link=head, at=utcnow())
        if store.put_named(anchor.name, anchor.to_bytes(), media_type=_MEDIA_TYPE):
            log.info("audit anchor %s: event %s", anchor.seq, anchor.event_id)
            return anchor
    raise AnchorRefused(f"other writers took the next number {_WRITE_ATTEMPTS} times in a row")


# Checking.


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the anchors say is wrong; ``event_id`` names the event where one applies."""

    problem: str
    event_id: int | None = None
    anchor_seq: int | None = None


@dataclass(frozen=True, slots=True)
class AnchorCheck:
    """The outcome of comparing the chain with every anchor."""

    anchors: int
    findings: tuple[Finding, ...]
    newest: Anchor | None

    @property
    def intact(self) -> bool:
        """True when every anchor is genuine, none is missing, and the chain matches all."""
        return not self.findings


@dataclass(frozen=True, slots=True)
class StoredAnchors:
    """What the store holds: the genuine anchors, and findings about gaps and forgeries."""

    genuine: tuple[Anchor, ...]
    findings: tuple[Finding, ...]


def read(store: ObjectStore, key: bytes) -> StoredAnchors:
    """Every stored anchor, its signature checked; read it *before* the database.

    An anchor written after the database was read would name events the reader cannot see,
    and look like a cut-off tail.
    """
    sequences = _stored_sequences(store)
    findings = [
        Finding(f"anchors {first}-{last} are missing (deleted)", anchor_seq=first)
        if first != last
        else Finding(f"anchor {first} is missing (deleted)", anchor_seq=first)
        for first, last in _gaps(sequences)
    ]
    genuine: list[Anchor] = []
    with ThreadPoolExecutor(max_workers=_READERS) as pool:  # one request each: overlap them
        bodies = pool.map(_fetch, [store] * len(sequences), sequences)
        for seq, body in zip(sequences, bodies, strict=True):
            try:
                anchor = parse(body)
            except ValueError as exc:
                findings.append(Finding(f"anchor {seq} is unreadable: {exc}", anchor_seq=seq))
                continue
            if anchor.seq != seq or not anchor.signed_by(key):
                findings.append(
                    Finding(
                        f"anchor {seq} is forged: not signed by JURYO_AUDIT_KEY", anchor_seq=seq
                    )
                )
                continue
            genuine.append(anchor)
    return StoredAnchors(tuple(genuine), tuple(findings))


def _fetch(store: ObjectStore, seq: int) -> bytes:
    try:
        return store.get_named(anchor_name(seq))
    except ObjectNotFound:  # listed a moment ago: gone since
        return b""


def _gaps(sequences: list[int]) -> list[tuple[int, int]]:
    """Runs of missing numbers in 1..max (anchors are numbered from 1 without gaps)."""
    gaps = []
    expected = 1
    for seq in sequences:
        if seq > expected:
            gaps.append((expected, seq - 1))
        expected = seq + 1
    return gaps


def _compare(session: Session, anchors: tuple[Anchor, ...]) -> list[Finding]:
    """The first anchored event that no longer matches, and the tail cut off past the chain."""
    findings: list[Finding] = []
    end = audit.last_event_id(session)
    stored = audit.hashes_of(session, sorted({a.event_id for a in anchors if a.event_id <= end}))
    matched = 0  # the newest event id at which chain and anchors still agree
    for anchor in sorted(anchors, key=lambda a: (a.event_id, a.seq)):
        if anchor.event_id > end:
            break
        if stored.get(anchor.event_id) == anchor.event_hash:
            matched = anchor.event_id
            continue
        findings.append(
            Finding(
                f"does not match anchor {anchor.seq} ({anchor.anchored_at:%Y-%m-%d %H:%M} UTC): "
                f"history was rewritten after event {matched}, at or before this one",
                event_id=anchor.event_id,
                anchor_seq=anchor.seq,
            )
        )
        break
    beyond = [a for a in anchors if a.event_id > end]
    if beyond:
        furthest = max(beyond, key=lambda a: a.event_id)
        findings.append(
            Finding(
                f"missing: anchor {furthest.seq} names event {furthest.event_id}, but the chain "
                f"ends at event {end}: at least events {end + 1}-{furthest.event_id} were cut off",
                event_id=end + 1,
                anchor_seq=furthest.seq,
            )
        )
    return findings


def compare(session: Session, stored: StoredAnchors) -> AnchorCheck:
    """Compare the chain in ``session`` (opened after ``read``) with the stored anchors."""
    findings = [*stored.findings, *_compare(session, stored.genuine)]
    newest = max(stored.genuine, key=lambda a: a.seq, default=None)
    return AnchorCheck(len(stored.genuine), tuple(findings), newest)
