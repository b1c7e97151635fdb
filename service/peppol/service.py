"""The city's Peppol access point hands over Standard Business Documents; juryo records them.

juryo does not speak AS4: the access point (phase4, Oxalis, a rented one) receives the AS4
message and hands the SBD (SBDH + UBL payload) over, by ``POST /api/v1/peppol/inbound`` or
by writing a file that ``juryo peppol watch`` ingests. Both end in :func:`hand_over`:

1. open each envelope (``parsers.envelope``: the document type and process must be the
   payload's) and check the receiver is one of the city's participant ids — else refused,
   nothing stored;
2. answer a message seen before (same SBDH instance id) with its first result;
3. judge the payloads in the validator processes and, beside that, store each original
   durably (fsynced, or the S3 PUT acknowledged), several at once; a store that fails for
   one refuses only it;
4. record them in groups of ``JURYO_PEPPOL_GROUP_SIZE``, one transaction each, a group of new
   documents in one go (``service.intake.service.receive_group``), and only then answer.

The sender is a participant id a supplier recorded; the invoice is then the supplier's, as an
upload is (the seller must be that supplier). An unknown sender's document is kept, with its
original, as an ``invalid`` message whose finding names the id.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice

from sqlalchemy.orm import Session

from parsers import Finding, Result, Severity, juryo_rules
from parsers.envelope import Envelope, Participant, open_envelope
from service.auth.principal import Principal
from service.errors import AppError, Conflict, ServiceUnavailable
from service.intake.service import Judged, Received, in_savepoint, receive_group
from service.intake.submission import Channel, Document, Submission, media_type
from service.runtime import Runtime
from storage import audit
from storage.models import FindingRecord, InvoiceStatus, Original, PeppolMessage, Supplier
from storage.objects import StorageError, StoredObject
from storage.repositories import invoices as invoice_repo
from storage.repositories import peppol as repo


class Outcome(enum.StrEnum):
    """What became of one handed-over document."""

    RECORDED = "recorded"
    """Recorded now: an invoice (pending or invalid), or an unknown sender's message."""
    REPEATED = "repeated"
    """This instance id came before: the answer is the first one."""
    REFUSED = "refused"
    """Not recorded, nothing stored (unreadable envelope, another receiver, a refusal)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One document's answer: its invoice (None for an unknown sender or a refusal), status,
    findings."""

    instance_id: str | None
    outcome: Outcome
    status: str | None = None
    invoice_id: int | None = None
    message_id: int | None = None
    findings: tuple[Finding, ...] = ()


@dataclass
class _Item:
    """A document on its way: opened, then judged and stored, then recorded."""

    envelope: Envelope
    answer: Answer | None = None
    judged: Judged | None = None
    sender: Principal | None = None
    """The access point acting for the sender's supplier; None for an unknown sender."""
    message: PeppolMessage | None = None
    first: int | None = None
    """Index of an earlier document of the same request with the same instance id."""
    extra: list[Finding] = field(default_factory=list)


def participant_key(participant: Participant | str) -> str:
    """A participant id as Peppol compares them (``iso6523-actorid-upis`` is case-insensitive)."""
    return str(participant).strip().lower()


def hand_over(
    runtime: Runtime, session: Session, access_point: Principal, sbds: Sequence[bytes]
) -> list[Answer]:
    """Record what the access point handed over; one answer per document, in order."""
    items = [_open(runtime, sbd) for sbd in sbds]
    _answer_repeats(session, items)
    waiting = [item for item in items if item.answer is None and item.first is None]
    senders: dict[str, Principal | None] = {}  # one lookup per sender in the request
    for item in waiting:
        key = participant_key(item.envelope.sender)
        if key not in senders:
            senders[key] = _acting_for(access_point, repo.supplier_by_participant(session, key))
        item.sender = senders[key]
    session.rollback()  # the reads above hold no lock while the payloads are judged
    with (
        ThreadPoolExecutor(STORING_THREADS) as storing,
        ThreadPoolExecutor(runtime.settings.validation_processes) as judging,
    ):
        started = [_start(runtime, storing, judging, access_point, item) for item in waiting]
        judged = (_finish(item, step) for item, step in zip(waiting, started, strict=True))
        for group in _groups(judged, runtime.settings.peppol_group_size):
            _record_group(runtime, session, access_point, group)
    return [_final(items, index) for index in range(len(items))]


STORING_THREADS = 8
"""Originals stored at once. Storing one waits on an fsync or an S3 PUT, not on the CPU, so
storing several at once (beside the judging, not after it) is what keeps the validators busy;
each is durable before its group's rows are written."""


