"""Content-addressed store for invoice originals.

Originals must be kept unaltered for years (Electronic Books Preservation Act), so an object is
named by the SHA-256 of its bytes: writing the same content twice is a no-op, a key can never
point to different bytes, and every read is checked against its key. The object is written
before the database row that points to it; the reconciler lists and deletes orphans.

Beside the originals, a few *named* objects (the audit anchors, ``audit-anchors/…``) are written
once under a name of their own: never overwritten, under the same retention, and invisible to
the reconciler, which only sees SHA-256 keys.

Backends: `FileObjectStore` (a directory, for development and small installations) and
`S3ObjectStore` (any S3 API; uses Object Lock in COMPLIANCE mode when the bucket has it).
`open_object_store` picks one from a URL.

Exceptions::

    StorageError                 anything the store cannot do
    ├── ObjectNotFound           no object under that key
    ├── ObjectLocked             retention forbids deleting it
    ├── StorageUnavailable       the backend cannot be reached or is misconfigured
    └── ObjectIntegrityError           the bytes do not match their SHA-256
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import boto3
import botocore.exceptions
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = [
    "FileObjectStore",
    "ObjectIntegrityError",
    "ObjectLocked",
    "ObjectNotFound",
    "ObjectStore",
    "S3ObjectStore",
    "StorageError",
    "StorageUnavailable",
    "StoredObject",
    "open_object_store",
]

_KEY_RE = re.compile(r"[0-9a-f]{64}")
# One folder level of plain names: no "..", no absolute paths, never a SHA-256 key.
_FOLDER_RE = re.compile(r"[a-z][a-z0-9-]{2,62}")
_NAME_RE = re.compile(r"[a-z][a-z0-9-]{2,62}/[0-9a-z][0-9a-z.-]{0,99}")


class StorageError(Exception):
    """Base of every error the object store raises."""


class ObjectNotFound(StorageError):
    """No object is stored under the key."""


class ObjectLocked(StorageError):
    """The object is under retention and may not be deleted yet."""


class StorageUnavailable(StorageError):
    """The backend cannot be reached or is misconfigured; retrying later may help."""


class ObjectIntegrityError(StorageError):
    """The stored bytes do not match their SHA-256: the original was altered or corrupted."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    """Result of `ObjectStore.put`; `created` is False when the content was already stored."""

    key: str
    sha256: str
    size: int
    created: bool


@dataclass(frozen=True, slots=True)
class ListedObject:
    """A stored key and when it was written; the reconciler spares objects still in flight."""

    key: str
    modified: datetime


@runtime_checkable
class ObjectStore(Protocol):
    """Write-once store of byte strings keyed by their lowercase hex SHA-256."""

    def put(self, data: bytes, *, media_type: str) -> StoredObject:
        """Store `data` durably; storing content that is already there changes nothing."""
        ...

    def get(self, key: str) -> bytes:
        """Return the exact bytes stored under `key`, verified against it."""
        ...

    def exists(self, key: str) -> bool:
        """Tell whether an object is stored under `key`."""
        ...

    def delete(self, key: str) -> None:
        """Delete an orphan (reconciler only); a missing key is not an error."""
        ...

    def listing(self) -> Iterator[ListedObject]:
        """Yield every stored object, for the reconciler."""
        ...

    def check(self) -> None:
        """Raise `StorageUnavailable` unless the store can be used (readiness probe)."""
        ...

    def put_named(self, name: str, data: bytes, *, media_type: str) -> bool:
        """Write `data` under `name` unless something is there already (False then)."""
        ...

    def get_named(self, name: str) -> bytes:
        """The bytes first written under `name` (a later overwrite does not count)."""
        ...

    def list_named(self, folder: str) -> list[str]:
        """Every name written under `folder`, sorted; also those hidden by a delete marker."""
        ...


def _is_key(key: str) -> bool:
    # A malformed key names no object; checking it also keeps "../" out of file paths.
    return _KEY_RE.fullmatch(key) is not None


def _checked_name(name: str) -> str:
    if _NAME_RE.fullmatch(name) is None or ".." in name:
        raise ValueError(f"{name!r} is not a valid object name (folder/name, lowercase)")
    return name


def _checked_folder(folder: str) -> str:
    if _FOLDER_RE.fullmatch(folder) is None:
        raise ValueError(f"{folder!r} is not a valid folder name")
    return folder


def _verified(key: str, data: bytes) -> bytes:
    actual = hashlib.sha256(data).hexdigest()
    if actual != key:
        raise ObjectIntegrityError(
            f"object {key} has SHA-256 {actual}: it was altered or corrupted"
        )
    return data


class FileObjectStore:
    """Objects as read-only files under `root`, fanned out as `ab/cd/abcd…`.

    Writes are atomic and durable (temp file, fsync, link into place, fsync the directory), so a
    crash leaves either the whole object or nothing. The final name is created with `os.link`,
    which fails if it exists: an original is never replaced, and of two concurrent writers of
    the same content (threads or processes) exactly one reports `created`.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"FileObjectStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes, *, media_type: str) -> StoredObject:
        key = hashlib.sha256(data).hexdigest()
        path = self._path(key)
        if path.is_file():
            return StoredObject(key, key, len(data), created=False)
        try:
            self._make_dirs(path.parent)
            created = self._write(path, data)
        except OSError as exc:
            raise StorageError(f"cannot write object {key} under {self.root}: {exc}") from exc
        return StoredObject(key, key, len(data), created=created)

    def _make_dirs(self, directory: Path) -> None:
        missing = [d for d in (directory, *directory.parents) if not d.is_dir()]
        for d in reversed(missing):
            with contextlib.suppress(FileExistsError):  # another writer made it first
                d.mkdir()
            _fsync_dir(d.parent)  # make the new directory entry itself durable

    def _write(self, path: Path, data: bytes) -> bool:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fchmod(tmp.fileno(), 0o444)
                os.fsync(tmp.fileno())
            try:
                os.link(tmp_name, path)
                created = True
            except FileExistsError:
                created = False
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP):
                    raise
                # No hard links on this filesystem: replace is still atomic, and a concurrent
                # writer can only have put the same bytes there.
                os.replace(tmp_name, path)
                created = True
            _fsync_dir(path.parent)
            return created
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)

    def get(self, key: str) -> bytes:
        if not _is_key(key):
            raise ObjectNotFound(f"no object {key!r}: not a SHA-256 key")
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            raise ObjectNotFound(f"no object {key} under {self.root}") from None
        except OSError as exc:
            raise StorageError(f"cannot read object {key} under {self.root}: {exc}") from exc
        return _verified(key, data)

    def exists(self, key: str) -> bool:
        return _is_key(key) and self._path(key).is_file()

    def delete(self, key: str) -> None:
        if not _is_key(key):
            return
        path = self._path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StorageError(f"cannot delete object {key} under {self.root}: {exc}") from exc
        _fsync_dir(path.parent)

    def listing(self) -> Iterator[ListedObject]:
        for level1 in _sorted_dirs(self.root):
            for level2 in _sorted_dirs(level1):
                for entry in sorted(os.scandir(level2), key=lambda e: e.name):
                    if _is_key(entry.name) and entry.is_file():
                        modified = datetime.fromtimestamp(entry.stat().st_mtime, UTC)
                        yield ListedObject(entry.name, modified)

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            # Actually write: a read-only or full volume must fail readiness, not the upload.
            with tempfile.TemporaryFile(dir=self.root, prefix=".check-") as probe:
                probe.write(b"ok")
        except OSError as exc:
            raise StorageUnavailable(
                f"object directory {self.root} is not writable: {exc}"
            ) from exc

    def put_named(self, name: str, data: bytes, *, media_type: str) -> bool:
        path = self.root / _checked_name(name)
        try:
            self._make_dirs(path.parent)
            return self._write(path, data)  # os.link: never over an existing name
        except OSError as exc:
            raise StorageError(f"cannot write {name} under {self.root}: {exc}") from exc

    def get_named(self, name: str) -> bytes:
        try:
            return (self.root / _checked_name(name)).read_bytes()
        except FileNotFoundError:
            raise ObjectNotFound(f"no object {name} under {self.root}") from None
        except OSError as exc:
            raise StorageError(f"cannot read {name} under {self.root}: {exc}") from exc

    def list_named(self, folder: str) -> list[str]:
        directory = self.root / _checked_folder(folder)
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            return []
        return sorted(
            f"{folder}/{e.name}" for e in entries if not e.name.startswith(".") and e.is_file()
        )


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sorted_dirs(directory: Path) -> list[Path]:
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return []
    return sorted(Path(e.path) for e in entries if e.is_dir() and len(e.name) == 2)


