"""Contract of `ObjectStore`, run against every backend, plus what each backend adds."""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
import os
import random
import stat
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage.objects import (
    FileObjectStore,
    ObjectIntegrityError,
    ObjectLocked,
    ObjectNotFound,
    ObjectStore,
    S3ObjectStore,
    StorageUnavailable,
    open_object_store,
)
from tests.s3server import free_port

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

XML = "application/xml"

PAYLOADS = {
    "empty": b"",
    "one-byte": b"\x00",
    "binary": bytes(range(256)) * 4,
    "xml": '<?xml version="1.0"?><Invoice>請求書</Invoice>'.encode(),
    "5MB": random.Random(5).randbytes(5 * 1024 * 1024),
}


@pytest.fixture(params=["file", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "file":
        return FileObjectStore(tmp_path / "objects")
    endpoint: str = request.getfixturevalue("s3_endpoint")
    bucket: str = request.getfixturevalue("s3_bucket")
    return S3ObjectStore(bucket, endpoint_url=endpoint, region="us-east-1")


# The contract, for every backend.


@pytest.mark.parametrize("data", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_get_returns_exact_bytes_put(store: ObjectStore, data: bytes) -> None:
    stored = store.put(data, media_type=XML)

    assert store.get(stored.key) == data


def test_key_is_lowercase_hex_sha256(store: ObjectStore) -> None:
    data = b"<Invoice/>"

    stored = store.put(data, media_type=XML)

    expected = hashlib.sha256(data).hexdigest()
    assert (stored.key, stored.sha256, stored.size, stored.created) == (
        expected,
        expected,
        len(data),
        True,
    )


def test_put_of_existing_content_is_a_no_op(store: ObjectStore) -> None:
    first = store.put(b"same", media_type=XML)

    second = store.put(b"same", media_type=XML)

    assert second.key == first.key
    assert (first.created, second.created) == (True, False)
    assert [o.key for o in store.listing()] == [first.key]


def test_get_missing_raises_object_not_found(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFound):
        store.get(hashlib.sha256(b"never stored").hexdigest())


@pytest.mark.parametrize("key", ["../../etc/passwd", "ABCDEF", "", "a" * 63])
def test_malformed_key_names_no_object(store: ObjectStore, key: str) -> None:
    with pytest.raises(ObjectNotFound):
        store.get(key)
    assert not store.exists(key)


def test_exists(store: ObjectStore) -> None:
    key = store.put(b"present", media_type=XML).key

    assert store.exists(key)
    assert not store.exists(hashlib.sha256(b"absent").hexdigest())


def test_listing_shows_every_object(store: ObjectStore) -> None:
    keys = {store.put(f"invoice {i}".encode(), media_type=XML).key for i in range(5)}

    listed = list(store.listing())
    assert {o.key for o in listed} == keys
    now = datetime.now(UTC)
    assert all(abs((now - o.modified).total_seconds()) < 120 for o in listed)


def test_listing_of_empty_store(store: ObjectStore) -> None:
    assert [o.key for o in store.listing()] == []


def test_delete_removes_object(store: ObjectStore) -> None:
    key = store.put(b"orphan", media_type=XML).key

    store.delete(key)
    store.delete(key)  # the reconciler may race with itself: deleting twice is fine

    assert not store.exists(key)
    assert [o.key for o in store.listing()] == []


def test_check_passes(store: ObjectStore) -> None:
    store.check()


def test_named_object_is_written_once(store: ObjectStore) -> None:
    assert store.put_named("audit-anchors/000001.json", b"first", media_type="application/json")
    assert not store.put_named("audit-anchors/000001.json", b"second", media_type="text/plain")
    store.put_named("audit-anchors/000002.json", b"next", media_type="application/json")

    assert store.get_named("audit-anchors/000001.json") == b"first"
    assert store.list_named("audit-anchors") == [
        "audit-anchors/000001.json",
        "audit-anchors/000002.json",
    ]
    assert list(store.listing()) == []  # not an original: the reconciler never sees it


@pytest.mark.parametrize("name", ["../escape", "audit-anchors/../x", "/etc/passwd", "a/b/c"])
def test_named_object_names_stay_inside_the_store(store: ObjectStore, name: str) -> None:
    with pytest.raises(ValueError, match="not a valid object name"):
        store.put_named(name, b"x", media_type=XML)


# Filesystem backend.


def test_file_is_read_only_and_fanned_out(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)

    key = store.put(b"original", media_type=XML).key

    path = tmp_path / key[:2] / key[2:4] / key
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert [p.name for p in path.parent.iterdir()] == [key]  # no temp file left


def test_file_tampering_is_detected(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    key = store.put(b"amount=100", media_type=XML).key
    path = tmp_path / key[:2] / key[2:4] / key
    path.chmod(0o644)
    path.write_bytes(b"amount=900")

    with pytest.raises(ObjectIntegrityError, match=key):
        store.get(key)


def test_file_put_does_not_repair_a_tampered_original(tmp_path: Path) -> None:
    # Evidence of tampering must survive; the next `get` keeps failing.
    store = FileObjectStore(tmp_path)
    key = store.put(b"amount=100", media_type=XML).key
    path = tmp_path / key[:2] / key[2:4] / key
    path.chmod(0o644)
    path.write_bytes(b"amount=900")

    assert not store.put(b"amount=100", media_type=XML).created
    with pytest.raises(ObjectIntegrityError):
        store.get(key)


def test_file_concurrent_puts_from_threads(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    data = random.Random(1).randbytes(256 * 1024)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: store.put(data, media_type=XML), range(16)))

    assert sum(r.created for r in results) == 1
    assert {r.key for r in results} == {hashlib.sha256(data).hexdigest()}
    assert store.get(results[0].key) == data
    assert [o.key for o in store.listing()] == [results[0].key]


def _put_in_process(root: str, data: bytes) -> bool:
    return FileObjectStore(Path(root)).put(data, media_type=XML).created


def test_file_concurrent_puts_from_processes(tmp_path: Path) -> None:
    data = random.Random(2).randbytes(256 * 1024)
    context = multiprocessing.get_context("spawn")  # fork from a threaded pytest is unsafe

    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        created = list(pool.map(_put_in_process, [str(tmp_path)] * 4, [data] * 4))

    assert sum(created) == 1
    assert FileObjectStore(tmp_path).get(hashlib.sha256(data).hexdigest()) == data


def test_file_check_fails_when_root_is_not_a_directory(tmp_path: Path) -> None:
    root = tmp_path / "objects"
    root.write_bytes(b"")

    with pytest.raises(StorageUnavailable, match="objects"):
        FileObjectStore(root).check()


# S3 backend.


def test_s3_put_sends_sha256_checksum(
    s3_endpoint: str, s3_bucket: str, s3_client: S3Client
) -> None:
    store = S3ObjectStore(s3_bucket, endpoint_url=s3_endpoint)
    data = b"<Invoice/>"

    key = store.put(data, media_type=XML).key

    head = s3_client.head_object(Bucket=s3_bucket, Key=key, ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert head["ContentType"] == XML


def test_s3_same_bytes_again_leave_one_locked_version(
    s3_endpoint: str, s3_locked_bucket: str, s3_client: S3Client
) -> None:
    # Each version of a locked bucket is kept for years: a repeated upload must not add one.
    store = S3ObjectStore(s3_locked_bucket, endpoint_url=s3_endpoint)
    data = random.Random(3).randbytes(64 * 1024)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: store.put(data, media_type=XML), range(8)))

    assert sum(r.created for r in results) == 1
    versions = s3_client.list_object_versions(Bucket=s3_locked_bucket)["Versions"]
    assert [v["Key"] for v in versions] == [results[0].key]


def test_s3_tampering_is_detected(s3_endpoint: str, s3_bucket: str, s3_client: S3Client) -> None:
    store = S3ObjectStore(s3_bucket, endpoint_url=s3_endpoint)
    key = store.put(b"amount=100", media_type=XML).key
    s3_client.put_object(Bucket=s3_bucket, Key=key, Body=b"amount=900")

    with pytest.raises(ObjectIntegrityError, match=key):
        store.get(key)


def test_s3_prefix_keeps_keys_apart(s3_endpoint: str, s3_bucket: str, s3_client: S3Client) -> None:
    store = open_object_store(
        f"s3://{s3_bucket}/originals", endpoint_url=s3_endpoint, retention_years=10
    )
    s3_client.put_object(Bucket=s3_bucket, Key="unrelated.txt", Body=b"x")

    key = store.put(b"<Invoice/>", media_type=XML).key

    assert s3_client.head_object(Bucket=s3_bucket, Key=f"originals/{key}")
    assert [o.key for o in store.listing()] == [key]


def test_s3_object_lock_retains_in_compliance_mode(
    s3_endpoint: str, s3_locked_bucket: str, s3_client: S3Client
) -> None:
    store = S3ObjectStore(s3_locked_bucket, endpoint_url=s3_endpoint, retention_years=7)

    key = store.put(b"<Invoice/>", media_type=XML).key

    # HEAD rather than GetObjectRetention, which moto's server answers with an error.
    head = s3_client.head_object(Bucket=s3_locked_bucket, Key=key)
    assert head.get("ObjectLockMode") == "COMPLIANCE"
    expected = datetime.now(UTC) + timedelta(days=7 * 365.25)
    assert abs(head["ObjectLockRetainUntilDate"] - expected) < timedelta(days=2)


def test_s3_deleting_a_locked_original_is_refused(s3_endpoint: str, s3_locked_bucket: str) -> None:
    store = S3ObjectStore(s3_locked_bucket, endpoint_url=s3_endpoint)
    data = b"<Invoice>kept</Invoice>"
    key = store.put(data, media_type=XML).key

    with pytest.raises(ObjectLocked, match=key):
        store.delete(key)

    assert store.exists(key)
    assert store.get(key) == data
    assert [o.key for o in store.listing()] == [key]


def test_s3_overwriting_a_locked_original_leaves_it_readable(
    s3_endpoint: str, s3_locked_bucket: str, s3_client: S3Client
) -> None:
    store = S3ObjectStore(s3_locked_bucket, endpoint_url=s3_endpoint)
    data = b"<Invoice>amount=100</Invoice>"
    key = store.put(data, media_type=XML).key

    s3_client.put_object(Bucket=s3_locked_bucket, Key=key, Body=b"<Invoice>amount=900</Invoice>")

    assert store.get(key) == data  # the retained original version, not the overwrite
    versions = s3_client.list_object_versions(Bucket=s3_locked_bucket, Prefix=key)["Versions"]
    assert len(versions) == 2
    with pytest.raises(ObjectLocked):
        store.delete(key)
    assert store.get(key) == data


def test_s3_plain_bucket_is_not_locked(
    s3_endpoint: str, s3_bucket: str, s3_client: S3Client
) -> None:
    store = S3ObjectStore(s3_bucket, endpoint_url=s3_endpoint)

    key = store.put(b"<Invoice/>", media_type=XML).key

    assert "ObjectLockMode" not in s3_client.head_object(Bucket=s3_bucket, Key=key)


def test_s3_check_fails_for_missing_bucket(s3_endpoint: str) -> None:
    store = S3ObjectStore("juryo-test-no-such-bucket", endpoint_url=s3_endpoint)

    with pytest.raises(StorageUnavailable, match="does not exist"):
        store.check()


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda s: s.check(), id="check"),
        pytest.param(lambda s: s.put(b"<Invoice/>", media_type=XML), id="put"),
        pytest.param(lambda s: s.get("0" * 64), id="get"),
    ],
)
def test_s3_unreachable_endpoint_is_unavailable(
    aws_test_env: None, action: Callable[[S3ObjectStore], object]
) -> None:
    store = S3ObjectStore(
        "juryo-originals",
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        connect_timeout=0.5,
        read_timeout=0.5,
        max_attempts=1,
    )
    started = time.monotonic()

    with pytest.raises(StorageUnavailable, match="unreachable"):
        action(store)

    assert time.monotonic() - started < 5


