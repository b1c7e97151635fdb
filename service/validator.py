"""Documents are judged in processes of their own, beside the web workers.

The EN 16931 XSLT (Saxon) holds the GIL for its whole run. Inside a web worker it stalls the
event loop and the database transactions of the other requests in that process, which then
hold SQLite's write lock (or the audit chain's row lock) that much longer: measured with
``bench/ingest.py``, 60-80 ms of lock waits per upload and 14 % of the CPUs idle. In processes
of their own, validators stall nothing, and a crash in native parsing code costs a restarted
validator, not a web worker with all its requests.

Each validating process has a pipe of its own, and the request's thread talks to it directly:
a ``ProcessPoolExecutor`` would add a manager thread and a feeder thread to every call, which
cost the web worker 0.7 ms of CPU per document (measured with 8 callers and 2 processes).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from functools import cache
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import parsers
from parsers import Result, juryo_rules
from parsers.profiles import Format

ATTEMPTS = 2
"""A document is tried once more on a fresh process before it is blamed for a crash."""
ORPHAN_CHECK_SECONDS = 1.0
STOP_SECONDS = 5.0
READY = "ready"
"""What a validating process says once it has compiled everything, before its first document."""

Read = Callable[..., Result]


def processes_per_worker(workers: int) -> int:
    """The default number of validating processes for each of ``workers`` web workers: its
    share of the CPU cores, since the validators do the CPU work."""
    return max(1, (os.cpu_count() or 1) // workers)


def _serve(connection: Connection, read: Read) -> None:
    """A validating process: leave with the parent, compile, then judge until the pipe ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the web worker to handle
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    parsers.warm_up()
    connection.send(READY)
    while True:
        try:
            data, max_bytes = connection.recv()
        except EOFError:  # the web worker closed the pipe: it is stopping
            return
        outcome: Result | Exception
        try:
            outcome = read(data, max_bytes=max_bytes)
        except Exception as exc:  # the caller raises it, as a function call would
            outcome = exc
        connection.send(outcome)


def _exit_when_orphaned(parent: int) -> None:
    """A web worker that ends by a signal (uvicorn re-raises SIGTERM after a graceful shutdown;
    SIGKILL) runs no exit handlers and cannot stop its validators, so they watch it."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(0)


class _Process:
    """One validating process and the pipe to it; one caller at a time."""

    def __init__(self, read: Read) -> None:
        # spawn, not fork: the parent runs threads, and forking those is unsafe.
        context = multiprocessing.get_context("spawn")
        self.connection, theirs = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(theirs, read), daemon=True, name="juryo-validator"
        )
        self.process.start()
        theirs.close()
        self._ready = False

    def ask(self, data: bytes, max_bytes: int, timeout: float) -> Result:
        """Judge a document; EOFError or OSError when the process is gone, TimeoutError when
        the document takes longer than ``timeout`` seconds (the compiling before the first
        document does not count)."""
        if not self._ready:
            self.connection.recv()  # READY
            self._ready = True
        self.connection.send((data, max_bytes))
        if not self.connection.poll(timeout):
            raise TimeoutError(f"no verdict within {timeout:g} s")
        outcome: Result | Exception = self.connection.recv()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def ready(self) -> bool:
        """Whether it has compiled everything: looks for its message without taking it."""
        try:
            return self.process.is_alive() and (self._ready or self.connection.poll(0))
        except (OSError, ValueError):  # stopped meanwhile
            return False

    def stop(self, *, wait: float = STOP_SECONDS) -> None:
        """Close the pipe (an idle process then ends by itself), killing it after ``wait``."""
        self.connection.close()
        self.process.join(wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class Validator:
    """Processes that run ``parsers.read``; a process that dies or hangs is replaced."""

    def __init__(self, processes: int, *, timeout: float = 60.0, read: Read = parsers.read) -> None:
        self.processes = processes
        self.timeout = timeout
        self._read = read
        self._lock = threading.Lock()
        self._idle: queue.SimpleQueue[_Process] = queue.SimpleQueue()
        self._running: set[_Process] = set()

    def start(self) -> None:
        """Start the processes now; each compiles the schemas and stylesheets it will need."""
        with self._lock:
            while len(self._running) < self.processes:
                self._idle.put(self._spawn())

    def _spawn(self) -> _Process:
        started = _Process(self._read)
        self._running.add(started)
        return started

    def ready(self) -> bool:
        """Whether every validating process has compiled everything (for ``/readyz``): until
        then the first documents wait for it."""
        with self._lock:
            running = list(self._running)
        return len(running) == self.processes and all(p.ready() for p in running)

    def process_ids(self) -> list[int]:
        """The validating processes' ids."""
        with self._lock:
            return [p.process.pid for p in self._running if p.process.pid is not None]

    def judge(self, data: bytes, max_bytes: int) -> Result:
        """What the parsers make of a document; waits for a free validating process."""
        self.start()
        process = self._idle.get()
        try:
            for _ in range(ATTEMPTS):
                try:
                    return process.ask(data, max_bytes, self.timeout)
                except TimeoutError:  # it would take as long again: no second try
                    process = self._replace(process, wait=0)
                    return _refused(f"it took longer than {self.timeout:g} s and was stopped")
                except (EOFError, OSError):  # it died, perhaps of this document
                    process = self._replace(process)
        finally:
            self._idle.put(process)
        return _refused(f"the validating process stopped on this document {ATTEMPTS} times")

    def _replace(self, failed: _Process, *, wait: float = STOP_SECONDS) -> _Process:
        failed.stop(wait=wait)
        with self._lock:
            self._running.discard(failed)
            return self._spawn()

    def close(self) -> None:
        """Stop the validating processes."""
        with self._lock:
            running, self._running = self._running, set()
            self._idle = queue.SimpleQueue()
        for process in running:
            process.stop()


def _refused(detail: str) -> Result:
    return Result(Format.UNKNOWN, findings=(juryo_rules.VALIDATION_FAILED.finding(detail=detail),))


@cache
def shared_validator(processes: int, timeout: float) -> Validator:
    """The process's validator of this size: apps in one process (as in tests) share it.

    The app starts its processes (``start``); they end when this process exits.
    """
    return Validator(processes, timeout=timeout)
