"""Hypothesis strategies for mutated copies of real invoices, for the differential tests.

A mutation is a corpus document, a location and a kind: an amount changed (rounding edges,
negatives, malformed numbers), a VAT rate, a code (from the official code lists and off them),
a date (shifted, in other formats, impossible), an element removed or repeated. A mutant carries
one to three of them. Hypothesis draws the mutants, so a difference shrinks to a minimal edit
and is printed as the document's name and the edits' paths and values; ``differential`` runs
derandomized with no example database, so CI draws the same mutants on every run.

The code lists are read from the official stylesheet itself (every ``BR-CL-*`` assertion and the
element or attribute its context names), so the draws follow the artefact under test, not
juryo's copy of the lists.
"""

from __future__ import annotations

import collections
import copy
import datetime as dt
import random
import re
import string
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from lxml import etree

CodeKey = tuple[str, str | None]
"""(local name of the element, attribute holding the code or ``None`` for its text)."""
Target = tuple[etree._Element, str | None]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What one syntax calls its amounts, rates, dates and codes, and its official code lists."""

    amount: Callable[[str], bool]
    rate: Callable[[str], bool]
    date: Callable[[str], bool]
    code: Callable[[str], bool]
    code_lists: Mapping[CodeKey, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Edit:
    """One mutation: what kind, where (a readable path), and the value written (if any)."""

    kind: str
    path: str
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Mutant:
    """A mutated copy of a corpus document; its repr names the document and the edits."""

    name: str
    edits: tuple[Edit, ...]
    root: etree._Element = field(compare=False)

    def __repr__(self) -> str:
        edits = "; ".join(
            f"{e.kind} {e.path}" + (f" = {e.value!r}" if e.value is not None else "")
            for e in self.edits
        )
        return f"Mutant({self.name}: {edits})"


def differential(examples: int) -> settings:
    """The settings of every differential test: reproducible in CI and never timed out."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- code lists ---------------------------------------------------------------------------------

_XSL = "{http://www.w3.org/1999/XSL/Transform}"
_LIST_LITERAL = re.compile(r"'\s+([^']*?\s[^']*?)\s+'")
_ATTRIBUTE = re.compile(r"@(\w+)")
_PREDICATE = re.compile(r"\[[^\]]*\]")


def official_code_lists(stylesheet: Path) -> dict[CodeKey, tuple[str, ...]]:
    """The values each ``BR-CL-*`` assertion of an official stylesheet accepts, by target."""
    lists: dict[CodeKey, set[str]] = {}
    for template in etree.parse(str(stylesheet)).iter(f"{_XSL}template"):
        ids = [a.text or "" for a in template.iter(f"{_XSL}attribute") if a.get("name") == "id"]
        if not any(rule.startswith("BR-CL-") for rule in ids):
            continue
        tests = " ".join(w.get("test") or "" for w in template.iter(f"{_XSL}when"))
        values = {value for found in _LIST_LITERAL.findall(tests) for value in found.split()}
        attribute = next(iter(_ATTRIBUTE.findall(tests)), None)
        for branch in (template.get("match") or "").split("|"):
            name = _PREDICATE.sub("", branch).strip().rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            lists.setdefault((name, attribute), set()).update(values)
    return {key: tuple(sorted(values)) for key, values in lists.items()}


# -- values -------------------------------------------------------------------------------------

_FACTORS = tuple(Decimal(f) for f in ("0", "0.5", "0.99", "1", "1.01", "2", "10", "-1"))
_OFFSETS = tuple(Decimal(o) for o in ("0", "0.01", "-0.01", "0.005", "-0.005", "1", "-1"))
_ODD_AMOUNTS = (
    *("0", "0.00", "-0.00", "-0.0", "-0", "0.005", "0.004", "0.015", "-0.005", "-0.01"),
    *("999999999999.99", "0.0000001", "1e3", "+5", " 10.00 ", "1,00", "1 000", "", ".5", "5."),
)
_RATES = (
    *("0", "0.0", "0.00", "5", "5.5", "7", "7.0", "8", "10", "12.5", "19", "19.00", "20", "21"),
    *("25", "100", "-1", "-0", "19.5", "", "x", "1e1"),
)
_CODE_EXTRAS = ("", " ", "true", "false", "TRUE", "0", "1", "VAT", "vat", "ZZZ", "999", "1A")
_CODE_ATTRIBUTES = ("currencyID", "schemeID", "unitCode", "listID", "mimeCode", "format")
_ODD_DATES = (
    *("", "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-1-1", "24-01-01"),
    *("20240230", "20241301", "0000-01-01", "2024-01-01T00:00:00", "2024-01-01 ", "today"),
)


