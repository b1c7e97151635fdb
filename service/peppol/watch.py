"""``juryo peppol watch DIR``: the spool-folder hand-off, for access points that write files.

The access point writes each SBD into ``DIR`` (atomically: under a name starting with ``.``
or ending in ``.tmp``, then renamed; such names are never picked up). Each watcher claims a
file by renaming it into ``DIR/processing/`` under its own process id — a rename is atomic,
so of several watchers exactly one gets it — hands it over as the API does, writes the
answer beside it as ``NAME.json`` and moves the file to ``done/`` (recorded, repeated) or
``failed/`` (refused).

Killed at any point (kill -9), nothing is lost or doubled: a file claimed by a process that
is gone is put back into ``DIR`` by the next watcher on this machine, and handing it over
again answers from the first record (the SBDH instance id is the idempotency key); the
report and the move are then simply done again.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from service.auth.principal import Principal
from service.peppol.service import Answer, Outcome, hand_over
from service.runtime import Runtime

PROCESSING, DONE, FAILED = "processing", "done", "failed"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(directory: Path) -> int:
    """Put back the files claimed by watchers that are gone; how many."""
    returned = 0
    for claimed in (directory / PROCESSING).iterdir():
        pid, _, name = claimed.name.partition(".")
        if not pid.isdigit() or not name or _alive(int(pid)):
            continue
        try:
            os.rename(claimed, directory / name)
            returned += 1
        except FileNotFoundError:  # another watcher put it back first
            continue
    if returned:
        _fsync_dir(directory)
    return returned


def _waiting(directory: Path) -> list[Path]:
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file() and not path.name.startswith(".") and not path.name.endswith(".tmp")
    )


def _claim(directory: Path, path: Path) -> Path | None:
    claimed = directory / PROCESSING / f"{os.getpid()}.{path.name}"
    try:
        os.rename(path, claimed)
    except FileNotFoundError:  # another watcher claimed it
        return None
    return claimed


def _report(answer: Answer) -> bytes:
    data = asdict(answer)
    data["findings"] = [asdict(finding) for finding in answer.findings]
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def _settle(directory: Path, claimed: Path, name: str, answer: Answer) -> Path:
    """Write the report, then move the file beside it: both durable before the next file."""
    target = directory / (FAILED if answer.outcome is Outcome.REFUSED else DONE)
    temporary = target / f".{name}.json.tmp"
    with temporary.open("wb") as report:
        report.write(_report(answer))
        report.flush()
        os.fsync(report.fileno())
    os.replace(temporary, target / f"{name}.json")
    os.replace(claimed, target / name)
    _fsync_dir(target)
    _fsync_dir(directory / PROCESSING)
    return target / name


def prepare(directory: Path) -> None:
    """Create the working folders."""
    for sub in (PROCESSING, DONE, FAILED):
        (directory / sub).mkdir(parents=True, exist_ok=True)


def ingest_waiting(
    runtime: Runtime, directory: Path, access_point: Principal, on_file: Callable[[Path], None]
) -> int:
    """Claim and hand over every waiting file once; how many this process settled."""
    settled = 0
    for path in _waiting(directory):
        claimed = _claim(directory, path)
        if claimed is None:
            continue
        with runtime.sessions() as session:
            (answer,) = hand_over(runtime, session, access_point, [claimed.read_bytes()])
        on_file(_settle(directory, claimed, path.name, answer))
        settled += 1
    return settled


def watch(
    runtime: Runtime,
    directory: Path,
    access_point: Principal,
    *,
    once: bool,
    poll_seconds: float,
    on_file: Callable[[Path], None],
) -> None:
    """Ingest what arrives until stopped (or, with ``once``, until the folder is empty)."""
    prepare(directory)
    while True:
        recover(directory)
        settled = ingest_waiting(runtime, directory, access_point, on_file)
        if once and not settled and not _waiting(directory):
            return
        if not settled:
            time.sleep(poll_seconds)  # polling the folder: nothing to wait on but time
