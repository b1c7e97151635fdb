"""Receiving a supplier's document, whatever the channel: store the original, judge it, record
it, route it, start its payment clock.

``submit`` does it all in two phases, so that the slow part holds no database transaction: it
writes the original to the object store and has the parsers judge it; ``record`` then writes
the invoice, its findings and an audit event in one transaction. The original is always
stored before the row that points to it; ``juryo reconcile`` removes objects no row claims.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from parsers import Finding, Format, Result, Severity, is_acceptable, juryo_rules, to_data
from parsers.model import DocumentKind
from parsers.registration import normalize
from service import scanning
from service.auth.principal import Principal
from service.clock import today
from service.deadlines import start_clock
from service.errors import AppError, Conflict, Forbidden, NotFound
from service.intake.submission import Document, Submission, media_type
from service.registry import service as registry
from service.routing.service import RoutingDecision, route
from service.runtime import Runtime
from storage import audit
from storage.models import FindingRecord, InvoiceRecord, InvoiceStatus, Original, Supplier, utcnow
from storage.objects import ObjectStore, StoredObject
from storage.repositories import invoices as repo
from storage.repositories import organisation

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Judged:
    """A submission's stored original, as which media type, and what the parsers made of it."""

    submission: Submission
    media_type: str
    stored: StoredObject
    result: Result
    scan: scanning.Verdict | None = None


@dataclass(frozen=True, slots=True)
class Received:
    """The recorded invoice; ``created`` is False when the same submission came before."""

    invoice: InvoiceRecord
    created: bool


def submit(runtime: Runtime, session: Session, submission: Submission) -> Received:
    """Receive a submission, all of it in the one worker thread it blocks: check it, store the
    original durably first (a store failure stops everything), judge it, record and commit."""
    document = submission.document
    kind = media_type(document, runtime.settings.max_upload_bytes)
    verdict = scanning.scan(runtime.settings, document.data)  # fails closed: 503, nothing kept
    stored = runtime.store.put(document.data, media_type=kind)
    if verdict.result is scanning.ScanResult.INFECTED:
        result = quarantined(verdict)
    else:
        result = runtime.validator.judge(document.data, runtime.settings.max_upload_bytes)
        if runtime.settings.nta_check:
            result = with_registry(session, result, runtime.settings.nta_registry_max_age_days)
    return receive(
        session,
        runtime.store,
        judged=Judged(submission, kind, stored, result, verdict),
        reject_duplicate_numbers=runtime.settings.duplicate_numbers == "reject",
    )


def quarantined(verdict: scanning.Verdict) -> Result:
    """An infected original is never parsed: it is refused with the scanner's finding."""
    finding = juryo_rules.MALWARE.finding(signature=verdict.detail or "malware")
    return Result(format=Format.UNKNOWN, findings=(finding,))


def with_registry(session: Session, result: Result, max_age_days: int) -> Result:
    """The NTA registry's word on the seller's registration number at the issue date."""
    if result.invoice is not None:
        seller, issued = result.invoice.seller, result.invoice.issue_date
        number, name = seller.jp_registration_number, seller.name
    elif result.guesses is not None:
        number, name, issued = result.guesses.registration_number, None, result.guesses.issue_date
    else:
        return result
    found = registry.intake_findings(
        session, number, issued, name, today=today(), max_age_days=max_age_days
    )
    return replace(result, findings=(*result.findings, *found)) if found else result


def dry_run(runtime: Runtime, document: Document) -> Result:
    """What intake would make of a document, for any channel's "validate only"; nothing is
    stored or recorded."""
    media_type(document, runtime.settings.max_upload_bytes)
    return runtime.validator.judge(document.data, runtime.settings.max_upload_bytes)


def _seller_findings(result: Result, supplier: Supplier) -> list[Finding]:
    """The seller's registration number must be the authenticated supplier's."""
    own = supplier.registration_number
    if result.invoice is not None:
        claimed, severity = result.invoice.seller.jp_registration_number, Severity.FATAL
    elif result.guesses is not None:
        claimed, severity = result.guesses.registration_number, Severity.WARNING
    else:
        return []
    if not claimed or not own or normalize(claimed) == own:
        return []
    rule = replace(juryo_rules.SELLER_NOT_SENDER, severity=severity)
    return [rule.finding(claimed=claimed, own=own)]


