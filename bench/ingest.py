"""Ingest benchmark: N concurrent uploaders over HTTP against a real juryo server.

Prints invoices/s and p50/p95/p99 latency for end-to-end ingest, next to the validation-only
throughput of ``parsers.read()`` (the validators' own code) over the same documents measured in
the same run, before and after the ingest (the faster counts), and the machine's load average
at the start and the end: on a shared machine the ratio means little without it.

    .venv/bin/python bench/ingest.py                      # embedded default: SQLite + files
    .venv/bin/python bench/ingest.py --postgres postgresql+psycopg://postgres@127.0.0.1/postgres
                                          # PostgreSQL + a moto S3 server that it starts
    .venv/bin/python bench/ingest.py --corpus             # the acceptable XML of ../shared/corpus
    .venv/bin/python bench/ingest.py --bulk               # Peppol hand-off, many SBDs a request

By default the documents are generated small JP PINT invoices (3 lines, 6 KB), where
validation is cheap and the fixed cost per request (HTTP, database, object store) dominates;
``--corpus`` sends real-world documents (11 KB median, 90 KB mean) instead, ``--rounds`` times
(each copy made distinct by a trailing XML comment, so each is a new original).

Besides the rates it prints where the CPU went: milliseconds per invoice in the server's
processes (web workers and validators), in this client, and elsewhere (PostgreSQL, the S3
server), next to ``parsers.read()``'s own; and how long the two CPUs sat idle.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import parsers  # noqa: E402
from service.validator import processes_per_worker  # noqa: E402
from tests.documents import CITY_PARTICIPANT, jp_invoice, peppol_sbd  # noqa: E402
from tests.reliability.server import ServerProcess, bench_stack, juryo  # noqa: E402
from tests.support import registration_number  # noqa: E402


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


def _validation_only(documents: list[bytes]) -> tuple[float, float]:
    """``parsers.read`` of every document in this one process, as the validators read them:
    (invoices/s, CPU ms per invoice). Measured before and after the ingest, so that a burst
    of other work on the machine during one of them does not flatter the ratio."""
    started_at, cpu_at = time.perf_counter(), time.process_time()
    for document in documents:
        assert parsers.read(document).acceptable
    rate = len(documents) / (time.perf_counter() - started_at)
    return rate, (time.process_time() - cpu_at) / len(documents) * 1000


def _percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile; a single request (a small ``--bulk`` run) is its own."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=400)
    parser.add_argument("--uploaders", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument(
        "--validators",
        type=int,
        help="validating processes per worker (default: CPU cores / workers, as juryo serve)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="times the corpus is sent")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (else SQLite)")
    parser.add_argument("--corpus", action="store_true", help="send ../shared/corpus examples")
    parser.add_argument(
        "--bulk",
        type=int,
        nargs="?",
        const=200,
        metavar="PER_REQUEST",
        help="hand the documents over as an access point does, in SBDs, PER_REQUEST (200) "
        "per POST /api/v1/peppol/inbound",
    )
    args = parser.parse_args()
    args.validators = args.validators or processes_per_worker(args.workers)
    load_at_start = os.getloadavg()

    with bench_stack(args.postgres, Path(tempfile.mkdtemp(prefix="juryo-bench-"))) as env:
        seller = registration_number()
        juryo(env, "db", "upgrade")
        juryo(env, "supplier", "add", seller, "ベンチ株式会社")
        added = juryo(
            env, "user", "add", "bench", "--role", "supplier", "--supplier", seller, "--json"
        )
        token = json.loads(added)["token"]
        sender = _access_point(env, seller) if args.bulk else token
        if args.corpus:
            examples = _corpus_documents()
            documents = [
                example + f"<!-- copy {copy} -->".encode()
                for copy in range(args.rounds)
                for example in examples
            ]
            env["JURYO_DUPLICATE_NUMBERS"] = "warn"  # examples and copies repeat numbers
        else:
            documents = [
                jp_invoice(seller=seller, number=f"B-{i:06d}") for i in range(args.invoices)
            ]

        env["JURYO_VALIDATION_PROCESSES"] = str(args.validators)
        parsers.read(documents[0])  # compile the schemas first, as the server's validators do
        validated_before, read_cpu_ms = _validation_only(documents)

        server = ServerProcess(env, workers=args.workers)
        server.start()
        try:
            server.warm_up(token, documents[0], calls=args.workers * args.validators * 4)
            before = _CpuSnapshot.take(server)
            backends_before = _backend_cpu_seconds(env)
            send = _hand_over_all if args.bulk else _upload_all
            ingest_rate, latencies, errors = send(server.base_url, sender, documents, args)
            cpu = _CpuSnapshot.take(server).minus(before, len(documents))
            web_ms = (_web_cpu_seconds(server) - before.web) / len(documents) * 1000
            backend_ms = [
                (after - earlier) / len(documents) * 1000
                for after, earlier in zip(_backend_cpu_seconds(env), backends_before, strict=True)
            ]
        finally:
            server.stop()
        validated_after, _ = _validation_only(documents)
    validation_rate = max(validated_before, validated_after)

    backend = "PostgreSQL + S3 (moto)" if args.postgres else "SQLite + filesystem"
    kind = "corpus examples" if args.corpus else "generated JP PINT invoices"
    mean_kb = sum(map(len, documents)) / len(documents) / 1024
    print(f"backend: {backend}; {len(documents)} {kind} ({mean_kb:.0f} KB mean)")
    if args.bulk:
        print(f"Peppol hand-off: {args.bulk} SBDs per request")
    print(
        f"{args.uploaders} concurrent uploaders, {args.workers} server worker processes, "
        f"{args.validators} validating process(es) each"
    )
    print(
        f"validation only (parsers.read, 1 process): {validation_rate:8.1f} invoices/s  "
        f"(the faster of {validated_before:.1f} before and {validated_after:.1f} after the ingest)"
    )
    print(f"end-to-end ingest over HTTP:               {ingest_rate:8.1f} invoices/s")
    ratio = ingest_rate / validation_rate
    print(f"ratio ingest / validation-only:            {ratio:8.2f}  (target >= 0.80)")
    print(
        f"CPU ms per invoice: server {cpu.server:.1f} (web worker {web_ms:.1f}, "
        f"parsers.read alone {read_cpu_ms:.1f}), "
        f"client {cpu.client:.1f}, elsewhere {cpu.elsewhere:.1f}; "
        f"CPUs idle {cpu.idle_share:.0%}"
    )
    if args.postgres:
        print(
            f"  of elsewhere: PostgreSQL (this database's backends) {backend_ms[0]:.1f}, "
            f"S3 server (moto) {backend_ms[1]:.1f}"
        )
    ms = [value * 1000 for value in latencies]
    print(
        f"latency ms: p50 {_percentile(ms, 50):.1f}  p95 {_percentile(ms, 95):.1f}  "
        f"p99 {_percentile(ms, 99):.1f}  errors {len(errors)} {sorted(set(errors))}"
    )
    print(f"load average (1, 5, 15 min): start {_load(load_at_start)}, end {_load()}")


def _load(values: tuple[float, float, float] | None = None) -> str:
    return " ".join(f"{value:.2f}" for value in values or os.getloadavg())


PARTICIPANT = "0188:8010001008843"


def _access_point(env: dict[str, str], seller: str) -> str:
    """The city's participant id set, the seller's participant id recorded, and an access
    point made: its token."""
    env["JURYO_PEPPOL_PARTICIPANT_IDS"] = CITY_PARTICIPANT
    juryo(env, "peppol", "add-participant", seller, PARTICIPANT)
    return str(json.loads(juryo(env, "peppol", "add-access-point", "bench-ap", "--json"))["token"])


def _hand_over_all(
    base: str, token: str, documents: list[bytes], args: argparse.Namespace
) -> tuple[float, list[float], list[int]]:
    """Hand the documents over in SBDs, ``args.bulk`` per request, from ``args.uploaders``
    threads; (documents acknowledged as pending per second, request latencies, error codes:
    an HTTP status, or 0 for a document not recorded as pending)."""
    sbds = [peppol_sbd(document, sender=PARTICIPANT) for document in documents]
    requests = [sbds[i : i + args.bulk] for i in range(0, len(sbds), args.bulk)]
    latencies: list[float] = []
    errors: list[int] = []
    acknowledged = [0]
    lock = threading.Lock()

    def uploader() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=300, headers=headers) as client:
            while True:
                with lock:
                    if not requests:
                        return
                    batch = requests.pop()
                files = [
                    ("document", (f"{i}.xml", sbd, "application/xml"))
                    for i, sbd in enumerate(batch)
                ]
                begin = time.perf_counter()
                response = client.post("/api/v1/peppol/inbound", files=files)
                elapsed = time.perf_counter() - begin
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 200:
                        errors.append(response.status_code)
                        continue
                    answers = response.json()["documents"]
                    errors.extend(0 for a in answers if a["status"] != "pending")
                    acknowledged[0] += sum(a["status"] == "pending" for a in answers)

    threads = [threading.Thread(target=uploader) for _ in range(args.uploaders)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return acknowledged[0] / (time.perf_counter() - begin), latencies, errors


@dataclass(frozen=True)
class _CpuSnapshot:
    """CPU seconds used so far: by the server's processes, this process, the whole machine."""

    server: float
    client: float
    busy: float
    idle: float
    web: float

    @classmethod
    def take(cls, server: ServerProcess) -> _CpuSnapshot:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        per_second = os.sysconf("SC_CLK_TCK")
        idle = (ticks[3] + ticks[4]) / per_second  # idle and waiting for I/O
        busy = sum(ticks[:8]) / per_second - idle
        return cls(server.cpu_seconds(), time.process_time(), busy, idle, _web_cpu_seconds(server))

    def minus(self, before: _CpuSnapshot, invoices: int) -> _CpuUse:
        server, client = self.server - before.server, self.client - before.client
        busy, idle = self.busy - before.busy, self.idle - before.idle
        per = 1000 / invoices
        return _CpuUse(
            server * per, client * per, (busy - server - client) * per, idle / (busy + idle)
        )


