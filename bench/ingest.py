"""Ingest benchmark: N concurrent uploaders over HTTP against a real juryo server.

Prints invoices/s and p50/p95/p99 latency for end-to-end ingest, next to the validation-only
throughput of ``parsers.read()`` over the same documents measured in the same run.

    .venv/bin/python bench/ingest.py                      # embedded default: SQLite + files
    .venv/bin/python bench/ingest.py --postgres postgresql+psycopg://postgres@127.0.0.1/postgres
                                          # PostgreSQL + a moto S3 server that it starts
    .venv/bin/python bench/ingest.py --corpus             # the acceptable XML of ../shared/corpus

By default the documents are generated small JP PINT invoices (3 lines, 6 KB), where
validation is cheap and the fixed cost per request (HTTP, database, object store) dominates;
``--corpus`` sends real-world documents (11 KB median, 67 KB mean) instead.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import parsers  # noqa: E402
from tests.documents import jp_invoice  # noqa: E402
from tests.s3server import free_port  # noqa: E402
from tests.support import registration_number  # noqa: E402

BIN = Path(sys.executable).parent


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def _environment(
    args: argparse.Namespace, work: Path
) -> tuple[dict[str, str], list[subprocess.Popen[bytes]]]:
    env = {**os.environ, "JURYO_LOG_LEVEL": "WARNING", "JURYO_MAX_UPLOAD_BYTES": str(25 << 20)}
    started: list[subprocess.Popen[bytes]] = []
    if args.postgres:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"juryo_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        env["JURYO_DATABASE_URL"] = (
            make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        )
        port = free_port()
        moto = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(moto)
        endpoint = f"http://127.0.0.1:{port}"
        _wait(endpoint)
        env.update(
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            AWS_DEFAULT_REGION="us-east-1",
            JURYO_STORAGE_URL="s3://juryo-bench",
            JURYO_S3_ENDPOINT_URL=endpoint,
        )
        import boto3

        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        ).create_bucket(Bucket="juryo-bench", ObjectLockEnabledForBucket=True)
    else:
        env["JURYO_DATABASE_URL"] = f"sqlite:///{work}/juryo.db"
        env["JURYO_STORAGE_URL"] = f"file:{work}/objects"
    return env, started


def _juryo(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(BIN / "juryo"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def _corpus_documents() -> list[bytes]:
    """Acceptable XML examples that name no Japanese seller (any supplier may send them)."""
    import csv

    corpus = REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        raise SystemExit("../shared/corpus is absent")
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        rows = [
            row
            for row in csv.DictReader(manifest, delimiter="\t")
            if row["expected"] == "valid"
            and row["format"] in ("ubl-invoice", "ubl-creditnote", "cii")
        ]
    documents = []
    for row in rows:
        data = (corpus / row["path"]).read_bytes()
        result = parsers.read(data)
        if (
            result.acceptable
            and result.invoice
            and not result.invoice.seller.jp_registration_number
        ):
            documents.append(data)
    return list(dict.fromkeys(documents))


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=400)
    parser.add_argument("--uploaders", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (else SQLite)")
    parser.add_argument("--corpus", action="store_true", help="send ../shared/corpus examples")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="juryo-bench-"))
    env, started = _environment(args, work)
    seller = registration_number()
    _juryo(env, "db", "upgrade")
    _juryo(env, "supplier", "add", seller, "ベンチ株式会社")
    token = json.loads(
        _juryo(env, "user", "add", "bench", "--role", "supplier", "--supplier", seller, "--json")
    )["token"]
    if args.corpus:
        documents = _corpus_documents()
        env["JURYO_DUPLICATE_NUMBERS"] = "warn"  # examples reuse invoice numbers
    else:
        documents = [jp_invoice(seller=seller, number=f"B-{i:06d}") for i in range(args.invoices)]

    started_at = time.perf_counter()
    for document in documents:
        assert parsers.read(document).acceptable
    validation_rate = len(documents) / (time.perf_counter() - started_at)

    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "juryo"), "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started.append(server)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/healthz")
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as warm:
            for _ in range(args.workers * 4):  # compile schemas and XSLT in every worker
                warm.post(
                    "/api/v1/validate",
                    content=documents[0],
                    headers={"Content-Type": "application/xml"},
                )
        latencies: list[float] = []
        errors: list[int] = []
        lock = threading.Lock()
        queue = list(enumerate(documents))

        def uploader() -> None:
            with httpx.Client(
                base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}
            ) as client:
                while True:
                    with lock:
                        if not queue:
                            return
                        _, document = queue.pop()
                    begin = time.perf_counter()
                    response = client.post(
                        "/api/v1/invoices",
                        content=document,
                        headers={"Content-Type": "application/xml"},
                    )
                    elapsed = time.perf_counter() - begin
                    with lock:
                        latencies.append(elapsed)
                        if response.status_code not in (200, 201):
                            errors.append(response.status_code)

        threads = [threading.Thread(target=uploader) for _ in range(args.uploaders)]
        begin = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ingest_rate = len(documents) / (time.perf_counter() - begin)
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=30)

    backend = "PostgreSQL + S3 (moto)" if args.postgres else "SQLite + filesystem"
    kind = "corpus examples" if args.corpus else "generated JP PINT invoices"
    mean_kb = sum(map(len, documents)) / len(documents) / 1024
    print(f"backend: {backend}; {len(documents)} {kind} ({mean_kb:.0f} KB mean)")
    print(f"{args.uploaders} concurrent uploaders, {args.workers} server worker processes")
    print(f"validation only (parsers.read, 1 process): {validation_rate:8.1f} invoices/s")
    print(f"end-to-end ingest over HTTP:               {ingest_rate:8.1f} invoices/s")
    ratio = ingest_rate / validation_rate
    print(f"ratio ingest / validation-only:            {ratio:8.2f}  (target >= 0.80)")
    ms = [value * 1000 for value in latencies]
    print(
        f"latency ms: p50 {_percentile(ms, 50):.1f}  p95 {_percentile(ms, 95):.1f}  "
        f"p99 {_percentile(ms, 99):.1f}  errors {len(errors)} {sorted(set(errors))}"
    )


if __name__ == "__main__":
    main()