def _clip(value: str | None, length: int) -> str | None:
    return value[:length] if value else None


def _invoice_row(judged: Judged, supplier: Supplier, caller: Principal) -> InvoiceRecord:
    result = judged.result
    invoice, guesses = result.invoice, result.guesses
    row = InvoiceRecord(
        supplier=supplier,
        filename=judged.submission.document.name,
        format=result.format.value,
        profile=result.profile.value,
        submitted_by_id=caller.user_id,
        needs_data_entry=result.needs_data_entry,
        received_at=utcnow(),
        channel=judged.submission.channel.value,
    )
    if invoice is not None:
        row.document_type = invoice.kind.value
        row.invoice_number = _clip(invoice.number, 200)
        row.issue_date = invoice.issue_date
        row.due_date = invoice.due_date
        row.currency = invoice.currency if invoice.currency and len(invoice.currency) == 3 else None
        row.payable_amount = invoice.totals.payable
        row.tax_amount = invoice.totals.tax_total
        row.seller_registration_number = _clip(invoice.seller.jp_registration_number, 32)
        row.buyer_reference = _clip(invoice.buyer_reference, 200)
        row.order_reference = _clip(invoice.order_reference, 200)
        row.content = to_data(invoice)
    elif guesses is not None:
        row.invoice_number = _clip(guesses.invoice_number, 200)
        row.issue_date = guesses.issue_date
        row.currency = guesses.currency or "JPY"
        row.payable_amount = guesses.total
        row.seller_registration_number = _clip(guesses.registration_number, 32)
        row.content = to_data(guesses)
    return row


def _original(session: Session, judged: Judged, found: Original | None) -> Original:
    """The original's row, created once per content (two suppliers may send the same bytes)."""
    if found is not None:
        return found
    original = Original(
        sha256=judged.stored.sha256,
        size=judged.stored.size,
        media_type=judged.media_type,
        object_key=judged.stored.key,
    )
    if judged.scan is not None:
        original.scan_result, original.scan_detail = judged.scan.result, judged.scan.detail
    session.add(original)
    return original


def _returned_invoice(session: Session, caller: Principal, invoice_id: int) -> InvoiceRecord:
    """The caller's own returned invoice that a corrected one replaces."""
    returned = repo.visible(session, caller.scope, invoice_id)
    if returned is None:
        raise NotFound(f"no invoice {invoice_id}")
    if returned.status != InvoiceStatus.RETURNED:
        raise Conflict(
            f"invoice {invoice_id} is {returned.status}; only a returned one is replaced"
        )
    correction = repo.correction_of(session, returned.id)
    if correction is not None:
        raise Conflict(
            f"invoice {invoice_id} was already replaced by invoice {correction.id}",
            extra={"existing_id": correction.id},
        )
    return returned


def _replayed(
    session: Session, supplier: Supplier, judged: Judged, idempotency_key: str | None
) -> tuple[InvoiceRecord | None, Original | None]:
    """The earlier invoice when this repeats a submission (same key or same bytes), and the
    original's row if these bytes were recorded before (by anyone)."""
    if idempotency_key:
        earlier = repo.by_idempotency_key(session, supplier.id, idempotency_key)
        if earlier is not None:
            if earlier.original.sha256 != judged.stored.sha256:
                raise Conflict(
                    "this Idempotency-Key was already used for a different document",
                    extra={"existing_id": earlier.id},
                )
            return earlier, earlier.original
    original = repo.original_by_sha256(session, judged.stored.sha256)
    if original is None:
        return None, None
    return repo.by_supplier_and_original(session, supplier.id, original.id), original


def record(session: Session, *, judged: Judged, reject_duplicate_numbers: bool) -> Received:
    """Record, route and audit a judged document in the sender's transaction."""
    caller = judged.submission.sender
    if caller.supplier_id is None or not caller.supplier_approved:
        raise Forbidden.said("intake.not_approved_yet")
    with session.no_autoflush:  # read everything first, then write in one flush
        row, findings = _prepare(
            session, judged=judged, reject_duplicate_numbers=reject_duplicate_numbers
        )
    if findings is None:
        return Received(row, created=False)
    session.add(row)
    session.flush()
    audit.record_many(session, [_receive_event(judged, row, findings)])
    return Received(row, created=True)


