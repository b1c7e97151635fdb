"""``juryo peppol watch`` as real processes: two watchers share one folder, one is killed with
SIGKILL mid-folder, a restarted one finishes; every file ends up settled exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.settings import Settings
from storage.models import InvoiceRecord, PeppolMessage
from tests.documents import CITY_PARTICIPANT, jp_invoice, peppol_sbd
from tests.reliability.server import BIN, juryo
from tests.reliability.test_crash import server_env
from tests.support import make_supplier

GOOD, WRONG_RECEIVER, UNKNOWN_SENDER = 48, 2, 1


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    return {
        **server_env(settings),
        "JURYO_PEPPOL_PARTICIPANT_IDS": CITY_PARTICIPANT,
        "JURYO_VALIDATION_PROCESSES": "1",
    }


@pytest.fixture
def watchers() -> Iterator[list[subprocess.Popen[bytes]]]:
    """The watcher processes a test starts, each in a process group of its own (with its
    validator); whatever is left is killed at the end."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _start(env: dict[str, str], folder: Path, login: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *(str(BIN / "juryo"), "peppol", "watch", str(folder)),
            *("--access-point", login, "--once", "--poll", "0.05"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def _spool(folder: Path, seller: str, participant: str) -> dict[str, str]:
    """The SBD files the access point wrote: file name -> instance id."""
    folder.mkdir()
    written: dict[str, str] = {}
    kinds = (
        [("good", participant, CITY_PARTICIPANT)] * GOOD
        + [("elsewhere", participant, "0188:9999999999999")] * WRONG_RECEIVER
        + [("stranger", "0188:0000000000001", CITY_PARTICIPANT)] * UNKNOWN_SENDER
    )
    for index, (kind, sender, receiver) in enumerate(kinds):
        instance_id = str(uuid.uuid4())
        name = f"{index:03d}-{kind}.xml"
        sbd = peppol_sbd(
            jp_invoice(seller=seller), sender=sender, receiver=receiver, instance_id=instance_id
        )
        (folder / f".{name}.tmp").write_bytes(sbd)
        os.rename(folder / f".{name}.tmp", folder / name)  # as an access point must write
        written[name] = instance_id
    return written


def test_a_watcher_killed_mid_folder_loses_and_doubles_nothing(
    env: dict[str, str],
    sessions: sessionmaker[Session],
    tmp_path: Path,
    watchers: list[subprocess.Popen[bytes]],
) -> None:
    seller = make_supplier(sessions)
    participant = f"0188:{uuid.uuid4().int % 10**13:013d}"
    juryo(env, "peppol", "add-participant", seller, participant)
    login = f"ap-{uuid.uuid4().hex[:8]}"
    made = json.loads(juryo(env, "peppol", "add-access-point", login, "--json"))
    assert made["token"].startswith("jy_")
    folder = tmp_path / "spool"
    written = _spool(folder, seller, participant)

    victim = _start(env, folder, login)
    watchers.extend([victim, _start(env, folder, login)])
    deadline = time.monotonic() + 120
    # Once 8 files are settled (with their reports), kill the victim while it holds a claim.
    while len(_files(folder / "done")) < 2 * 8 or not any(
        name.startswith(f"{victim.pid}.") for name in _files(folder / "processing")
    ):
        assert time.monotonic() < deadline, "the watchers settled nothing"
        time.sleep(0.005)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    assert _files(folder), "the folder was already empty: the kill was not mid-folder"
    watchers.append(_start(env, folder, login))  # the restart
    for process in watchers[1:]:
        assert process.wait(timeout=180) == 0

    assert _files(folder) == []
    assert _files(folder / "processing") == []
    done, failed = _files(folder / "done"), _files(folder / "failed")
    settled = [name for name in done + failed if not name.endswith(".json")]
    assert sorted(settled) == sorted(written)  # each file once, in one place
    assert {f"{name}.json" for name in settled} == {n for n in done + failed if n.endswith(".json")}
    assert sorted(n for n in failed if not n.endswith(".json")) == sorted(
        n for n in written if "elsewhere" in n
    )
    report = json.loads((folder / "failed" / f"{failed[0]}.json").read_text(encoding="utf-8"))
    assert report["findings"][0]["rule_id"] == "JURYO-PEPPOL-RECEIVER"
    with sessions() as session:
        per_instance = dict(
            session.execute(
                select(PeppolMessage.instance_id, func.count())
                .where(PeppolMessage.instance_id.in_(list(written.values())))
                .group_by(PeppolMessage.instance_id)
            ).all()
        )
        invoices = session.scalar(
            select(func.count(func.distinct(PeppolMessage.invoice_id))).where(
                PeppolMessage.instance_id.in_(list(written.values()))
            )
        )
        recorded = session.scalar(
            select(func.count())
            .select_from(InvoiceRecord)
            .join(PeppolMessage, PeppolMessage.invoice_id == InvoiceRecord.id)
            .where(PeppolMessage.instance_id.in_(list(written.values())))
        )
    assert len(per_instance) == GOOD + UNKNOWN_SENDER
    assert set(per_instance.values()) == {1}
    assert invoices == recorded == GOOD
