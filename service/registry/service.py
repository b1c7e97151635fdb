"""The NTA registry of qualified-invoice issuers, held offline: importing its files, and what it
says about a registration number on an invoice's issue date.

Import (``juryo nta import``) streams each zip in batches (memory stays flat over millions of
rows), is idempotent by the file's SHA-256, keeps every row as history, verifies the OpenPGP
signature when ``JURYO_NTA_PGP_KEY`` is set (pgpy), and refuses a diff that does not follow the
newest file imported, naming the missing days. The file layout is ``parsers.nta_registry``.

At intake (``check``) the registry decides one of: registered and active on the issue date (no
finding, unless the registered name clearly differs from the invoice's); not registered, or
cancelled or expired on or before the issue date (a warning: the city may not claim the tax
credit; never a refusal); or nothing either way when the registry is absent or stale (one
information finding).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from parsers import Finding, juryo_rules
from parsers.nta_registry import LayoutError, Process, RegistryRow, publication_days, read_rows
from parsers.registration import normalize
from service.errors import Unprocessable
from storage.models import NtaImport
from storage.repositories import nta as repo

with warnings.catch_warnings():
    # pgpy 0.6 imports ``imghdr`` (deprecated, gone in Python 3.13) and warns about its own
    # unfinished parts on every key it reads; neither concerns a detached signature check.
    warnings.simplefilter("ignore")
    import pgpy  # type: ignore[import-untyped]

BATCH_ROWS = 5000
SIGNATURE_SUFFIXES = (".asc", ".sig")


class ImportRefused(Unprocessable):
    """The file is not imported: bad signature, not the layout, out of order."""


@dataclass(frozen=True, slots=True)
class Imported:
    """The import row, and whether this call made it (False: the same file came before)."""

    record: NtaImport
    created: bool


# --- import ------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_key(text: str) -> pgpy.PGPKey:
    """The configured public key: the armoured text itself or the path of a file holding it."""
    armoured = text if "BEGIN PGP" in text else Path(text).read_text(encoding="ascii")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key, _ = pgpy.PGPKey.from_blob(armoured)
    return key


def verify_signature(path: Path, key: pgpy.PGPKey) -> None:
    """The detached signature beside the zip (``FILE.zip.asc`` or ``.sig``) must be the key's.

    pgpy hashes the signed bytes in memory, so the zip (compressed) is read once here.
    """
    signature_path = next(
        (p for p in (path.with_name(path.name + s) for s in SIGNATURE_SUFFIXES) if p.exists()),
        None,
    )
    if signature_path is None:
        raise ImportRefused(f"{path.name}: no signature ({path.name}.asc or .sig) beside it")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            signature = pgpy.PGPSignature.from_blob(signature_path.read_bytes())
            good = bool(key.verify(path.read_bytes(), signature))
    except (ValueError, pgpy.errors.PGPError) as exc:
        raise ImportRefused(
            f"{path.name}: the signature does not verify with the NTA key ({exc})"
        ) from None
    if not good:
        raise ImportRefused(f"{path.name}: the signature does not verify with the NTA key")


def _check_order(session: Session, kind: str, file_date: dt.date, accept_gap: bool) -> None:
    """A diff must follow the newest file imported, with no publication day between them."""
    newest = repo.newest_import(session)
    if kind != "diff":
        return
    if newest is None:
        raise ImportRefused("a diff needs a full file imported first")
    if file_date <= newest.file_date:
        raise ImportRefused(
            f"the diff of {file_date} does not follow the newest file imported "
            f"({newest.filename}, {newest.file_date})"
        )
    missing = publication_days(newest.file_date, file_date)
    if missing and not accept_gap:
        days = ", ".join(d.isoformat() for d in missing)
        raise ImportRefused(
            f"gap: the diffs of {days} are missing between {newest.file_date} "
            f"({newest.filename}) and {file_date}; import them first, or pass --accept-gap "
            "if those days were public holidays"
        )


def _as_row(import_id: int, row: RegistryRow) -> dict[str, Any]:
    return {
        "import_id": import_id,
        "sequence_number": row.sequence_number,
        "registration_number": row.registration_number,
        "process": row.process.value,
        "correct": row.correct,
        "kind": row.kind,
        "country": row.country,
        "latest": row.latest,
        "registration_date": row.registration_date,
        "update_date": row.update_date,
        "disposal_date": row.disposal_date,
        "expire_date": row.expire_date,
        "name": row.name,
        "address": row.address,
        "trade_name": row.trade_name,
    }


def import_file(
    session: Session,
    path: Path,
    *,
    kind: str,
    file_date: dt.date,
    key: pgpy.PGPKey | None,
    accept_gap: bool = False,
) -> Imported:
    """Import one zip in the caller's transaction (all its rows or none)."""
    sha256 = _sha256(path)
    earlier = repo.by_sha256(session, sha256)
    if earlier is not None:
        return Imported(earlier, created=False)
    if key is not None:
        verify_signature(path, key)
    _check_order(session, kind, file_date, accept_gap)
    record = NtaImport(
        sha256=sha256,
        filename=path.name[-255:],
        kind=kind,
        file_date=file_date,
        row_count=0,
        signature_verified=key is not None,
    )
    session.add(record)
    session.flush()
    batch: list[dict[str, Any]] = []
    try:
        for row in read_rows(path):
            batch.append(_as_row(record.id, row))
            record.row_count += 1
            if len(batch) == BATCH_ROWS:
                repo.add_rows(session, batch)
                batch.clear()
    except LayoutError as exc:
        raise ImportRefused(f"{path.name}: {exc}") from None
    repo.add_rows(session, batch)
    session.flush()
    return Imported(record, created=True)


