"""``read()`` never raises, whatever the bytes: random, or a real invoice with damage."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import Format, read
from tests.parsers.pdf_factory import make_pdf

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = [(FIXTURES / name).read_bytes() for name in ("jp_pint_invoice.xml", "cii_invoice.xml")]
FACTURX = make_pdf(["x"], attachments={"factur-x.xml": SAMPLES[1]})

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    result = read(data)
    assert isinstance(result.format, Format)


@FUZZ
@given(
    sample=st.sampled_from([*SAMPLES, FACTURX]),
    cut=st.integers(min_value=0, max_value=20_000),
    junk=st.binary(max_size=64),
)
def test_damaged_documents(sample: bytes, cut: int, junk: bytes) -> None:
    position = cut % (len(sample) + 1)
    result = read(sample[:position] + junk + sample[position + len(junk) :])
    assert isinstance(result.findings, tuple)