def _prepare(
    session: Session, *, judged: Judged, reject_duplicate_numbers: bool
) -> tuple[InvoiceRecord, list[Finding] | None]:
    """The new invoice row and its findings, or (the earlier row, None) for a repeat."""
    caller, replaces = judged.submission.sender, judged.submission.replaces
    idempotency_key = judged.submission.idempotency_key
    assert caller.supplier_id is not None
    replaced = _returned_invoice(session, caller, replaces) if replaces is not None else None
    supplier = organisation.supplier_for_routing(session, caller.supplier_id)
    earlier, original = _replayed(session, supplier, judged, idempotency_key)
    if earlier is not None:
        return earlier, None
    result = judged.result
    findings = [*result.findings, *_seller_findings(result, supplier)]
    row = _invoice_row(judged, supplier, caller)
    acceptable = is_acceptable(findings)
    if acceptable and row.invoice_number:
        holder = repo.same_number(session, supplier.id, row.invoice_number, row.issue_date)
        if holder is not None:
            if holder.original.sha256 == judged.stored.sha256:
                return holder, None  # the same bytes, recorded by a request that raced this one
            findings.append(_duplicate_number(row, holder, reject_duplicate_numbers))
            row.duplicate_of_id = holder.id
    row.original = _original(session, judged, original)
    row.status = InvoiceStatus.PENDING if acceptable else InvoiceStatus.INVALID
    row.replaces_invoice_id = replaced.id if replaced is not None else None
    row.idempotency_key = _clip(idempotency_key, 200)
    if acceptable:
        decision = route(
            session,
            buyer_reference=row.buyer_reference,
            order_reference=row.order_reference,
            supplier=supplier,
        )
        row.routing_rule = decision.rule.value
        start_clock(row, decision.department, replaced)
    if result.invoice is not None and result.invoice.kind is DocumentKind.CREDIT_NOTE:
        row.preceding_invoice_id = _preceding_id(session, supplier, result)
    row.findings = _finding_records(findings)
    return row, findings


def _finding_records(findings: list[Finding]) -> list[FindingRecord]:
    return [
        FindingRecord(
            rule_id=f.rule_id[:80],
            severity=f.severity.value,
            message_en=f.message_en,
            message_ja=f.message_ja,
            location=f.location,
            business_term=f.business_term,
        )
        for f in findings
    ]


def _receive_event(judged: Judged, row: InvoiceRecord, findings: list[Finding]) -> audit.Event:
    """The audit event of a recorded invoice (``row`` flushed: it has its id)."""
    return audit.Event(
        actor=judged.submission.sender.actor,
        action="invoice.receive",
        entity_type="invoice",
        entity_id=row.id,
        details={
            "sha256": judged.stored.sha256,
            "status": row.status,
            "format": row.format,
            "profile": row.profile,
            "department": row.department.code if row.department else None,
            "routing_rule": row.routing_rule,
            "fatal_findings": sum(f.severity is Severity.FATAL for f in findings),
        },
    )


def _duplicate_number(row: InvoiceRecord, holder: InvoiceRecord, reject: bool) -> Finding:
    """The warning for a second invoice with a received number (JURYO_DUPLICATE_NUMBERS=warn);
    under ``reject`` the 409 that names the invoice holding the number."""
    finding = juryo_rules.DUPLICATE_NUMBER.finding(
        number=row.invoice_number, issue_date=row.issue_date
    )
    if reject:
        raise Conflict(
            finding.message_en,
            extra={
                "existing_id": holder.id,
                "message_ja": finding.message_ja,
                "message_en": finding.message_en,
            },
        )
    return finding


def _preceding_id(session: Session, supplier: Supplier, result: Result) -> int | None:
    """The invoice a credit note corrects (BT-25), when juryo received it from this supplier."""
    assert result.invoice is not None
    for preceding in result.invoice.preceding_invoices:
        if preceding.number:
            found = repo.live_by_number(session, supplier.id, preceding.number)
            if found is not None:
                return found.id
    return None


