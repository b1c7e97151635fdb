"""The CEN EN 16931 1.3.16 rules for UBL, run natively (lxml XPath 1.0 and Python).

The official artefact is an XSLT 2.0 Schematron in three patterns: the business rules (``BR-*``
and the VAT families), the UBL syntax rules (``UBL-SR-*``, ``UBL-DT-*``, ``UBL-CR-*``) and the
code lists (``BR-CL-*``). juryo restates each assertion as a row of
:mod:`parsers.validation.en16931_ubl_rules` and keeps the Schematron semantics that decide which
rule sees which node: within one pattern a node is judged only by the highest-priority rule whose
context matches it; a finding is reported once per failing (node, assertion).

XPath 2.0 has no place in lxml, so the tests are XPath 1.0 with one extension function
(``x2:date``, registered here) for what 1.0 lacks; ``upper-case`` becomes
``translate`` and the xs:boolean reading of ``ChargeIndicator`` a string test. Arithmetic runs
in exact decimals (:mod:`parsers.validation.en16931_ubl_calculation`). The tests that quantify
over a sequence (``every $x in … satisfies``) run in Python with an XPath variable. The
official XSLT stays in the suite as the oracle (``test_validation_en16931_native_diff.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from parsers.findings import Finding, Severity
from parsers.validation import _paths
from parsers.validation import en16931_ubl_messages as messages
from parsers.validation._xpath2 import date_days, decimal_value, number_compare
from parsers.validation.en16931_ubl_calculation import PREDICATES
from parsers.validation.en16931_ubl_rules import QUANTIFIED, ROWS

__all__ = ["RULE_IDS", "VERSION", "validate_en16931_ubl"]

VERSION = "1.3.16"
X2_NS = "urn:juryo:xpath2"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "x2": X2_NS,
}


def _string(value: Any) -> str:
    """XPath 1.0 ``string()`` of an extension-function argument."""
    if isinstance(value, list):
        if not value:
            return ""
        first = value[0]
        return "".join(first.itertext()) if isinstance(first, etree._Element) else str(first)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_DATE = re.compile(r"(-?\d{4,}-\d\d-\d\d)(Z|[+-]\d\d:\d\d)?")


def _date(_context: Any, value: Any) -> float:
    """xs:date as minutes on one timeline (timezone applied, UTC when none), NaN if not a date.

    XPath compares dates with timezones by the instant each day starts, so ``2016-01-01+01:00``
    is one hour before ``2016-01-01``.
    """
    match = _DATE.fullmatch(_string(value).strip())
    if match is None:
        return math.nan
    year, month, day = match.group(1).rsplit("-", 2)
    days = date_days(int(year), int(month), int(day))
    if days is None:
        return math.nan
    zone = match.group(2) or "Z"
    offset = 0 if zone == "Z" else int(zone[0] + "1") * (int(zone[1:3]) * 60 + int(zone[4:6]))
    return float(days * 1440 - offset)


_FUNCTIONS = etree.FunctionNamespace(X2_NS)
_FUNCTIONS["date"] = _date
_FUNCTIONS["decimal"] = decimal_value
_FUNCTIONS["compare"] = number_compare

_DECIMAL_CAST = re.compile(r"(?<![\w:-])number\(")
_UNTYPED_COMPARISON = re.compile(
    r"(?<![\w/:.@-])(?P<open>\()?(?P<path>(?:\.\./)*(?:\.|(?:cac|cbc):\w+)(?:/(?:cac|cbc):\w+)*)"
    r"(?(open)\))\s*(?P<op>!=|>=|<=|=|>|<)\s*(?P<number>-?\d+(?:\.\d+)?)(?![\w.])"
)


def _xpath2_numbers(expression: str) -> str:
    """A row's test with the official XPath 2.0 number readings (:mod:`._xpath2`).

    ``number(x)`` in the rows stands for the official ``xs:decimal(x)``, which accepts a leading
    ``+``; ``path op 0`` compares untyped values as SaxonC does, ``-0`` below zero included.
    """
    decimals = _DECIMAL_CAST.sub("x2:decimal(", expression)
    return _UNTYPED_COMPARISON.sub(
        lambda m: f"x2:compare({m['path']}, '{m['op']}', '{m['number']}')", decimals
    )


Test = Callable[[etree._Element], bool]


@dataclass(frozen=True, slots=True)
class _Assertion:
    rule_id: str
    severity: Severity
    test: Test
    message_en: str
    message_ja: str
    business_term: str | None
    absent: str | None
    """For a ``not(path)`` test: the path's last step; when no such node exists, it holds."""
    chains: tuple[tuple[str, ...], ...] | None
    """For ``not(a/b)`` with plain steps: the step chains, looked up in the document's paths
    when the context node is the root, else found by ElementPath."""
    category: str | None
    """For a VAT category family's document-level rule: the code without which it holds (each
    such rule is "uses the category and …, or does not use it")."""


