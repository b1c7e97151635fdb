"""The ``juryo`` command: serve, migrate, administer, validate, verify."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from service.errors import AppError
from service.settings import Settings, SettingsError, load_settings
from storage import anchors, audit
from storage.db import create_db_engine, read_only, session_factory, transaction
from storage.models import BankAccount, Role
from storage.objects import StorageError

app = typer.Typer(help="juryo: receive a city's supplier invoices.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
department_app = typer.Typer(
    help="Departments and their approval thresholds.", no_args_is_help=True
)
supplier_app = typer.Typer(help="Suppliers (creditors).", no_args_is_help=True)
user_app = typer.Typer(help="User accounts and API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
po_app = typer.Typer(help="The purchase-order register used for routing.", no_args_is_help=True)
nta_app = typer.Typer(
    help="The NTA registry of qualified-invoice issuers, held offline.", no_args_is_help=True
)
mail_app = typer.Typer(help="Invoices by e-mail: the SMTP listener, sender addresses.")
peppol_app = typer.Typer(help="The Peppol access point's hand-off.", no_args_is_help=True)
stats_app = typer.Typer(
    help="The monthly statistics (EBPM) and their open data.", no_args_is_help=True
)
for sub, name in (
    (db_app, "db"),
    (department_app, "department"),
    (supplier_app, "supplier"),
    (user_app, "user"),
    (audit_app, "audit"),
    (po_app, "po"),
    (nta_app, "nta"),
    (mail_app, "mail"),
    (peppol_app, "peppol"),
    (stats_app, "stats"),
):
    app.add_typer(sub, name=name)

CLI_ACTOR = audit.Actor(login="cli", role="admin")


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise _fail(str(exc), 2) from None


@contextmanager
def _session() -> Iterator[Session]:
    """One transaction against the configured database; app errors become exit 1."""
    engine = create_db_engine(_settings().database_url)
    try:
        with transaction(session_factory(engine)) as session:
            yield session
    except AppError as exc:
        raise _fail(exc.detail) from None
    finally:
        engine.dispose()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web pages and the API.

    Unless JURYO_VALIDATION_PROCESSES says otherwise, each worker gets its share of the CPU
    cores as validating processes: they do the CPU work, the workers mostly wait.
    """
    import uvicorn

    from service.validator import processes_per_worker

    os.environ.setdefault("JURYO_VALIDATION_PROCESSES", str(processes_per_worker(workers)))
    _settings()  # fail fast, naming the bad variable
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",  # C event loop and HTTP parser: less CPU per request than the
        http="httptools",  # pure-Python defaults, so more of it goes to validation
        access_log=False,
        timeout_graceful_shutdown=10,
    )


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="One round, then exit (cron, tests).")] = False,
) -> None:
    """Send notifications: plan new changes into e-mails and webhook calls, and deliver them.

    Run as many as you like beside ``juryo serve`` (with JURYO_NOTIFICATION_WORKER=false
    there): they share the work through the database.
    """
    from service.notifications.worker import run_once, work_periodically
    from service.runtime import Runtime

    runtime = Runtime.from_settings(_settings())
    try:
        if once:
            done = run_once(runtime)
            typer.echo(f"planned {done.planned}, sent {done.sent}, failed {done.failed}")
        else:
            asyncio.run(work_periodically(runtime))
    finally:
        runtime.close()


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from storage.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url, revision)
    typer.echo(f"database at {revision}")


@app.command()
def demo() -> None:
    """Load the demo departments, suppliers and users (safe to run again)."""
    from service.demo import load_demo

    with _session() as session:
        created = load_demo(session)
    typer.echo(f"demo data: {created} new records" if created else "demo data already loaded")


def _amount(text: str) -> Decimal:
    from service import forms

    try:
        value = forms.amount(text)
    except forms.FormValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if value is None:
        raise typer.BadParameter("the amount is empty")
    return value


@department_app.command("add")
def department_add(
    code: str,
    name: str,
    threshold: Annotated[
        str | None, typer.Option(help="Two approvals from this payable amount (JPY).")
    ] = None,
    works: Annotated[bool, typer.Option(help="Construction works: 40 days to pay.")] = False,
) -> None:
    """Add a department with its approval threshold."""
    from service.organisation.service import add_department

    settings = _settings()
    limit = _amount(threshold) if threshold else settings.default_approval_threshold
    with _session() as session:
        add_department(
            session, actor=CLI_ACTOR, code=code, name=name, approval_threshold=limit, works=works
        )
    typer.echo(f"department {code} added (two approvals from {limit:,} JPY)")


