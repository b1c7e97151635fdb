"""One clock: no code asks the machine for its local date or a naive time.

CI runs at every hour; a machine in UTC is a calendar day behind Tokyo from 15:00 to 24:00.
Dates come from ``service.clock`` (Tokyo), instants from ``storage.models.utcnow`` (aware UTC).
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("service", "parsers", "storage", "tests", "bench")
MACHINE_CLOCK = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)|datetime\.utcnow\(")


def test_no_code_reads_the_machines_local_date_or_a_naive_now() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for folder in FOLDERS
        for path in sorted((REPO / folder).rglob("*.py"))
        if path != Path(__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_CLOCK.search(line)
    ]
    assert offenders == [], "use service.clock (Tokyo) or storage.models.utcnow (UTC)"