@dataclass(frozen=True, slots=True)
class _Group:
    """One Schematron ``<rule>``: a context and the assertions made on it."""

    context: etree.XPath
    assertions: tuple[_Assertion, ...]
    needs: frozenset[str] | None
    """Names of which one must occur in the document for the context to select anything."""
    matches: tuple[_paths.Branch, ...] | None
    """When every branch is a chain of named steps: matched on the document walk instead of
    searching the tree."""


@dataclass(frozen=True, slots=True)
class _Document:
    """The document walk, and the VAT category codes it uses."""

    walk: _paths.Walk
    categories: frozenset[str]
    """normalize-space() of every VAT category code (TaxCategory or ClassifiedTaxCategory ID)."""


_PREDICATE = re.compile(r"\[[^\[\]]*\]")
_NEGATED_PATH = re.compile(r"not\(([^()]*|\([^()]*\)[^()]*)\)")
_NAME = re.compile(r"(@?)(?:([A-Za-z0-9]+):)?([A-Za-z0-9_]+)")


def _last_name(path: str) -> str | None:
    """Clark name (``@name`` for an attribute) of a location path's last step, if it has one."""
    stripped = path
    while (shorter := _PREDICATE.sub("", stripped)) != stripped:
        stripped = shorter
    match = _NAME.fullmatch(stripped.rsplit("/", 1)[-1].strip())
    if match is None or "(" in stripped.rsplit("/", 1)[-1]:
        return None
    attribute, prefix, local = match.groups()
    if attribute:
        return f"@{local}" if prefix is None else None
    return f"{{{NS[prefix]}}}{local}" if prefix in NS else None


def _absent(expression: str | None) -> str | None:
    match = _NEGATED_PATH.fullmatch(expression.strip()) if expression else None
    return _last_name(match.group(1)) if match else None


_STEP = re.compile(r"([a-z]+):([A-Za-z0-9_]+)")


def _chain(path: str) -> tuple[bool | None, tuple[str, ...]] | None:
    """A plain location path as (anchored, Clark names); ``None`` if it has more than names.

    ``anchored`` is True for ``/a/b``, False for ``//a/b`` and None for a relative ``a/b``.
    """
    path = path.strip()
    anchored: bool | None = None
    if path.startswith("//"):
        anchored, path = False, path[2:]
    elif path.startswith("/"):
        anchored, path = True, path[1:]
    names: list[str] = []
    for position, step in enumerate(path.split("/")):
        match = _STEP.fullmatch(step)
        if match is not None and match.group(1) in NS:
            names.append(f"{{{NS[match.group(1)]}}}{match.group(2)}")
        elif step == "*" and position == 0 and anchored:
            names.append("*")
        else:
            return None
    return anchored, tuple(names)


_UNION_HEAD = re.compile(r"\(([^()]*)\)/(.*)")


def _chains(expression: str | None) -> tuple[tuple[str, ...], ...] | None:
    """``not(a/b)`` or ``not((a|b)/c)`` with plain names: the relative chains it denies."""
    match = _NEGATED_PATH.fullmatch(expression.strip()) if expression else None
    if match is None:
        return None
    path = match.group(1).strip()
    union = _UNION_HEAD.fullmatch(path)
    alternatives = (
        [f"{head.strip()}/{union.group(2)}" for head in union.group(1).split("|")]
        if union
        else [path]
    )
    chains = [_chain(a) for a in alternatives]
    if any(c is None or c[0] is not None for c in chains):
        return None
    return tuple(c[1] for c in chains if c is not None)