_CONNECTION_ERRORS = (
    botocore.exceptions.EndpointConnectionError,
    botocore.exceptions.ConnectTimeoutError,
    botocore.exceptions.ReadTimeoutError,
    botocore.exceptions.ConnectionClosedError,
    botocore.exceptions.ConnectionError,
    botocore.exceptions.HTTPClientError,
    botocore.exceptions.ResponseStreamingError,
)
_NOT_FOUND_CODES = frozenset({"NoSuchKey", "NotFound", "404", "NoSuchVersion"})
_CHECKSUM_CODES = frozenset({"BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch"})
_ALREADY_STORED_CODES = frozenset({"PreconditionFailed", "412"})


class S3ObjectStore:
    """Objects in an S3 bucket under `prefix`, named by their hex SHA-256.

    The server verifies the SHA-256 sent with each upload, and `get` verifies it again on the way
    out. If the bucket has Object Lock enabled, each object is written in COMPLIANCE mode for
    `retention_years`: nobody, including the account root, can delete or overwrite it before then.
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        retention_years: int = 10,
        client: S3Client | None = None,
        connect_timeout: float = 5,
        read_timeout: float = 30,
        max_attempts: int = 3,
    ) -> None:
        if retention_years < 1:
            raise ValueError(f"retention_years must be at least 1, not {retention_years}")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        self.retention_years = retention_years
        self._object_lock: bool | None = None
        # Named object -> its first version, learnt while listing a locked bucket: the first
        # version of a name never changes while it is retained, so this never goes stale.
        self._first_versions: dict[str, str] = {}
        if client is None:
            config = Config(
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                retries={"max_attempts": max_attempts, "mode": "standard"},
                s3={
                    # Virtual-host addressing needs DNS for every bucket; self-hosted S3 APIs
                    # (MinIO, moto, Ceph) are reached by path.
                    "addressing_style": "path" if endpoint_url else "auto",
                    # Every put carries its SHA-256 in a signed checksum header that the server
                    # checks the body against, so hashing the body a second time for the
                    # signature (what botocore does over plain HTTP) adds nothing.
                    "payload_signing_enabled": False,
                },
            )
            # A private session: boto3's default session is not thread-safe to create clients.
            client = boto3.session.Session().client(
                "s3", endpoint_url=endpoint_url, region_name=region, config=config
            )
        self._client = client

    def __repr__(self) -> str:
        where = f", endpoint_url={self.endpoint_url!r}" if self.endpoint_url else ""
        return f"S3ObjectStore({self.bucket!r}, prefix={self.prefix!r}{where})"

    @property
    def _where(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" + (
            f" at {self.endpoint_url}" if self.endpoint_url else ""
        )

    @contextlib.contextmanager
    def _translate(self, action: str) -> Iterator[None]:
        """Turn botocore errors into the store's exception tree."""
        try:
            yield
        except _CONNECTION_ERRORS as exc:
            raise StorageUnavailable(f"cannot {action}: {self._where} unreachable: {exc}") from exc
        except botocore.exceptions.NoCredentialsError as exc:
            raise StorageUnavailable(f"cannot {action}: no S3 credentials configured") from exc
        except botocore.exceptions.FlexibleChecksumError as exc:
            raise ObjectIntegrityError(f"cannot {action}: checksum mismatch: {exc}") from exc
        except botocore.exceptions.ClientError as exc:
            code = _error_code(exc)
            if code in _NOT_FOUND_CODES:
                raise ObjectNotFound(f"cannot {action}: not found in {self._where}") from exc
            if code in _CHECKSUM_CODES:
                raise ObjectIntegrityError(
                    f"cannot {action}: server saw a checksum mismatch"
                ) from exc
            if code in {"NoSuchBucket", "AccessDenied", "403", "InvalidAccessKeyId"}:
                raise StorageUnavailable(f"cannot {action}: {code} for {self._where}") from exc
            raise StorageError(f"cannot {action}: {code} from {self._where}: {exc}") from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise StorageError(f"cannot {action}: {exc}") from exc

    def object_lock_enabled(self) -> bool:
        """Tell whether the bucket has Object Lock; asked once, then cached."""
        if self._object_lock is None:
            with self._translate("read the bucket's Object Lock configuration"):
                try:
                    response = self._client.get_object_lock_configuration(Bucket=self.bucket)
                    enabled = response.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled")
                except botocore.exceptions.ClientError as exc:
                    if _error_code(exc) != "ObjectLockConfigurationNotFoundError":
                        raise
                    enabled = None
            self._object_lock = enabled == "Enabled"
        return self._object_lock

    def put(self, data: bytes, *, media_type: str) -> StoredObject:
        digest = hashlib.sha256(data)
        key = digest.hexdigest()
        arguments = self._put_arguments(self.prefix + key, data, digest.digest(), media_type)
        with self._translate(f"put object {key}"):
            created = self._put_if_absent(arguments)
        return StoredObject(key, key, len(data), created=created)

    def _put_arguments(
        self, name: str, data: bytes, sha256: bytes, media_type: str
    ) -> dict[str, Any]:
        """A checksummed upload, under COMPLIANCE retention when the bucket has Object Lock."""
        arguments: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": name,
            "Body": data,
            "ContentType": media_type,
            "ChecksumAlgorithm": "SHA256",
            "ChecksumSHA256": base64.b64encode(sha256).decode("ascii"),
        }
        if self.object_lock_enabled():
            arguments["ObjectLockMode"] = "COMPLIANCE"
            arguments["ObjectLockRetainUntilDate"] = _years_from_now(self.retention_years)
        return arguments

    def _put_if_absent(self, arguments: dict[str, Any]) -> bool:
        """Write unless the key exists (False then), in one request instead of asking first.

        "If-None-Match: *" makes the server refuse to write over an existing key (AWS S3, MinIO,
        Ceph); a server that ignores it stores a second, identical and equally locked version.
        """
        tries = 2  # a concurrent conditional write of the same key may answer 409: ask again
        while True:
            tries -= 1
            try:
                self._client.put_object(**arguments, IfNoneMatch="*")
                return True
            except botocore.exceptions.ClientError as exc:
                code = _error_code(exc)
                if code in _ALREADY_STORED_CODES:
                    return False
                if code != "ConditionalRequestConflict" or not tries:
                    raise

    def get(self, key: str) -> bytes:
        if not _is_key(key):
            raise ObjectNotFound(f"no object {key!r}: not a SHA-256 key")
        with self._translate(f"get object {key}"):
            response = self._client.get_object(Bucket=self.bucket, Key=self.prefix + key)
            data = response["Body"].read()
        try:
            return _verified(key, data)
        except ObjectIntegrityError:
            if not self.object_lock_enabled():
                raise
            return self._retained_version(key)

    def _retained_version(self, key: str) -> bytes:
        """Someone wrote over an original: under Object Lock its own version is still kept,
        so read that one (the newest version whose bytes match the key)."""
        name = self.prefix + key
        with self._translate(f"list versions of {key}"):
            paginator = self._client.get_paginator("list_object_versions")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=name):
                for version in page.get("Versions", []):
                    if version.get("Key") != name:
                        continue
                    body = self._client.get_object(
                        Bucket=self.bucket, Key=name, VersionId=version["VersionId"]
                    )["Body"].read()
                    if hashlib.sha256(body).hexdigest() == key:
                        return body
        raise ObjectIntegrityError(f"object {key}: no stored version has the right SHA-256")

    def exists(self, key: str) -> bool:
        if not _is_key(key):
            return False
        try:
            with self._translate(f"look up object {key}"):
                self._client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except ObjectNotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        if not _is_key(key):
            return
        name = self.prefix + key
        with self._translate(f"delete object {key}"):
            if not self.object_lock_enabled():
                self._client.delete_object(Bucket=self.bucket, Key=name)
                return
            # Object Lock implies versioning, where a plain delete only hides the object behind
            # a delete marker. Delete each version: the server refuses those still retained.
            paginator = self._client.get_paginator("list_object_versions")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=name):
                entries = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
                for entry in entries:
                    if entry.get("Key") != name:
                        continue
                    try:
                        self._client.delete_object(
                            Bucket=self.bucket, Key=name, VersionId=entry["VersionId"]
                        )
                    except botocore.exceptions.ClientError as exc:
                        if _error_code(exc) == "AccessDenied":
                            raise ObjectLocked(
                                f"object {key} in {self._where} is under retention"
                            ) from exc
                        raise

    def listing(self) -> Iterator[ListedObject]:
        paginator = self._client.get_paginator("list_objects_v2")
        with self._translate("list objects"):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for entry in page.get("Contents", []):
                    key = entry["Key"].removeprefix(self.prefix)
                    if _is_key(key):
                        yield ListedObject(key, entry["LastModified"])

    def put_named(self, name: str, data: bytes, *, media_type: str) -> bool:
        digest = hashlib.sha256(data).digest()
        arguments = self._put_arguments(self.prefix + _checked_name(name), data, digest, media_type)
        with self._translate(f"put object {name}"):
            return self._put_if_absent(arguments)

    def get_named(self, name: str) -> bytes:
        key = self.prefix + _checked_name(name)
        with self._translate(f"get object {name}"):
            if not self.object_lock_enabled():
                return self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            version = self._first_versions.get(key) or self._first_version(key)
            if version is None:
                raise ObjectNotFound(f"no object {name} in {self._where}")
            response = self._client.get_object(Bucket=self.bucket, Key=key, VersionId=version)
            return response["Body"].read()

    def _first_version(self, key: str) -> str | None:
        """Under Object Lock every version is kept: the oldest is the one written first, with
        "If-None-Match: *"; a newer one is someone writing over it, and a delete marker only
        hides it. S3 lists a key's versions newest first (timestamps may tie within a second)."""
        oldest: str | None = None
        paginator = self._client.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=key):
            for version in page.get("Versions", []):
                if version.get("Key") == key:
                    oldest = version["VersionId"]
        return oldest

    def list_named(self, folder: str) -> list[str]:
        prefix = self.prefix + _checked_folder(folder) + "/"
        names: set[str] = set()
        with self._translate(f"list {folder}"):
            if self.object_lock_enabled():
                versions = self._client.get_paginator("list_object_versions")
                for page in versions.paginate(Bucket=self.bucket, Prefix=prefix):
                    for version in page.get("Versions", []):  # each name's newest first
                        names.add(version["Key"])
                        self._first_versions[version["Key"]] = version["VersionId"]
            else:
                listing = self._client.get_paginator("list_objects_v2")
                for listed in listing.paginate(Bucket=self.bucket, Prefix=prefix):
                    names.update(entry["Key"] for entry in listed.get("Contents", []))
        return sorted(name.removeprefix(self.prefix) for name in names)

    def check(self) -> None:
        try:
            with self._translate("check the bucket"):
                self._client.head_bucket(Bucket=self.bucket)
        except ObjectNotFound as exc:  # HEAD answers a bare 404 for a missing bucket
            raise StorageUnavailable(f"bucket {self._where} does not exist") from exc
        except StorageUnavailable:
            raise
        except StorageError as exc:
            raise StorageUnavailable(str(exc)) from exc


def _error_code(exc: botocore.exceptions.ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _years_from_now(years: int) -> datetime:
    now = datetime.now(UTC)
    try:
        return now.replace(year=now.year + years)
    except ValueError:  # 29 February: round up, retention may be longer but never shorter
        return now.replace(year=now.year + years, month=3, day=1)


def open_object_store(url: str, *, endpoint_url: str | None, retention_years: int) -> ObjectStore:
    """Open the store named by `url`: `file:PATH` or `s3://BUCKET[/PREFIX]`."""
    if url.startswith("file:"):
        path = url.removeprefix("file:")
        if path.startswith("//"):  # file:///srv/objects
            path = path[2:]
        if not path:
            raise ValueError(f"object store URL {url!r} names no directory")
        return FileObjectStore(Path(path))
    if url.startswith("s3://"):
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise ValueError(f"object store URL {url!r} names no bucket")
        return S3ObjectStore(
            bucket, prefix=prefix, endpoint_url=endpoint_url, retention_years=retention_years
        )
    raise ValueError(f"object store URL {url!r} must start with 'file:' or 's3://'")