def _acting_for(access_point: Principal, supplier: Supplier | None) -> Principal | None:
    """The access point as the sender's supplier submits (so intake's rules are an upload's:
    approved supplier, seller = supplier); None when no supplier has the sender's id."""
    if supplier is None:
        return None
    return replace(access_point, supplier_id=supplier.id, supplier_approved=supplier.approved)


def _open(runtime: Runtime, sbd: bytes) -> _Item:
    opened = open_envelope(sbd, max_bytes=runtime.settings.max_upload_bytes)
    if opened.envelope is None:
        return _Item(_NO_ENVELOPE, Answer(None, Outcome.REFUSED, findings=opened.findings))
    envelope = opened.envelope
    item = _Item(envelope)
    if participant_key(envelope.receiver) not in runtime.settings.peppol_receivers:
        refusal = juryo_rules.PEPPOL_RECEIVER.finding(receiver=str(envelope.receiver))
        item.answer = Answer(envelope.instance_id, Outcome.REFUSED, findings=(refusal,))
    return item


_NO_ENVELOPE = Envelope(
    sender=Participant("", ""),
    receiver=Participant("", ""),
    instance_id="",
    document_type="",
    process="",
    country=None,
    payload=b"",
)


def _answer_repeats(session: Session, items: list[_Item]) -> None:
    """Answer documents whose instance id was received before, or came earlier in this very
    request (those are answered with the earlier one's answer once it has one)."""
    open_items = [item for item in items if item.answer is None]
    earlier = repo.messages_by_instance(session, [item.envelope.instance_id for item in open_items])
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.answer is not None:
            continue
        instance_id = item.envelope.instance_id
        if instance_id in earlier:
            item.answer = _repeat(earlier[instance_id], item.envelope)
        elif instance_id in seen:
            item.first = seen[instance_id]
        else:
            seen[instance_id] = index


def _repeat(earlier: PeppolMessage, envelope: Envelope) -> Answer:
    """The first answer to this instance id; but another sender's message under the same id
    is not a repeat, and learns nothing of the first (the id is unique per sender in Peppol,
    one key for all here)."""
    if earlier.sender != participant_key(envelope.sender):
        refusal = Conflict("another sender's message already holds this instance id")
        return Answer(
            envelope.instance_id,
            Outcome.REFUSED,
            findings=(
                juryo_rules.PEPPOL_REFUSED.finding(
                    status=refusal.status_code, detail=refusal.detail
                ),
            ),
        )
    return _answer_of(earlier, Outcome.REPEATED)


@dataclass(frozen=True, slots=True)
class _Started:
    """A payload that passed the document checks, being stored and judged in the pools."""

    submission: Submission
    media_type: str
    stored: Future[StoredObject]
    result: Future[Result]


def _start(
    runtime: Runtime,
    storing: ThreadPoolExecutor,
    judging: ThreadPoolExecutor,
    access_point: Principal,
    item: _Item,
) -> _Started | AppError:
    """Check a payload, then have it stored and judged at once, each in its pool."""
    document = Document(item.envelope.payload, filename=f"{item.envelope.instance_id}.xml")
    try:
        kind = media_type(document, runtime.settings.max_upload_bytes)
    except AppError as refusal:
        return refusal
    limit = runtime.settings.max_upload_bytes
    return _Started(
        Submission(document, item.sender or access_point, Channel.PEPPOL),
        kind,
        storing.submit(runtime.store.put, document.data, media_type=kind),
        judging.submit(runtime.validator.judge, document.data, limit),
    )


def _finish(item: _Item, started: _Started | AppError) -> tuple[_Item, Judged | AppError]:
    """The judged document once its original is durable; a store that failed for it refuses
    only it (the access point sends it again), not the request."""
    if isinstance(started, AppError):
        return item, started
    try:
        stored = started.stored.result()
    except StorageError:
        return item, ServiceUnavailable.said("peppol.original_not_stored")
    result = started.result.result()
    return item, Judged(started.submission, started.media_type, stored, result)


def _groups(
    pairs: Iterator[tuple[_Item, Judged | AppError]], size: int
) -> Iterator[list[tuple[_Item, Judged | AppError]]]:
    while group := list(islice(pairs, size)):
        yield group


def _record_group(
    runtime: Runtime,
    session: Session,
    access_point: Principal,
    group: list[tuple[_Item, Judged | AppError]],
) -> None:
    """One transaction: unknown senders' messages, then the invoices with their messages."""
    known: list[tuple[_Item, Judged]] = []
    for item, judged in group:
        if isinstance(judged, AppError):
            item.answer = _refused(item, judged)
        elif item.sender is None:
            item.judged = judged
            item.answer = in_savepoint(session, partial(_unknown_sender, session, item))
        else:
            item.judged = judged
            known.append((item, judged))
    by_judged = {id(judged): item for item, judged in known}

    def alongside(judged: Judged, received: Received) -> None:
        item = by_judged[id(judged)]
        item.answer = _with_message(session, access_point, item, received)

    results = receive_group(
        session,
        runtime.store,
        group=[judged for _, judged in known],
        reject_duplicate_numbers=runtime.settings.duplicate_numbers == "reject",
        alongside=alongside,
    )
    for (item, _), result in zip(known, results, strict=True):
        if isinstance(result, AppError):
            item.answer = _refused(item, result)
        elif item.answer is None and item.message is not None:
            item.answer = _answer_of(item.message, Outcome.RECORDED)