def receive(
    session: Session, store: ObjectStore, *, judged: Judged, reject_duplicate_numbers: bool
) -> Received:
    """``record`` and commit, so the answer follows durability (one hop, short lock).

    Two requests with the same bytes, key or supplier + number + issue date can race past the
    checks (on PostgreSQL, or from two servers); the database's unique constraints stop the
    second, which then starts over and finds the first one's record: the same submission is
    answered with it, another one with the same number gets the 409 (or, under ``warn``, is
    recorded beside it).
    """
    for attempt in range(2):
        try:
            received = record(
                session, judged=judged, reject_duplicate_numbers=reject_duplicate_numbers
            )
            session.commit()
            break
        except IntegrityError:
            session.rollback()
            if attempt == 1:
                raise
    _restore_if_reaped(store, judged, received)
    return received


def _restore_if_reaped(store: ObjectStore, judged: Judged, received: Received) -> None:
    if received.created and not judged.stored.created and not store.exists(judged.stored.key):
        # The bytes were stored before this upload, perhaps as an orphan that the reconciler
        # removed meanwhile: store them again before acknowledging.
        store.put(judged.submission.document.data, media_type=judged.media_type)


def in_savepoint(session: Session, step: Callable[[], T]) -> T:
    """``step`` in a savepoint of its own, started over once when a unique constraint stops a
    racing twin (as ``receive`` does for a whole transaction); its refusal undoes only it."""
    for attempt in range(2):
        try:
            with session.begin_nested():
                return step()
        except IntegrityError:
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def receive_group(
    session: Session,
    store: ObjectStore,
    *,
    group: Sequence[Judged],
    reject_duplicate_numbers: bool,
    alongside: Callable[[Judged, Received], None],
) -> list[Received | AppError]:
    """Record a group of judged documents (their originals already stored durably) in ONE
    transaction, then commit: the bulk channels' answer follows durability as ``receive``'s
    does, at one commit per group instead of one per document.

    Each document is recorded with ``alongside`` (the channel's own row). The group is tried
    in one savepoint, in one go (``record_plain``) when nothing in it needs more than the
    common case; if any document is refused (or stopped by a racing twin), it is recorded
    again one savepoint per document, so a refusal costs only that document: it is returned
    in its place.
    """

    def step(judged: Judged) -> Received:
        received = record(session, judged=judged, reject_duplicate_numbers=reject_duplicate_numbers)
        alongside(judged, received)
        return received

    results: list[Received | AppError]
    try:
        with session.begin_nested():
            plain = record_plain(session, group)
            if plain is None:
                results = [step(judged) for judged in group]
            else:
                for judged, received in zip(group, plain, strict=True):
                    alongside(judged, received)
                results = list(plain)
    except (AppError, IntegrityError):
        results = [_one_of_group(session, partial(step, judged)) for judged in group]
    session.commit()
    for judged, result in zip(group, results, strict=True):
        if isinstance(result, Received):
            _restore_if_reaped(store, judged, result)
    return results


def _one_of_group(session: Session, step: Callable[[], Received]) -> Received | AppError:
    try:
        return in_savepoint(session, step)
    except AppError as refusal:
        return refusal
    except IntegrityError:  # twice: a racing submission holds what this one needs
        return Conflict("a submission racing this one holds the same key; resend")


def record_plain(session: Session, group: Sequence[Judged]) -> list[Received] | None:
    """Record a group of new documents in one go, with the reads and writes ``record`` makes
    per document made once per group: one query per distinct supplier and routing, one for
    the originals, one for the numbers, one flush, one audit append. None, with nothing
    written, when any document is not the common case (a key, a correction, an unapproved
    sender, bytes or a number seen before or twice in the group, a credit note for an invoice
    of the group): ``record`` then takes each in turn, as it decides those cases.
    """
    if not all(_plain_submission(judged.submission) for judged in group):
        return None
    shas = [judged.stored.sha256 for judged in group]
    if len(set(shas)) < len(shas) or repo.originals_recorded(session, shas):
        return None
    with session.no_autoflush:  # read everything first, then write in one flush
        suppliers = _suppliers(session, group)
        prepared = [_plain_row(judged, suppliers[_supplier_id(judged)]) for judged in group]
        if _corrects_within(group, [row for row, _ in prepared]):
            return None
        if not _numbers_are_new(session, [row for row, _ in prepared if _holds_number(row)]):
            return None
        routes: dict[tuple[str | None, str | None, int], RoutingDecision] = {}
        for judged, (row, findings) in zip(group, prepared, strict=True):
            _complete_plain(session, judged, row, findings, routes)
    session.add_all(row for row, _ in prepared)
    session.flush()
    audit.record_many(
        session,
        [
            _receive_event(judged, row, findings)
            for judged, (row, findings) in zip(group, prepared, strict=True)
        ],
    )
    return [Received(row, created=True) for row, _ in prepared]


