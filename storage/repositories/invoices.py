"""Invoices, their originals and findings. Every query that serves a person takes a ``Scope``.

The scope is the security boundary: a supplier sees its own invoices, a clerk those of its
departments, accounting, auditors and admins all of them. Anything outside the scope is
indistinguishable from something that does not exist.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session, aliased, defer, joinedload, selectinload
from sqlalchemy.orm.util import AliasedClass

from storage.models import (
    AuditEvent,
    BatchItem,
    Department,
    InvoiceRecord,
    InvoiceStatus,
    Original,
    Supplier,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a caller may see, independent of the web layer."""

    everything: bool = False
    supplier_id: int | None = None
    department_ids: frozenset[int] = frozenset()

    def condition(
        self, invoices: type[InvoiceRecord] | AliasedClass[InvoiceRecord] = InvoiceRecord
    ) -> ColumnElement[bool]:
        """The WHERE clause that restricts invoices (or an alias of them) to this scope."""
        if self.everything:
            return true()
        if self.supplier_id is not None:
            return invoices.supplier_id == self.supplier_id
        if self.department_ids:
            return invoices.department_id.in_(sorted(self.department_ids))
        return false()


@dataclass(frozen=True, slots=True)
class InvoiceFilter:
    """Search criteria (電子帳簿保存法: date, amount, counterparty), combined with AND."""

    status: Sequence[InvoiceStatus] = ()
    issue_date_from: dt.date | None = None
    issue_date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    supplier: str | None = None
    """Registration number, or part of the supplier's name."""
    supplier_number: str | None = None
    """``supplier`` as a registration number in its one form (``parsers.registration``)."""
    department: str | None = None
    """A department code."""
    invoice_number: str | None = None


def _filtered(
    scope: Scope, criteria: InvoiceFilter, supplier_ids: Sequence[int] | None = None
) -> Select[InvoiceRecord]:
    query = select(InvoiceRecord).where(scope.condition())
    if criteria.status:
        query = query.where(InvoiceRecord.status.in_(list(criteria.status)))
    if criteria.issue_date_from:
        query = query.where(InvoiceRecord.issue_date >= criteria.issue_date_from)
    if criteria.issue_date_to:
        query = query.where(InvoiceRecord.issue_date <= criteria.issue_date_to)
    if criteria.amount_min is not None:
        query = query.where(InvoiceRecord.payable_amount >= criteria.amount_min)
    if criteria.amount_max is not None:
        query = query.where(InvoiceRecord.payable_amount <= criteria.amount_max)
    if criteria.department:
        query = query.join(Department, Department.id == InvoiceRecord.department_id).where(
            Department.code == criteria.department
        )
    if criteria.invoice_number:
        query = query.where(InvoiceRecord.invoice_number == criteria.invoice_number)
    if criteria.supplier and supplier_ids is not None:
        query = query.where(InvoiceRecord.supplier_id.in_(supplier_ids))
    elif criteria.supplier:
        query = query.join(Supplier, Supplier.id == InvoiceRecord.supplier_id).where(
            _supplier_matches(criteria.supplier, criteria.supplier_number)
        )
    return query


def _supplier_matches(supplier: str, number: str | None) -> ColumnElement[bool]:
    """A supplier by registration number, or by a part of its name."""
    needle = supplier.strip()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(
        Supplier.registration_number == (number or needle),
        Supplier.name.like(f"%{escaped}%", escape="\\"),
    )


FEW_SUPPLIERS = 100
"""Up to this many suppliers matching a search are named by id (``_suppliers_matching``)."""


def _suppliers_matching(session: Session, criteria: InvoiceFilter) -> list[int] | None:
    """The ids of the suppliers a search names, when there are few: found once (reading
    every supplier's name), the page and its count then use the supplier index, and the
    planner knows how few invoices they have. None when no supplier is asked for, or many
    match (the search then joins the suppliers itself)."""
    if not criteria.supplier:
        return None
    ids = session.scalars(
        select(Supplier.id)
        .where(_supplier_matches(criteria.supplier, criteria.supplier_number))
        .limit(FEW_SUPPLIERS + 1)
    ).all()
    return list(ids) if len(ids) <= FEW_SUPPLIERS else None