@department_app.command("alias")
def department_alias(code: str, alias: str) -> None:
    """Route invoices whose buyer reference (BT-10) is ALIAS to department CODE."""
    from service.organisation.service import add_alias

    with _session() as session:
        add_alias(session, actor=CLI_ACTOR, code=code, alias=alias)
    typer.echo(f"{alias} now routes to {code}")


@po_app.command("import")
def po_import(
    file: Annotated[Path, typer.Argument(help="CSV: po_number,department_code", exists=True)],
) -> None:
    """Load the purchase-order register from CSV (all rows or none)."""
    from service.organisation.service import import_purchase_orders

    with _session() as session:
        count = import_purchase_orders(session, actor=CLI_ACTOR, data=file.read_bytes())
    typer.echo(f"{count} purchase orders imported")


@supplier_app.command("add")
def supplier_add(
    regno: Annotated[str, typer.Argument(help="Registration number: T + 13 digits.")],
    name: str,
    default_department: Annotated[str | None, typer.Option(help="Department code.")] = None,
    creditor_number: Annotated[str | None, typer.Option(help="Accounting's creditor id.")] = None,
    force: Annotated[bool, typer.Option(help="Accept a wrong check digit.")] = False,
) -> None:
    """Register a supplier; a wrong check digit is refused unless --force."""
    from service.organisation.service import add_supplier

    with _session() as session:
        supplier = add_supplier(
            session,
            actor=CLI_ACTOR,
            registration_number=regno,
            name=name,
            default_department_code=default_department,
            creditor_number=creditor_number,
            force=force,
        )
        number = supplier.registration_number
    typer.echo(f"supplier {number} added")


@supplier_app.command("bank")
def supplier_bank(
    regno: Annotated[str, typer.Argument(help="Registration number: T + 13 digits.")],
    bank: Annotated[str, typer.Option(help="Bank code (4 digits).")],
    branch: Annotated[str, typer.Option(help="Branch code (3 digits).")],
    account: Annotated[str, typer.Option(help="Account number (up to 7 digits).")],
    holder: Annotated[str, typer.Option(help="Account holder, in kana.")],
    type_: Annotated[str, typer.Option("--type", help="1 普通, 2 当座, 4 貯蓄, 9 その他.")] = "1",
) -> None:
    """Set the bank account a creditor is paid into (the holder becomes half-width kana)."""
    from service.accounting.service import checked_bank_account, set_bank_account

    with _session() as session:
        checked = checked_bank_account(BankAccount(bank, branch, type_, account, holder))
        supplier = set_bank_account(
            session, actor=CLI_ACTOR, registration_number=regno, account=checked
        )
        number = supplier.registration_number
    typer.echo(
        f"{number}: {checked.bank_code}-{checked.branch_code} {checked.account_type} "
        f"{checked.account_number} {checked.account_holder}"
    )