def _web_cpu_seconds(server: ServerProcess) -> float:
    """CPU time of the server's web side: its processes other than the validators (those
    that ``multiprocessing`` started)."""
    total = 0
    for pid in server.process_ids():
        try:
            if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _backend_cpu_seconds(env: dict[str, str]) -> tuple[float, float]:
    """CPU time so far of the PostgreSQL backends serving the bench's database and of the
    moto S3 server (0 on SQLite): the part of "elsewhere" that the backends cost."""
    database = env["JURYO_DATABASE_URL"].rsplit("/", 1)[-1]
    endpoint = env.get("JURYO_S3_ENDPOINT_URL", "")
    port = endpoint.rsplit(":", 1)[-1].encode()
    postgres = moto = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = int(fields[11]) + int(fields[12])
        if command.startswith(b"postgres: ") and f" {database} ".encode() in command:
            postgres += ticks
        elif b"moto_server" in command and endpoint and port in command.split(b"\0"):
            moto += ticks
    per_second = os.sysconf("SC_CLK_TCK")
    return postgres / per_second, moto / per_second


@dataclass(frozen=True)
class _CpuUse:
    """Milliseconds of CPU per invoice, and the share of CPU time left idle."""

    server: float
    client: float
    elsewhere: float
    idle_share: float


def _upload_all(
    base: str, token: str, documents: list[bytes], args: argparse.Namespace
) -> tuple[float, list[float], list[int]]:
    """Send every document from ``args.uploaders`` threads; (rate, latencies, error codes)."""
    headers = {"Authorization": f"Bearer {token}"}
    xml = {"Content-Type": "application/xml"}
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    queue = list(documents)

    def uploader() -> None:
        # A new connection per request, as each supplier's upload is: with keep-alive and
        # several workers, each connection stays with the worker that accepted it, and the
        # workers get uneven shares.
        limits = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=base, timeout=60, headers=headers, limits=limits) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    document = queue.pop()
                begin = time.perf_counter()
                response = client.post("/api/v1/invoices", content=document, headers=xml)
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
    return len(documents) / (time.perf_counter() - begin), latencies, errors


if __name__ == "__main__":
    main()