TOTAL_CAP = 10_000
"""A search counts its hits up to here and then says "10,000 or more": counting every one of a
hundred thousand hits costs more than the page itself (bench/search.py)."""

DAY_BY_DAY = 1000
"""The longest issue-date range (days) whose page PostgreSQL reads day by day (``_page_keys``)."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page of the search ends: the next page starts after this (received_at, id)."""

    received_at: dt.datetime
    id: int

    def token(self) -> str:
        """The cursor as the opaque text the API and the pages hand out."""
        raw = f"{self.received_at.astimezone(dt.UTC).isoformat()}|{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> Cursor:
        """A cursor from its token; ValueError if it is not one this search handed out."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            moment, row_id = raw.split("|")
            received_at = dt.datetime.fromisoformat(moment)
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise ValueError("not a search cursor") from exc
        if received_at.tzinfo is None or not row_id.isdigit() or len(row_id) > 18:
            raise ValueError("not a search cursor")
        return cls(received_at, int(row_id))


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of a search: its rows, the hits counted up to a cap, the cursor of the next
    page (None on the last), and the correction of each returned row that has one in scope."""

    rows: list[InvoiceRecord]
    total: int
    total_is_capped: bool
    next_cursor: Cursor | None
    replaced_by: dict[int, int]


def search(
    session: Session,
    scope: Scope,
    criteria: InvoiceFilter,
    *,
    limit: int,
    after: Cursor | None = None,
    offset: int = 0,
    cap: int = TOTAL_CAP,
) -> SearchPage:
    """One page of matching invoices (newest first, after ``after``), and the hits counted.

    One statement: each round trip to the database costs more than the work it asks for on a
    busy machine (bench/search.py). A supplier asked for is looked up first; the count runs
    apart only when the page is empty after a cursor.
    """
    supplier_ids = _suppliers_matching(session, criteria)
    if supplier_ids == []:
        return SearchPage(rows=[], total=0, total_is_capped=False, next_cursor=None, replaced_by={})
    query = _filtered(scope, criteria, supplier_ids)
    counted = query.with_only_columns(InvoiceRecord.id).limit(cap + 1).subquery()
    total = select(func.count()).select_from(counted)
    days = _issue_days(session, criteria)
    keys = _page_keys(query, criteria, after, limit + 1, offset, days).subquery()
    found = (
        session.execute(
            select(InvoiceRecord, total.scalar_subquery(), _replacement(scope))
            .join(keys, keys.c.id == InvoiceRecord.id)
            .options(*LISTED)
            .order_by(InvoiceRecord.received_at.desc(), InvoiceRecord.id.desc())
        )
        .unique()
        .all()
    )
    if found:
        hits = found[0][1]
    elif after is None and not offset:
        hits = 0
    else:
        hits = session.execute(total).scalar_one()
    rows = [row[0] for row in found]
    last = rows[limit - 1] if len(rows) > limit else None
    return SearchPage(
        rows=rows[:limit],
        total=min(hits, cap),
        total_is_capped=hits > cap,
        next_cursor=Cursor(last.received_at, last.id) if last else None,
        replaced_by={row[0].id: row[2] for row in found[:limit] if row[2] is not None},
    )


_CORRECTION = aliased(InvoiceRecord, name="correction")
"""Built once: an alias of a mapped class costs milliseconds to make (cProfile)."""


def _replacement(scope: Scope) -> ColumnElement[int | None]:
    """Per row, the correction that replaces it if it is returned (as ``replacements``)."""
    correction = _CORRECTION
    found = (
        select(func.min(correction.id))
        .where(
            correction.replaces_invoice_id == InvoiceRecord.id,
            correction.status != InvoiceStatus.INVALID,
            scope.condition(correction),
        )
        .scalar_subquery()
    )
    return case((InvoiceRecord.status == InvoiceStatus.RETURNED, found), else_=None)


