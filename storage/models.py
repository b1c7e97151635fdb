"""The database tables (SQLAlchemy 2 declarative); SQL that uses them lives in repositories."""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(18, 2)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """Now, in UTC, aware."""
    return dt.datetime.now(dt.UTC)


class Role(enum.StrEnum):
    """What a user may do; see service.auth for the rules."""

    SUPPLIER = "supplier"
    CLERK = "clerk"
    ACCOUNTING = "accounting"
    AUDITOR = "auditor"
    ADMIN = "admin"
    ACCESS_POINT = "access_point"
    """The city's Peppol access point (made with ``juryo peppol add-access-point``): it hands
    over suppliers' documents and sees nothing."""


class InvoiceStatus(enum.StrEnum):
    """The life of an invoice, from receipt to payment."""

    INVALID = "invalid"
    PENDING = "pending"
    RETURNED = "returned"
    REJECTED = "rejected"
    APPROVED = "approved"
    EXPORTED = "exported"
    PAID = "paid"


class BatchStatus(enum.StrEnum):
    """A payment batch: open until the bank pays it, or cancelled (its invoices freed)."""

    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"


def _one_of(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class StoredEnum(TypeDecorator[enum.StrEnum]):
    """A ``StrEnum`` kept as its plain value in a VARCHAR and read back as the enum, so code
    compares members, not strings, and the stored data is what it always was."""

    impl = String
    cache_ok = True

    def __init__(self, members: type[enum.StrEnum], length: int) -> None:
        super().__init__(length)
        self.members = members

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.members(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> enum.StrEnum | None:
        return None if value is None else self.members(value)


class Base(DeclarativeBase):
    """Declarative base with the constraint naming convention Alembic relies on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Department(Base):
    """A department or ward office with its own approval inbox."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    approval_threshold: Mapped[Decimal] = mapped_column(Money)
    """Payable amount at or above which two different clerks must approve."""
    works_contracts: Mapped[bool] = mapped_column(Boolean, default=False)
    """Construction works: 40 instead of 30 days to pay (支払遅延防止法 art. 6)."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    aliases: Mapped[list[DepartmentAlias]] = relationship(
        back_populates="department", cascade="all, delete-orphan"
    )


class DepartmentAlias(Base):
    """Another code suppliers write in the buyer reference (BT-10) for a department."""

    __tablename__ = "department_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(64), unique=True)

    department: Mapped[Department] = relationship(back_populates="aliases")


class Supplier(Base):
    """A supplier company, which is also the city's creditor for payments."""

    __tablename__ = "suppliers"
    __table_args__ = (
        CheckConstraint("rounding IN ('down', 'half_up', 'up')", name="rounding_method"),
        CheckConstraint("NOT (approved AND rejected_at IS NOT NULL)", name="approved_or_rejected"),
        CheckConstraint(
            "(rejected_at IS NULL) = (rejection_reason IS NULL)", name="rejected_with_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_number: Mapped[str | None] = mapped_column(String(14), unique=True)
    """Qualified-invoice registration number: ``T`` + 13 ASCII digits, as
    ``parsers.registration.normalize`` writes it (the unique index is on that one form)."""
    name: Mapped[str] = mapped_column(String(300))
    creditor_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    default_department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL")
    )
    contact_email: Mapped[str | None] = mapped_column(String(320))
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    """An admin approved the sign-up; until then the supplier may only dry-run."""
    rejected_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    """Why an admin refused the sign-up; the applicant reads it on the account page."""
    bank_code: Mapped[str | None] = mapped_column(String(4))
    branch_code: Mapped[str | None] = mapped_column(String(3))
    account_type: Mapped[str | None] = mapped_column(String(1))
    """Zengin 預金種目: 1 ordinary (普通), 2 current (当座), 4 savings (貯蓄), 9 other."""
    account_number: Mapped[str | None] = mapped_column(String(7))
    account_holder: Mapped[str | None] = mapped_column(String(30))
    """Payee name in half-width katakana, as the bank expects."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # What the invoice form (service.compose) pre-fills as the seller, and how it rounds.
    corporate_number: Mapped[str | None] = mapped_column(String(13))
    """法人番号, the electronic address (0188) of a seller without a registration number."""
    postal_zone: Mapped[str | None] = mapped_column(String(16))
    prefecture: Mapped[str | None] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    building: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    telephone: Mapped[str | None] = mapped_column(String(40))
    rounding: Mapped[str] = mapped_column(String(8), default="down", server_default="down")
    """端数処理 of the consumption tax, once per rate: down (切り捨て), half_up or up."""

    default_department: Mapped[Department | None] = relationship()

    @property
    def bank_account(self) -> BankAccount | None:
        """The account in the five columns above; None until every one is set."""
        return bank_account([getattr(self, name) for name in BANK_ACCOUNT_FIELDS])

    @bank_account.setter
    def bank_account(self, account: BankAccount) -> None:
        for name, value in zip(BANK_ACCOUNT_FIELDS, astuple(account), strict=True):
            setattr(self, name, value)


@dataclass(frozen=True, slots=True)
class BankAccount:
    """A creditor's account as the bank pays it (Zengin 総合振込): the supplier's five columns,
    named once for the API, the forms, the exports and the transfer file."""

    bank_code: str
    branch_code: str
    account_type: str
    """1 普通 (ordinary), 2 当座 (current), 4 貯蓄 (savings), 9 その他 (other)."""
    account_number: str
    account_holder: str
    """Half-width katakana, as the bank expects."""


BANK_ACCOUNT_FIELDS = tuple(f.name for f in fields(BankAccount))


def bank_account(values: Sequence[str | None]) -> BankAccount | None:
    """The account in these column values (in field order); None unless every one is set."""
    present = [value for value in values if value is not None]
    return BankAccount(*present) if len(present) == len(BANK_ACCOUNT_FIELDS) else None


class UserDepartment(Base):
    """Which departments a clerk works for."""

    __tablename__ = "user_departments"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )


class User(Base):
    """A person or program that signs in; its role decides what it may see."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_one_of("role", Role), name="role"),
        CheckConstraint("role <> 'supplier' OR supplier_id IS NOT NULL", name="supplier_bound"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    login_key: Mapped[str] = mapped_column(String(400), unique=True)
    """``login_key(login)``: one user per login whatever its case or width (set with login)."""
    role: Mapped[Role] = mapped_column(StoredEnum(Role, 16))
    display_name: Mapped[str | None] = mapped_column(String(200))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """argon2id hash; None for API-only accounts."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    email: Mapped[str | None] = mapped_column(String(320))
    """Where notifications go; None: this person gets none by e-mail."""
    language: Mapped[str] = mapped_column(String(2), default="ja", server_default="ja")
    """``ja`` or ``en``: the language of the notifications this person receives."""
    muted: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    """Notification kinds this person chose not to receive (never the statutory ones)."""

    supplier: Mapped[Supplier | None] = relationship()
    departments: Mapped[list[Department]] = relationship(
        secondary="user_departments", order_by="Department.code"
    )

    @validates("login")
    def _keep_login_key(self, _key: str, login: str) -> str:
        self.login_key = login_key(login)
        return login


def login_key(login: str) -> str:
    """What makes two logins one: NFKC + casefold (``ADMIN`` and full-width ``admin`` are it)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", login).casefold())


class SignInFailure(Base):
    """A sign-in attempt not (yet) known to have succeeded: what throttling counts.

    Written and committed before the password is checked, and deleted on success, so that
    attempts racing on several workers cannot all pass a count taken before any was stored.
    """

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    login_key: Mapped[str] = mapped_column(String(400), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="default")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship()


class WebSession(Base):
    """A signed-in browser; the cookie holds a random id whose SHA-256 is stored here."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship()


class PasswordReset(Base):
    """A one-time code an administrator issued so that a user can set a new password.

    Only its SHA-256 is stored; it is spent by a guarded UPDATE (unused and unexpired), so
    that two redemptions racing cannot both pass.
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Original(Base):
    """The bytes a supplier sent, as stored unchanged in the object store."""

    __tablename__ = "originals"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    object_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    scan_result: Mapped[str | None] = mapped_column(String(16))
    """What the malware scan said: ``clean``, ``infected`` (kept in quarantine, served to
    administrators only), ``unscanned`` (no scanner, or one that failed under fail-open);
    NULL for originals received before the scan gate existed."""
    scan_detail: Mapped[str | None] = mapped_column(String(500))
    """The scanner's own words (e.g. the signature name), for the administrator."""


LIVE_NUMBER = text("status NOT IN ('invalid', 'returned') AND duplicate_of_id IS NULL")
"""The invoices that hold their number: what ``same_number`` calls "already received"."""
UNDATED_LIVE_NUMBER = text(
    "issue_date IS NULL AND status NOT IN ('invalid', 'returned') AND duplicate_of_id IS NULL"
)
"""The same for invoices without an issue date (a unique index treats NULLs as distinct)."""


SEARCH_INCLUDED = ["supplier_id", "department_id", "status"]
"""The columns the search's indexes carry along on PostgreSQL beside their own and the other
range's (a filter on them, or the caller's scope, is then read from the index)."""
STATISTICS_INDEXES = (
    ("received_at", "department_id", "status", "channel", "format", "profile", "routing_rule"),
    ("first_decided_at", "department_id", "received_at"),
    ("approved_at", "department_id", "received_at"),
    ("batched_at", "department_id", "approved_at"),
    ("paid_on", "department_id", "payment_deadline", "batched_at"),
    ("returned_at", "department_id"),
)
"""The monthly statistics' indexes on invoices (migration 0014): each named by its first column."""


class InvoiceRecord(Base):
    """One received document and where it stands; the canonical content is kept as JSON."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(_one_of("status", InvoiceStatus), name="status"),
        Index("ix_invoices_department_status", "department_id", "status"),
        Index("ix_invoices_inbox", "department_id", "status", "payment_deadline", "id"),
        Index("ix_invoices_supplier_number", "supplier_id", "invoice_number", "issue_date"),
        # The 電帳法 search (storage/repositories/invoices.py): each filter walks its own index
        # in the list's order (received_at, id), and on PostgreSQL finds the other filters and
        # the scope in the index too, without visiting the table (see bench/search.py).
        Index(
            "ix_invoices_search_issue_date",
            "issue_date",
            "received_at",
            "id",
            postgresql_include=["payable_amount", *SEARCH_INCLUDED],
        ),
        Index(
            "ix_invoices_search_amount",
            "payable_amount",
            "received_at",
            "id",
            postgresql_include=["issue_date", *SEARCH_INCLUDED],
        ),
        Index("ix_invoices_search_supplier", "supplier_id", "received_at", "id"),
        Index("ix_invoices_received", "received_at", "id"),
        # the home pages' counts (storage/repositories/todo.py): everything by status
        Index("ix_invoices_status_deadline", "status", "payment_deadline"),
        Index("ix_invoices_replaces", "replaces_invoice_id"),
        # the month's refusals (statistics): a few rows of the status, not the month's all
        Index("ix_invoices_status_received", "status", "received_at"),
        # the monthly statistics (storage/repositories/statistics.py): a month by each of
        # these instants, covering what the figures read, so a month is an index range
        *(Index(f"ix_invoices_{columns[0]}", *columns) for columns in STATISTICS_INDEXES),
        UniqueConstraint("supplier_id", "original_id", name="uq_invoices_supplier_original"),
        UniqueConstraint("supplier_id", "idempotency_key", name="uq_invoices_supplier_idempotency"),
        # One live invoice per supplier + number + issue date (JURYO_DUPLICATE_NUMBERS=reject),
        # held by the database across every server; see LIVE_NUMBER.
        Index(
            "uq_invoices_live_number_dated",
            "supplier_id",
            "invoice_number",
            "issue_date",
            unique=True,
            sqlite_where=LIVE_NUMBER,
            postgresql_where=LIVE_NUMBER,
        ),
        Index(
            "uq_invoices_live_number_undated",
            "supplier_id",
            "invoice_number",
            unique=True,
            sqlite_where=UNDATED_LIVE_NUMBER,
            postgresql_where=UNDATED_LIVE_NUMBER,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    original_id: Mapped[int] = mapped_column(ForeignKey("originals.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    status: Mapped[InvoiceStatus] = mapped_column(StoredEnum(InvoiceStatus, 16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Optimistic-locking counter: every change increments it."""
    format: Mapped[str] = mapped_column(String(32))
    profile: Mapped[str] = mapped_column(String(32))
    document_type: Mapped[str] = mapped_column(String(16), default="invoice")
    invoice_number: Mapped[str | None] = mapped_column(String(200))
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    currency: Mapped[str | None] = mapped_column(String(3))
    payable_amount: Mapped[Decimal | None] = mapped_column(Money)
    tax_amount: Mapped[Decimal | None] = mapped_column(Money)
    seller_registration_number: Mapped[str | None] = mapped_column(String(32))
    buyer_reference: Mapped[str | None] = mapped_column(String(200))
    order_reference: Mapped[str | None] = mapped_column(String(200))
    needs_data_entry: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The canonical invoice (for a plain PDF: the parser's guesses) as JSON, for display."""
    data_entry: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Values a person typed or confirmed for a plain PDF, beside the untouched original."""
    routing_rule: Mapped[str | None] = mapped_column(String(32))
    """Which routing rule chose the department (see service.routing)."""
    preceding_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    payment_deadline: Mapped[dt.date | None] = mapped_column(Date)
    """Statutory last day to pay (支払遅延防止法): receipt + 30 or 40 days + paused days."""
    clock_started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    """When the payment clock started: receipt, or for a corrected invoice the first receipt."""
    works_contract: Mapped[bool | None] = mapped_column(Boolean)
    """Per-invoice override of the department's works setting (40 days); None: as department."""
    clock_paused_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Days the invoice spent returned to the supplier (art. 7: they do not count)."""
    returned_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    replaces_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    """The returned invoice this corrected one replaces."""
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Counts changes of the amounts or payee data: only approvals of the current one count."""
    highest_amount: Mapped[Decimal | None] = mapped_column(Money)
    """The highest total any data entry showed (with the document's, it decides on 2 approvals)."""
    amounts_entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """The clerk whose data entry set the current amounts (None: the document or the supplier)."""
    filename: Mapped[str | None] = mapped_column(String(255))
    """The file name this submission came under: two suppliers may send the same bytes (one
    ``originals`` row) under names of their own."""
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    """The live invoice with the same supplier, number and issue date that this one was accepted
    beside (JURYO_DUPLICATE_NUMBERS=warn); such an invoice does not hold the number."""
    channel: Mapped[str | None] = mapped_column(String(16))
    """The intake channel it came through (``service.intake.submission.Channel``); None for
    invoices received before juryo recorded it."""
    first_decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    """A clerk's first approval, return or rejection (set once, in the deciding UPDATE)."""
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    """When the last approval needed made it approved (set in the approving UPDATE)."""
    batched_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    """When the payment batch now holding it took it (set by the batch, cleared on cancel)."""

    supplier: Mapped[Supplier] = relationship()
    original: Mapped[Original] = relationship()
    department: Mapped[Department | None] = relationship()
    findings: Mapped[list[FindingRecord]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="FindingRecord.id"
    )


class PurchaseOrder(Base):
    """The purchase-order register: an order number (BT-13) names the ordering department."""

    __tablename__ = "purchase_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    po_number: Mapped[str] = mapped_column(String(200), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    department: Mapped[Department] = relationship()


class Approval(Base):
    """One clerk's approval of one revision of the amounts; large amounts need two clerks.

    Approvals of an earlier ``amount_revision`` stay as a record but no longer count.
    """

    __tablename__ = "approvals"
    __table_args__ = (
        Index("ix_approvals_approved_at", "approved_at", "invoice_id", "user_id"),
        UniqueConstraint(
            "invoice_id", "amount_revision", "user_id", name="uq_approvals_invoice_revision_user"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    """Set when a substitute approved for an absent clerk."""
    comment: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    amount_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The invoice's ``amount_revision`` this approval was given on."""


class Delegation(Base):
    """A clerk names a substitute in the same department for a date range."""

    __tablename__ = "delegations"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clerk_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    substitute_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class FindingRecord(Base):
    """A validation finding recorded with the invoice it was found in."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(16))
    message_en: Mapped[str] = mapped_column(Text)
    message_ja: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    business_term: Mapped[str | None] = mapped_column(String(16))

    invoice: Mapped[InvoiceRecord] = relationship(back_populates="findings")


class SupplierParticipant(Base):
    """A Peppol participant id (``iso6523-actorid-upis``) a supplier sends from: what names
    the supplier behind an SBDH sender. Kept lower-case, as Peppol compares these ids."""

    __tablename__ = "supplier_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[str] = mapped_column(String(200), unique=True)
    """``scheme:value``, e.g. ``0188:8010001008843`` (the corporate number)."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class PeppolMessage(Base):
    """A Standard Business Document the access point handed over, by its SBDH instance id
    (the idempotency key: the same message again is answered from this row).

    A known sender's message points to its invoice; an unknown sender's is kept here alone,
    ``invalid``, with the finding that names the id, beside its stored original.
    """

    __tablename__ = "peppol_messages"
    __table_args__ = (CheckConstraint(_one_of("status", InvoiceStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(200), unique=True)
    sender: Mapped[str] = mapped_column(String(200))
    receiver: Mapped[str] = mapped_column(String(200))
    access_point_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    original_id: Mapped[int] = mapped_column(ForeignKey("originals.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    status: Mapped[InvoiceStatus] = mapped_column(StoredEnum(InvoiceStatus, 16))
    """As first answered: the invoice's status then, or ``invalid`` for an unknown sender."""
    findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    """The findings of a message with no invoice (an unknown sender)."""
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    original: Mapped[Original] = relationship()
    invoice: Mapped[InvoiceRecord | None] = relationship()


class Batch(Base):
    """A set of approved invoices that accounting pays together."""

    __tablename__ = "batches"
    __table_args__ = (
        CheckConstraint(_one_of("status", BatchStatus), name="status"),
        UniqueConstraint("idempotency_key", name="uq_batches_idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[BatchStatus] = mapped_column(
        StoredEnum(BatchStatus, 16), default=BatchStatus.OPEN
    )
    payment_date: Mapped[dt.date] = mapped_column(Date)
    invoice_count: Mapped[int] = mapped_column(Integer, default=0)
    total_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    """The department filter the batch was made with (None: every department)."""
    due_before: Mapped[dt.date | None] = mapped_column(Date)
    """The due-date filter the batch was made with: invoices due on or before this day."""
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    department: Mapped[Department | None] = relationship()


class AuditHead(Base):
    """One row holding the newest audit hash; locking it serialises appends across workers."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """An append-only, hash-chained record of who did what, when and why."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_login: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class BatchItem(Base):
    """An invoice in a batch; the unique invoice id keeps it in at most one batch at a time,
    and the unique supplier + number + issue date keeps a second copy of one invoice out of
    every open or paid batch (even when JURYO_DUPLICATE_NUMBERS=warn let both in).

    Rows are deleted when a batch is cancelled (the audit log keeps the history).
    """

    __tablename__ = "batch_items"
    __table_args__ = (
        Index(
            "uq_batch_items_number_dated",
            "supplier_id",
            "invoice_number",
            "issue_date",
            unique=True,
        ),
        Index(
            "uq_batch_items_number_undated",
            "supplier_id",
            "invoice_number",
            unique=True,
            sqlite_where=text("issue_date IS NULL"),
            postgresql_where=text("issue_date IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    """The creditor paid (denormalised so a transfer file groups without touching invoices)."""
    amount: Mapped[Decimal] = mapped_column(Money)
    """The payable amount when the invoice was taken into the batch."""
    invoice_number: Mapped[str | None] = mapped_column(String(200))
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    """The invoice's number and issue date when it was taken (what pays it twice if repeated)."""


class DeliveryStatus(enum.StrEnum):
    """Where a notification's delivery stands: waiting (or retrying), done, or given up."""

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class DeliveryChannel(enum.StrEnum):
    """How a notification travels: an e-mail to an address, a signed POST to a webhook, or a
    Peppol Invoice Response the city's access point takes (``address``: the seller's id)."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    PEPPOL = "peppol"


class Webhook(Base):
    """A URL that receives signed events: a supplier's own software, or (no supplier) the
    city's systems, which hear about every invoice."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int | None] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Event types it asked for (``invoice.returned`` …)."""
    secret: Mapped[str] = mapped_column(String(64))
    """The HMAC key both sides hold; the receiver verifies each body with it."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    """Set when juryo stopped it after too many failures (its owner is told)."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class NotificationCursor(Base):
    """One row: the last audit event whose notifications were planned.

    The audit log is the outbox: an event commits with the change that caused it, and events
    become visible in id order (appends lock the audit head until commit), so a cursor over
    ids sees every committed change once and never a rolled-back one.
    """

    __tablename__ = "notification_cursor"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    digest_on: Mapped[dt.date | None] = mapped_column(Date)
    """The last Tokyo day whose daily digests were planned (one worker plans each day's)."""


class Delivery(Base):
    """One notification to one recipient over one channel, delivered at least once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        CheckConstraint(_one_of("status", DeliveryStatus), name="status"),
        CheckConstraint(_one_of("channel", DeliveryChannel), name="channel"),
        CheckConstraint(
            "(channel = 'webhook' AND webhook_id IS NOT NULL AND address IS NULL)"
            " OR (channel <> 'webhook' AND webhook_id IS NULL AND address IS NOT NULL)",
            name="one_target",
        ),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    """The idempotency key receivers see: planning the same event twice adds nothing."""
    audit_event_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[DeliveryChannel] = mapped_column(StoredEnum(DeliveryChannel, 16))
    address: Mapped[str | None] = mapped_column(String(320))
    webhook_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    supplier_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The supplier it is about, so that supplier may read its own delivery log."""
    language: Mapped[str] = mapped_column(String(2))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[DeliveryStatus] = mapped_column(
        StoredEnum(DeliveryStatus, 16), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    """A worker is sending it until then; after that another may (it crashed)."""
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class DeliveryAttempt(Base):
    """One try at a delivery and what came of it: the log admins and owners read."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text)


class ComposeDraft(Base):
    """A supplier's unfinished invoice from the form, or a template it reuses (e.g. monthly).

    ``body`` is the form's JSON (``service.compose.schemas.ComposeIn``), never a computed
    amount: amounts are derived again whenever it is opened.
    """

    __tablename__ = "compose_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    template: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class MailStatus(enum.StrEnum):
    """What became of a received e-mail (``service.mail``)."""

    RECEIVING = "receiving"
    """Recorded, its attachments not all submitted yet (a redelivery finishes the work)."""
    ACCEPTED = "accepted"
    QUARANTINED = "quarantined"
    """From an address no supplier registered: held for an administrator, no invoice made."""
    ASSIGNED = "assigned"
    REFUSED = "refused"


class SupplierMailSender(Base):
    """An address a supplier sends invoices from; mail from it is submitted as that supplier."""

    __tablename__ = "supplier_mail_senders"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(String(320), unique=True)
    """Lower-cased, as ``service.mail.reading.address_key`` writes it."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Mail(Base):
    """One received e-mail: its raw original, the sender, the body as context, the outcome,
    and what the receipt to the sender must say."""

    __tablename__ = "mails"
    __table_args__ = (
        CheckConstraint(_one_of("status", MailStatus), name="status"),
        UniqueConstraint("message_id", "sha256", name="uq_mails_message_id"),
        Index("ix_mails_status_received", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    """Of the raw message; None when it was refused unread (over the size limit)."""
    size: Mapped[int] = mapped_column(BigInteger)
    original_id: Mapped[int | None] = mapped_column(ForeignKey("originals.id"))
    envelope_from: Mapped[str | None] = mapped_column(String(320))
    from_address: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    status: Mapped[MailStatus] = mapped_column(StoredEnum(MailStatus, 16))
    refusal: Mapped[str | None] = mapped_column(String(60))
    """The catalogue key (``service.i18n``) of why the whole mail was refused."""
    receipt_ja: Mapped[str | None] = mapped_column(Text)
    receipt_en: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    original: Mapped[Original | None] = relationship()
    supplier: Mapped[Supplier | None] = relationship()
    attachments: Mapped[list[MailAttachment]] = relationship(
        order_by="MailAttachment.position", cascade="all, delete-orphan"
    )


class MailAttachment(Base):
    """One attachment of a mail: the invoice made from it, or why it was refused."""

    __tablename__ = "mail_attachments"
    __table_args__ = (UniqueConstraint("mail_id", "position", name="uq_mail_attachments_mail_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mails.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    refusal: Mapped[str | None] = mapped_column(String(60))
    """The catalogue key of why this attachment made no invoice."""
    detail: Mapped[str | None] = mapped_column(Text)
    """Intake's own words for a refusal it made (a conflicting number, say)."""

    invoice: Mapped[InvoiceRecord | None] = relationship()


__all__ = [
    "BANK_ACCOUNT_FIELDS",
    "ApiToken",
    "Approval",
    "AuditEvent",
    "AuditHead",
    "BankAccount",
    "Base",
    "Batch",
    "BatchItem",
    "BatchStatus",
    "ComposeDraft",
    "Delegation",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryChannel",
    "DeliveryStatus",
    "Department",
    "DepartmentAlias",
    "FindingRecord",
    "InvoiceRecord",
    "InvoiceStatus",
    "Mail",
    "MailAttachment",
    "MailStatus",
    "NotificationCursor",
    "Original",
    "PasswordReset",
    "PeppolMessage",
    "PurchaseOrder",
    "Role",
    "Supplier",
    "SupplierMailSender",
    "SupplierParticipant",
    "User",
    "UserDepartment",
    "WebSession",
    "Webhook",
    "utcnow",
]


class NtaImport(Base):
    """One NTA registry file imported (適格請求書発行事業者公表データ): a full file or a daily diff.

    The SHA-256 makes a second import of the same file change nothing; the file date orders
    the diffs, so a missing day is seen before it is skipped.
    """

    __tablename__ = "nta_imports"
    __table_args__ = (
        CheckConstraint("kind IN ('full', 'diff')", name="kind"),
        # The registry's date (the newest file's) is read beside every lookup at intake.
        Index("ix_nta_imports_file_date", "file_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(8))
    file_date: Mapped[dt.date] = mapped_column(Date)
    row_count: Mapped[int] = mapped_column(BigInteger, default=0)
    signature_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


NTA_LOOKUP_COLUMNS = (
    "registration_number",
    "latest",
    "id",
    "process",
    "registration_date",
    "disposal_date",
    "expire_date",
    "name",
)
"""The key of ``ix_nta_registrations_lookup``: the number, the order of its rows, then every
column intake reads (SQLite has no ``INCLUDE``, so they are key columns on both backends)."""


class NtaRegistration(Base):
    """One row of an NTA registry file, kept for good: history, so "was this number registered
    on date D?" has an answer after later diffs. The newest row of a number is its state."""

    __tablename__ = "nta_registrations"
    __table_args__ = (
        # Covering: intake's lookup (a number's newest row, latest first) reads the index alone,
        # one point seek at any registry size; the admin page's history reads it too.
        Index("ix_nta_registrations_lookup", *NTA_LOOKUP_COLUMNS),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("nta_imports.id", ondelete="CASCADE"))
    sequence_number: Mapped[int] = mapped_column(BigInteger)
    registration_number: Mapped[str] = mapped_column(String(14))
    process: Mapped[str] = mapped_column(String(2))
    correct: Mapped[str] = mapped_column(String(1))
    kind: Mapped[str] = mapped_column(String(1))
    country: Mapped[str] = mapped_column(String(1))
    latest: Mapped[bool] = mapped_column(Boolean)
    registration_date: Mapped[dt.date | None] = mapped_column(Date)
    update_date: Mapped[dt.date | None] = mapped_column(Date)
    disposal_date: Mapped[dt.date | None] = mapped_column(Date)
    expire_date: Mapped[dt.date | None] = mapped_column(Date)
    name: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(Text)
    trade_name: Mapped[str] = mapped_column(Text)


class MonthlyCount(Base):
    """How many invoices count in one figure of one month and department, kept current by
    triggers on ``invoices`` (``storage.monthly_statistics``): the statistics read a month
    here instead of counting its invoices."""

    __tablename__ = "monthly_counts"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    """Tokyo's month, ``YYYY-MM``."""
    figure: Mapped[str] = mapped_column(String(24), primary_key=True)
    """Read a month one figure at a time (the key's order), whatever the other figures hold."""
    department_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    """The invoice's department now; 0 for none (refused at intake, or not yet routed), -1 for
    the city-wide rows of lead-time histograms and approvals."""
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)


class LeadTime(Base):
    """One measured step of one invoice, in the month it ended (``storage.monthly_statistics``):
    a percentile is then a walk along ``(measure, month, value)``, not a sort."""

    __tablename__ = "lead_times"
    __table_args__ = (
        Index("ix_lead_times_measure", "measure", "month", "value"),
        Index("ix_lead_times_department", "measure", "month", "department_id", "value"),
    )

    invoice_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    measure: Mapped[str] = mapped_column(String(24), primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    department_id: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(BigInteger)
    """Seconds, or whole days for a measure whose name ends in ``_days``."""
