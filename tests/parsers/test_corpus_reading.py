"""Every valid invoice in the shared corpus reads into an ``Invoice`` without raising.

Factur-X MINIMUM and BASIC WL, which hold no complete invoice, read into the guesses that
prefill their data entry instead. The corpus lives outside the repo (``../shared/corpus``, or
``JURYO_TEST_CORPUS``) and is never copied in.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from parsers import Format, Severity, read

CORPUS = Path(
    os.environ.get("JURYO_TEST_CORPUS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
)
READABLE = {"ubl-invoice", "ubl-creditnote", "cii", "facturx-pdf"}


def _valid_documents() -> list[tuple[str, str]]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [
            (row["path"], row["format"])
            for row in rows
            if row["format"] in READABLE and row["expected"] == "valid"
        ]


DOCUMENTS = _valid_documents()


@pytest.mark.corpus
@pytest.mark.skipif(not DOCUMENTS, reason="../shared/corpus is not present")
@pytest.mark.parametrize(("path", "fmt"), DOCUMENTS or [("absent", "absent")], ids=lambda v: v)
def test_reads_valid_corpus_document(path: str, fmt: str) -> None:
    result = read((CORPUS / path).read_bytes())
    assert result.format is Format(fmt)
    if result.profile.lacks_invoice_content:
        assert result.needs_data_entry
        guesses = result.guesses
        assert guesses is not None, result.findings
        header = (guesses.invoice_number, guesses.issue_date, guesses.currency, guesses.total)
    else:
        invoice = result.invoice
        assert invoice is not None, result.findings
        header = (invoice.number, invoice.issue_date, invoice.currency, invoice.totals.payable)
    assert all(value is not None and value != "" for value in header), header
    intake_fatal = [
        f
        for f in result.findings
        if f.rule_id.startswith("JURYO-") and f.severity is Severity.FATAL
    ]
    assert intake_fatal == []
