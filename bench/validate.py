"""Validation throughput over the shared corpus, single process.

    .venv/bin/python bench/validate.py [--repeat N]

Stages, each over every UBL/CII file of the corpus (``../shared/corpus``):
(a) parse only, (b) parse + XSD, (c) parse + official EN 16931 XSLT (Saxon), (d) parse + the
native Peppol or JP PINT rules and the Japan checks as each document's profile selects them,
(d') every native rule set on every document, (e) the whole ``parsers.read()``. Ratios are
against (a). The corpus is skewed to large test files (mean 67 KB, median 11 KB, max 3.3 MB).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from parsers.profiles import Profile, Syntax, detect_profile  # noqa: E402
from parsers.validation import en16931, xsd  # noqa: E402
from parsers.validation.japan import validate_japan  # noqa: E402
from parsers.validation.peppol import PEPPOL_BIS3  # noqa: E402
from parsers.validation.pint_jp import RULE_SETS as PINT_RULE_SETS  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
_PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def _documents() -> list[bytes]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        (CORPUS / row["path"]).read_bytes()
        for row in rows
        if row["format"] in ("ubl-invoice", "ubl-creditnote", "cii")
    ]


def _parse(data: bytes) -> tuple[etree._Element, Syntax, Profile]:
    root = etree.fromstring(data, _PARSER)
    syntax = Syntax.CII if etree.QName(root).localname == "CrossIndustryInvoice" else Syntax.UBL
    cid = root.xpath(
        "string(cbc:CustomizationID | //ram:GuidelineSpecifiedDocumentContextParameter/ram:ID)",
        namespaces=_NS,
    )
    return root, syntax, detect_profile(str(cid))


def _native(data: bytes) -> None:
    """As in production: JP PINT documents get PINT + Japan, other UBL documents Peppol."""
    root, syntax, profile = _parse(data)
    if syntax is Syntax.UBL and profile.is_jp_pint:
        PINT_RULE_SETS[profile].run(root)
    elif syntax is Syntax.UBL:
        PEPPOL_BIS3.run(root)
    validate_japan(root, syntax, profile)


def _native_all(data: bytes) -> None:
    """Worst case: every native rule set on every document, whatever it claims."""
    root, syntax, _ = _parse(data)
    if syntax is Syntax.UBL:
        PEPPOL_BIS3.run(root)
        PINT_RULE_SETS[Profile.JP_PINT].run(root)
    validate_japan(root, syntax, Profile.JP_PINT)


def _read(data: bytes) -> None:
    from parsers.reader import read

    read(data)


def _stages() -> dict[str, Callable[[bytes], object]]:
    return {
        "(a) parse only": lambda data: _parse(data),
        "(b) parse + XSD": lambda data: xsd.validate_xsd(*_parse(data)),
        "(c) parse + EN 16931 XSLT": lambda data: en16931.validate_en16931(*_parse(data)[:2]),
        "(d) parse + Peppol/JP native": _native,
        "(d') same, all sets on every doc": _native_all,
        "(e) parsers.read()": _read,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not (CORPUS / "MANIFEST.tsv").is_file():
        sys.exit(f"corpus not found at {CORPUS}")
    documents = _documents()
    megabytes = sum(len(d) for d in documents) / 1e6
    print(f"{len(documents)} XML documents, {megabytes:.1f} MB, best of {args.repeat} passes")
    xsd.warm_up()
    en16931.warm_up()
    baseline = None
    for name, stage in _stages().items():
        for data in documents[:5]:
            stage(data)  # warm caches (compiled schemas, stylesheets, reader imports)
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            for data in documents:
                stage(data)
            best = min(best, time.perf_counter() - start)
        baseline = baseline or best
        print(
            f"{name:<32} {len(documents) / best:>9.0f} inv/s {megabytes / best:>8.1f} MB/s"
            f"   x{best / baseline:>6.1f} time of (a)   {1000 * best / len(documents):.2f} ms/inv"
        )


if __name__ == "__main__":
    main()
