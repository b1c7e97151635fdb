"""A real IMAP server for the tests: Debian's dovecot (package ``dovecot-imapd``), started in
a temporary folder on a free port of 127.0.0.1 with one mailbox, and stopped after."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.s3server import free_port

USER = "juryo"
PASSWORD = "mail-test-password"


@dataclass(frozen=True)
class Dovecot:
    """A running dovecot: its IMAP port and the mailbox's login."""

    port: int

    @property
    def url(self) -> str:
        return f"imap://{USER}@127.0.0.1:{self.port}/INBOX"


def _config(root: Path, port: int) -> str:
    """Plain IMAP on 127.0.0.1 only; as root, the mail belongs to dovecot's own user (root
    may not own mail), otherwise everything runs as the user running the tests."""
    system = os.geteuid() == 0
    owner = "dovecot" if system else getpass.getuser()
    login_user = "dovenull" if system else owner
    return f"""
base_dir = {root}/run
state_dir = {root}/state
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
log_path = {root}/dovecot.log
default_internal_user = {owner}
default_login_user = {login_user}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={owner} gid={owner} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    """dovecot in a temporary folder until the block ends. Not pytest's ``tmp_path``: its
    parents are private to the user running the tests, and dovecot's own processes (as root,
    its ``dovecot`` user) must read the password file."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    root = Path(tempfile.mkdtemp(prefix="juryo-dovecot-"))
    port = free_port()
    for folder in ("run", "state", "mail"):
        (root / folder).mkdir(parents=True)
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root / "mail", "dovecot", "dovecot")
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    config = root / "dovecot.conf"
    config.write_text(_config(root, port))
    subprocess.run([binary, "-c", str(config)], check=True)
    pid_file = root / "run" / "master.pid"
    try:
        _wait_for(lambda: pid_file.exists() and _accepts(port))
        yield Dovecot(port)
    finally:
        if pid_file.exists():
            subprocess.run([binary, "-c", str(config), "stop"], check=False)
            _wait_for(lambda: not pid_file.exists())
        shutil.rmtree(root, ignore_errors=True)


def _accepts(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(condition: object, seconds: float = 20) -> None:
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("dovecot did not start or stop in time")
        time.sleep(0.05)
