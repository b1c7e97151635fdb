"""The pages of a PDF original as PNG images rendered on the server: the safe (CDR) view.

The browser is shown pixels, never the PDF (no script, form, link or font of the sender's runs
on a city PC); the original stays downloadable as it was sent. PDFium renders in a child
process (``pdf_render.py``) under a memory and CPU ceiling and a deadline, a few at a time.

Bounds: the first ``MAX_PAGES`` pages are shown, at a scale of at most ``MAX_SCALE`` and at most
``MAX_SIDE`` pixels on the longer side (a page may declare any size).

Cache: none shared. Workers are stateless: each keeps the images it rendered lately in memory
(``CACHE_BYTES``), keyed by the original's SHA-256, the page and the scale, and any worker can
render again, for the bytes under a key never change. Nothing derived is written to the object
store, which keeps only originals and their anchors.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

from service.errors import NotFound, ServiceUnavailable, Unprocessable
from service.i18n import translator
from service.runtime import Runtime
from storage.models import InvoiceRecord
from storage.objects import ObjectStore

MAX_PAGES = 20
MAX_SCALE = 2.0
DEFAULT_SCALE = 1.5
MAX_SIDE = 2400
DEADLINE_SECONDS = 15.0
RENDERERS = 2
"""Child processes at once per worker; a caller who waits longer than ``WAIT_SECONDS`` for one
is told to try again."""
WAIT_SECONDS = 10.0
CACHE_BYTES = 32 * 1024 * 1024
WORKER = Path(__file__).with_name("pdf_render.py")


@dataclass(frozen=True, slots=True)
class Rendered:
    """One page's answer: the PNG, or why there is none (a key under ``pdfview.``)."""

    pages: int
    png: bytes | None = None
    problem: str | None = None
    """``encrypted``, ``unreadable``, ``no_page``, ``too_slow`` or ``busy``."""


@dataclass(frozen=True, slots=True)
class PdfView:
    """What the invoice page shows of a PDF original: which pages, or why none."""

    pages: int
    shown: list[int]
    problem: str | None


class _Recent:
    """The images rendered lately, up to ``CACHE_BYTES``, least recently used dropped first."""

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._used = 0
        self._items: OrderedDict[tuple[str, int, float], Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, float]) -> Rendered | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, int, float], rendered: Rendered) -> None:
        size = len(rendered.png or b"") + 100
        if size > self._budget:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = rendered
            self._used += size
            while self._used > self._budget:
                _, dropped = self._items.popitem(last=False)
                self._used -= len(dropped.png or b"") + 100


_recent = _Recent(CACHE_BYTES)
_renderers = threading.BoundedSemaphore(RENDERERS)


def is_pdf(invoice: InvoiceRecord) -> bool:
    """Whether the original is a PDF (plain or Factur-X), which this view renders."""
    return "pdf" in invoice.original.media_type


def bounded_scale(scale: float) -> float:
    """The scale in quarter steps within (0, MAX_SCALE]: a handful of cache keys per page."""
    return min(MAX_SCALE, max(0.5, round(scale * 4) / 4))


def render_page(store: ObjectStore, invoice: InvoiceRecord, page: int, scale: float) -> Rendered:
    """Page ``page`` (1-based) of the invoice's PDF original as PNG, or why not. Blocking: call
    it from a sync handler (FastAPI's threadpool), never on the event loop."""
    if page > MAX_PAGES:
        return Rendered(pages=0, problem="no_page")
    original = invoice.original
    key = (original.sha256, page, bounded_scale(scale))
    cached = _recent.get(key) or _recent.get((original.sha256, 0, 0.0))
    if cached is not None:
        return cached
    rendered = _render(store.get(original.object_key), page, key[2])
    if rendered.problem in ("encrypted", "unreadable"):
        _recent.put((original.sha256, 0, 0.0), rendered)  # the same for every page
    elif rendered.problem != "busy":
        _recent.put(key, rendered)
    return rendered


def outline(store: ObjectStore, invoice: InvoiceRecord) -> PdfView | None:
    """The pages the invoice page shows (rendering the first on the way), None if no PDF."""
    if not is_pdf(invoice):
        return None
    first = render_page(store, invoice, 1, DEFAULT_SCALE)
    if first.problem is not None:
        return PdfView(pages=first.pages, shown=[], problem=first.problem)
    return PdfView(
        pages=first.pages, shown=list(range(1, min(first.pages, MAX_PAGES) + 1)), problem=None
    )


def _render(data: bytes, page: int, scale: float) -> Rendered:
    """Run the child process on ``data``, within the deadline and the number of renderers."""
    if not _renderers.acquire(timeout=WAIT_SECONDS):
        return Rendered(pages=0, problem="busy")
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(WORKER), str(page), str(scale), str(MAX_SIDE)],
            input=data,
            capture_output=True,
            timeout=DEADLINE_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Rendered(pages=0, problem="too_slow")
    finally:
        _renderers.release()
    return _answer(done)


def _answer(done: subprocess.CompletedProcess[bytes]) -> Rendered:
    """The child's answer; a child that died (a ceiling, a crash) read the PDF as unreadable."""
    header, _, png = done.stdout.partition(b"\n")
    try:
        answer = json.loads(header)
    except ValueError:
        return Rendered(pages=0, problem="too_slow" if done.returncode < 0 else "unreadable")
    if done.returncode != 0 or not isinstance(answer, dict):
        return Rendered(pages=0, problem="unreadable")
    pages = int(answer.get("pages", 0))
    problem = answer.get("error")
    if problem is not None:
        return Rendered(pages=pages, problem=str(problem))
    return Rendered(pages=pages, png=png)


def view_for(request: Request, invoice: InvoiceRecord) -> PdfView | None:
    """``outline`` for a page handler, with the app's object store (as ``service.pages``)."""
    runtime: Runtime = request.app.state.runtime
    return outline(runtime.store, invoice)


def image_response(
    store: ObjectStore, invoice: InvoiceRecord, page: int, scale: float, lang: str
) -> Response:
    """The PNG of one page, or the reason there is none in ``lang`` (never a 500)."""
    t = translator(lang)
    if not is_pdf(invoice):
        raise NotFound(t("pdfview.not_pdf"))
    rendered = render_page(store, invoice, page, scale)
    if rendered.png is not None:
        return Response(rendered.png, media_type="image/png")
    problem = rendered.problem or "unreadable"
    if problem == "no_page":
        raise NotFound(t("pdfview.no_page"))
    if problem == "busy":
        raise ServiceUnavailable(t("pdfview.busy"))
    raise Unprocessable(t(f"pdfview.{problem}"))
