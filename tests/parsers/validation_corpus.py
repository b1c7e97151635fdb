"""Locating and reading the shared external corpus (``<repo>/../shared/corpus``), never copied."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from parsers.profiles import Profile, Syntax, detect_profile

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("JURYO_TEST_CORPUS") or REPO.parent / "shared" / "corpus")
"""``JURYO_TEST_CORPUS`` points elsewhere, e.g. from a git worktree that is not beside it."""
VEFA_NS = "http://difi.no/xsd/vefa/validator/1.0"

_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
_PARSER = etree.XMLParser(
    no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False, remove_pis=True
)


def available() -> bool:
    """The corpus is present (it is not shipped with the repository)."""
    return (CORPUS / "MANIFEST.tsv").is_file()


def rows(name: str) -> list[dict[str, str]]:
    """The rows of an index file (``MANIFEST.tsv`` or ``UNIT_TESTS.tsv``)."""
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def parse(source: Path | bytes) -> etree._Element:
    """A hardened parse of a corpus file or of bytes."""
    if isinstance(source, bytes):
        return etree.fromstring(source, _PARSER)
    return etree.parse(str(source), _PARSER).getroot()


def syntax_of(root: etree._Element) -> Syntax:
    """UBL or CII, from the root element."""
    return Syntax.CII if etree.QName(root).localname == "CrossIndustryInvoice" else Syntax.UBL


def profile_of(root: etree._Element) -> Profile:
    """The claimed profile (BT-24)."""
    found = root.xpath(
        "string(cbc:CustomizationID | //ram:GuidelineSpecifiedDocumentContextParameter/ram:ID)",
        namespaces=_NS,
    )
    return detect_profile(str(found))


@dataclass(frozen=True, slots=True)
class UnitTest:
    """One ``<test>`` of a vefa testSet: the inner document and its assertions."""

    path: str
    index: int
    root: etree._Element
    asserts: tuple[tuple[str, str], ...]
    """(``success`` | ``error`` | ``warning``, rule id) pairs, from UNIT_TESTS.tsv."""


def unit_tests(prefixes: tuple[str, ...]) -> Iterator[UnitTest]:
    """The vefa unit tests under ``prefixes``, each inner document as its own tree."""
    grouped: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for row in rows("UNIT_TESTS.tsv"):
        if row["path"].startswith(prefixes) and row["assert"] in ("success", "error", "warning"):
            key = (row["path"], int(row["test_index"]))
            grouped.setdefault(key, []).append((row["assert"], row["rule"]))
    files: dict[str, list[etree._Element]] = {}
    for (path, index), asserts in sorted(grouped.items()):
        if path not in files:
            files[path] = parse(CORPUS / path).findall(f"{{{VEFA_NS}}}test")
        test = files[path][index - 1]
        inner = next(
            child
            for child in test
            if isinstance(child.tag, str) and etree.QName(child).namespace != VEFA_NS
        )
        yield UnitTest(path, index, parse(etree.tostring(inner)), tuple(asserts))
