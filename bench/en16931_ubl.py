"""EN 16931 for UBL: native rules vs the official XSLT on Saxon, one process, same documents.

    .venv/bin/python bench/en16931_ubl.py [--repeat N]

Every UBL document of the corpus (``../shared/corpus`` or ``JURYO_TEST_CORPUS``) is parsed once;
each engine then judges all of them ``N`` times and the best pass counts. Both are warmed up
first (the stylesheet compile, ~0.5 s, is not measured). Prints documents per second, the
ratio, and this process's peak RSS (which includes Saxon once the official pass has run).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import parsers  # noqa: E402, F401  (initialises the package before the validation layers)
from parsers.validation.en16931_ubl import validate_en16931_ubl  # noqa: E402
from tests.parsers import oracle  # noqa: E402

CORPUS = Path(os.environ.get("JURYO_TEST_CORPUS") or REPO.parent / "shared" / "corpus")
_PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)


def _documents() -> list[etree._Element]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        etree.fromstring((CORPUS / row["path"]).read_bytes(), _PARSER)
        for row in rows
        if row["format"] in ("ubl-invoice", "ubl-creditnote")
    ]


def _best(
    run: Callable[[etree._Element], object], documents: list[etree._Element], n: int
) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        for document in documents:
            run(document)
        best = min(best, time.perf_counter() - start)
    return best


def _rss() -> float:
    """Peak resident set size of this process, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _official(root: etree._Element) -> object:
    return oracle.findings(oracle.official_ubl().svrl(root))


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    documents = _documents()
    validate_en16931_ubl(documents[0])
    native = _best(validate_en16931_ubl, documents, repeat)
    native_rss = _rss()
    _official(documents[0])
    official = _best(_official, documents, repeat)
    count = len(documents)
    print(f"{count} UBL documents, best of {repeat}")
    print(
        f"official XSLT (Saxon): {count / official:7.1f} docs/s ({official / count * 1e3:.2f} ms)"
    )
    print(f"native:                {count / native:7.1f} docs/s ({native / count * 1e3:.2f} ms)")
    print(f"native / official throughput: {official / native:.2f}x")
    print(f"peak RSS: {native_rss:.0f} MB native only, {_rss():.0f} MB after Saxon too")


if __name__ == "__main__":
    main()