_ROOT_CONTEXT = "/ubl:Invoice | /cn:CreditNote"
_FAMILY_CODE = re.compile(r"BR-(S|Z|E|AE|IC|G|O|AF|AG|B)-\d+")
_CODE_OF_FAMILY = {"IC": "K", "AF": "L", "AG": "M"}


def _category(pattern: int, context: str, rule_id: str) -> str | None:
    family = _FAMILY_CODE.fullmatch(rule_id)
    if pattern != 0 or context != _ROOT_CONTEXT or family is None:
        return None
    return _CODE_OF_FAMILY.get(family.group(1), family.group(1))


def _needs(context: str) -> frozenset[str] | None:
    names = [_last_name(branch) for branch in context.split(" | ")]
    return None if any(n is None for n in names) else frozenset(n for n in names if n)


def _xpath_test(expression: str) -> Test:
    compiled = etree.XPath(f"boolean({_xpath2_numbers(expression)})", namespaces=NS)

    def run(node: etree._Element) -> bool:
        return bool(compiled(node))

    return run


def _quantified(over: str, variable: str, body: str) -> Test:
    """``every $variable in over satisfies body``, ``$variable`` bound to each item's string."""
    items = etree.XPath(over, namespaces=NS)
    compiled = etree.XPath(f"boolean({body})", namespaces=NS)

    def run(node: etree._Element) -> bool:
        found = items(node)
        values = found if isinstance(found, list) else [found]
        return all(bool(compiled(node, **{variable: _string([v])})) for v in values)

    return run


_CODE_LIST = re.compile(
    r"\(\s*\(\s*not\(contains\(normalize-space\((\.|@[A-Za-z]+)\),\s*' '\)\) and "
    r"contains\(\s*'([^']*)',\s*concat\(' ',\s*normalize-space\((\.|@[A-Za-z]+)\),\s*' '\)\s*\)"
    r"\s*\)\s*\)"
)
_AT_MOST_ONE = re.compile(r"\(?count\(([A-Za-z:/]+)\)\s*<=\s*1\)?")


def _code_list(expression: str) -> Test | None:
    """``contains(' A B ', concat(' ', normalize-space(x), ' '))`` as a string search."""
    match = _CODE_LIST.fullmatch(expression.strip())
    if match is None or match.group(1) != match.group(3):
        return None
    source, codes = match.group(1), match.group(2)
    attribute = source[1:] if source.startswith("@") else None

    def check(node: etree._Element) -> bool:
        raw = node.get(attribute) or "" if attribute else "".join(node.itertext())
        value = " ".join(raw.split())
        return " " not in value and f" {value} " in codes

    return check


def _at_most_one(expression: str) -> Test | None:
    """``count(a/b) <= 1`` over plain child steps, counted by ElementPath."""
    match = _AT_MOST_ONE.fullmatch(expression.strip())
    chain = _chain(match.group(1)) if match else None
    if chain is None or chain[0] is not None:
        return None
    path = "/".join(chain[1])

    def check(node: etree._Element) -> bool:
        return len(node.findall(path)) <= 1

    return check


def _test(rule_id: str, expression: str | None) -> Test:
    exact = PREDICATES.get(rule_id)
    if exact is not None:
        return exact
    if expression is not None:
        return _code_list(expression) or _at_most_one(expression) or _xpath_test(expression)
    over, variable, body = QUANTIFIED[rule_id]
    return _quantified(over, variable, body)


