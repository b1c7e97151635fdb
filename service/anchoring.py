"""The server's side of audit anchors: sign the chain's head at intervals, off the event loop.

Every worker process runs one loop. Several loops (or servers) anchoring at once is safe: the
store creates an anchor only under a free sequence number, and an unchanged head is not signed
again. A failure is logged and tried again at the next interval; the server keeps serving.
"""

from __future__ import annotations

import asyncio
import logging

from service.runtime import Runtime
from storage import anchors
from storage.objects import StorageError

log = logging.getLogger(__name__)


def anchor_once(runtime: Runtime, key: bytes) -> anchors.Anchor | None:
    """One attempt, in a worker thread: database reads and object-store writes block."""
    try:
        return anchors.write_anchor(runtime.read_sessions, runtime.store, key)
    except anchors.AnchorRefused as exc:
        log.error("audit anchor refused: %s", exc)
    except StorageError as exc:
        log.warning("audit anchor not written, trying again later: %s", exc)
    return None


async def anchor_periodically(runtime: Runtime, key: bytes) -> None:
    """Until cancelled: wait one interval, then anchor the head if the chain has grown."""
    interval = runtime.settings.audit_anchor_interval_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            await asyncio.to_thread(anchor_once, runtime, key)
        except Exception:  # a database outage must not end the loop for good
            log.exception("audit anchor failed")
