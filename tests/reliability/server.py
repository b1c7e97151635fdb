"""A juryo server in a process of its own, so that tests and scripts can kill it for real.

Used by the crash-consistency test, the fault tests and ``bench/crash.py`` / ``bench/load.py``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.s3server import free_port

BIN = Path(sys.executable).parent


def juryo(env: dict[str, str], *args: str) -> str:
    """Run a ``juryo`` CLI command; its standard output."""
    return subprocess.run(
        [str(BIN / "juryo"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


@dataclass
class ServerProcess:
    """``juryo serve`` as a child process: start, SIGKILL, restart on the same port."""

    env: dict[str, str]
    workers: int = 1
    port: int = field(default_factory=free_port)
    log: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """Where it listens."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 30) -> None:
        """Start and wait until ``/healthz`` answers (after the port is free again)."""
        _wait_for_free_port(self.port, timeout)
        output = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [
                str(BIN / "juryo"),
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=output,
            stderr=output,
            start_new_session=True,  # its own process group: kill the workers too
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"juryo serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("juryo serve did not become healthy")

    def warm_up(self, token: str, document: bytes, *, calls: int) -> None:
        """Validate ``document`` ``calls`` times at once, each on a connection of its own so
        that every worker gets some: its validators are busy compiling for a second or two
        after start, and a benchmark's clock should not start before they are done."""
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/xml"}
        limits = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(
            base_url=self.base_url, headers=headers, limits=limits, timeout=60
        ) as client:
            threads = [
                threading.Thread(
                    target=client.post, args=("/api/v1/validate",), kwargs={"content": document}
                )
                for _ in range(calls)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown handlers, no flushing."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.process = None

    def process_ids(self) -> list[int]:
        """The server's processes: the parent, its workers and their validators."""
        pids = [] if self.process is None else [self.process.pid]
        for pid in pids:  # grows as children are found
            for children in Path(f"/proc/{pid}/task").glob("*/children"):  # of every thread
                try:
                    pids += [int(p) for p in children.read_text().split()]
                except OSError:
                    continue
        return pids

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server's live processes have used so far."""
        total = 0
        for pid in self.process_ids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        """Sum of the peak resident memory (VmHWM) of the server's processes."""
        total_kb = 0
        for pid in self.process_ids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
        return total_kb / 1024


def _wait_for_free_port(port: int, seconds: float) -> None:
    """Killed workers may hold the listening socket for a moment after the parent is gone."""
    deadline = time.monotonic() + seconds
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"port {port} is still taken") from None
        time.sleep(0.05)


def wait_until_answering(url: str, seconds: float = 30) -> None:
    """Poll ``url`` until any HTTP answer comes back."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@dataclass
class MotoProcess:
    """moto's S3 server as a child process, stoppable and restartable on the same port."""

    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        """The S3 endpoint URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start and wait until it answers."""
        self.process = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_answering(self.endpoint)

    def stop(self) -> None:
        """Kill it (moto keeps everything in memory: buckets are gone afterwards)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def create_bucket(self, name: str, *, object_lock: bool = True) -> None:
        """Create a bucket (with Object Lock by default, as originals are kept)."""
        import boto3

        boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=AWS_KEY,
            aws_secret_access_key=AWS_KEY,
        ).create_bucket(Bucket=name, ObjectLockEnabledForBucket=object_lock)


AWS_KEY = "testing"


@contextmanager
def bench_stack(postgres_admin_url: str | None, work: Path) -> Iterator[dict[str, str]]:
    """Environment for a server on a fresh store: SQLite + files, or with a PostgreSQL admin
    URL, a new database on it (dropped afterwards) and a moto S3 server (bucket with Object Lock)
    started here."""
    env = {**os.environ, "JURYO_LOG_LEVEL": "WARNING"}
    if postgres_admin_url is None:
        env["JURYO_DATABASE_URL"] = f"sqlite:///{work}/juryo.db"
        env["JURYO_STORAGE_URL"] = f"file:{work}/objects"
        yield env
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"juryo_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    moto = MotoProcess()
    moto.start()
    moto.create_bucket("juryo-bench")
    credentials = {
        "AWS_ACCESS_KEY_ID": AWS_KEY,
        "AWS_SECRET_ACCESS_KEY": AWS_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    os.environ.update(credentials)  # for the calling process's own boto3 clients too
    env.update(
        credentials,
        JURYO_DATABASE_URL=make_url(postgres_admin_url)
        .set(database=name)
        .render_as_string(hide_password=False),
        JURYO_STORAGE_URL="s3://juryo-bench",
        JURYO_S3_ENDPOINT_URL=moto.endpoint,
    )
    try:
        yield env
    finally:
        moto.stop()
        admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:  # a benchmark leaves no database behind
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