def _plain_submission(submission: Submission) -> bool:
    caller = submission.sender
    return (
        caller.supplier_id is not None
        and caller.supplier_approved
        and submission.replaces is None
        and not submission.idempotency_key
    )


def _supplier_id(judged: Judged) -> int:
    supplier_id = judged.submission.sender.supplier_id
    assert supplier_id is not None
    return supplier_id


def _suppliers(session: Session, group: Sequence[Judged]) -> dict[int, Supplier]:
    """Each distinct sender's supplier, read once for the group."""
    ids = dict.fromkeys(_supplier_id(judged) for judged in group)
    return {i: organisation.supplier_for_routing(session, i) for i in ids}


def _plain_row(judged: Judged, supplier: Supplier) -> tuple[InvoiceRecord, list[Finding]]:
    result = judged.result
    findings = [*result.findings, *_seller_findings(result, supplier)]
    row = _invoice_row(judged, supplier, judged.submission.sender)
    row.status = InvoiceStatus.PENDING if is_acceptable(findings) else InvoiceStatus.INVALID
    return row, findings


def _holds_number(row: InvoiceRecord) -> bool:
    return row.status == InvoiceStatus.PENDING and bool(row.invoice_number)


def _corrects_within(group: Sequence[Judged], rows: list[InvoiceRecord]) -> bool:
    """Whether a credit note names an invoice number of its own group (``record`` links it to
    that invoice, written just before it; the group's rows are not written yet here)."""
    numbers = {
        (row.supplier.id, row.invoice_number)
        for row in rows
        if row.status != InvoiceStatus.INVALID and row.invoice_number
    }
    for judged, row in zip(group, rows, strict=True):
        invoice = judged.result.invoice
        if invoice is not None and invoice.kind is DocumentKind.CREDIT_NOTE:
            named = {(row.supplier.id, p.number) for p in invoice.preceding_invoices if p.number}
            if named & numbers:
                return True
    return False


def _numbers_are_new(session: Session, rows: list[InvoiceRecord]) -> bool:
    """No two of these rows, and no live invoice already recorded, share supplier, number and
    issue date (those cases are ``record``'s: a duplicate finding, or the 409)."""
    keys = [(row.supplier.id, row.invoice_number, row.issue_date) for row in rows]
    if len(set(keys)) < len(keys):
        return False
    taken = repo.live_numbers(session, {(s, n) for s, n, _ in keys if n is not None})
    return not taken.intersection(keys)


def _complete_plain(
    session: Session,
    judged: Judged,
    row: InvoiceRecord,
    findings: list[Finding],
    routes: dict[tuple[str | None, str | None, int], RoutingDecision],
) -> None:
    """What ``_prepare`` adds to a new row: its original, routing and clock, the credit
    note's preceding invoice, its findings; each routing asked once per group."""
    supplier = row.supplier
    row.original = _original(session, judged, None)
    if row.status == InvoiceStatus.PENDING:
        key = (row.buyer_reference, row.order_reference, supplier.id)
        if key not in routes:
            routes[key] = route(
                session,
                buyer_reference=row.buyer_reference,
                order_reference=row.order_reference,
                supplier=supplier,
            )
        row.routing_rule = routes[key].rule.value
        start_clock(row, routes[key].department, None)
    result = judged.result
    if result.invoice is not None and result.invoice.kind is DocumentKind.CREDIT_NOTE:
        row.preceding_invoice_id = _preceding_id(session, supplier, result)
    row.findings = _finding_records(findings)
