"""A tiny Schematron-like engine: rules are data, contexts and tests precompiled XPath.

Peppol BIS and JP PINT publish their rules only as Schematron (XSLT 2.0). Rather than ship a
copy of those artefacts, juryo restates each rule as a row: a context XPath, a test (an XPath
1.0 boolean, or a Python predicate where XPath 1.0 lacks decimals, dates or check digits), the
official id and severity, and an English and a Japanese message. Everything is compiled at
import, so running a rule set costs tens of microseconds per rule.

Schematron semantics kept: a context node fails a rule when its test is false; one finding per
failing context node, located by its XPath.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lxml import etree

from parsers.findings import Finding, Severity

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "ar": "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2",
}

Predicate = Callable[[etree._Element], bool]

FATAL = Severity.FATAL
WARNING = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    """One assertion, as published: id, severity, context, test and messages."""

    rule_id: str
    severity: Severity
    context: str
    """XPath selecting the nodes the rule is asserted on, evaluated from the root element."""
    test: str | Predicate
    """XPath 1.0 expression (cast to boolean) or Python predicate; true means satisfied."""
    message_en: str
    message_ja: str
    business_term: str | None = None


@dataclass(slots=True)
class _Compiled:
    rule: Rule
    context: etree.XPath
    test: Callable[[etree._Element], bool]
    guard_tags: frozenset[str] | None
    """Clark names of which at least one must occur for the context to select anything."""
    guard_scheme: str | None
    """A ``schemeID`` value that must occur for the context to select anything."""
    finding: Finding = field(init=False)

    def __post_init__(self) -> None:
        self.finding = Finding(
            rule_id=self.rule.rule_id,
            severity=self.rule.severity,
            message_en=self.rule.message_en,
            message_ja=self.rule.message_ja,
            business_term=self.rule.business_term,
        )


def compile_test(test: str | Predicate) -> Predicate:
    """A rule's test as a predicate: XPath text is compiled once, a function is kept."""
    if callable(test):
        return test
    xpath = etree.XPath(f"boolean({test})", namespaces=NS)

    def run(node: etree._Element) -> bool:
        return bool(xpath(node))

    return run


_PREDICATE = re.compile(r"\[[^\[\]]*\]")
_STEP = re.compile(r"([A-Za-z]+):([A-Za-z0-9_]+)$")
_SCHEME = re.compile(r"@schemeID = '([^']+)'")


def _last_step(branch: str) -> str | None:
    """Clark name of a branch's last step (``None`` when it is a wildcard or unknown)."""
    stripped = branch.strip()
    while True:  # predicates may nest: strip innermost first
        shorter = _PREDICATE.sub("", stripped)
        if shorter == stripped:
            break
        stripped = shorter
    match = _STEP.search(stripped)
    if match is None or match.group(1) not in NS:
        return None
    return f"{{{NS[match.group(1)]}}}{match.group(2)}"


def _guards(context: str) -> tuple[frozenset[str] | None, str | None]:
    """Cheap preconditions derived from a context, so absent elements cost no XPath run."""
    branches = context.split(" | ")
    tags = [_last_step(branch) for branch in branches]
    guard_tags = None if any(t is None for t in tags) else frozenset(t for t in tags if t)
    schemes = {m.group(1) for b in branches for m in _SCHEME.finditer(b)}
    every_branch = all(_SCHEME.search(b) for b in branches)
    guard_scheme = schemes.pop() if every_branch and len(schemes) == 1 else None
    return guard_tags, guard_scheme


_SCHEME_VALUES = etree.XPath("//@schemeID")


class RuleSet:
    """A named, precompiled list of rules."""

    def __init__(self, name: str, rules: Sequence[Rule]) -> None:
        self.name = name
        self.rules = tuple(rules)
        self._compiled = [
            _Compiled(
                rule,
                etree.XPath(rule.context, namespaces=NS),
                compile_test(rule.test),
                *_guards(rule.context),
            )
            for rule in self.rules
        ]
        self.rule_ids: tuple[str, ...] = tuple(dict.fromkeys(r.rule_id for r in self.rules))

    def run(self, root: etree._Element) -> list[Finding]:
        """Findings for every context node whose test fails."""
        tree = root.getroottree()
        present = {element.tag for element in root.iter()}
        scheme_values = _SCHEME_VALUES(root)
        schemes = set(scheme_values) if isinstance(scheme_values, list) else set()
        findings: list[Finding] = []
        for compiled in self._compiled:
            if compiled.guard_tags is not None and compiled.guard_tags.isdisjoint(present):
                continue
            if compiled.guard_scheme is not None and compiled.guard_scheme not in schemes:
                continue
            nodes = compiled.context(root)
            if not isinstance(nodes, list):
                continue
            for node in nodes:
                if isinstance(node, etree._Element) and not compiled.test(node):
                    findings.append(_located(compiled.finding, tree.getpath(node)))
        return findings


def _located(template: Finding, location: str) -> Finding:
    return Finding(
        rule_id=template.rule_id,
        severity=template.severity,
        message_en=template.message_en,
        message_ja=template.message_ja,
        location=location,
        business_term=template.business_term,
    )


# -- helpers for Python predicates ---------------------------------------------------------


def text(node: etree._Element | None) -> str:
    """normalize-space() of a node."""
    if node is None:
        return ""
    return " ".join("".join(node.itertext()).split())


def first(node: etree._Element, path: str) -> etree._Element | None:
    """The first element at a prefixed path below ``node``."""
    found = node.find(path, NS)
    return found


def decimal(value: str | etree._Element | None) -> Decimal | None:
    """xs:decimal of a lexical value; ``None`` when absent or not a number."""
    if value is None:
        return None
    raw = value if isinstance(value, str) else text(value)
    if not raw or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern above excludes it
        return None


def in_list(values: Iterable[str]) -> Predicate:
    """Predicate: normalize-space() of the context node is one of ``values``."""
    allowed = frozenset(values)

    def check(node: etree._Element) -> bool:
        return text(node) in allowed

    return check


def attr_in_list(name: str, values: Iterable[str]) -> Predicate:
    """Predicate: attribute ``name`` of the context node is one of ``values``."""
    allowed = frozenset(values)

    def check(node: etree._Element) -> bool:
        return (node.get(name) or "") in allowed

    return check
