"""Every valid invoice in the shared corpus reads into an ``Invoice`` without raising.

The corpus lives outside the repo (``../shared/corpus``) and is never copied in.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from parsers import Format, Severity, read

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
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
    invoice = result.invoice
    assert invoice is not None, result.findings
    assert invoice.number
    assert invoice.issue_date is not None
    assert invoice.currency
    assert invoice.totals.payable is not None
    intake_fatal = [
        f
        for f in result.findings
        if f.rule_id.startswith("JURYO-") and f.severity is Severity.FATAL
    ]
    assert intake_fatal == []
