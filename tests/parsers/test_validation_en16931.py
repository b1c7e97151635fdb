"""The EN 16931 layer: natively, the same findings from many threads as from one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from parsers.findings import Finding
from parsers.profiles import Syntax
from parsers.validation.en16931 import validate_en16931
from tests.parsers.validation_samples import PEPPOL_ID, Line, parse, ubl_invoice


def _samples() -> list[bytes]:
    return [
        ubl_invoice(customization=PEPPOL_ID, currency="EUR"),
        ubl_invoice(customization=PEPPOL_ID, currency="EUR", lines=(Line("10", "Z", "0"),)),
        ubl_invoice(
            customization=PEPPOL_ID, currency="EUR", taxes={("S", "10"): "1"}, lines=(Line("50"),)
        ),
        ubl_invoice(),
    ]


def _run(data: bytes) -> list[Finding]:
    return validate_en16931(parse(data), Syntax.UBL)


def test_rules_fire_on_a_broken_invoice() -> None:
    broken = ubl_invoice(
        customization=PEPPOL_ID, currency="EUR", taxes={("S", "10"): "1"}, lines=(Line("50"),)
    )
    assert "BR-CO-17" in {f.rule_id for f in _run(broken)}


def test_concurrent_validation_equals_sequential() -> None:
    samples = _samples()
    sequential = [_run(data) for data in samples]
    jobs = samples * 12
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(_run, jobs))
    assert concurrent == sequential * 12
