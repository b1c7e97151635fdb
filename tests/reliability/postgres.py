"""A throwaway PostgreSQL cluster that a test can stop and start (as CI's own is not ours to
stop). Needs Debian's PostgreSQL binaries and root (initdb runs as the ``postgres`` user)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.s3server import free_port


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@dataclass
class PostgresCluster:
    """initdb + pg_ctl on 127.0.0.1 and a free port, in a temporary directory."""

    bin: Path
    root: Path
    port: int

    @classmethod
    def create(cls) -> PostgresCluster:
        """A new, stopped cluster."""
        binaries = postgres_bin()
        if binaries is None or os.geteuid() != 0 or shutil.which("runuser") is None:
            raise RuntimeError("needs Debian's postgresql package and root")
        root = Path(tempfile.mkdtemp(prefix="juryo-pg-"))
        shutil.chown(root, "postgres")
        cluster = cls(binaries, root, free_port())
        cluster._as_postgres(
            "initdb",
            "-D",
            str(root / "data"),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        return cluster

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, tool: str, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / tool), *args],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        """Start and wait until it accepts connections."""
        self._as_postgres(
            "pg_ctl",
            "-D",
            str(self.root / "data"),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )

    def stop(self) -> None:
        """Stop (fast shutdown: open connections are cut)."""
        self._as_postgres("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        """Stop if running and remove everything."""
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