def _issue_days(session: Session, criteria: InvoiceFilter) -> tuple[dt.date, int] | None:
    """The first day and the number of days of an issue-date range to read day by day, on
    PostgreSQL; None to read the range as one (SQLite, no range, a long one, or an amount or
    supplier that selects fewer hits than the range). An open or long range is first closed to
    the issue dates on record (two index probes): "2020 to 2029" is then the days there are."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    if criteria.issue_date_from is None and criteria.issue_date_to is None:
        return None
    if criteria.amount_min is not None or criteria.amount_max is not None or criteria.supplier:
        return None
    first, last = criteria.issue_date_from, criteria.issue_date_to
    if first is None or last is None or _days(first, last) > DAY_BY_DAY:
        earliest, latest = session.execute(
            select(func.min(InvoiceRecord.issue_date), func.max(InvoiceRecord.issue_date))
        ).one()
        if earliest is None or latest is None:
            return None
        first, last = max(first or earliest, earliest), min(last or latest, latest)
    span = _days(first, last)
    return (first, span) if 0 < span <= DAY_BY_DAY else None


def _days(first: dt.date, last: dt.date) -> int:
    return (last - first).days + 1


def _page_keys(
    query: Select[InvoiceRecord],
    criteria: InvoiceFilter,
    after: Cursor | None,
    limit: int,
    offset: int,
    days: tuple[dt.date, int] | None,
) -> Select[tuple[int]]:
    """The ids of one page, newest first.

    An issue-date range is read day by day where ``_issue_days`` says so: each day's newest
    hits come straight off the ``(issue_date, received_at, id)`` index, and the page is the
    newest of those (a month: 31 short index reads instead of sorting 100,000 hits). Otherwise,
    with a date or amount range, the hits are read through that range's index and sorted,
    fenced off (``OFFSET 0``) from the page's ORDER BY ... LIMIT: unfenced, PostgreSQL walks
    the ``received_at`` index back from today, expecting hits evenly spread, and reads 900,000
    rows for a month long past (bench/search.py).
    """
    keys = query.with_only_columns(InvoiceRecord.id, InvoiceRecord.received_at)
    if after is not None:
        keys = keys.where(
            tuple_(InvoiceRecord.received_at, InvoiceRecord.id) < (after.received_at, after.id)
        )
    if days is not None:
        hits = _day_by_day(keys, days, limit + offset)
    elif _ranged(criteria):
        hits = keys.offset(0).subquery()
    else:
        hits = keys.subquery()
    return (
        select(hits.c.id)
        .order_by(hits.c.received_at.desc(), hits.c.id.desc())
        .limit(limit)
        .offset(offset)
    )


def _day_by_day(keys: Select[int, dt.datetime], days: tuple[dt.date, int], limit: int) -> Subquery:
    """Each issue day's newest ``limit`` hits (PostgreSQL: generate_series, LATERAL)."""
    first, span = days
    day = func.generate_series(0, span - 1).table_valued("n").render_derived(name="day")
    newest = (
        keys.where(InvoiceRecord.issue_date == literal(first, Date) + day.c.n)
        .order_by(InvoiceRecord.received_at.desc(), InvoiceRecord.id.desc())
        .limit(limit)
        .lateral("newest")
    )
    return (
        select(newest.c.id, newest.c.received_at).select_from(day).join(newest, true()).subquery()
    )


def _ranged(criteria: InvoiceFilter) -> bool:
    bounds = (
        criteria.issue_date_from,
        criteria.issue_date_to,
        criteria.amount_min,
        criteria.amount_max,
    )
    return any(bound is not None for bound in bounds)


