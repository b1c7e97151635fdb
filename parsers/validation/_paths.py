"""Rule contexts matched on one walk of the document instead of by an XPath search each.

A Schematron context such as ``//cac:PartyTaxScheme/cbc:CompanyID`` or
``/ubl:Invoice/cac:AllowanceCharge[cbc:ChargeIndicator = 'false']`` is a chain of named steps.
Searching the tree for it costs a full descent per context and per document; instead one walk
records every element with its path of names from the root, and a chain is matched by
comparing names with the tail of that path. Only a step with a predicate then evaluates the
predicate (compiled once, as ``self::node()[…]``) on the ancestor it names. Contexts of any
other shape return ``None`` from :func:`branches` and stay with XPath.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

__all__ = ["Branch", "Placed", "Walk", "branches", "select", "walk"]

Path = tuple[str, ...]
Placed = tuple[etree._Element, Path, int]
"""An element, its path of Clark names from the root, and its position in document order."""


@dataclass(frozen=True, slots=True)
class Walk:
    """What one pass over a document tells: names present, root paths, elements by name."""

    names: set[str]
    """Clark names of the elements, and ``@name`` of the attributes, that occur."""
    paths: set[Path]
    by_tag: dict[str, list[Placed]]


def walk(root: etree._Element) -> Walk:
    """Every element (comments and processing instructions skipped) with its path."""
    names: set[str] = set()
    paths: set[Path] = set()
    by_tag: dict[str, list[Placed]] = {}
    open_paths: list[Path] = [()]
    position = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            open_paths.pop()
            continue
        tag = str(element.tag)
        path = (*open_paths[-1], tag)
        open_paths.append(path)
        paths.add(path)
        by_tag.setdefault(tag, []).append((element, path, position))
        position += 1
        if element.attrib:
            names.update(f"@{name}" for name in element.attrib)
    names.update(by_tag)
    return Walk(names, paths, by_tag)


@dataclass(frozen=True, slots=True)
class Branch:
    """A context branch of named steps, anchored at the root (``/a/b``) or not (``//b/c``)."""

    anchored: bool
    names: Path
    """Clark names, outermost first; ``*`` may only open an anchored branch."""
    tests: tuple[tuple[int, etree.XPath], ...]
    """(ancestors up from the element, predicate as ``self::node()[…]``) per predicated step."""

    def selects(self, element: etree._Element, path: Path) -> bool:
        count = len(self.names)
        if len(path) < count or (self.anchored and len(path) != count):
            return False
        if self.names[0] == "*":
            if path[len(path) - count + 1 :] != self.names[1:]:
                return False
        elif path[len(path) - count :] != self.names:
            return False
        if not self.tests:
            return True
        return all(test(_ancestor(element, up)) for up, test in self.tests)


def _ancestor(element: etree._Element, up: int) -> etree._Element:
    for _ in range(up):
        parent = element.getparent()
        assert parent is not None  # the element's path is at least this deep
        element = parent
    return element


_NAMED_STEP = re.compile(r"(\*|[A-Za-z0-9]+:[A-Za-z0-9_]+)((?:\[.*\])?)")


def _split_steps(path: str) -> list[str]:
    """``a[x/y]/b`` → ``['a[x/y]', 'b']``: split at slashes outside brackets and parentheses."""
    steps: list[str] = []
    depth, current = 0, ""
    for char in path:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "/" and depth == 0:
            steps.append(current)
            current = ""
        else:
            current += char
    return [*steps, current]


def _branch(text: str, namespaces: dict[str, str]) -> Branch | None:
    text = text.strip()
    if text.startswith("//"):
        anchored, path = False, text[2:]
    elif text.startswith("/"):
        anchored, path = True, text[1:]
    else:
        return None
    names: list[str] = []
    tests: list[tuple[int, etree.XPath]] = []
    steps = _split_steps(path)
    for position, step in enumerate(steps):
        match = _NAMED_STEP.fullmatch(step.strip())
        if match is None or (match.group(1) == "*" and (position or not anchored)):
            return None
        name = match.group(1)
        if name != "*":
            prefix, local = name.split(":")
            if prefix not in namespaces:
                return None
            name = f"{{{namespaces[prefix]}}}{local}"
        names.append(name)
        if match.group(2):
            predicate = etree.XPath(f"self::node(){match.group(2)}", namespaces=namespaces)
            tests.append((len(steps) - 1 - position, predicate))
    return Branch(anchored, tuple(names), tuple(tests))


def branches(context: str, namespaces: dict[str, str]) -> tuple[Branch, ...] | None:
    """A context's branches when every one is a chain of named steps, else ``None``."""
    found = [_branch(text, namespaces) for text in context.split(" | ")]
    if any(b is None or b.names[-1] == "*" for b in found):
        return None
    return tuple(b for b in found if b is not None)


def select(chains: Iterable[Branch], document: Walk) -> list[etree._Element]:
    """The elements the branches select, once each, in document order (as XPath gives them)."""
    chosen = {
        position: element
        for branch in chains
        for element, path, position in document.by_tag.get(branch.names[-1], ())
        if branch.selects(element, path)
    }
    return [chosen[position] for position in sorted(chosen)]
