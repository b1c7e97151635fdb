"""The mutation strategies of the differential tests: every kind is drawn and changes the copy,
and the code lists come out of the official stylesheet."""

from __future__ import annotations

import pytest
from hypothesis import find, settings
from lxml import etree

from schemas import Artefact, artefact_path
from tests.parsers import mutations
from tests.parsers.validation_samples import ubl_invoice

KINDS = ("amount", "rate", "code", "date", "remove", "repeat")


def _vocabulary() -> mutations.Vocabulary:
    return mutations.Vocabulary(
        amount=lambda name: name.endswith("Amount"),
        rate=lambda name: name == "Percent",
        date=lambda name: name.endswith("Date"),
        code=lambda name: name.endswith(("ID", "Code")),
        code_lists=mutations.official_code_lists(artefact_path(Artefact.EN16931_UBL_XSLT)),
    )


def test_code_lists_are_read_from_the_official_stylesheet() -> None:
    lists = mutations.official_code_lists(artefact_path(Artefact.EN16931_UBL_XSLT))
    assert "380" in lists[("InvoiceTypeCode", None)]
    assert "999" not in lists[("InvoiceTypeCode", None)]
    assert "JPY" in lists[("Amount", "currencyID")]
    assert "0088" in lists[("EndpointID", "schemeID")]
    assert {"S", "AE", "K"} <= set(lists[("ID", None)])


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_mutation_is_drawn_and_changes_the_copy(kind: str) -> None:
    base = etree.fromstring(ubl_invoice())
    original = etree.tostring(base)
    strategy = mutations.mutants([("sample", base)], _vocabulary(), most=1)
    mutant = find(
        strategy,
        lambda m: m.edits[0].kind == kind and etree.tostring(m.root) != original,
        settings=settings(database=None, derandomize=True, max_examples=500),
    )
    assert etree.tostring(base) == original  # the base itself is never touched
    assert repr(mutant).startswith(f"Mutant(sample: {kind} /Invoice/")


def test_a_bare_root_or_one_emptied_by_removals_gets_no_more_edits() -> None:
    bare = etree.fromstring("<Invoice/>")
    one_child = etree.fromstring("<Invoice><ID>1</ID></Invoice>")
    strategy = mutations.mutants([("bare", bare), ("one", one_child)], _vocabulary())
    emptied = find(
        strategy,
        lambda m: m.name == "one" and len(m.root) == 0,
        settings=settings(database=None, derandomize=True, max_examples=500),
    )
    assert emptied.edits[0].kind == "remove"
    assert len(emptied.edits) == 1
    assert find(strategy, lambda m: m.name == "bare").edits == ()
