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
from parsers.validation._rules import Predicate
from parsers.validation._xpath2 import number_compare, string_value

__all__ = [
    "CODES",
    "MODEL",
    "NS",
    "SYNTAX",
    "Check",
    "Context",
    "Engine",
    "Predicate",
]

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


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _matches(_: Any, value: Any, pattern: Any) -> bool:
    """fn:matches for the XSD-style patterns the rules use (``\\d`` read as ASCII digits)."""
    source = string_value(pattern)
    compiled = _PATTERNS.get(source)
    if compiled is None:
        compiled = _PATTERNS[source] = re.compile(source, re.ASCII)
    return compiled.search(string_value(value)) is not None


_NUMBER_TEST = re.compile(
    r"(?<![\w/:.@-])(?P<open>\()?(?P<path>(?:\.\./)*(?:\.|(?:ram|udt):\w+)(?:/(?:ram|udt):\w+)*)(?(open)\))"
    r"\s*(?P<op>!=|>=|<=|=|>|<)\s*(?P<number>-?\d+(?:\.\d+)?)(?![\w.])"
)


def _numeric_comparisons(test: str) -> str:
    """``ram:X = 0`` → ``number-compare(ram:X, '=', 0)``: XPath 1.0 would treat -0.0 as 0."""
    return _NUMBER_TEST.sub(
        lambda m: f"number-compare({m['path']}, '{m['op']}', '{m['number']}')", test
    )


_EXTENSIONS: dict[tuple[str | None, str], Callable[..., Any]] = {
    (None, "matches"): _matches,
    (None, "number-compare"): number_compare,
}


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


@dataclass(frozen=True, slots=True)
class _Branch:
    """A context branch made of named child steps only: matched by walking up from a node."""

    anywhere: bool
    """``//`` (at any depth) rather than ``/`` (from the root)."""
    steps: tuple[str, ...]
    """Clark names, outermost first."""

    def matches(self, element: etree._Element) -> bool:
        node: etree._Element | None = element
        for tag in reversed(self.steps[:-1]):
            node = node.getparent() if node is not None else None
            if node is None or node.tag != tag:
                return False
        return self.anywhere or (node is not None and node.getparent() is None)


_SIMPLE_BRANCH = re.compile(r"(//?)([a-z]+:[A-Za-z0-9_]+(?:/[a-z]+:[A-Za-z0-9_]+)*)")


def _branches(context: str) -> tuple[_Branch, ...] | None:
    """The branches of a context if all are plain paths (no predicate, no wildcard)."""
    branches: list[_Branch] = []
    for branch in context.split(" | "):
        match = _SIMPLE_BRANCH.fullmatch(branch.strip())
        if match is None:
            return None
        steps = []
        for step in match.group(2).split("/"):
            prefix, local = step.split(":")
            if prefix not in NS:
                return None
            steps.append(f"{{{NS[prefix]}}}{local}")
        branches.append(_Branch(match.group(1) == "//", tuple(steps)))
    return tuple(branches)


@dataclass(frozen=True, slots=True)
class _Suffix:
    """``//ram:*[ends-with(name(), 'Amount') and not(self::ram:TaxTotalAmount)]``-style contexts."""

    namespace: str | None
    suffix: str
    excluded: str | None

    def selects(self, tag: str) -> bool:
        namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        if self.namespace is not None and namespace != self.namespace:
            return False
        return local.endswith(self.suffix) and tag != self.excluded


_SUFFIX_CONTEXT = re.compile(
    r"//(?:([a-z]+):)?\*\[substring\(name\(\), string-length\(name\(\)\) - \d+\) = '(\w+)'"
    r"(?: and not \(self::([a-z]+):(\w+)\))?\]"
)


def _suffix(context: str) -> _Suffix | None:
    match = _SUFFIX_CONTEXT.fullmatch(context)
    if match is None:
        return None
    prefix, suffix, excluded_prefix, excluded = match.groups()
    return _Suffix(
        NS[prefix] if prefix else None,
        suffix,
        f"{{{NS[excluded_prefix]}}}{excluded}" if excluded_prefix else None,
    )


