"""Saxon's own stderr: silenced while it runs.

SaxonC reports a dynamic XPath error (e.g. ``FORG0001 Cannot convert string "abc" to
xs:decimal``) and compile-time warnings by writing to file descriptor 2 itself, below Python,
before it raises. The exception carries the same message, and a supplier's document must not
write to the service's error log, so while Saxon compiles or transforms, fd 2 points to
``/dev/null``. The ``standardErrorOutputFile`` configuration property does not reach SaxonC's
error reporter (checked with saxonche 13.1), hence the descriptor.

Callers hold the Saxon lock, so the redirections never nest. Another Python thread writing to
stderr during those milliseconds would be silenced too; the validating processes, where the
service runs Saxon, have no such thread.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

__all__ = ["quiet_stderr"]


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point fd 2 to ``/dev/null`` for the block, and back whatever happens in it."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all: nothing to protect
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
