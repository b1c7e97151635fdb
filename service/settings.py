"""Settings from the environment (prefix ``JURYO_``), validated once at start-up.

A bad value stops start-up with a message that names the variable; see ``load_settings``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.zengin import ZenginError, to_zengin_text


class SettingsError(Exception):
    """The environment holds a value juryo cannot start with."""


class Settings(BaseSettings):
    """Every knob of juryo; the README's settings table mirrors this class."""

    model_config = SettingsConfigDict(
        env_prefix="JURYO_", extra="ignore", frozen=True, env_ignore_empty=True
    )
    """An empty variable counts as unset (compose files pass optional ones through empty)."""

    database_url: str = "sqlite:///var/juryo.db"
    """SQLAlchemy URL: ``sqlite:///PATH`` (embedded) or ``postgresql+psycopg://…``."""
    storage_url: str = "file:var/objects"
    """``file:PATH`` for the filesystem store or ``s3://BUCKET`` for any S3 API."""
    s3_endpoint_url: str | None = None
    """S3 API endpoint (MinIO, Ceph, moto); unset for AWS itself."""
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, gt=0)
    validation_processes: int = Field(default=1, ge=1, le=64)
    """Processes per web worker that validate documents (``juryo serve``: cores / workers)."""
    validation_timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    """A document still being judged after this long is refused, and its process replaced."""
    retention_years: int = Field(default=10, ge=1, le=100)
    """Years originals stay under Object Lock (電子帳簿保存法: at least 7)."""
    session_max_age_seconds: int = Field(default=8 * 3600, gt=0)
    cookie_secure: bool = False
    """Send cookies only over HTTPS; turn on behind TLS."""
    default_approval_threshold: Decimal = Field(default=Decimal(1_000_000), ge=0)
    """Payable amount (JPY) at or above which two approvals are needed."""
    duplicate_numbers: Literal["reject", "warn"] = "reject"
    """Same supplier, invoice number and issue date with other content: 409, or a warning."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True
    zengin_requester_code: str | None = Field(default=None, pattern=r"^[0-9]{10}$")
    """The city's 振込依頼人コード (10 digits, from its bank); unset: no Zengin files."""
    zengin_requester_name: str | None = None
    """振込依頼人名, converted to half-width katakana (at most 40 characters)."""
    zengin_bank_code: str | None = Field(default=None, pattern=r"^[0-9]{4}$")
    zengin_branch_code: str | None = Field(default=None, pattern=r"^[0-9]{3}$")
    zengin_account_type: str | None = Field(default=None, pattern=r"^[129]$")
    """預金種目 of the city's account: 1 普通, 2 当座, 9 その他."""
    zengin_account_number: str | None = Field(default=None, pattern=r"^[0-9]{7}$")
    audit_key: SecretStr | None = None
    """Signs the audit anchors (HMAC-SHA256, at least 32 bytes); kept out of the database and
    never logged. Unset: no anchors, and ``audit verify`` checks the chain alone."""
    audit_anchor_interval_seconds: float = Field(default=300.0, gt=0, le=86400)
    """How often each server process anchors the audit chain's head, if it has grown."""
    form_max_bytes: int = Field(default=64 * 1024, gt=0)
    """Largest body of a web form without files; file forms take ``max_upload_bytes``."""
    sign_in_failures_per_login: int = Field(default=10, ge=1)
    """Failed sign-ins for one login within the window before it is refused with 429."""
    sign_in_failures_per_address: int = Field(default=50, ge=1)
    """Failed sign-ins from one client address within the window before it is refused."""
    sign_in_window_seconds: int = Field(default=900, ge=1)
    """The window (seconds) in which failed sign-ins are counted."""
    database_lock_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    """A request that waits longer for a database lock (SQLite's write lock, a PostgreSQL row
    or table lock) gives up with 503 and Retry-After instead of queueing."""
    # notifications (service/notifications): the outbox worker, the mail relay, webhooks
    notification_worker: bool = True
    """``juryo serve`` also runs the notification worker (the embedded default); turn it off
    where ``juryo worker`` processes do the sending."""
    notification_interval_seconds: float = Field(default=5.0, gt=0, le=3600)
    notification_max_attempts: int = Field(default=8, ge=1, le=50)
    """Tries before a delivery is given up (it stays in the log, and can be sent again)."""
    notification_retry_seconds: float = Field(default=30.0, gt=0)
    """The wait after the first failure; each further failure doubles it (with jitter)."""
    notification_retry_cap_seconds: float = Field(default=6 * 3600.0, gt=0)
    notification_lease_seconds: float = Field(default=300.0, gt=0)
    """How long a worker holds a delivery it is sending; one that died mid-send loses it then,
    and another sends it again (at least once). Keep it well above the timeout."""
    notification_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    """One send's limit: the relay's or the webhook's answer must come within it."""
    smtp_host: str | None = None
    """The city's mail relay; unset: no e-mail is planned (webhooks still are)."""
    smtp_port: int = Field(default=25, gt=0, lt=65536)
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    """How the relay is reached: in the clear (inside the city's network), upgraded with
    STARTTLS, or over implicit TLS (SMTPS, usually port 465)."""
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "juryo@localhost"
    """The sender of notification e-mails."""
    mail_charset: Literal["utf-8", "iso-2022-jp"] = "utf-8"
    """The charset of notification e-mails (a text ISO-2022-JP cannot hold goes in UTF-8)."""
    public_url: str = "http://127.0.0.1:8000"
    """juryo's address as people reach it: the links in e-mails start with it."""
    digest_hour: int = Field(default=8, ge=0, le=23)
    """From this hour (Tokyo) each day, clerks and accounting get their daily digest."""
    webhook_disable_after: int = Field(default=5, ge=1, le=1000)
    """Failed deliveries in a row after which a webhook is disabled and its owner told."""
    webhook_allow_private: bool = False
    """Let suppliers' webhooks reach plain http and private or loopback addresses (tests, a
    closed network). The city's own webhooks may always."""
    nta_pgp_key: str | None = None
    """The NTA's OpenPGP public key (ASCII-armoured, or the path of a file holding it): when
    set, ``juryo nta import`` refuses a file without a valid signature by it."""
    nta_check: bool = True
    """Check each invoice's registration number against the imported NTA registry at intake;
    with no registry (or a stale one) each invoice says so in one finding. Off: no registry
    findings at all, for a city that checks numbers elsewhere."""
    nta_registry_max_age_days: int = Field(default=7, ge=1, le=366)
    """An NTA registry whose newest file is older than this claims nothing at intake."""
    scan_command: str | None = None
    """Malware scanner reading the original on stdin: exit 0 clean, 1 infected, else failed
    (as ``clamdscan --fdpass --no-summary -``)."""
    scan_icap_url: str | None = Field(default=None, pattern=r"^icap://[^/\s]+(/\S*)?$")
    """ICAP service (RFC 3507) scanning each original, e.g. ``icap://127.0.0.1:1344/avscan``."""
    scan_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    """A scan still running after this long is a scanner failure."""
    scan_fail_open: bool = False
    """Accept (recorded as unscanned) when the scanner fails, instead of answering 503."""
    city_name: str = "受領市"
    """The buyer (BT-44) on invoices the form writes for suppliers."""
    city_endpoint: str = Field(default="0188:1000020130001", pattern=r"^[0-9A-Z]{2,4}:\S+$")
    """The city's electronic address (BT-49) as ``EAS scheme:identifier``."""
    mail_smtp_host: str = "127.0.0.1"
    """Where ``juryo mail serve`` listens for the city's mail gateway."""
    mail_smtp_port: int = Field(default=2525, ge=0, le=65535)
    mail_max_bytes: int = Field(default=30 * 1024 * 1024, gt=0)
    """Largest mail accepted (refused at DATA beyond it, and advertised as SMTP SIZE)."""
    mail_max_parts: int = Field(default=100, ge=1, le=10_000)
    """More MIME parts than this and a mail is refused as a MIME bomb, unparsed."""
    mail_max_depth: int = Field(default=8, ge=1, le=100)
    """Deeper nesting (multipart or forwarded message/rfc822) than this is refused likewise."""
    mail_imap_url: str | None = Field(default=None, pattern=r"^imaps?://[^@/]+@[^/]+(/.*)?$")
    """``imaps://user@host:993/INBOX`` (or ``imap://`` on 127.0.0.1) for ``juryo mail poll``."""
    mail_imap_password: SecretStr | None = None
    mail_imap_done_folder: str = "juryo-received"
    """Where ``juryo mail poll`` moves each mail once it is recorded (so the next poll skips
    it); created if missing."""
    mail_imap_interval_seconds: float = Field(default=60.0, gt=0, le=86400)
    peppol_participant_ids: str = ""
    """The city's own Peppol participant ids (``scheme:value``, comma-separated): the only
    receivers ``POST /api/v1/peppol/inbound`` and ``juryo peppol watch`` accept."""
    peppol_group_size: int = Field(default=64, ge=1, le=1000)
    """Documents of one Peppol hand-off committed in one transaction: small enough that the
    audit chain's lock is not held long against a concurrent hand-off (a group of new
    documents is written in one go, about 1.5 ms each), large enough to share its fixed cost."""
    peppol_max_documents: int = Field(default=1000, ge=1, le=10000)
    """Standard Business Documents one ``POST /api/v1/peppol/inbound`` may carry."""
    statistics_min_cell: int = Field(default=10, ge=1, le=1000)
    """Open-data statistics leave out every count below this (and what is derived from it),
    so that no single supplier can be recognised in a published cell."""

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", value):
            raise ValueError("must start with sqlite:// or postgresql://")
        return value

    @field_validator("storage_url")
    @classmethod
    def _known_storage(cls, value: str) -> str:
        if not (value.startswith("file:") and len(value) > 5) and not re.match(
            r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?$", value
        ):
            raise ValueError("must be file:PATH or s3://BUCKET")
        return value

    @field_validator("audit_key")
    @classmethod
    def _strong_audit_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        from storage.anchors import key_problem

        problem = key_problem(value.get_secret_value().encode())
        if problem is not None:
            # The message names how to make one, never the value given.
            raise ValueError(
                f"{problem} (make one with: python -c "
                "'import secrets; print(secrets.token_hex(32))')"
            )
        return value

    @field_validator("zengin_requester_name")
    @classmethod
    def _zengin_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            converted = to_zengin_text(value)
        except ZenginError as exc:
            raise ValueError(str(exc)) from None
        if not converted or len(converted) > 40:
            raise ValueError("must be 1 to 40 half-width characters")
        return converted

    @property
    def peppol_receivers(self) -> frozenset[str]:
        """``peppol_participant_ids`` as Peppol compares them: trimmed, lower-case."""
        return frozenset(
            part.strip().lower() for part in self.peppol_participant_ids.split(",") if part.strip()
        )

    @property
    def audit_signing_key(self) -> bytes | None:
        """The anchor key as bytes, or None when anchors are not configured."""
        return None if self.audit_key is None else self.audit_key.get_secret_value().encode()

    @property
    def zengin_configured(self) -> bool:
        """All six JURYO_ZENGIN_* values are set, so transfer files can be written."""
        return None not in (
            self.zengin_requester_code,
            self.zengin_requester_name,
            self.zengin_bank_code,
            self.zengin_branch_code,
            self.zengin_account_type,
            self.zengin_account_number,
        )


def load_settings() -> Settings:
    """Read the environment; a bad value raises ``SettingsError`` naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"JURYO_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (a FastAPI dependency; tests override it)."""
    return load_settings()