def _select(
    compiled: _CompiledContext, root: etree._Element, index: dict[str, list[etree._Element]]
) -> list[etree._Element]:
    """The nodes a context selects: from the tag index for plain paths, else by XPath."""
    if compiled.suffix is not None:
        wanted = compiled.suffix
        return [e for tag, elements in index.items() if wanted.selects(tag) for e in elements]
    if compiled.branches is not None:
        return [
            element
            for branch in compiled.branches
            for element in index.get(branch.steps[-1], ())
            if branch.matches(element)
        ]
    selected = compiled.select(root)
    if not isinstance(selected, list):
        return []
    return [node for node in selected if isinstance(node, etree._Element)]


@dataclass(slots=True)
class _CompiledContext:
    pattern: str
    select: etree.XPath
    branches: tuple[_Branch, ...] | None
    """Set when the context is plain paths, which the tag index answers without XPath."""
    suffix: _Suffix | None
    """Set for the element-name-suffix contexts, also answered from the tag index."""
    guard: frozenset[str] | None
    checks: tuple[_CompiledCheck, ...]
    """Every check of the context, in published order."""
    batch: etree.XPath | None
    """One XPath giving ``1``/``0`` per XPath-tested check, so a node costs one call."""
    variables: tuple[str, ...]
    """The document-level operands (``$d…``) ``batch`` reads."""
    batched: tuple[int, ...]
    """Positions in ``checks`` of the XPath-tested checks, in ``batch`` order."""
    absent_children: tuple[tuple[int, str], ...]
    """``not(ram:X)`` checks, by position and Clark name: a look at the children suffices."""
    absent_attributes: tuple[tuple[int, str], ...]
    """``not(@x)`` checks, by position and attribute name."""
    predicates: tuple[tuple[int, Predicate], ...]


_ABSENT_CHILD = re.compile(r"not ?\(\s*(ram|rsm|udt|qdt):([A-Za-z0-9_]+)\s*\)")
_ABSENT_ATTRIBUTE = re.compile(r"not ?\(\s*@([A-Za-z0-9_]+)\s*\)")

_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_TOKEN = re.compile(r"\.\.?|\w+::|@?\*|@?[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?|\d+(?:\.\d+)?")
_OPERATORS = frozenset({"and", "or", "div", "mod"})


def _without_predicates(expression: str) -> str:
    depth = 0
    kept: list[str] = []
    for character in expression:
        if character == "[":
            depth += 1
        elif character == "]":
            depth -= 1
        elif depth == 0:
            kept.append(character)
    return "".join(kept)


def _independent(expression: str) -> bool:
    """True when an expression never reads the context node: every path in it is absolute.

    Predicates are dropped first (they are relative to their own path), then every name,
    ``.``, ``..``, ``@…`` or axis that does not follow a ``/`` starts a relative path.
    """
    bare = _without_predicates(_STRING.sub("''", expression))
    for match in _TOKEN.finditer(bare):
        token = match.group()
        if token[0].isdigit() or token in _OPERATORS:
            continue
        rest = bare[match.end() :].lstrip()
        if rest.startswith("(") and not token.endswith("::"):
            continue  # a function call
        before = bare[: match.start()].rstrip()
        if not before.endswith("/"):
            return False
    return True


def _split(expression: str, operator: str) -> list[str]:
    """Operands of ``operator`` at the top level (outside brackets, parentheses, strings)."""
    parts: list[str] = []
    depth = 0
    start = 0
    quote = ""
    index = 0
    word = f" {operator} "
    while index < len(expression):
        character = expression[index]
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character in "([":
            depth += 1
        elif character in ")]":
            depth -= 1
        elif depth == 0 and expression.startswith(word, index):
            parts.append(expression[start:index])
            start = index + len(word)
            index = start
            continue
        index += 1
    parts.append(expression[start:])
    return [part.strip() for part in parts]


def _hoist(test: str, shared: dict[str, str]) -> str:
    """``test`` with its document-level operands replaced by variables named in ``shared``.

    A check on every invoice line that asks about the seller would otherwise walk the whole
    document once per line; hoisted, the operand is evaluated once per document.
    """

    def variable(operand: str) -> str:
        name = shared.setdefault(operand, f"d{len(shared)}")
        return f"${name}"

    if _independent(test):
        return variable(test)
    disjuncts = []
    for disjunct in _split(test, "or"):
        conjuncts = [
            variable(part) if _independent(part) and "/" in part else part
            for part in _split(disjunct, "and")
        ]
        disjuncts.append(" and ".join(conjuncts))
    return " or ".join(disjuncts)


_VARIABLE = re.compile(r"\$(d\d+)\b")