def _plain(value: Decimal) -> str:
    """A decimal without exponent notation, as an invoice writes it."""
    return f"{value:f}"


def _number(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _day(text: str | None) -> tuple[dt.date, str] | None:
    """The date in ``text`` and the format it is written in (ISO or UN/CEFACT 102)."""
    text = (text or "").strip()
    for form in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, form).date(), form
        except ValueError:
            continue
    return None


# Built once: a strategy made per draw costs more than the Saxon run it feeds.
_ANY_AMOUNT = st.one_of(
    st.integers(0, 4).flatmap(lambda p: st.decimals(-(10**7), 10**7, places=p).map(_plain)),
    st.sampled_from(_ODD_AMOUNTS),
)
_NEAR_AMOUNT = st.tuples(st.sampled_from(_FACTORS), st.sampled_from(_OFFSETS), st.integers(0, 4))
_ANY_RATE = st.one_of(
    st.sampled_from(_RATES),
    st.integers(0, 2).flatmap(lambda p: st.decimals(0, 100, places=p).map(_plain)),
)
_ANY_DATE = st.one_of(
    st.builds(
        dt.date.strftime,
        st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
        st.sampled_from(("%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%Y-%m-%dZ", "%Y-%m-%d+09:00")),
    ),
    st.sampled_from(_ODD_DATES),
)
_SHIFT = st.integers(-400, 400)


def _amount(draw: st.DrawFn, original: str | None) -> str:
    """One near the original (rounding edges, sign flips), any amount, or a malformed one."""
    value = _number(original)
    if value is not None and draw(st.booleans()):
        factor, offset, places = draw(_NEAR_AMOUNT)
        return _plain(round(value * factor + offset, places))
    return draw(_ANY_AMOUNT)


def _date(draw: st.DrawFn, original: str | None) -> str:
    """The original shifted by some days (in its own format), any day in any usual format,
    or an impossible date."""
    parsed = _day(original)
    if parsed is not None and draw(st.booleans()):
        day, form = parsed
        return (day + dt.timedelta(days=draw(_SHIFT))).strftime(form)
    return draw(_ANY_DATE)


def _code_draws(
    lists: Mapping[CodeKey, tuple[str, ...]],
) -> Callable[[CodeKey], st.SearchStrategy[str]]:
    """Per target: a value of its official list, of another list, a misspelt one, or junk."""
    every = tuple(sorted({code for values in lists.values() for code in values})) or ("X",)
    any_listed = st.sampled_from(every)
    junk = st.one_of(
        st.sampled_from(_CODE_EXTRAS), st.text(string.ascii_uppercase + string.digits, max_size=4)
    )
    made: dict[CodeKey, st.SearchStrategy[str]] = {}

    def codes(key: CodeKey) -> st.SearchStrategy[str]:
        if key not in made:
            own = st.sampled_from(lists[key]) if lists.get(key) else any_listed
            made[key] = st.one_of(
                own,
                own.map(str.lower),
                own.map(lambda code: f" {code} "),
                own.map(lambda code: code + "X"),
                any_listed,
                junk,
            )
        return made[key]

    return codes


# -- locations ----------------------------------------------------------------------------------


