"""Schematron patterns for JP PINT: a node is judged only by the first rule that selects it.

PINT's shared rules (``ibr-*``) are published as one large Schematron pattern whose rule
contexts overlap: a price-level allowance (``cac:Price/cac:AllowanceCharge``) is not checked as a
document allowance, a line period is not checked as an invoice period, and an empty element
already judged by a date rule is not reported again as empty (``ibr-079``). Schematron gives each
node to the first rule whose context selects it; :class:`Pattern` keeps that, where the
rule-per-rule :class:`~parsers.validation._rules.RuleSet` would judge a node once per rule.

Rules of one Schematron ``<rule>`` share their context string, so consecutive rules with the
same context form one group.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from parsers.findings import Finding
from parsers.validation._rules import NS, Predicate, Rule, compile_test

__all__ = ["Guard", "Pattern", "PatternSet", "Runs"]


Guard = Callable[[frozenset[str]], bool]
"""Given the Clark names present in a document, may a context select anything?"""


@dataclass(frozen=True, slots=True)
class _Group:
    context: etree.XPath
    checks: tuple[tuple[Rule, Predicate], ...]
    guard: Guard | None
    schemes: frozenset[str] | None
    """``schemeID`` values of which one must occur for the context to select anything."""


_PREDICATE = re.compile(r"\[[^\[\]]*\]")
_STEP = re.compile(r"([A-Za-z]+):([A-Za-z0-9_]+)$")
_SCHEME = re.compile(r"@schemeID = '([^']+)'")


def _last_tag(branch: str) -> str | None:
    """Clark name of a union branch's last step; ``None`` for a wildcard."""
    stripped = branch.strip()
    while (shorter := _PREDICATE.sub("", stripped)) != stripped:
        stripped = shorter
    match = _STEP.search(stripped)
    if match is None or match.group(1) not in NS:
        return None
    return f"{{{NS[match.group(1)]}}}{match.group(2)}"


def _derived_guard(context: str) -> tuple[Guard | None, frozenset[str] | None]:
    """Cheap preconditions read off a context, so absent elements cost no XPath run."""
    branches = context.split(" | ")
    tags = [_last_tag(branch) for branch in branches]
    every_branch = all(_SCHEME.search(branch) for branch in branches)
    scheme = (
        frozenset(m.group(1) for branch in branches for m in _SCHEME.finditer(branch))
        if every_branch
        else None
    )
    if any(tag is None for tag in tags):
        return None, scheme
    needed = frozenset(tag for tag in tags if tag)

    def guard(present: frozenset[str]) -> bool:
        return not needed.isdisjoint(present)

    return guard, scheme


def _groups(rules: Sequence[Rule], guards: Mapping[str, Guard]) -> tuple[_Group, ...]:
    """Consecutive rules with one context become one group, compiled once."""
    groups: list[tuple[str, list[Rule]]] = []
    for rule in rules:
        if groups and groups[-1][0] == rule.context:
            groups[-1][1].append(rule)
        else:
            groups.append((rule.context, [rule]))
    compiled = []
    for context, members in groups:
        guard, scheme = _derived_guard(context)
        compiled.append(
            _Group(
                etree.XPath(context, namespaces=NS),
                tuple((rule, compile_test(rule.test)) for rule in members),
                guards.get(context, guard),
                scheme,
            )
        )
    return tuple(compiled)


_SCHEME_VALUES = etree.XPath("//@schemeID")


def _finding(rule: Rule, location: str) -> Finding:
    return Finding(
        rule_id=rule.rule_id,
        severity=rule.severity,
        message_en=rule.message_en,
        message_ja=rule.message_ja,
        location=location,
        business_term=rule.business_term,
    )


class Pattern:
    """One Schematron pattern: ordered rule groups with first-match semantics."""

    def __init__(
        self, name: str, rules: Sequence[Rule], guards: Mapping[str, Guard] | None = None
    ) -> None:
        """``guards`` gives wildcard contexts (``//*[...]``) a precondition of their own."""
        self.name = name
        self.rules = tuple(rules)
        self._groups = _groups(self.rules, guards or {})

    def run(self, root: etree._Element) -> list[Finding]:
        """Findings of every rule on the nodes its group is the first to select."""
        tree = root.getroottree()
        present = frozenset(str(e.tag) for e in root.iter() if isinstance(e.tag, str))
        scheme_values = _SCHEME_VALUES(root)
        schemes = {str(v) for v in scheme_values} if isinstance(scheme_values, list) else set()
        judged: set[etree._Element] = set()
        findings: list[Finding] = []
        for group in self._groups:
            if group.guard is not None and not group.guard(present):
                continue
            if group.schemes is not None and group.schemes.isdisjoint(schemes):
                continue
            selected = group.context(root)
            if not isinstance(selected, list):
                continue
            for node in selected:
                if not isinstance(node, etree._Element) or node in judged:
                    continue
                judged.add(node)
                findings.extend(
                    _finding(rule, tree.getpath(node))
                    for rule, test in group.checks
                    if not test(node)
                )
        return findings


class Runs(Protocol):
    """A pattern, or a rule-per-rule :class:`~parsers.validation._rules.RuleSet`."""

    @property
    def rules(self) -> tuple[Rule, ...]: ...

    def run(self, root: etree._Element) -> list[Finding]: ...


class PatternSet:
    """Several patterns run in turn, named as one rule set (``pint-jp``, ``pint-jp-sb``, ...)."""

    def __init__(self, name: str, patterns: Sequence[Runs]) -> None:
        self.name = name
        self.patterns = tuple(patterns)
        self.rules: tuple[Rule, ...] = tuple(r for p in self.patterns for r in p.rules)
        self.rule_ids: tuple[str, ...] = tuple(dict.fromkeys(r.rule_id for r in self.rules))

    def run(self, root: etree._Element) -> list[Finding]:
        """Findings of every pattern."""
        return [finding for pattern in self.patterns for finding in pattern.run(root)]
