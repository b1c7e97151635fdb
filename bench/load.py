"""A steady mixed load for several minutes against juryo with several worker processes.

Uploads, inbox reads and approvals at fixed rates (open loop: requests start on schedule,
whether or not earlier ones have finished), on PostgreSQL + moto's S3 server with
``--postgres`` (else SQLite + files). Prints per endpoint the count, errors and p50/p95/p99
latency, and the peak resident memory of the server processes.

    .venv/bin/python bench/load.py --postgres postgresql+psycopg://postgres@127.0.0.1/postgres \\
        --minutes 5 --workers 3 --uploads 8 --reads 16 --decisions 4
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.documents import jp_invoice  # noqa: E402
from tests.reliability.server import ServerProcess, bench_stack, juryo  # noqa: E402
from tests.support import registration_number  # noqa: E402

DEPARTMENTS = 8


class Recorder:
    """Latencies and errors per endpoint, from many threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def record(self, name: str, started: float, problem: str | None) -> None:
        with self.lock:
            self.latencies[name].append((time.perf_counter() - started) * 1000)
            if problem:
                self.errors[name].append(problem)


def _setup(env: dict[str, str]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Departments, one supplier (default department) and two clerks each; returns
    [(department, supplier token, supplier number)] and clerk tokens."""
    juryo(env, "db", "upgrade")
    offices: list[tuple[str, str, str]] = []
    clerks: list[str] = []
    for n in range(DEPARTMENTS):
        code = f"LOAD-{n:02d}"
        juryo(env, "department", "add", code, f"負荷試験 {n}", "--threshold", "100000000")
        number = registration_number()
        juryo(env, "supplier", "add", number, f"負荷株式会社 {n}", "--default-department", code)
        added = juryo(
            env, "user", "add", f"s{n}", "--role", "supplier", "--supplier", number, "--json"
        )
        offices.append((code, json.loads(added)["token"], number))
        for c in range(2):
            clerk = juryo(
                env, "user", "add", f"c{n}-{c}", "--role", "clerk", "--department", code, "--json"
            )
            clerks.append(json.loads(clerk)["token"])
    return offices, clerks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (else SQLite)")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--uploads", type=float, default=8, help="uploads per second")
    parser.add_argument("--reads", type=float, default=16, help="inbox reads per second")
    parser.add_argument("--decisions", type=float, default=4, help="approvals per second")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="juryo-load-"))
    recorder = Recorder()
    rng = random.Random(3)
    with bench_stack(args.postgres, work) as env:
        offices, clerks = _setup(env)
        server = ServerProcess(env, workers=args.workers, log=work / "server.log")
        server.start()
        _, token, number = offices[0]
        server.warm_up(token, jp_invoice(seller=number, number="WARM-UP"), calls=args.workers * 4)
        clients = threading.local()

        def client(token: str) -> httpx.Client:
            pool: dict[str, httpx.Client] = getattr(clients, "pool", {})
            clients.pool = pool
            if token not in pool:
                pool[token] = httpx.Client(
                    base_url=server.base_url,
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=60,
                )
            return pool[token]

        counter = iter(range(10**9))

        def upload() -> None:
            _, token, number = offices[rng.randrange(len(offices))]
            document = jp_invoice(seller=number, number=f"L-{next(counter):08d}")
            started = time.perf_counter()
            try:
                response = client(token).post(
                    "/api/v1/invoices",
                    content=document,
                    headers={"Content-Type": "application/xml"},
                )
                problem = None if response.status_code == 201 else str(response.status_code)
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            recorder.record("POST /api/v1/invoices", started, problem)

        def read_inbox() -> None:
            started = time.perf_counter()
            try:
                response = client(clerks[rng.randrange(len(clerks))]).get("/api/v1/inbox")
                problem = None if response.status_code == 200 else str(response.status_code)
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            recorder.record("GET /api/v1/inbox", started, problem)

        def decide() -> None:
            token = clerks[rng.randrange(len(clerks))]
            try:
                items = client(token).get("/api/v1/inbox", params={"limit": 5}).json()["items"]
            except httpx.HTTPError:
                items = []
            if not items:
                return
            target = items[rng.randrange(len(items))]
            started = time.perf_counter()
            try:
                response = client(token).post(
                    f"/api/v1/invoices/{target['id']}/approve", json={"version": target["version"]}
                )
                # 409: another clerk decided first; that is the optimistic lock doing its job
                problem = None if response.status_code in (200, 409) else str(response.status_code)
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            recorder.record("POST /api/v1/invoices/{id}/approve", started, problem)

        streams = [(upload, args.uploads), (read_inbox, args.reads), (decide, args.decisions)]
        duration = args.minutes * 60
        with ThreadPoolExecutor(max_workers=64) as pool:
            begin = time.perf_counter()
            schedule = [(begin + 1 / rate, job, rate) for job, rate in streams if rate > 0]
            while schedule:
                schedule.sort(key=lambda entry: entry[0])
                due, job, rate = schedule.pop(0)
                if due - begin > duration:
                    continue
                time.sleep(max(0.0, due - time.perf_counter()))
                pool.submit(job)
                schedule.append((due + 1 / rate, job, rate))
        peak = server.peak_rss_mb()
        server.stop()

    backend = "PostgreSQL + S3 (moto)" if args.postgres else "SQLite + filesystem"
    print(
        f"backend: {backend}; {args.workers} worker processes; {args.minutes:g} min at "
        f"{args.uploads:g} uploads/s, {args.reads:g} inbox reads/s, {args.decisions:g} approvals/s"
    )
    for name, samples in sorted(recorder.latencies.items()):
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        errors = recorder.errors.get(name, [])
        print(
            f"{name:38} n={len(samples):6}  errors={len(errors):3}  p50 {cuts[49]:7.1f} ms  "
            f"p95 {cuts[94]:7.1f} ms  p99 {cuts[98]:7.1f} ms"
        )
    print(f"peak RSS of the server processes (sum of VmHWM): {peak:.0f} MB")
    total_errors = sum(len(e) for e in recorder.errors.values())
    kinds = {name: sorted(set(found)) for name, found in recorder.errors.items()}
    print(f"errors: {total_errors} {kinds}")
    sys.exit(1 if total_errors else 0)


if __name__ == "__main__":
    main()
