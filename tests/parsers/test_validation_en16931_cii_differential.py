"""Native EN 16931 CII rules against the official CEN 1.3.16 CII XSLT, on the corpus and mutations.

The official stylesheet is not copied into the repository: this runs where
``JURYO_EN16931_CII_XSLT`` names ``cii/xslt/EN16931-CII-validation.xslt`` of
ConnectingEurope/eInvoicing-EN16931 (validation 1.3.16) and the shared corpus is present. It
compares, per document, the multiset of (rule id, flag) of the failed assertions. Documents on
which the official stylesheet stops with an XPath 2.0 type error (e.g. ``normalize-space()`` of
a repeated element) have no official verdict and are counted apart.

The mutations are drawn by Hypothesis (``tests/parsers/mutations.py``: amounts, rates, codes from
the official stylesheet's own code lists and off them, dates, removed and repeated elements),
derandomized. They include negative zeros ("-0.0", "-0.00"): SaxonC orders such a value below
zero (``-0.0 = 0`` is false there), and the native rules follow it (see ``untyped_double``).
``JURYO_EN16931_CII_MUTATIONS`` (default 1000) sets how many mutants are compared.
"""

from __future__ import annotations

import collections
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, reject
from lxml import etree

from parsers.validation.en16931_cii import validate_en16931_cii
from tests.parsers import mutations, oracle
from tests.parsers import validation_corpus as corpus

XSLT = os.environ.get("JURYO_EN16931_CII_XSLT", "")
MUTATIONS = int(os.environ.get("JURYO_EN16931_CII_MUTATIONS", "1000"))

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="shared corpus not present"),
    pytest.mark.skipif(not Path(XSLT).is_file(), reason="JURYO_EN16931_CII_XSLT not set"),
]

Verdict = collections.Counter[tuple[str, str]]


def _official() -> Callable[[etree._Element], Verdict | None]:
    stylesheet = oracle.Stylesheet(XSLT)

    def judge(root: etree._Element) -> Verdict | None:
        try:
            report = stylesheet.svrl(root)
        except oracle.NoVerdict:
            return None
        return collections.Counter(
            (failed.get("id") or "", failed.get("flag") or "")
            for failed in oracle.failed_asserts(report)
        )

    return judge


def _native(root: etree._Element) -> Verdict:
    return collections.Counter(
        (finding.rule_id, finding.severity.value) for finding in validate_en16931_cii(root)
    )


def _named_documents() -> list[tuple[str, etree._Element]]:
    documents = [
        (row["path"], corpus.parse(corpus.CORPUS / row["path"]))
        for row in corpus.rows("MANIFEST.tsv")
        if row["format"] == "cii"
    ]
    units = corpus.unit_tests(("eInvoicing-EN16931/test/cii/",))
    return documents + [(f"{t.path}#{t.index}", t.root) for t in units]


def _documents() -> list[etree._Element]:
    return [root for _, root in _named_documents()]


def _vocabulary() -> mutations.Vocabulary:
    return mutations.Vocabulary(
        amount=lambda name: name.endswith(("Amount", "Quantity")),
        rate=lambda name: name.endswith(("Percent", "PercentageNumeric")),
        date=lambda name: name.endswith(("DateTimeString", "DateString")),
        code=lambda name: name.endswith(("ID", "Code", "Indicator")),
        code_lists=mutations.official_code_lists(Path(XSLT)),
    )


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


def test_mutations_agree_with_the_official_stylesheet() -> None:
    judge = _official()
    tally: collections.Counter[str] = collections.Counter()

    @mutations.differential(MUTATIONS)
    @given(mutant=mutations.mutants(_named_documents(), _vocabulary()))
    def agrees(mutant: mutations.Mutant) -> None:
        official = judge(mutant.root)
        if official is None:
            tally["no official verdict"] += 1
            reject()
        tally["compared"] += 1
        native = _native(mutant.root)
        assert native == official, (
            f"official only {official - native}, native only {native - official}\n"
            + etree.tostring(mutant.root, encoding="unicode")
        )

    agrees()
    print(f"\nCII mutations vs official 1.3.16 XSLT: {dict(tally)}")
    assert tally["compared"] >= MUTATIONS


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