# --- what the registry says --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    """A number on a date: ``registered`` True / False, or None when the registry cannot say."""

    number: str
    registered: bool | None
    row: repo.Entry | None
    as_of: dt.date | None
    finding: Finding | None


def _ended(row: repo.Entry, on: dt.date) -> tuple[dt.date, str, str] | None:
    """When a registration ended on or before ``on``: the date, and how (en, ja)."""
    if row.disposal_date is not None and row.disposal_date <= on:
        return row.disposal_date, "cancelled", "取消"
    if row.expire_date is not None and row.expire_date <= on:
        return row.expire_date, "expired", "失効"
    if row.process == Process.CANCELLED and row.disposal_date is None:
        return on, "cancelled", "取消"
    return None


def _unknown(number: str, as_of: dt.date | None, reason_en: str, reason_ja: str) -> Standing:
    finding = juryo_rules.NTA_UNKNOWN.finding(
        number=number, reason_en=reason_en, reason_ja=reason_ja
    )
    return Standing(number, None, None, as_of, finding)


def standing(
    session: Session, number: str, on: dt.date, *, today: dt.date, max_age_days: int
) -> Standing:
    """Was ``number`` a qualified-invoice issuer on ``on``? (Registration on that very day
    counts; a cancellation or expiry on that day ends it.)"""
    as_of, row = repo.lookup(session, number)
    if as_of is None:
        return _unknown(number, None, "no NTA registry is imported", "国税庁公表データ未取込")
    age = (today - as_of).days
    if age > max_age_days:
        return _unknown(
            number,
            as_of,
            f"the registry is of {as_of}, {age} days old (limit {max_age_days})",
            f"公表データが {as_of} 時点で {age} 日経過（上限 {max_age_days} 日）",
        )
    if row is None or row.process == Process.DELETED or row.registration_date is None:
        return Standing(number, False, row, as_of, _not_registered(number, on, as_of, ""))
    if row.registration_date > on:
        detail = f"; registered from {row.registration_date}"
        return Standing(number, False, row, as_of, _not_registered(number, on, as_of, detail))
    ended = _ended(row, on)
    if ended is not None:
        finding = juryo_rules.NTA_INACTIVE.finding(
            number=number,
            ended=ended[0],
            how_en=ended[1],
            how_ja=ended[2],
            issue_date=on,
            as_of=as_of,
        )
        return Standing(number, False, row, as_of, finding)
    return Standing(number, True, row, as_of, None)


def _not_registered(number: str, on: dt.date, as_of: dt.date, detail: str) -> Finding:
    detail_ja = f"、登録日 {detail.rsplit(' ', 1)[-1]}" if detail else ""
    return juryo_rules.NTA_NOT_REGISTERED.finding(
        number=number, issue_date=on, as_of=as_of, detail=detail, detail_ja=detail_ja
    )


_FORMS = re.compile(r"株式会社|有限会社|合同会社|\(株\)|\(有\)|\(同\)|㈱|㈲|[\s・.,、。]")


def _plain_name(name: str) -> str:
    return _FORMS.sub("", unicodedata.normalize("NFKC", name)).casefold()


def names_differ(invoice_name: str | None, registered: str | None) -> bool:
    """A clear mismatch: neither name, without legal forms, spaces and width, holds the other.
    (An individual may publish no name; then nothing is compared.)"""
    if not invoice_name or not registered:
        return False
    mine, theirs = _plain_name(invoice_name), _plain_name(registered)
    return bool(mine and theirs) and mine not in theirs and theirs not in mine


def intake_findings(
    session: Session,
    number: str | None,
    issue_date: dt.date | None,
    invoice_name: str | None,
    *,
    today: dt.date,
    max_age_days: int,
) -> list[Finding]:
    """The registry's findings for one received invoice (none when registered and active)."""
    if not number or issue_date is None:
        return []
    number = normalize(number)
    found = standing(session, number, issue_date, today=today, max_age_days=max_age_days)
    if found.finding is not None:
        return [found.finding]
    assert found.row is not None
    if names_differ(invoice_name, found.row.name):
        return [
            juryo_rules.NTA_NAME_MISMATCH.finding(
                invoice_name=invoice_name, number=number, registered_name=found.row.name
            )
        ]
    return []


def registered_name(session: Session, number: str | None) -> str | None:
    """The name the registry holds for a number (sign-up review, the invoice page)."""
    if not number:
        return None
    _, row = repo.lookup(session, normalize(number))
    return row.name if row is not None and row.process != Process.DELETED else None
