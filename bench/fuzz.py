"""Fuzz ``parsers.read()`` in-process and the upload endpoint of a real server.

Inputs are mostly mutations of seed documents (byte flips, truncations, splices, inserted
markup tokens) plus structure-aware XML mutations (elements dropped, duplicated, renamed,
their text replaced). Prints inputs run, crashes (exceptions escaping ``read()``), 5xx answers,
the slowest input and peak RSS; exits 1 on any crash or 5xx. Failing inputs are saved under
``var/fuzz-crashes/`` for reproduction (``parsers.read(Path(...).read_bytes())``).

    .venv/bin/python bench/fuzz.py                         # 100,000 read() + 5,000 over HTTP
    .venv/bin/python bench/fuzz.py --inputs 2000 --http 200   # a quick look
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import parsers  # noqa: E402
from tests.parsers.pdf_factory import make_pdf  # noqa: E402
from tests.reliability import hostile  # noqa: E402
from tests.s3server import free_port  # noqa: E402
from tests.support import registration_number  # noqa: E402

BIN = Path(sys.executable).parent
CRASHES = REPO / "var" / "fuzz-crashes"
FIXTURES = REPO / "tests" / "parsers" / "fixtures"
TOKENS = [
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"&e;",
    b"<![CDATA[",
    b"]]>",
    b"<?xml version='1.0' encoding='UTF-16'?>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"99999999999999999999999999.999",
    b"-0",
    b"NaN",
    b"</",
    b"xmlns:cbc='x'",
    b"\xe3\x81\x82",
    b" 0 obj << /Type /Page >> endobj ",
    b"/Filter /FlateDecode",
    b"/Length 999999999",
    b"stream\n",
    b"endstream",
    b"trailer << /Root 1 0 R >>",
    b"/OpenAction << /S /JavaScript /JS (x) >>",
    b"[[[[[[[[[[[[[[[[",
    b"%%EOF",
]


def seeds() -> list[bytes]:
    """The documents mutations start from: good invoices, a Factur-X, plain and hostile PDFs."""
    seller = "T7123456789012"
    cii = (FIXTURES / "cii_invoice.xml").read_bytes()
    return [
        hostile.valid_invoice(seller),
        (FIXTURES / "ubl_credit_note.xml").read_bytes(),
        cii,
        make_pdf(["INVOICE", "Total: 11,000 JPY"], attachments={"factur-x.xml": cii}),
        hostile.plain_invoice_pdf(seller),
        hostile.utf16_with_bom(),
        hostile.javascript_pdf(),
        hostile.many_attachments(3),
        hostile.truncated_pdf(),
        hostile.deep_array_nesting(50),
    ]


def mutate_bytes(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        where = rng.randint(0, len(out))
        kind = rng.randrange(7)
        if kind == 0 and out:
            for _ in range(rng.randint(1, 16)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif kind == 1:
            del out[where:]
        elif kind == 2:
            other = rng.choice(pool)
            out[where:] = other[rng.randint(0, len(other)) :]
        elif kind == 3:
            out[where:where] = rng.choice(TOKENS)
        elif kind == 4:
            out[where:where] = rng.randbytes(rng.randint(1, 64))
        elif kind == 5:
            out[where : where + rng.randint(1, 512)] = b""
        else:
            start = rng.randint(0, len(out))
            out[where:where] = out[start : start + rng.randint(1, 2048)] * rng.randint(1, 8)
    return bytes(out)


def mutate_xml(rng: random.Random, data: bytes) -> bytes:
    """Change the tree, not the bytes: the reader and the rules see well-formed oddities."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    for _ in range(rng.randint(1, 5)):
        element = rng.choice(elements)
        kind = rng.randrange(6)
        parent = element.getparent()
        if kind == 0 and parent is not None:
            parent.remove(element)
        elif kind == 1 and parent is not None:
            parent.insert(parent.index(element), etree.fromstring(etree.tostring(element)))
        elif kind == 2:
            element.text = rng.choice(
                [
                    "",
                    "-1",
                    "1e999",
                    "0.000000001",
                    "\uff12\uff10\uff12\uff16-11-26",
                    "x" * 5000,
                    "T000",
                    "NaN",
                ]
            )
        elif kind == 3:
            element.tag = rng.choice(elements).tag
        elif kind == 4:
            element.set(rng.choice(["currencyID", "schemeID", "unitCode", "format"]), "ZZZ")
        elif parent is not None:
            rng.choice(elements).append(element)  # may move a node under its own descendant
    return etree.tostring(root, xml_declaration=True, encoding=rng.choice(["UTF-8", "UTF-16"]))


def generate(rng: random.Random, pool: list[bytes]) -> bytes:
    seed = rng.choice(pool)
    roll = rng.random()
    if roll < 0.05:
        return rng.randbytes(rng.randint(0, 4096))
    if roll < 0.35 and seed.lstrip().startswith(b"<"):
        try:
            return mutate_xml(rng, seed)
        except (etree.XMLSyntaxError, ValueError, TypeError):
            return mutate_bytes(rng, seed, pool)
    return mutate_bytes(rng, seed, pool)


@dataclass
class Stats:
    inputs: int = 0
    crashes: list[str] = field(default_factory=list)
    slowest: float = 0.0
    slowest_input: str = ""
    peak_rss_mb: float = 0.0


def save(data: bytes, note: str) -> str:
    CRASHES.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(data).hexdigest()[:16]
    (CRASHES / f"{name}.bin").write_bytes(data)
    (CRASHES / f"{name}.txt").write_text(note)
    return str(CRASHES / f"{name}.bin")