def _local(element: etree._Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _path(element: etree._Element, attribute: str | None = None) -> str:
    """A readable location: local names with positions among same-named siblings."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        same = [] if parent is None else [s for s in parent if s.tag == node.tag]
        position = f"[{same.index(node) + 1}]" if len(same) > 1 else ""
        steps.append(_local(node) + position)
        node = parent
    return "/" + "/".join(reversed(steps)) + (f"/@{attribute}" if attribute else "")


def _targets(root: etree._Element, vocabulary: Vocabulary) -> dict[str, list[Target]]:
    """Every place each kind of mutation can apply to, in document order."""
    elements = [(e, _local(e)) for e in root.iter() if isinstance(e.tag, str) and e is not root]
    leaves = [(e, name) for e, name in elements if len(e) == 0]

    def text_of(test: Callable[[str], bool]) -> list[Target]:
        return [(e, None) for e, name in leaves if test(name)]

    listed = {name for name, attribute in vocabulary.code_lists if attribute is None}
    codes = text_of(lambda name: vocabulary.code(name) or name in listed)
    codes += [(e, a) for e, _ in elements if e.attrib for a in _CODE_ATTRIBUTES if a in e.attrib]
    every: list[Target] = [(e, None) for e, _ in elements]
    return {
        "amount": text_of(vocabulary.amount),
        "rate": text_of(vocabulary.rate),
        "code": codes,
        "date": text_of(vocabulary.date),
        "remove": every,
        "repeat": every,
    }


def _apply(kind: str, target: Target, value: str | None) -> None:
    element, attribute = target
    if kind == "remove":
        parent = element.getparent()
        assert parent is not None  # targets exclude the root
        parent.remove(element)
    elif kind == "repeat":
        element.addnext(copy.deepcopy(element))
    elif attribute is not None:
        element.set(attribute, value or "")
    else:
        element.text = value


def _edit(
    draw: st.DrawFn,
    root: etree._Element,
    vocabulary: Vocabulary,
    codes: Callable[[CodeKey], st.SearchStrategy[str]],
) -> Edit | None:
    """One mutation of ``root``, applied in place; the target is drawn as an index (cheaper
    than sampling from a list of elements, and it shrinks towards the document's start).
    ``None`` when nothing is left to mutate (a bare root)."""
    targets = {kind: found for kind, found in _targets(root, vocabulary).items() if found}
    if not targets:
        return None
    kind = draw(st.sampled_from(sorted(targets)))
    found = targets[kind]
    target = found[draw(st.integers(0, len(found) - 1))]
    element, attribute = target
    value = None
    if kind == "code":
        value = draw(codes((_local(element), attribute)))
    elif kind == "amount":
        value = _amount(draw, element.text)
    elif kind == "rate":
        value = draw(_ANY_RATE)
    elif kind == "date":
        value = _date(draw, element.text)
    edit = Edit(kind, _path(*target), value)
    _apply(kind, target, value)
    return edit


def mutants(
    bases: Sequence[tuple[str, etree._Element]], vocabulary: Vocabulary, *, most: int = 3
) -> st.SearchStrategy[Mutant]:
    """A copy of one named base document with one to ``most`` mutations."""
    codes = _code_draws(vocabulary.code_lists)

    @st.composite
    def draw_mutant(draw: st.DrawFn) -> Mutant:
        name, base = bases[draw(st.integers(0, len(bases) - 1))]
        root = copy.deepcopy(base)
        edits = []
        for _ in range(draw(st.integers(1, most))):
            edit = _edit(draw, root, vocabulary, codes)
            if edit is None:
                break
            edits.append(edit)
        return Mutant(name, tuple(edits), root)

    return draw_mutant()


@st.composite
def randomised(
    draw: st.DrawFn,
    bases: Sequence[tuple[str, etree._Element]],
    mutate: Callable[[etree._Element, random.Random], None],
    *,
    most: int = 4,
) -> Mutant:
    """A copy of one named base document changed by a test's own ``mutate``, one to ``most``
    times, with a generator Hypothesis controls (so it still shrinks and replays)."""
    name, base = bases[draw(st.integers(0, len(bases) - 1))]
    root = copy.deepcopy(base)
    rng = draw(st.randoms(use_true_random=False))
    count = draw(st.integers(1, most))
    for _ in range(count):
        mutate(root, rng)
    return Mutant(name, (Edit("random", f"{mutate.__name__} x{count}"),), root)


def assert_agreement(
    label: str,
    official: Callable[[bytes], Hashable | None],
    native: Callable[[etree._Element], Hashable],
    bases: Sequence[tuple[str, etree._Element]],
    mutate: Callable[[etree._Element, random.Random], None],
    examples: int,
) -> None:
    """Hypothesis mutants of ``bases`` get the same verdict from juryo as from the official
    stylesheet (``official`` None: it gave none, e.g. an XPath error, and the mutant is
    skipped); at least ``examples`` of them compared. Prints the tally."""
    tally: collections.Counter[str] = collections.Counter()

    @differential(examples)
    @given(mutant=randomised(bases, mutate))
    def agrees(mutant: Mutant) -> None:
        verdict = official(etree.tostring(mutant.root, encoding="utf-8"))
        if verdict is None:
            tally["no official verdict"] += 1
            reject()
        tally["compared"] += 1
        ours = native(mutant.root)
        assert ours == verdict, f"official {verdict} / native {ours}\n" + etree.tostring(
            mutant.root, encoding="unicode"
        )

    agrees()
    print(f"\n{label}: {dict(tally)}")
    assert tally["compared"] >= examples
