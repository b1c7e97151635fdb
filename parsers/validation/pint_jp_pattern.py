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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from parsers.findings import Finding
from parsers.validation._rules import NS, Rule

__all__ = ["Pattern", "PatternSet", "Runs"]

_Test = Callable[[etree._Element], bool]


@dataclass(frozen=True, slots=True)
class _Group:
    context: etree.XPath
    checks: tuple[tuple[Rule, _Test], ...]


def _compile_test(test: str | _Test) -> _Test:
    if callable(test):
        return test
    xpath = etree.XPath(f"boolean({test})", namespaces=NS)

    def run(node: etree._Element) -> bool:
        return bool(xpath(node))

    return run


def _groups(rules: Sequence[Rule]) -> tuple[_Group, ...]:
    """Consecutive rules with one context become one group, compiled once."""
    groups: list[tuple[str, list[Rule]]] = []
    for rule in rules:
        if groups and groups[-1][0] == rule.context:
            groups[-1][1].append(rule)
        else:
            groups.append((rule.context, [rule]))
    return tuple(
        _Group(
            etree.XPath(context, namespaces=NS),
            tuple((rule, _compile_test(rule.test)) for rule in members),
        )
        for context, members in groups
    )


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

    def __init__(self, name: str, rules: Sequence[Rule]) -> None:
        self.name = name
        self.rules = tuple(rules)
        self._groups = _groups(self.rules)

    def run(self, root: etree._Element) -> list[Finding]:
        """Findings of every rule on the nodes its group is the first to select."""
        tree = root.getroottree()
        judged: set[etree._Element] = set()
        findings: list[Finding] = []
        for group in self._groups:
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
