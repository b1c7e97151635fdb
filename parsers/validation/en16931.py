"""Layer 2: the EN 16931 business rules, natively; the official compiled Schematron as oracle.

Both syntaxes are judged natively: UBL by :mod:`parsers.validation.en16931_ubl` and CII by
:mod:`parsers.validation.en16931_cii`, every assertion of the CEN 1.3.16 artefacts with its
official id and flag, each held to the official stylesheet by a differential test. No request
loads Saxon.

The official stylesheets stay runnable here (:func:`run_svrl`) for those tests and the
benchmark: they are XSLT 2.0, which lxml (XSLT 1.0) cannot run, so Saxon-HE (``saxonche``) runs
them, compiled once per process. SaxonC objects must not be used from two Python threads at
once, so every use of the shared processor and executables is serialised by one lock, and
Saxon's own error reports to file descriptor 2 are silenced while it runs.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from lxml import etree

from parsers.findings import Finding, Severity
from parsers.profiles import Syntax
from parsers.validation.en16931_cii import engine as cii_engine
from parsers.validation.en16931_cii import validate_en16931_cii
from parsers.validation.en16931_ubl import validate_en16931_ubl
from parsers.validation.quiet import quiet_stderr
from schemas import Artefact, artefact_path

__all__ = ["SVRL_NS", "parse_svrl", "validate_en16931", "warm_up"]

SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
_FAILED = f"{{{SVRL_NS}}}failed-assert"
_REPORT = f"{{{SVRL_NS}}}successful-report"
_TEXT = f"{{{SVRL_NS}}}text"
_RULE_PREFIX = re.compile(r"^\s*\[[A-Za-z0-9._-]+\]\s*-?\s*")
_BUSINESS_TERM = re.compile(r"\((B[TG]-\d+)\)")
_NS_STEP = re.compile(r"\*:([A-Za-z0-9_.-]+)\[namespace-uri\(\)='[^']*'\]")


def _readable(location: str | None) -> str | None:
    """``/*:Invoice[namespace-uri()='…'][1]/*:ID[…][1]`` → ``/Invoice[1]/ID[1]``."""
    return _NS_STEP.sub(r"\1", location) if location else location


_SEVERITY_BY_FLAG = {
    "fatal": Severity.FATAL,
    "error": Severity.FATAL,
    "warning": Severity.WARNING,
    "information": Severity.INFORMATION,
}

_JA_PREFIX = "EN 16931 ビジネスルール違反"


@dataclass(slots=True)
class _Engine:
    processor: Any
    executables: dict[Artefact, Any]


_engine: _Engine | None = None
_lock = threading.Lock()


def _executable(artefact: Artefact) -> tuple[Any, Any]:
    """The shared processor and the compiled stylesheet; call with ``_lock`` held."""
    global _engine
    if _engine is None:
        import saxonche  # deferred: starting the native image costs ~100 ms

        _engine = _Engine(saxonche.PySaxonProcessor(license=False), {})
    executable = _engine.executables.get(artefact)
    if executable is None:
        compiler = _engine.processor.new_xslt30_processor()
        executable = compiler.compile_stylesheet(stylesheet_file=str(artefact_path(artefact)))
        _engine.executables[artefact] = executable
    return _engine.processor, executable


def run_svrl(root: etree._Element, artefact: Artefact) -> bytes:
    """Run a compiled Schematron over ``root`` and return the SVRL report."""
    text = etree.tostring(root, encoding="unicode")
    with _lock, quiet_stderr():
        processor, executable = _executable(artefact)
        node = processor.parse_xml(xml_text=text)
        out: str = executable.transform_to_string(xdm_node=node)
    return out.encode("utf-8")


def parse_svrl(svrl: bytes) -> list[Finding]:
    """Turn the failed asserts and successful reports of an SVRL report into findings.

    Reports without a rule id (informational output of some artefacts) are skipped.
    """
    report = etree.fromstring(svrl, etree.XMLParser(no_network=True, resolve_entities=False))
    findings: list[Finding] = []
    for element in report.iter(_FAILED, _REPORT):
        rule_id = element.get("id")
        if not rule_id:
            continue
        flag = (element.get("flag") or "fatal").lower()
        severity = _SEVERITY_BY_FLAG.get(flag, Severity.FATAL)
        text_el = element.find(_TEXT)
        raw = " ".join((text_el.text or "").split()) if text_el is not None else ""
        message = _RULE_PREFIX.sub("", raw) or rule_id
        term = _BUSINESS_TERM.search(message)
        findings.append(
            Finding(
                rule_id=rule_id,
                severity=severity,
                message_en=message,
                message_ja=f"{_JA_PREFIX}（{rule_id}）: {message}",
                location=_readable(element.get("location")),
                business_term=term.group(1) if term else None,
            )
        )
    return findings


def validate_en16931(root: etree._Element, syntax: Syntax) -> list[Finding]:
    """The EN 16931 core rules for a UBL or CII document, natively."""
    if syntax is Syntax.UBL:
        return validate_en16931_ubl(root)
    return validate_en16931_cii(root)


def warm_up() -> None:
    """Compile the native CII rules now rather than on the first invoice."""
    cii_engine()