def _compile() -> tuple[tuple[_Group, ...], ...]:
    """The three patterns, each a tuple of groups in descending priority."""
    patterns: dict[int, dict[int, tuple[str, list[_Assertion]]]] = {}
    for pattern, priority, context, rule_id, flag, expression, term in ROWS:
        groups = patterns.setdefault(pattern, {})
        _, assertions = groups.setdefault(priority, (context, []))
        en, ja = messages.for_rule(rule_id, term)
        severity = Severity.WARNING if flag == "warning" else Severity.FATAL
        test = _test(rule_id, expression)
        plain = rule_id not in PREDICATES
        absent = _absent(expression) if plain else None
        chains = _chains(expression) if plain else None
        category = _category(pattern, context, rule_id)
        assertions.append(
            _Assertion(rule_id, severity, test, en, ja, term, absent, chains, category)
        )
    return tuple(
        tuple(
            _Group(
                etree.XPath(context, namespaces=NS),
                tuple(assertions),
                _needs(context),
                _paths.branches(context, NS),
            )
            for _, (context, assertions) in sorted(groups.items(), reverse=True)
        )
        for _, groups in sorted(patterns.items())
    )


_PATTERNS = _compile()
RULE_IDS: tuple[str, ...] = tuple(row[3] for row in ROWS)


def _location(node: etree._Element) -> str:
    """``/Invoice[1]/cac:…`` in the official report's shape: local names and positions."""
    steps: list[str] = []
    current: etree._Element | None = node
    while current is not None:
        parent = current.getparent()
        name = etree.QName(current).localname
        if parent is None:
            steps.append(f"/{name}[1]")
        else:
            same = [sibling for sibling in parent if sibling.tag == current.tag]
            steps.append(f"/{name}[{same.index(current) + 1}]")
        current = parent
    return "".join(reversed(steps))


def _nodes(group: _Group, root: etree._Element, document: _Document) -> list[etree._Element]:
    if group.matches is not None:
        return _paths.select(group.matches, document.walk)
    found = group.context(root)
    return [n for n in found if isinstance(n, etree._Element)] if isinstance(found, list) else []


def _scan(root: etree._Element) -> _Document:
    document = _paths.walk(root)
    codes = {
        " ".join("".join(code.itertext()).split())
        for name in ("TaxCategory", "ClassifiedTaxCategory")
        for category, _, _ in document.by_tag.get(f"{{{NS['cac']}}}{name}", ())
        for code in category.findall("cbc:ID", NS)
    }
    return _Document(document, frozenset(codes))


def _holds(assertion: _Assertion, node: etree._Element, document: _Document) -> bool:
    if assertion.absent is not None and assertion.absent not in document.walk.names:
        return True
    if assertion.category is not None and assertion.category not in document.categories:
        return True
    if assertion.chains is not None:
        if node.getparent() is None:  # paths are per name sequence: exact from the root only
            return not any((str(node.tag), *c) in document.walk.paths for c in assertion.chains)
        return all(node.find("/".join(chain)) is None for chain in assertion.chains)
    return assertion.test(node)


def _run_pattern(
    groups: tuple[_Group, ...], root: etree._Element, document: _Document
) -> list[Finding]:
    """A node is judged by the first (highest-priority) group that selects it, as in XSLT."""
    claimed: set[etree._Element] = set()
    failures: list[tuple[etree._Element, _Assertion]] = []
    for group in groups:
        if group.needs is not None and group.needs.isdisjoint(document.walk.names):
            continue
        for node in _nodes(group, root, document):
            if node in claimed:
                continue
            claimed.add(node)
            failures.extend((node, a) for a in group.assertions if not _holds(a, node, document))
    return [_finding(node, assertion) for node, assertion in failures]


def _finding(node: etree._Element, assertion: _Assertion) -> Finding:
    return Finding(
        rule_id=assertion.rule_id,
        severity=assertion.severity,
        message_en=assertion.message_en,
        message_ja=assertion.message_ja,
        location=_location(node),
        business_term=assertion.business_term,
    )


def validate_en16931_ubl(root: etree._Element) -> list[Finding]:
    """Every EN 16931 finding for a UBL invoice or credit note, without Saxon."""
    document = _scan(root)
    findings: list[Finding] = []
    for groups in _PATTERNS:
        findings.extend(_run_pattern(groups, root, document))
    return findings