SHOWN = (
    selectinload(InvoiceRecord.findings),
    selectinload(InvoiceRecord.original),
    selectinload(InvoiceRecord.supplier),
    selectinload(InvoiceRecord.department),
)
"""Everything an invoice's answer shows, loaded with it: a lazy load after the request's
transaction would open another one, on SQLite waiting for the write lock."""

LISTED = (
    joinedload(InvoiceRecord.findings),
    joinedload(InvoiceRecord.original, innerjoin=True),
    joinedload(InvoiceRecord.supplier, innerjoin=True),
    joinedload(InvoiceRecord.department),
    defer(InvoiceRecord.content, raiseload=True),
    defer(InvoiceRecord.data_entry, raiseload=True),
)
"""What a search's rows show: ``SHOWN``, joined into the page's own statement (the page is
limited before the join, so a row per finding is safe); not the parsed content and data entry,
which no list shows (kilobytes a row)."""


def visible(session: Session, scope: Scope, invoice_id: int) -> InvoiceRecord | None:
    """The invoice if it exists and is in scope; None otherwise (callers answer 404)."""
    return session.execute(
        select(InvoiceRecord)
        .where(InvoiceRecord.id == invoice_id, scope.condition())
        .options(*SHOWN)
    ).scalar_one_or_none()


# Statements of the upload path, built once: building one costs about as much as running it.
_ORIGINAL_BY_SHA256 = select(Original).where(Original.sha256 == bindparam("sha256"))


def _same_number_statement(same_date: ColumnElement[bool]) -> Select[InvoiceRecord]:
    return (
        select(InvoiceRecord)
        .where(
            InvoiceRecord.supplier_id == bindparam("supplier_id"),
            InvoiceRecord.invoice_number == bindparam("number"),
            same_date,
            InvoiceRecord.status.not_in([InvoiceStatus.INVALID, InvoiceStatus.RETURNED]),
        )
        .options(*SHOWN)
        .order_by(InvoiceRecord.duplicate_of_id.is_not(None), InvoiceRecord.id)
        .limit(1)
    )


_SAME_NUMBER = _same_number_statement(InvoiceRecord.issue_date == bindparam("issue_date"))
_SAME_NUMBER_UNDATED = _same_number_statement(InvoiceRecord.issue_date.is_(None))


def original_by_sha256(session: Session, sha256: str) -> Original | None:
    """The recorded original with this content hash."""
    return session.execute(_ORIGINAL_BY_SHA256, {"sha256": sha256}).scalar_one_or_none()


def originals_recorded(session: Session, sha256s: list[str]) -> bool:
    """Whether any of these contents was recorded before (a bulk group's one check)."""
    for start in range(0, len(sha256s), 500):  # stay under SQLite's bound-parameter limit
        chunk = sha256s[start : start + 500]
        if session.execute(select(Original.id).where(Original.sha256.in_(chunk)).limit(1)).first():
            return True
    return False


def live_numbers(
    session: Session, numbers: set[tuple[int, str]]
) -> set[tuple[int, str, dt.date | None]]:
    """Of these (supplier, invoice number) pairs, the (supplier, number, issue date) of each
    live invoice that has them (not invalid, not returned: those hold no number)."""
    found: set[tuple[int, str, dt.date | None]] = set()
    pairs = sorted(numbers)
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        rows = session.execute(
            select(
                InvoiceRecord.supplier_id, InvoiceRecord.invoice_number, InvoiceRecord.issue_date
            ).where(
                InvoiceRecord.supplier_id.in_({supplier for supplier, _ in chunk}),
                InvoiceRecord.invoice_number.in_({number for _, number in chunk}),
                InvoiceRecord.status.not_in([InvoiceStatus.INVALID, InvoiceStatus.RETURNED]),
            )
        )
        found.update((r.supplier_id, r.invoice_number or "", r.issue_date) for r in rows)
    return found