@user_app.command("add")
def user_add(
    login: str,
    role: Annotated[Role, typer.Option(help="What the user may do.")],
    department: Annotated[
        list[str] | None, typer.Option(help="Department code (clerks; repeatable).")
    ] = None,
    supplier: Annotated[str | None, typer.Option(help="Supplier's registration number.")] = None,
    password: Annotated[str | None, typer.Option(help="Password for the web pages.")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add a user and print its first API token (shown only once)."""
    from service.accounts.service import add_user

    with _session() as session:
        created = add_user(
            session,
            actor=CLI_ACTOR,
            login=login,
            role=role,
            department_codes=department or [],
            supplier_registration=supplier,
            password=password,
            display_name=name,
        )
    login = created.user.login
    if as_json:
        typer.echo(json.dumps({"login": login, "role": role.value, "token": created.token}))
    else:
        typer.echo(f"user {login} ({role.value}) added; API token (shown once):")
        typer.echo(created.token)


@peppol_app.command("add-access-point")
def peppol_add_access_point(
    name: Annotated[str, typer.Argument(help="The access point's login, e.g. phase4.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add an access-point account and print its API token (shown only once)."""
    from service.accounts.service import add_user

    with _session() as session:
        created = add_user(
            session,
            actor=CLI_ACTOR,
            login=name,
            role=Role.ACCESS_POINT,
            department_codes=[],
            supplier_registration=None,
            password=None,
        )
    login = created.user.login
    if as_json:
        typer.echo(json.dumps({"login": login, "token": created.token}))
    else:
        typer.echo(f"access point {login} added; API token (shown once):")
        typer.echo(created.token)


@peppol_app.command("add-participant")
def peppol_add_participant(
    regno: Annotated[str, typer.Argument(help="The supplier's registration number.")],
    participant_id: Annotated[str, typer.Argument(help="e.g. 0188:8010001008843")],
) -> None:
    """Record a Peppol participant id a supplier sends from."""
    from parsers.registration import normalize
    from service.peppol.participants import add_participant
    from storage.repositories import organisation

    with _session() as session:
        supplier = organisation.supplier_by_registration(session, normalize(regno))
        if supplier is None:
            raise _fail(f"no supplier {regno}")
        ids = add_participant(
            session, actor=CLI_ACTOR, supplier_id=supplier.id, value=participant_id
        )
    typer.echo(f"{regno}: {', '.join(ids)}")


@peppol_app.command("watch")
def peppol_watch(
    directory: Annotated[Path, typer.Argument(help="The folder the access point writes to.")],
    access_point: Annotated[str, typer.Option(help="The access point's login.")],
    once: Annotated[bool, typer.Option(help="Stop when the folder is empty.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds between looks at the folder.")] = 1.0,
) -> None:
    """Ingest the SBD files an access point writes to DIR; move each to done/ or failed/."""
    from service.auth.principal import Principal
    from service.peppol.auth import ACCESS_POINT
    from service.peppol.watch import watch
    from service.runtime import Runtime
    from storage.repositories.users import user_by_login

    runtime = Runtime.from_settings(_settings())
    try:
        with runtime.sessions() as session:
            user = user_by_login(session, access_point)
            principal = None if user is None else Principal.of(user)
        if principal is None or not ACCESS_POINT.admits(principal):
            raise _fail(f"no access point {access_point}")
        runtime.validator.start()
        watch(
            runtime,
            directory,
            principal,
            once=once,
            poll_seconds=poll,
            on_file=lambda path: typer.echo(f"{path.parent.name}\t{path.name}"),
        )
    finally:
        runtime.validator.close()
        runtime.close()


def _anchor_key(settings: Settings) -> bytes:
    key = settings.audit_signing_key
    if key is None:
        raise _fail("anchors are not configured: set JURYO_AUDIT_KEY (see the README)")
    return key


@audit_app.command("anchor")
def audit_anchor() -> None:
    """Sign the chain's head and store it outside the database (if it grew since the last)."""
    from service.runtime import Runtime

    settings = _settings()
    key = _anchor_key(settings)
    runtime = Runtime.from_settings(settings)
    try:
        anchor = anchors.write_anchor(runtime.read_sessions, runtime.store, key)
    except (anchors.AnchorRefused, StorageError) as exc:
        raise _fail(f"no anchor written: {exc}") from None
    finally:
        runtime.close()
    if anchor is None:
        typer.echo("nothing new to anchor: the newest anchor already covers the head")
    else:
        typer.echo(f"anchor {anchor.seq}: event {anchor.event_id} ({anchor.event_hash[:16]}…)")


@user_app.command("unlock")
def user_unlock(login: str) -> None:
    """Lift a login's sign-in lockout (after too many failed sign-ins); audited."""
    from service.auth.service import unlock

    with _session() as session:
        forgotten = unlock(session, actor=CLI_ACTOR, login=login)
    typer.echo(f"{login}: unlocked ({forgotten} failed sign-ins forgotten)")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the chain and every anchor: exit 0 intact, 1 naming what broke.

    Names the first broken event, a cut-off tail, and any forged or missing anchor; without
    JURYO_AUDIT_KEY only the chain is checked. Exit 2 when the anchors cannot be read.
    """
    settings = _settings()
    key = settings.audit_signing_key
    stored = None if key is None else _read_anchors(settings, key)  # before the database
    engine = create_db_engine(settings.database_url)
    try:
        with session_factory(read_only(engine))() as session:  # no write lock on SQLite
            result = audit.verify(session)
            checked = None if stored is None else anchors.compare(session, stored)
    finally:
        engine.dispose()
    problems = [] if result.intact else [(result.broken_event_id, result.problem or "")]
    if checked is not None:
        problems += [(f.event_id, f.problem) for f in checked.findings]
    for event_id, problem in problems:
        where = "" if event_id is None else f" at event {event_id}"
        typer.echo(f"error: audit log broken{where}: {problem}", err=True)
    if problems:
        raise typer.Exit(1)
    if checked is None:
        typer.echo(
            "warning: anchors are not configured (JURYO_AUDIT_KEY unset): the chain alone was "
            "checked, which whoever can write the database can rebuild",
            err=True,
        )
        typer.echo(f"audit log intact: {result.checked} events (chain only)")
        return
    newest = "" if checked.newest is None else f", newest at event {checked.newest.event_id}"
    typer.echo(
        f"audit log intact: {result.checked} events, {checked.anchors} anchors match{newest}"
    )


def _read_anchors(settings: Settings, key: bytes) -> anchors.StoredAnchors:
    from storage.objects import open_object_store

    store = open_object_store(
        settings.storage_url,
        endpoint_url=settings.s3_endpoint_url,
        retention_years=settings.retention_years,
    )
    try:
        return anchors.read(store, key)
    except StorageError as exc:
        raise _fail(f"cannot read the audit anchors: {exc}", 2) from None


@app.command()
def reconcile(
    dry_run: Annotated[bool, typer.Option(help="Only list the orphans.")] = False,
    grace_minutes: Annotated[
        int, typer.Option(min=0, help="Spare objects younger than this (uploads in flight).")
    ] = 60,
) -> None:
    """List and remove stored objects that no invoice row references."""
    import datetime as dt

    from service.invoices.reconcile import reconcile as run
    from service.runtime import Runtime

    runtime = Runtime.from_settings(_settings())
    try:
        report = run(
            runtime.sessions,
            runtime.store,
            grace=dt.timedelta(minutes=grace_minutes),
            remove=not dry_run,
        )
    finally:
        runtime.close()
    for key in report.orphans:
        state = (
            "locked" if key in report.locked else ("removed" if key in report.removed else "orphan")
        )
        typer.echo(f"{state}\t{key}")
    typer.echo(
        f"scanned {report.scanned}, referenced {report.referenced}, "
        f"orphans {len(report.orphans)}, removed {len(report.removed)}, "
        f"locked {len(report.locked)}, younger than grace {report.too_young}"
    )


@mail_app.command("serve")
def mail_serve(
    host: Annotated[str | None, typer.Option(help="Default: JURYO_MAIL_SMTP_HOST.")] = None,
    port: Annotated[int | None, typer.Option(help="Default: JURYO_MAIL_SMTP_PORT.")] = None,
) -> None:
    """Receive invoices by SMTP from the city's mail gateway, until interrupted."""
    import asyncio

    from service.mail.smtp import serve as serve_smtp
    from service.runtime import Runtime

    settings = _settings()
    runtime = Runtime.from_settings(settings)
    bind = (host or settings.mail_smtp_host, port if port is not None else settings.mail_smtp_port)
    typer.echo(f"juryo mail: listening on {bind[0]}:{bind[1]}")
    try:
        asyncio.run(serve_smtp(runtime, bind[0], bind[1], None))
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()


@mail_app.command("poll")
def mail_poll(
    once: Annotated[bool, typer.Option(help="One poll, then exit (for cron).")] = False,
) -> None:
    """Take invoices from the IMAP mailbox JURYO_MAIL_IMAP_URL (pull only), every
    JURYO_MAIL_IMAP_INTERVAL_SECONDS until interrupted, or once."""
    import time

    from service.mail.imap import Mailbox, poll_once
    from service.runtime import Runtime

    settings = _settings()
    if settings.mail_imap_url is None or settings.mail_imap_password is None:
        raise _fail("set JURYO_MAIL_IMAP_URL and JURYO_MAIL_IMAP_PASSWORD", 2)
    mailbox = Mailbox.of(settings.mail_imap_url)
    password = settings.mail_imap_password.get_secret_value()
    runtime = Runtime.from_settings(settings)
    try:
        while True:
            poll = poll_once(runtime, mailbox, password, done_folder=settings.mail_imap_done_folder)
            typer.echo(
                f"received {len(poll.received)}, refused unread {poll.refused_unread}, "
                f"failed {poll.failed}"
            )
            if once:
                break
            time.sleep(settings.mail_imap_interval_seconds)  # the interval, not a wait for state
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()


@mail_app.command("sender")
def mail_sender(
    regno: Annotated[str, typer.Argument(help="The supplier's registration number.")],
    address: Annotated[str, typer.Argument(help="An address the supplier sends invoices from.")],
) -> None:
    """Register an address whose mail is received as this supplier's."""
    from service.mail.service import register_sender

    with _session() as session:
        register_sender(session, actor=CLI_ACTOR, registration_number=regno, address=address)
    typer.echo(f"{address} sends for {regno}")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Invoice files (XML or PDF).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    lang: Annotated[str, typer.Option(help="Message language: ja or en.")] = "ja",
) -> None:
    """Validate invoices: exit 0 all acceptable, 1 any not, 2 any unreadable."""
    from parsers.cli import run_validate

    if lang not in ("ja", "en"):
        raise typer.BadParameter("--lang must be ja or en")
    raise typer.Exit(run_validate(files, as_json=as_json, lang=lang, out=sys.stdout))


def _nta_file(path: Path, kind: str | None, date: str | None) -> tuple[str, dt.date]:
    """A file's kind (``sabun``/``diff`` in its name: a diff) and date (``YYYYMMDD`` in it)."""
    from parsers.nta_registry import file_date

    lowered = path.name.lower()
    found_kind = kind or ("diff" if "sabun" in lowered or "diff" in lowered else "full")
    found_date = dt.date.fromisoformat(date) if date else file_date(path.name)
    if found_date is None:
        raise _fail(f"{path.name}: no date (YYYYMMDD) in the name; pass --date", 2)
    return found_kind, found_date


@nta_app.command("import")
def nta_import(
    files: Annotated[
        list[Path], typer.Argument(help="The NTA's zip files, in order.", exists=True)
    ],
    kind: Annotated[
        str | None, typer.Option(help="full or diff (default: diff if 'sabun' is in the name).")
    ] = None,
    date: Annotated[str | None, typer.Option(help="The file's date, if not in its name.")] = None,
    accept_gap: Annotated[
        bool, typer.Option(help="Import a diff although publication days before it are missing.")
    ] = False,
) -> None:
    """Import a full file and then daily diffs, each in its own transaction (again: no change)."""
    from service.registry.service import import_file, load_key

    settings = _settings()
    if kind not in (None, "full", "diff"):
        raise _fail(f"--kind must be full or diff, not {kind!r}", 2)
    key = load_key(settings.nta_pgp_key) if settings.nta_pgp_key else None
    for path in files:
        file_kind, file_date = _nta_file(path, kind, date)
        with _session() as session:
            done = import_file(
                session, path, kind=file_kind, file_date=file_date, key=key, accept_gap=accept_gap
            )
            count, created = done.record.row_count, done.created
        verb = "imported" if created else "already imported, nothing changed:"
        typer.echo(f"{verb} {path.name} ({file_kind} of {file_date}, {count:,} rows)")


@nta_app.command("status")
def nta_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The newest NTA file imported: its name, date and row count."""
    from storage.repositories import nta

    with _session() as session:
        newest = nta.newest_import(session)
        shown = (
            None
            if newest is None
            else {
                "file": newest.filename,
                "kind": newest.kind,
                "date": newest.file_date.isoformat(),
                "rows": newest.row_count,
                "signature_verified": newest.signature_verified,
                "imported_at": newest.imported_at.isoformat(),
            }
        )
    if as_json:
        typer.echo(json.dumps(shown))
    elif shown is None:
        typer.echo("no NTA registry file imported")
    else:
        typer.echo(
            f"{shown['file']}: {shown['kind']} of {shown['date']}, {shown['rows']:,} rows, "
            f"signature {'verified' if shown['signature_verified'] else 'not checked'}"
        )


@stats_app.command("export")
def stats_export(
    month: Annotated[str, typer.Option(help="YYYY-MM, Tokyo's month.")],
    format: Annotated[str, typer.Option(help="csv (UTF-8 with BOM) or json.")] = "csv",
    department: Annotated[str | None, typer.Option(help="One department's code.")] = None,
    output: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
) -> None:
    """Write a month's statistics as open data: no personal data, no supplier names or
    registration numbers; counts under JURYO_STATISTICS_MIN_CELL suppressed."""
    from service.statistics import open_data
    from service.statistics.service import statistics
    from storage.repositories.invoices import Scope

    if format not in open_data.FORMATS:
        raise typer.BadParameter("format must be csv or json")
    settings = _settings()
    with _session() as session:
        stats = statistics(
            session, scope=Scope(everything=True), month=month, department=department
        )
    written = open_data.FORMATS[format][1](stats, minimum=settings.statistics_min_cell)
    if output is None:
        sys.stdout.buffer.write(written)
        sys.stdout.flush()
    else:
        output.write_bytes(written)
        typer.echo(f"wrote {output} ({len(written)} bytes)")


@stats_app.command("rebuild")
def stats_rebuild() -> None:
    """Fill the decision, approval and batching times the statistics read, where missing
    (invoices handled before juryo recorded them), from the audit log and the batches; then
    compute the pre-aggregated monthly tables again from every invoice. Safe to run again."""
    from storage.monthly_statistics import refill
    from storage.repositories.statistics import rebuild_from_audit

    with _session() as session:
        decided, approved, batched = rebuild_from_audit(session)
        counts, lead_times = refill(session.connection())
    typer.echo(
        f"first decisions dated: {decided}; approvals dated: {approved}; batching dated: {batched}"
    )
    typer.echo(f"monthly counts: {counts} rows; lead times: {lead_times} rows")
