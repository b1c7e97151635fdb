"""Native Peppol BIS 3 (UBL) rules against the official 2025.5 XSLT, on the corpus and mutations.

No official compiled Peppol stylesheet ships in any package juryo uses, and none is copied into
the repository, so this runs only where ``JURYO_PEPPOL_UBL_XSLT`` names one (for instance
phax/phive-rules ``phive-rules-peppol-legacy/.../openpeppol/2025.5/xslt/PEPPOL-EN16931-UBL.xslt``)
and ``../shared/corpus`` is present. Documents on which the official stylesheet stops with an
XPath error have no official verdict and are counted apart, not compared. The mutants are drawn
by Hypothesis (``tests/parsers/mutations.py``, derandomized) through this test's own ``_mutate``,
which knows the national rules' parties and schemes; ``JURYO_PEPPOL_MUTATIONS`` (default 4000)
sets how many are compared.
"""

from __future__ import annotations

import collections
import copy
import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from parsers.validation.peppol import validate_peppol
from tests.parsers import mutations, oracle
from tests.parsers import validation_corpus as corpus

XSLT = os.environ.get("JURYO_PEPPOL_UBL_XSLT", "")
MUTATIONS = int(os.environ.get("JURYO_PEPPOL_MUTATIONS", "4000"))

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="shared corpus not present"),
    pytest.mark.skipif(not Path(XSLT).is_file(), reason="JURYO_PEPPOL_UBL_XSLT not set"),
]

_NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
_COUNTRIES = ("DE", "DK", "GR", "EL", "IS", "IT", "NL", "NO", "SE", "FR", "JP", "de", " SE ")
_VALUES = (
    *("", "0", "-1", "1.005", "380", "381", "384", "389", "326", "9", "30", "31", "42", "48"),
    *("49", "50", "56", "58", "59", "93", "ZZZ", "S", "E", "AE", "TST", "19.05.01", "1111"),
    *("2024-13-01", "2024-01-01", "20240101", "SE:BANKGIRO", "SE:PLUSGIRO", "EINDAGI"),
    *("##M.AR.K##", "##INVOICE|URL##", "#SKONTO#TAGE=14#PROZENT=2.00#\n", "VAT", "TAX", "FC"),
    *("GODKÄND FÖR F-SKATT", "Foretaksregisteret", "01#1234567", "04#1234567890123456"),
    *("71#123456789012345", "12345678", "DE89370400440532013000", "a@b.de", "x@", "0106"),
    *("0184", "0196", "9933", "094014201", "EL094014201", "NO971526920MVA", "SE556732170701"),
    *("5567321707", "094014201|01/10/2020|0|1.1|0|1"),
)
_SCHEMES = ("0088", "0192", "0184", "0208", "0201", "0210", "9907", "0211", "0007", "0151")


Verdict = dict[str, str]


def _official() -> Callable[[bytes], Verdict | None]:
    stylesheet = oracle.Stylesheet(XSLT)

    def judge(data: bytes) -> Verdict | None:
        try:
            report = stylesheet.svrl(data)
        except oracle.NoVerdict:
            return None  # the official stylesheet stopped on an XPath error: no verdict
        fired: Verdict = {}
        for failed in oracle.failed_asserts(report):
            rule = failed.get("id") or ""
            fired[rule] = _worse(fired.get(rule), failed.get("flag") or "")
        return fired

    return judge


def _worse(known: str | None, flag: str) -> str:
    """A rule that fails fatally anywhere counts as fatal."""
    return "fatal" if "fatal" in (known, flag) else "warning"


def _native(root: etree._Element) -> Verdict:
    fired: Verdict = {}
    for finding in validate_peppol(root):
        fired[finding.rule_id] = _worse(fired.get(finding.rule_id), finding.severity.value)
    return fired


def _set_all(root: etree._Element, path: str, value: str) -> None:
    for element in root.xpath(path, namespaces=_NS):
        element.text = value


def _move_parties(root: etree._Element, rng: random.Random) -> None:
    party = (
        "/*/cac:Accounting{}Party/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode"
    )
    _set_all(root, party.format("Supplier"), rng.choice(_COUNTRIES))
    if rng.random() < 0.6:
        _set_all(root, party.format("Customer"), rng.choice(_COUNTRIES))
    if rng.random() < 0.4:
        path = "/*/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
        for element in root.xpath(path, namespaces=_NS):
            element.text = rng.choice(_COUNTRIES).strip().upper() + (element.text or "")[2:]


def _mutate(root: etree._Element, rng: random.Random) -> None:
    """Move the parties, or remove, repeat, rewrite or re-scheme one element."""
    kind = rng.random()
    if kind < 0.25:
        _move_parties(root, rng)
        return
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    element = rng.choice(elements)
    parent = element.getparent()
    if kind < 0.4 and parent is not None:
        parent.remove(element)
    elif kind < 0.5:
        element.addnext(copy.deepcopy(element))
    elif kind < 0.85:
        rng.choice([e for e in elements if len(e) == 0]).text = rng.choice(_VALUES)
    else:
        schemed = [e for e in elements if e.get("schemeID") is not None] or elements
        rng.choice(schemed).set("schemeID", rng.choice(_SCHEMES))


def _seeds() -> list[tuple[str, etree._Element]]:
    base = corpus.CORPUS / "peppol-bis-invoice-3" / "rules"
    paths = sorted(base.glob("examples/*.xml")) + sorted(base.glob("national-examples/*/*.xml"))
    return [(str(path.relative_to(corpus.CORPUS)), corpus.parse(path)) for path in paths]


def _corpus_documents() -> list[etree._Element]:
    documents = [
        corpus.parse(corpus.CORPUS / row["path"])
        for row in corpus.rows("MANIFEST.tsv")
        if row["format"] in ("ubl-invoice", "ubl-creditnote")
    ]
    prefixes = tuple(
        f"peppol-bis-invoice-3/rules/unit-UBL-{c}/"
        for c in ("PEPPOL", "DE", "DK", "GR", "IT", "NL", "NO", "SE")
    )
    return documents + [test.root for test in corpus.unit_tests(prefixes)]


def _compare(documents: list[etree._Element]) -> tuple[collections.Counter[str], list[str]]:
    judge = _official()
    counts: collections.Counter[str] = collections.Counter()
    differences: list[str] = []
    for root in documents:
        official = judge(etree.tostring(root, encoding="utf-8"))
        if official is None:
            counts["no official verdict"] += 1
            continue
        native = _native(root)
        counts["agree" if native == official else "differ"] += 1
        if native != official:
            differences.append(f"official {official} / native {native}")
    return counts, differences


def test_corpus_and_unit_tests_agree_with_the_official_stylesheet() -> None:
    counts, differences = _compare(_corpus_documents())
    print(f"\ncorpus + unit tests vs official Peppol 2025.5 XSLT: {dict(counts)}")
    assert not differences, differences[:5]


def test_mutations_agree_with_the_official_stylesheet() -> None:
    judge = _official()
    mutations.assert_agreement(
        "Peppol mutations vs official Peppol 2025.5 XSLT",
        judge,
        _native,
        _seeds(),
        _mutate,
        MUTATIONS,
    )
