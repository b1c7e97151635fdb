"""Documents are judged in processes of their own, beside the web workers.

The EN 16931 XSLT (Saxon) holds the GIL for its whole run. Inside a web worker it stalls the
event loop and the database transactions of the other requests in that process, which then
hold SQLite's write lock (or the audit chain's row lock) that much longer: measured with
``bench/ingest.py``, 60-80 ms of lock waits per upload and 14 % of the CPUs idle. In processes
of their own, validators stall nothing, and a crash in native parsing code costs a restarted
validator, not a web worker with all its requests.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache

import parsers
from parsers import Result, juryo_rules
from parsers.profiles import Format

ATTEMPTS = 2
"""A document is tried once more on a fresh process before it is blamed for a crash."""
ORPHAN_CHECK_SECONDS = 1.0


def processes_per_worker(workers: int) -> int:
    """The default number of validating processes for each of ``workers`` web workers: its
    share of the CPU cores, since the validators do the CPU work."""
    return max(1, (os.cpu_count() or 1) // workers)


def _start_validating_process() -> None:
    """Runs first in each validating process: leave with the parent, then compile."""
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    parsers.warm_up()


def _exit_when_orphaned(parent: int) -> None:
    """A web worker that ends by a signal (uvicorn re-raises SIGTERM after a graceful shutdown;
    SIGKILL) runs no exit handlers and cannot stop its pool, so its validators watch it."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(0)


class Validator:
    """A pool of processes that run ``parsers.read``; a pool that loses a process is replaced."""

    def __init__(self, processes: int, *, read: Callable[..., Result] = parsers.read) -> None:
        self.processes = processes
        self._read = read
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the parent runs threads, and forking those is unsafe.
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=self.processes, mp_context=context, initializer=_start_validating_process
        )

    def start(self) -> None:
        """Start the processes now; each compiles the schemas and stylesheets it will need."""
        for _ in range(self.processes):  # each task finding no idle process starts one
            self._pool.submit(int)

    def judge(self, data: bytes, max_bytes: int) -> Result:
        """What the parsers make of a document; waits for a free validating process."""
        for _ in range(ATTEMPTS):
            pool = self._pool
            try:
                return pool.submit(self._read, data, max_bytes=max_bytes).result()
            except BrokenProcessPool:
                self._replace(pool)
        detail = f"the validating process stopped on this document {ATTEMPTS} times"
        finding = juryo_rules.VALIDATION_FAILED.finding(detail=detail)
        return Result(Format.UNKNOWN, findings=(finding,))

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:  # not already replaced by another thread
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()

    def close(self) -> None:
        """Stop the validating processes."""
        self._pool.shutdown(cancel_futures=True)


@cache
def shared_validator(processes: int) -> Validator:
    """The process's validator of this size: apps in one process (as in tests) share it.

    The app starts its processes (``start``); they end when this process exits.
    """
    return Validator(processes)