def _refused(item: _Item, refusal: AppError) -> Answer:
    finding = juryo_rules.PEPPOL_REFUSED.finding(status=refusal.status_code, detail=refusal.detail)
    return Answer(item.envelope.instance_id, Outcome.REFUSED, findings=(finding,))


def _message(
    item: _Item, access_point: Principal, original: Original, status: InvoiceStatus
) -> PeppolMessage:
    envelope = item.envelope
    return PeppolMessage(
        instance_id=envelope.instance_id[:200],
        sender=participant_key(envelope.sender)[:200],
        receiver=participant_key(envelope.receiver)[:200],
        access_point_id=access_point.user_id,
        original=original,
        status=status,
    )


def _unknown_sender(session: Session, item: _Item) -> Answer:
    """Keep an unknown sender's document as an invalid message naming the id (no invoice:
    no supplier to hold it), its original beside it."""
    judged = item.judged
    assert judged is not None
    original = invoice_repo.original_by_sha256(session, judged.stored.sha256) or Original(
        sha256=judged.stored.sha256,
        size=judged.stored.size,
        media_type=judged.media_type,
        object_key=judged.stored.key,
    )
    finding = juryo_rules.PEPPOL_SENDER_UNKNOWN.finding(sender=str(item.envelope.sender))
    message = _message(item, judged.submission.sender, original, InvoiceStatus.INVALID)
    message.findings = [_finding_data(f) for f in (finding, *judged.result.findings)]
    session.add(message)
    session.flush()
    _audit(session, judged.submission.sender, message)
    return _answer_of(message, Outcome.RECORDED)


def _with_message(
    session: Session, access_point: Principal, item: _Item, received: Received
) -> Answer | None:
    """The message row beside the invoice (in the invoice's savepoint), unless a racing twin
    recorded this instance id first (then its answer). The invoice's audit event names the
    access point; the message needs none of its own."""
    invoice = received.invoice
    if not received.created:  # perhaps a twin's: its message may hold this instance id
        earlier = repo.messages_by_instance(session, [item.envelope.instance_id[:200]])
        if earlier:
            return _answer_of(next(iter(earlier.values())), Outcome.REPEATED)
    message = _message(item, access_point, invoice.original, invoice.status)
    message.invoice = invoice
    session.add(message)
    item.message = message  # answered once the group is committed (and the row has its id)
    return None


def _audit(session: Session, access_point: Principal, message: PeppolMessage) -> None:
    audit.record(
        session,
        actor=access_point.actor,
        action="peppol.receive",
        entity_type="peppol_message",
        entity_id=message.id,
        details={
            "instance_id": message.instance_id,
            "sender": message.sender,
            "invoice_id": message.invoice_id,
            "status": message.status,
        },
    )


def _finding_data(finding: Finding) -> dict[str, str | None]:
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "message_en": finding.message_en,
        "message_ja": finding.message_ja,
        "location": finding.location,
    }


def _as_finding(record: FindingRecord | dict[str, str | None]) -> Finding:
    if isinstance(record, FindingRecord):
        return Finding(
            rule_id=record.rule_id,
            severity=Severity(record.severity),
            message_en=record.message_en,
            message_ja=record.message_ja,
            location=record.location,
        )
    return Finding(
        rule_id=str(record["rule_id"]),
        severity=Severity(str(record["severity"])),
        message_en=str(record["message_en"]),
        message_ja=str(record["message_ja"]),
        location=record.get("location"),
    )


def _answer_of(message: PeppolMessage, outcome: Outcome) -> Answer:
    """A message's answer: its invoice's (first) status and findings, or its own."""
    invoice = message.invoice
    records = invoice.findings if invoice is not None else (message.findings or [])
    return Answer(
        message.instance_id,
        outcome,
        status=message.status.value,
        invoice_id=message.invoice_id,
        message_id=message.id,
        findings=tuple(_as_finding(record) for record in records),
    )


def _final(items: list[_Item], index: int) -> Answer:
    item = items[index]
    if item.answer is not None:
        return item.answer
    assert item.first is not None
    first = items[item.first].answer
    assert first is not None
    if first.outcome is Outcome.REFUSED:
        return first
    return replace(first, outcome=Outcome.REPEATED)
