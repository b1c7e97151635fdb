"""A small Schematron engine for the EN 16931 CII rules: patterns, ordered contexts, checks.

The CEN artefact is three Schematron patterns (model, code lists, syntax). Within a pattern a
node is judged only by the *first* rule whose context selects it (that is how the compiled XSLT
dispatches templates), so :class:`Engine` keeps, per pattern, the nodes already claimed. Each
check's test is either XPath 1.0 (lxml, compiled once) or, where the official test needs
XPath 2.0 decimals or quantifiers, a Python predicate from
:mod:`parsers.validation.en16931_cii_calc`.

Contexts are only evaluated when the element their last step names occurs in the document: most
CII-SR rules concern elements an EN 16931 invoice never carries, so this guard is most of the
speed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from parsers.findings import Finding, Severity

__all__ = ["CODES", "MODEL", "NS", "SYNTAX", "Check", "Context", "Engine", "Predicate"]

MODEL = "model"
CODES = "codes"
SYNTAX = "syntax"

NS: dict[str, str] = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
_PREFIX_OF = {uri: prefix for prefix, uri in NS.items()}

Predicate = Callable[[etree._Element], bool]


@dataclass(frozen=True, slots=True)
class Check:
    """One assertion: official id and flag, its test, business term and messages."""

    rule_id: str
    flag: str
    """``fatal`` or ``warning``, as the CEN CII artefact flags it."""
    test: str
    """XPath 1.0; empty when a Python predicate of the same id does the work."""
    business_term: str | None
    message_en: str
    message_ja: str


@dataclass(frozen=True, slots=True)
class Context:
    """One Schematron rule: the pattern it belongs to, its context and its checks."""

    pattern: str
    context: str
    checks: tuple[Check, ...]


def _string(value: Any) -> str:
    """XPath string value of an extension-function argument (first node of a node-set)."""
    if isinstance(value, list):
        if not value:
            return ""
        value = value[0]
    if isinstance(value, etree._Element):
        return "".join(value.itertext())
    return str(value)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _matches(_: Any, value: Any, pattern: Any) -> bool:
    """fn:matches for the XSD-style patterns the rules use (``\\d`` read as ASCII digits)."""
    source = _string(pattern)
    compiled = _PATTERNS.get(source)
    if compiled is None:
        compiled = _PATTERNS[source] = re.compile(source, re.ASCII)
    return compiled.search(_string(value)) is not None


_EXTENSIONS: dict[tuple[str | None, str], Callable[..., Any]] = {(None, "matches"): _matches}


def _xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression, namespaces=NS, extensions=_EXTENSIONS)


_PREDICATE = re.compile(r"\[[^\[\]]*\]")
_LAST_STEP = re.compile(r"([a-z]+):([A-Za-z0-9_]+)$")


def _guard(context: str) -> frozenset[str] | None:
    """Clark names of which one must occur for ``context`` to select anything, if known."""
    tags: set[str] = set()
    for branch in context.split(" | "):
        stripped = branch.strip()
        while (shorter := _PREDICATE.sub("", stripped)) != stripped:
            stripped = shorter
        match = _LAST_STEP.search(stripped)
        if match is None or match.group(1) not in NS:
            return None
        tags.add(f"{{{NS[match.group(1)]}}}{match.group(2)}")
    return frozenset(tags)


def location(node: etree._Element) -> str:
    """``/rsm:CrossIndustryInvoice/rsm:ExchangedDocument[1]/ram:ID[1]``-style path of a node."""
    steps: list[str] = []
    current: etree._Element | None = node
    while current is not None:
        qname = etree.QName(current)
        prefix = _PREFIX_OF.get(qname.namespace or "", "*")
        parent = current.getparent()
        if parent is None:
            steps.append(f"{prefix}:{qname.localname}")
        else:
            index = 1 + sum(
                1 for sibling in current.itersiblings(preceding=True) if sibling.tag == current.tag
            )
            steps.append(f"{prefix}:{qname.localname}[{index}]")
        current = parent
    return "/" + "/".join(reversed(steps))


@dataclass(slots=True)
class _CompiledCheck:
    check: Check
    severity: Severity


@dataclass(slots=True)
class _CompiledContext:
    pattern: str
    select: etree.XPath
    guard: frozenset[str] | None
    checks: tuple[_CompiledCheck, ...]
    """Every check of the context, in published order."""
    batch: etree.XPath | None
    """One XPath giving ``1``/``0`` per XPath-tested check, so a node costs one call."""
    batched: tuple[int, ...]
    """Positions in ``checks`` of the XPath-tested checks, in ``batch`` order."""
    predicates: tuple[tuple[int, Predicate], ...]


def _batch(checks: Sequence[_CompiledCheck]) -> etree.XPath | None:
    """``concat(number(boolean(t1)), ...)``: the outcome of every test in one evaluation."""
    parts = [f"number(boolean({compiled.check.test}))" for compiled in checks]
    if not parts:
        return None
    return _xpath(f"concat({', '.join(parts)}, '')")


def _compile_context(context: Context, predicates: Mapping[str, Predicate]) -> _CompiledContext:
    checks = tuple(
        _CompiledCheck(check, Severity.FATAL if check.flag == "fatal" else Severity.WARNING)
        for check in context.checks
    )
    batched = tuple(i for i, compiled in enumerate(checks) if compiled.check.test)
    return _CompiledContext(
        context.pattern,
        _xpath(context.context),
        _guard(context.context),
        checks,
        _batch([checks[i] for i in batched]),
        batched,
        tuple((i, predicates[c.check.rule_id]) for i, c in enumerate(checks) if not c.check.test),
    )


class Engine:
    """A compiled rule set: run it over a document tree for its findings."""

    def __init__(self, contexts: Sequence[Context], predicates: Mapping[str, Predicate]) -> None:
        self.contexts = tuple(contexts)
        self._compiled = [_compile_context(context, predicates) for context in self.contexts]

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every assertion, in published order."""
        return tuple(check for context in self.contexts for check in context.checks)

    def run(self, root: etree._Element) -> list[Finding]:
        """Findings for each check that fails on a node its context claims."""
        present = {element.tag for element in root.iter()}
        present.add(root.tag)
        claimed: dict[str, set[etree._Element]] = {}
        findings: list[Finding] = []
        for compiled in self._compiled:
            if compiled.guard is not None and compiled.guard.isdisjoint(present):
                continue
            seen = claimed.setdefault(compiled.pattern, set())
            selected = compiled.select(root)
            if not isinstance(selected, list):
                continue
            for node in selected:
                if not isinstance(node, etree._Element) or node in seen:
                    continue
                seen.add(node)
                findings.extend(_judge(compiled, node))
        return findings


def _failed(compiled: _CompiledContext, node: etree._Element) -> set[int]:
    """Positions of the checks of ``compiled`` that fail on ``node``."""
    failed: set[int] = set()
    if compiled.batch is not None:
        outcome = str(compiled.batch(node))
        if "0" in outcome:
            failed.update(
                position
                for position, passed in zip(compiled.batched, outcome, strict=True)
                if passed != "1"
            )
    failed.update(position for position, test in compiled.predicates if not test(node))
    return failed


def _judge(compiled_context: _CompiledContext, node: etree._Element) -> list[Finding]:
    positions = _failed(compiled_context, node)
    if not positions:
        return []
    failed = [compiled_context.checks[position] for position in sorted(positions)]
    where = location(node)
    return [
        Finding(
            rule_id=compiled.check.rule_id,
            severity=compiled.severity,
            message_en=compiled.check.message_en,
            message_ja=compiled.check.message_ja,
            location=where,
            business_term=compiled.check.business_term,
        )
        for compiled in failed
    ]
