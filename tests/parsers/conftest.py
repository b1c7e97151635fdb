"""Fixtures for the parsers tests: the hand-written sample documents."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def jp_pint_xml() -> bytes:
    """A minimal JP PINT invoice with 10 % and 8 % lines."""
    return (FIXTURES / "jp_pint_invoice.xml").read_bytes()


@pytest.fixture
def credit_note_xml() -> bytes:
    """A Peppol BIS 3 credit note in EUR with a JPY tax currency."""
    return (FIXTURES / "ubl_credit_note.xml").read_bytes()


@pytest.fixture
def cii_xml() -> bytes:
    """A CII D16B invoice (EN 16931 guideline)."""
    return (FIXTURES / "cii_invoice.xml").read_bytes()