# Choosing a backend.


def test_open_file_store_relative_and_absolute(tmp_path: Path) -> None:
    relative = open_object_store("file:var/objects", endpoint_url=None, retention_years=10)
    absolute = open_object_store(f"file:{tmp_path}", endpoint_url=None, retention_years=10)

    assert isinstance(relative, FileObjectStore)
    assert relative.root == Path("var/objects")
    assert isinstance(absolute, FileObjectStore)
    assert absolute.root == tmp_path


def test_open_s3_store(aws_test_env: None) -> None:
    store = open_object_store(
        "s3://juryo-originals", endpoint_url="http://127.0.0.1:9", retention_years=7
    )

    assert isinstance(store, S3ObjectStore)
    assert (store.bucket, store.prefix, store.retention_years) == ("juryo-originals", "", 7)


@pytest.mark.parametrize("url", ["ftp://host/objects", "var/objects", "s3://", "file:"])
def test_open_rejects_unknown_urls(url: str) -> None:
    with pytest.raises(ValueError, match=url.replace("/", ".")):
        open_object_store(url, endpoint_url=None, retention_years=10)


def test_stores_satisfy_the_protocol(tmp_path: Path, aws_test_env: None) -> None:
    assert isinstance(FileObjectStore(tmp_path), ObjectStore)
    assert isinstance(S3ObjectStore("b", endpoint_url="http://127.0.0.1:9"), ObjectStore)


def test_delete_keeps_other_objects(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    kept = store.put(b"kept", media_type=XML).key
    gone = store.put(b"gone", media_type=XML).key

    store.delete(gone)

    assert [o.key for o in store.listing()] == [kept]
    assert os.listdir(tmp_path)  # shard directories may stay; they cost nothing


def test_s3_locked_named_object_survives_overwrite_and_delete_marker(
    s3_endpoint: str, s3_locked_bucket: str, s3_client: S3Client
) -> None:
    store = S3ObjectStore(s3_locked_bucket, endpoint_url=s3_endpoint)
    name = "audit-anchors/000001.json"
    store.put_named(name, b"signed", media_type="application/json")
    assert (
        s3_client.head_object(Bucket=s3_locked_bucket, Key=name)["ObjectLockMode"] == "COMPLIANCE"
    )

    s3_client.put_object(Bucket=s3_locked_bucket, Key=name, Body=b"forged")  # a new version
    assert store.get_named(name) == b"signed"
    s3_client.delete_object(Bucket=s3_locked_bucket, Key=name)  # a delete marker hides it

    assert store.list_named("audit-anchors") == [name]
    assert store.get_named(name) == b"signed"