def _batch(
    checks: Sequence[_CompiledCheck], shared: dict[str, str]
) -> tuple[etree.XPath | None, tuple[str, ...]]:
    """``concat(number(boolean(t1)), ...)``: the outcome of every test in one evaluation.

    Also the names of the document-level variables the expression reads.
    """
    parts = [
        f"number(boolean({_hoist(_numeric_comparisons(compiled.check.test), shared)}))"
        for compiled in checks
    ]
    if not parts:
        return None, ()
    expression = f"concat({', '.join(parts)}, '')"
    return _xpath(expression), tuple(sorted(set(_VARIABLE.findall(expression))))


def _compile_context(
    context: Context, predicates: Mapping[str, Predicate], shared: dict[str, str]
) -> _CompiledContext:
    checks = tuple(
        _CompiledCheck(check, Severity.FATAL if check.flag == "fatal" else Severity.WARNING)
        for check in context.checks
    )
    children: list[tuple[int, str]] = []
    attributes: list[tuple[int, str]] = []
    for position, compiled in enumerate(checks):
        if match := _ABSENT_CHILD.fullmatch(compiled.check.test):
            children.append((position, f"{{{NS[match.group(1)]}}}{match.group(2)}"))
        elif match := _ABSENT_ATTRIBUTE.fullmatch(compiled.check.test):
            attributes.append((position, match.group(1)))
    simple = {position for position, _ in children} | {position for position, _ in attributes}
    batched = tuple(
        i for i, compiled in enumerate(checks) if compiled.check.test and i not in simple
    )
    batch, variables = _batch([checks[i] for i in batched], shared)
    return _CompiledContext(
        context.pattern,
        _xpath(context.context),
        _branches(context.context),
        _suffix(context.context),
        _guard(context.context),
        checks,
        batch,
        variables,
        batched,
        tuple(children),
        tuple(attributes),
        tuple((i, predicates[c.check.rule_id]) for i, c in enumerate(checks) if not c.check.test),
    )


class Engine:
    """A compiled rule set: run it over a document tree for its findings."""

    def __init__(self, contexts: Sequence[Context], predicates: Mapping[str, Predicate]) -> None:
        self.contexts = tuple(contexts)
        shared: dict[str, str] = {}
        self._compiled = [
            _compile_context(context, predicates, shared) for context in self.contexts
        ]
        self._operands = {name: _xpath(f"boolean({operand})") for operand, name in shared.items()}

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every assertion, in published order."""
        return tuple(check for context in self.contexts for check in context.checks)

    def run(self, root: etree._Element) -> list[Finding]:
        """Findings for each check that fails on a node its context claims."""
        index: dict[str, list[etree._Element]] = {}
        for element in root.iter():
            if isinstance(element.tag, str):
                index.setdefault(element.tag, []).append(element)
        claimed: dict[str, set[etree._Element]] = {}
        values: dict[str, bool] = {}
        findings: list[Finding] = []
        for compiled in self._compiled:
            if compiled.guard is not None and compiled.guard.isdisjoint(index):
                continue
            seen = claimed.setdefault(compiled.pattern, set())
            selected = dict.fromkeys(_select(compiled, root, index))
            nodes = [node for node in selected if node not in seen]
            if not nodes:
                continue
            seen.update(nodes)
            for name in compiled.variables:
                if name not in values:
                    values[name] = bool(self._operands[name](root))
            variables = {name: values[name] for name in compiled.variables}
            for node in nodes:
                findings.extend(_judge(compiled, node, variables))
        return findings


def _failed(
    compiled: _CompiledContext, node: etree._Element, variables: dict[str, bool]
) -> set[int]:
    """Positions of the checks of ``compiled`` that fail on ``node``."""
    failed: set[int] = set()
    if compiled.absent_children:
        tags = {child.tag for child in node}
        failed.update(position for position, tag in compiled.absent_children if tag in tags)
    if compiled.absent_attributes and node.attrib:
        failed.update(
            position for position, name in compiled.absent_attributes if name in node.attrib
        )
    if compiled.batch is not None:
        outcome = str(compiled.batch(node, **variables))
        if "0" in outcome:
            failed.update(
                position
                for position, passed in zip(compiled.batched, outcome, strict=True)
                if passed != "1"
            )
    failed.update(position for position, test in compiled.predicates if not test(node))
    return failed


def _judge(
    compiled_context: _CompiledContext, node: etree._Element, variables: dict[str, bool]
) -> list[Finding]:
    positions = _failed(compiled_context, node, variables)
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