def fuzz_reader(job: tuple[int, int]) -> Stats:
    """``count`` inputs from ``seed`` through ``parsers.read()`` in this process."""
    seed, count = job
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # broken PDFs are the point here
    rng = random.Random(seed)
    pool = seeds()
    parsers.read(pool[0])  # compile schemas and rules before timing anything
    stats = Stats()
    for _ in range(count):
        data = generate(rng, pool)
        started = time.perf_counter()
        try:
            parsers.read(data)
        except BaseException:
            stats.crashes.append(save(data, traceback.format_exc()))
        elapsed = time.perf_counter() - started
        stats.inputs += 1
        if elapsed > stats.slowest:
            stats.slowest, stats.slowest_input = elapsed, save_slow(data, elapsed)
    stats.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return stats


def save_slow(data: bytes, elapsed: float) -> str:
    name = hashlib.sha256(data).hexdigest()[:16]
    return f"{name} ({len(data):,} B)" if elapsed < 1 else save(data, f"slow: {elapsed:.2f} s")


def _juryo(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(BIN / "juryo"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def _tree_rss_mb(pid: int, field_name: str) -> float:
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pids += [int(child) for child in children]
        for line in status.splitlines():
            if line.startswith(field_name + ":"):
                total += int(line.split()[1]) / 1024
    return total


def fuzz_http(count: int, seed: int) -> tuple[int, list[str], float, float, float]:
    """``count`` fuzzed uploads to a ``juryo serve`` on SQLite: (sent, 5xx, slowest, peaks)."""
    work = Path(tempfile.mkdtemp(prefix="juryo-fuzz-"))
    env = {
        **os.environ,
        "JURYO_LOG_LEVEL": "ERROR",
        "JURYO_DATABASE_URL": f"sqlite:///{work}/juryo.db",
        "JURYO_STORAGE_URL": f"file:{work}/objects",
        "JURYO_DUPLICATE_NUMBERS": "warn",
    }
    seller = registration_number()
    _juryo(env, "db", "upgrade")
    _juryo(env, "supplier", "add", seller, "ファズ株式会社")
    token = json.loads(
        _juryo(env, "user", "add", "fuzz", "--role", "supplier", "--supplier", seller, "--json")
    )["token"]
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "juryo"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rng = random.Random(seed)
    pool = seeds()
    pool[0] = hostile.valid_invoice(seller)
    types = ["application/xml", "text/xml", "application/pdf", "multipart/form-data", "", "x/y"]
    jobs = [
        (generate(rng, pool), rng.choice(types), rng.choice(["validate", "invoices"]))
        for _ in range(count)
    ]
    failures: list[str] = []
    slowest = 0.0
    lock = threading.Lock()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise SystemExit("juryo serve did not start") from None
                time.sleep(0.1)
        client = httpx.Client(
            base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}
        )

        def send(job: tuple[bytes, str, str]) -> None:
            nonlocal slowest
            data, content_type, endpoint = job
            started = time.perf_counter()
            if content_type == "multipart/form-data":
                response = client.post(f"/api/v1/{endpoint}", files={"file": ("f", data)})
            else:
                headers = {"Content-Type": content_type} if content_type else {}
                response = client.post(f"/api/v1/{endpoint}", content=data, headers=headers)
            elapsed = time.perf_counter() - started
            with lock:
                slowest = max(slowest, elapsed)
                if response.status_code >= 500:
                    note = f"{endpoint} {content_type}: {response.status_code} {response.text}"
                    failures.append(save(data, note))

        with ThreadPoolExecutor(4) as pool_:
            list(pool_.map(send, jobs))
        assert httpx.get(f"{base}/healthz").status_code == 200
        client.close()
        rss = _tree_rss_mb(server.pid, "VmRSS")
        peak = _tree_rss_mb(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return count, failures, slowest, rss, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=100_000, help="through parsers.read()")
    parser.add_argument("--http", type=int, default=5_000, help="through the upload endpoint")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    per = 500
    jobs = [
        (args.seed * 1_000_003 + i, min(per, args.inputs - i * per))
        for i in range((args.inputs + per - 1) // per)
    ]
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        results = pool.map(fuzz_reader, jobs, chunksize=1)
    inputs = sum(r.inputs for r in results)
    crashes = [c for r in results for c in r.crashes]
    worst = max(results, key=lambda r: r.slowest)
    read_seconds = time.perf_counter() - started
    print(
        f"parsers.read(): {inputs:,} inputs in {read_seconds:.0f} s on {args.processes} processes"
    )
    print(f"  crashes (exceptions escaping read()): {len(crashes)}")
    print(f"  slowest input: {worst.slowest:.2f} s  {worst.slowest_input}")
    print(f"  peak RSS per worker process: {max(r.peak_rss_mb for r in results):.0f} MB")
    for crash in crashes[:10]:
        print(f"  crash saved: {crash}")

    server_5xx: list[str] = []
    if args.http:
        sent, server_5xx, slowest, rss, peak = fuzz_http(args.http, args.seed)
        print(f"upload endpoint: {sent:,} fuzzed requests over HTTP")
        print(f"  5xx answers: {len(server_5xx)}")
        print(f"  slowest request: {slowest:.2f} s")
        print(f"  server RSS at end {rss:.0f} MB, peak {peak:.0f} MB")
        for failure in server_5xx[:10]:
            print(f"  5xx input saved: {failure}")
    print(f"total inputs: {inputs + args.http:,} in {time.perf_counter() - started:.0f} s")
    sys.exit(1 if crashes or server_5xx else 0)


if __name__ == "__main__":
    main()
