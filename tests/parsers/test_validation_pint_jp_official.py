"""JP PINT native rules against the official 1.1.3 Schematron (XSLT on Saxon) as an oracle.

Runs only where both the shared corpus and the official release are on the machine: the
release zips are read at run time from ``JURYO_PINT_JP_RELEASES`` (a folder holding
``pint-jp{,-sb,-ntr}-resources-dev-1.1.3.zip``) or from a local git snapshot of
phax/phive-rules (``JURYO_PHIVE_RULES_GIT``, default ``/work/.mirror/phax+phive-rules/repo``).
Nothing upstream is committed. Every official example, and seeded mutations of them (removed,
repeated and altered elements and attributes), must get exactly the official fatal rule ids.
"""

from __future__ import annotations

import copy
import io
import os
import random
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree

from parsers.profiles import Profile, detect_profile
from parsers.validation.pint_jp import validate_pint_jp
from tests.parsers import oracle
from tests.parsers import validation_corpus as corpus

CORPUS = Path(os.environ.get("JURYO_CORPUS", str(corpus.CORPUS)))
GIT = Path(os.environ.get("JURYO_PHIVE_RULES_GIT", "/work/.mirror/phax+phive-rules/repo"))
RELEASES = os.environ.get("JURYO_PINT_JP_RELEASES")
_IN_GIT = "phive-rules-peppol-pint/docs/PINT JP/{name}"
_VARIANTS = {
    Profile.JP_PINT: "pint-jp-resources-dev-1.1.3.zip",
    Profile.JP_PINT_SELF_BILLING: "pint-jp-sb-resources-dev-1.1.3.zip",
    Profile.JP_PINT_NON_TAX_REGISTERED: "pint-jp-ntr-resources-dev-1.1.3.zip",
}
_STYLESHEETS = ("PINT-UBL-validation-preprocessed.xslt", "PINT-jurisdiction-aligned-rules.xslt")
MUTATIONS = int(os.environ.get("JURYO_PINT_JP_MUTATIONS", "300"))


def _release(name: str) -> bytes | None:
    if RELEASES:
        path = Path(RELEASES) / name
        return path.read_bytes() if path.is_file() else None
    if not GIT.is_dir():
        return None
    shown = subprocess.run(
        ["git", "--git-dir", str(GIT), "show", f"HEAD:{_IN_GIT.format(name=name)}"],
        capture_output=True,
        check=False,
    )
    return shown.stdout if shown.returncode == 0 else None


def _examples() -> list[Path]:
    return sorted((CORPUS / "pint-jp").rglob("*.xml"))


Oracle = Callable[[Profile, bytes], frozenset[str]]


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    """Fatal rule ids the official stylesheets report, per variant."""
    if not _examples():
        pytest.skip("shared corpus not present")
    compiled: dict[Profile, list[oracle.Stylesheet]] = {}
    for profile, name in _VARIANTS.items():
        data = _release(name)
        if data is None:
            pytest.skip("official JP PINT 1.1.3 release not on this machine")
        folder = tmp_path_factory.mktemp(profile.value)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                if member.endswith(_STYLESHEETS):
                    (folder / Path(member).name).write_bytes(archive.read(member))
        compiled[profile] = [oracle.Stylesheet(folder / s) for s in _STYLESHEETS]

    def run(profile: Profile, data: bytes) -> frozenset[str]:
        fired: set[str] = set()
        for stylesheet in compiled[profile]:
            report = stylesheet.svrl(data)
            fired.update(
                e.get("id", "") for e in oracle.failed_asserts(report) if e.get("flag") == "fatal"
            )
        return frozenset(fired)

    return run


def _profile(root: etree._Element) -> Profile:
    profile = detect_profile(root.findtext(f"{{{corpus._NS['cbc']}}}CustomizationID"))
    return profile if profile.is_jp_pint else Profile.JP_PINT


def _native(root: etree._Element, profile: Profile) -> frozenset[str]:
    return frozenset(f.rule_id for f in validate_pint_jp(root, profile) if f.severity == "fatal")


def test_every_official_example_gets_the_official_verdict(official: Oracle) -> None:
    examples = _examples()
    assert len(examples) == 17
    for path in examples:
        data = path.read_bytes()
        root = corpus.parse(data)
        profile = _profile(root)
        assert _native(root, profile) == official(profile, data) == frozenset(), path.name


_VALUES = (
    *(
        "0 -1 1.005 12.5 100 ZZ XXX 2023-13-01 2023-09-30 2024-01-01 380 389 480 381 S AA E O G"
        " Z T1234567890123 12345 true false 0088 9999 JPY EUR VAT GST 30 58 49 1 EA XYZ"
        " application/pdf text/plain 12:00:00 25:00"
    ).split(),
    "",
    "  ",
)
_ATTRIBUTES = ("currencyID", "schemeID", "unitCode", "listID", "mimeCode", "filename")


def _mutate(root: etree._Element, rng: random.Random) -> None:
    """Remove, repeat or alter one element or attribute (sometimes two)."""
    element = rng.choice([e for e in root.iter() if isinstance(e.tag, str) and e is not root])
    parent = element.getparent()
    assert parent is not None
    kind = rng.random()
    if kind < 0.25:
        parent.remove(element)
    elif kind < 0.4:
        element.addnext(copy.deepcopy(element))
    elif kind < 0.8 and len(element) == 0:
        raw = (element.text or "").strip()
        try:
            value = float(raw)
            element.text = rng.choice(
                [
                    str(value + 1),
                    str(-value),
                    raw + "1",
                    "0",
                    str(round(value * 1.1, 2)),
                    raw + ".5",
                ]
            )
        except ValueError:
            element.text = rng.choice(_VALUES)
    else:
        element.set(rng.choice(_ATTRIBUTES), rng.choice(_VALUES))
    if rng.random() < 0.3:
        _mutate(root, rng)


def _mutants(count: int) -> Iterator[bytes]:
    rng = random.Random(13)
    sources = [path.read_bytes() for path in _examples()]
    for _ in range(count):
        root = corpus.parse(rng.choice(sources))
        _mutate(root, rng)
        yield etree.tostring(root, encoding="utf-8", xml_declaration=True)


def test_mutated_examples_get_the_official_fatal_rule_ids(official: Oracle) -> None:
    judged, differences = 0, []
    for data in _mutants(MUTATIONS):
        root = corpus.parse(data)
        profile = _profile(root)
        try:
            expected = official(profile, data)
        except Exception:  # the official stylesheet stops on some inputs (a cast error)
            continue
        judged += 1
        got = _native(root, profile)
        if got != expected:
            differences.append((sorted(expected - got), sorted(got - expected)))
    assert judged > MUTATIONS // 2
    assert differences == []
