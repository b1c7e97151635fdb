"""Native EN 16931 CII rules against the official CEN 1.3.16 CII XSLT, on the corpus and mutations.

The official stylesheet is not copied into the repository: this runs where
``JURYO_EN16931_CII_XSLT`` names ``cii/xslt/EN16931-CII-validation.xslt`` of
ConnectingEurope/eInvoicing-EN16931 (validation 1.3.16) and the shared corpus is present. It
compares, per document, the multiset of (rule id, flag) of the failed assertions. Documents on
which the official stylesheet stops with an XPath 2.0 type error (e.g. ``normalize-space()`` of
a repeated element) have no official verdict and are counted apart.

Mutations include negative zeros ("-0.0", "-0.00"): SaxonC orders such a value below zero
(``-0.0 = 0`` is false there), and the native rules follow it (see ``untyped_double``).
``JURYO_EN16931_CII_MUTATIONS`` (default 300) sets how many mutations each seed makes.
"""

from __future__ import annotations

import collections
import copy
import os
import random
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from lxml import etree

from parsers.validation.en16931_cii import validate_en16931_cii
from tests.parsers import validation_corpus as corpus
from tests.parsers.mutations import mutants

XSLT = os.environ.get("JURYO_EN16931_CII_XSLT", "")
MUTATIONS = int(os.environ.get("JURYO_EN16931_CII_MUTATIONS", "300"))

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="shared corpus not present"),
    pytest.mark.skipif(not Path(XSLT).is_file(), reason="JURYO_EN16931_CII_XSLT not set"),
]

_SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_VALUES = (
    *("", "0", "-1", "1.005", "0.5", "100", "100.00", "19", "19.00", "7", "12.345", "-0.01"),
    *("380", "381", "384", "389", "326", "30", "58", "S", "E", "AE", "K", "G", "O", "L", "M"),
    *("Z", "B", "VAT", "vat", "EUR", "JPY", "XXX", "DE", "FR", "C62", "H87", "ZZZ", "1e3"),
    *("VATEX-EU-132", "20240101", "2024-01-01", "20241301", "true", "false", "1", "VA", "FC"),
    *("0088", "9930", "9958", "EM", "abc", "-0.0", "-0.00", "-0", "0.0"),
)
_FACTORS = (Decimal(0), Decimal("0.5"), Decimal("1.01"), Decimal(2), Decimal(-1), Decimal(1))
_OFFSETS = (Decimal(0), Decimal("0.01"), Decimal(1), Decimal("-0.005"))

Verdict = collections.Counter[tuple[str, str]]


def _official() -> Callable[[etree._Element], Verdict | None]:
    import saxonche  # the test oracle only; the service never runs it

    processor = saxonche.PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=XSLT)

    def judge(root: etree._Element) -> Verdict | None:
        try:
            node = processor.parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
            report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode())
        except saxonche.PySaxonApiError:
            return None
        return collections.Counter(
            (failed.get("id") or "", failed.get("flag") or "")
            for failed in report.iter(f"{_SVRL}failed-assert")
        )

    return judge


def _native(root: etree._Element) -> Verdict:
    return collections.Counter(
        (finding.rule_id, finding.severity.value) for finding in validate_en16931_cii(root)
    )


def _documents() -> list[etree._Element]:
    documents = [
        corpus.parse(corpus.CORPUS / row["path"])
        for row in corpus.rows("MANIFEST.tsv")
        if row["format"] == "cii"
    ]
    return documents + [t.root for t in corpus.unit_tests(("eInvoicing-EN16931/test/cii/",))]


def _rescale(element: etree._Element, rng: random.Random) -> None:
    """An amount or rate scaled and shifted, at 0-3 decimals (possibly -0.0)."""
    try:
        value = Decimal((element.text or "").strip())
    except InvalidOperation:
        return
    changed = value * rng.choice(_FACTORS) + rng.choice(_OFFSETS)
    rounded = round(changed, rng.choice((0, 1, 2, 3)))
    element.text = str(rounded)


def _mutate(root: etree._Element, rng: random.Random) -> None:
    """Remove, repeat, rescale, rewrite or re-attribute one element."""
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    if not elements:
        return
    element = rng.choice(elements)
    leaves = [e for e in elements if len(e) == 0]
    kind = rng.random()
    parent = element.getparent()
    if kind < 0.2 and parent is not None:
        parent.remove(element)
    elif kind < 0.35:
        element.addnext(copy.deepcopy(element))
    elif kind < 0.55 and leaves:
        _rescale(rng.choice(leaves), rng)
    elif kind < 0.85 and leaves:
        rng.choice(leaves).text = rng.choice(_VALUES)
    else:
        attributed = [e for e in elements if e.attrib]
        if attributed:
            target = rng.choice(attributed)
            target.set(rng.choice(sorted(target.attrib)), rng.choice(_VALUES))


def _compare(documents: list[etree._Element]) -> tuple[collections.Counter[str], list[str]]:
    judge = _official()
    counts: collections.Counter[str] = collections.Counter()
    differences: list[str] = []
    for root in documents:
        official = judge(root)
        if official is None:
            counts["no official verdict"] += 1
            continue
        native = _native(root)
        counts["agree" if native == official else "differ"] += 1
        if native != official:
            differences.append(
                f"official only {official - native}, native only {native - official}"
            )
    return counts, differences


def test_corpus_and_unit_tests_agree_with_the_official_stylesheet() -> None:
    counts, differences = _compare(_documents())
    print(f"\nCII corpus + unit tests vs official EN 16931 1.3.16 CII XSLT: {dict(counts)}")
    assert counts["agree"] >= 120
    assert not differences, differences[:5]


@pytest.mark.parametrize("seed", [11, 12])
def test_mutations_agree_with_the_official_stylesheet(seed: int) -> None:
    documents = mutants(_documents(), count=MUTATIONS, seed=seed, mutate=_mutate)
    counts, differences = _compare(documents)
    print(f"\n{MUTATIONS} CII mutations (seed {seed}) vs official 1.3.16 XSLT: {dict(counts)}")
    assert not differences, differences[:5]


def test_native_throughput_against_the_official_stylesheet() -> None:
    """One run over the corpus CII documents: native vs official documents per second."""
    documents = _documents()
    texts = [etree.tostring(root) for root in documents]
    judge = _official()
    start = time.perf_counter()
    for text in texts:
        judge(etree.fromstring(text))
    official = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        _native(etree.fromstring(text))
    native = time.perf_counter() - start
    print(
        f"\n{len(texts)} CII documents: official {len(texts) / official:.0f} doc/s, "
        f"native {len(texts) / native:.0f} doc/s, ratio {official / native:.1f}x"
    )
    assert native < official
