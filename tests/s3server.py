"""Pytest plugin: a real S3 API over HTTP (moto's server), shared by the test session.

Tests talk to it through boto3 over a socket, as production talks to S3, rather than patching
boto3 in-process. CI may start its own server and name it in `JURYO_TEST_S3_ENDPOINT`; then
that one is used. Register with `pytest_plugins = ["tests.s3server"]` in tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ENDPOINT_ENV = "JURYO_TEST_S3_ENDPOINT"
REGION = "us-east-1"

BucketFactory = Callable[..., str]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _moto_server_command() -> str:
    # The console script sits beside the interpreter running pytest, even if PATH lacks it.
    beside = Path(sys.executable).parent / "moto_server"
    found = str(beside) if beside.exists() else shutil.which("moto_server")
    if found is None:
        pytest.fail("moto_server not found: install the dev extra (moto[server])")
    return found


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto_server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is serving
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"moto_server did not answer at {url} within 30 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def aws_test_env() -> Iterator[None]:
    """Fake credentials, so no test can reach a real AWS account by accident."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", REGION)
        for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
            mp.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def s3_endpoint(aws_test_env: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a running S3 API: CI's own, or a moto server started for this session."""
    given = os.environ.get(ENDPOINT_ENV)
    if given:
        yield given
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [_moto_server_command(), "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def s3_client(s3_endpoint: str) -> S3Client:
    """A plain boto3 client on the test server, for setting up and inspecting buckets."""
    return boto3.session.Session().client("s3", endpoint_url=s3_endpoint, region_name=REGION)


@pytest.fixture(scope="session")
def s3_bucket_factory(s3_client: S3Client) -> BucketFactory:
    """Create a fresh, uniquely named bucket; `object_lock=True` enables Object Lock."""

    def make(*, object_lock: bool = False) -> str:
        name = f"juryo-test-{uuid.uuid4().hex[:16]}"
        s3_client.create_bucket(Bucket=name, ObjectLockEnabledForBucket=object_lock)
        return name

    return make


@pytest.fixture
def s3_bucket(s3_bucket_factory: BucketFactory) -> str:
    """A fresh bucket without Object Lock."""
    return s3_bucket_factory()


@pytest.fixture
def s3_locked_bucket(s3_bucket_factory: BucketFactory) -> str:
    """A fresh bucket with Object Lock enabled (and so versioning)."""
    return s3_bucket_factory(object_lock=True)