def by_supplier_and_original(
    session: Session, supplier_id: int, original_id: int
) -> InvoiceRecord | None:
    """The invoice a supplier made of these exact bytes, if it sent them before."""
    return session.execute(
        select(InvoiceRecord)
        .where(InvoiceRecord.supplier_id == supplier_id, InvoiceRecord.original_id == original_id)
        .options(*SHOWN)
    ).scalar_one_or_none()


def by_idempotency_key(session: Session, supplier_id: int, key: str) -> InvoiceRecord | None:
    """The invoice a supplier submitted under this Idempotency-Key."""
    return session.execute(
        select(InvoiceRecord)
        .where(InvoiceRecord.supplier_id == supplier_id, InvoiceRecord.idempotency_key == key)
        .options(*SHOWN)
    ).scalar_one_or_none()


def same_number(
    session: Session, supplier_id: int, number: str, issue_date: dt.date | None
) -> InvoiceRecord | None:
    """The live invoice (not invalid, not returned) with the same number and date: the one that
    holds the number (``uq_invoices_live_number_*``) if any, else the oldest accepted beside it."""
    values = {"supplier_id": supplier_id, "number": number}
    if issue_date is None:
        return session.execute(_SAME_NUMBER_UNDATED, values).scalar_one_or_none()
    return session.execute(_SAME_NUMBER, {**values, "issue_date": issue_date}).scalar_one_or_none()


def correction_of(session: Session, returned_id: int) -> InvoiceRecord | None:
    """The acceptable invoice that already replaces a returned one, if any."""
    return session.execute(
        select(InvoiceRecord)
        .where(
            InvoiceRecord.replaces_invoice_id == returned_id,
            InvoiceRecord.status != InvoiceStatus.INVALID,
        )
        .limit(1)
    ).scalar_one_or_none()


def replacements(session: Session, scope: Scope, returned_ids: Sequence[int]) -> dict[int, int]:
    """For returned invoices, the corrected invoice that replaces each (acceptable, and in the
    caller's scope: a correction routed elsewhere is not named to a clerk who cannot open it)."""
    if not returned_ids:
        return {}
    rows = session.execute(
        select(InvoiceRecord.replaces_invoice_id, func.min(InvoiceRecord.id))
        .where(
            InvoiceRecord.replaces_invoice_id.in_(sorted(set(returned_ids))),
            InvoiceRecord.status != InvoiceStatus.INVALID,
            scope.condition(),
        )
        .group_by(InvoiceRecord.replaces_invoice_id)
    ).all()
    return {returned: replacement for returned, replacement in rows if returned is not None}


def live_by_number(session: Session, supplier_id: int, number: str) -> InvoiceRecord | None:
    """The newest valid invoice of a supplier with this number (a credit note's BT-25)."""
    return session.execute(
        select(InvoiceRecord)
        .where(
            InvoiceRecord.supplier_id == supplier_id,
            InvoiceRecord.invoice_number == number,
            InvoiceRecord.status != InvoiceStatus.INVALID,
        )
        .order_by(InvoiceRecord.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def history(session: Session, invoice_id: int) -> list[AuditEvent]:
    """Every audit event about one invoice, and about the payment batch it is in, oldest first."""
    batch_id = session.execute(
        select(BatchItem.batch_id).where(BatchItem.invoice_id == invoice_id)
    ).scalar_one_or_none()
    about_batch = (
        and_(AuditEvent.entity_type == "batch", AuditEvent.entity_id == str(batch_id))
        if batch_id is not None
        else false()
    )
    return list(
        session.execute(
            select(AuditEvent)
            .where(
                or_(
                    and_(
                        AuditEvent.entity_type == "invoice",
                        AuditEvent.entity_id == str(invoice_id),
                    ),
                    about_batch,
                )
            )
            .order_by(AuditEvent.id)
        ).scalars()
    )


def referenced_object_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these object keys a recorded original points to."""
    if not keys:
        return set()
    return set(
        session.execute(select(Original.object_key).where(Original.object_key.in_(list(keys))))
        .scalars()
        .all()
    )
