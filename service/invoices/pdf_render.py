"""Render one page of a PDF to PNG in a child process (``service.invoices.pdf_pages`` runs it).

Run as ``python -I pdf_render.py PAGE SCALE MAX_SIDE`` with the PDF on stdin. PDFium parses
untrusted bytes, so it does so here, in a process of its own with a memory and CPU ceiling, that
the server kills at its deadline: a crash or a hostile file costs this process, never a worker.
Only the standard library and pypdfium2 are imported (the child starts in ~0.2 s).

Answers on stdout: one JSON line (``{"pages": N}``, or ``{"error": "encrypted" | "unreadable" |
"no_page", "pages": N}``), then the PNG bytes when there are any.
"""

from __future__ import annotations

import io
import json
import resource
import sys

MEMORY_CEILING = 1024 * 1024 * 1024
CPU_SECONDS = 20
PDFIUM_PASSWORD_ERROR = 4


def _limit() -> None:
    """Bound what a hostile PDF may take from the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _answer(header: dict[str, object], png: bytes = b"") -> None:
    sys.stdout.buffer.write(json.dumps(header).encode() + b"\n" + png)
    sys.stdout.buffer.flush()


def render(data: bytes, page_number: int, scale: float, max_side: int) -> None:
    """Write the answer for page ``page_number`` (1-based) of ``data``."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        encrypted = getattr(exc, "err_code", None) == PDFIUM_PASSWORD_ERROR
        _answer({"error": "encrypted" if encrypted else "unreadable", "pages": 0})
        return
    pages = len(document)
    if not 1 <= page_number <= pages:
        _answer({"error": "no_page", "pages": pages})
        return
    page = document[page_number - 1]
    width, height = page.get_size()
    # A page may declare any size: keep the longer side of the image within max_side pixels.
    scale = min(scale, max_side / max(width, height, 1.0))
    image = page.render(scale=scale, may_draw_forms=False).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    _answer({"pages": pages}, out.getvalue())


def main() -> None:
    """Read the arguments and the PDF, render under the ceilings."""
    _limit()
    page_number, scale, max_side = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    render(sys.stdin.buffer.read(), page_number, scale, max_side)


if __name__ == "__main__":
    main()
