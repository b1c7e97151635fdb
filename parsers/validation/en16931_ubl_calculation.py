"""The EN 16931 UBL rules that do arithmetic, in exact decimals (``BR-CO-*``, ``BR-*-08/09``).

XPath 1.0 numbers are doubles: ``100.10 + 0.20`` is not ``100.30`` and a sum that is exactly
``n.5`` cents may round either way, while the official rules compute in ``xs:decimal``. These
rules therefore run in Python on :class:`decimal.Decimal`, with XPath 2.0's ``round`` (half
towards positive infinity) and its ``xs:decimal`` and ``xs:boolean`` readings of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

from lxml import etree

from parsers.validation._rules import Predicate

__all__ = ["PREDICATES"]

_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_HUNDRED = Decimal(100)
_HALF = Decimal("0.5")


def _xp(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=_NS)


def _elements(found: object) -> list[etree._Element]:
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def dec(node: etree._Element | None) -> Decimal | None:
    """xs:decimal of an element's text; ``None`` when absent or not a decimal."""
    if node is None:
        return None
    raw = "".join(node.itertext()).strip()
    return Decimal(raw) if _DECIMAL.fullmatch(raw) else None


def _first(node: etree._Element, path: etree.XPath) -> Decimal | None:
    found = _elements(path(node))
    return dec(found[0]) if found else None


def _sum(nodes: Iterable[etree._Element]) -> Decimal:
    return sum((d for d in (dec(n) for n in nodes) if d is not None), Decimal(0))


def round_half_up(value: Decimal) -> Decimal:
    """XPath ``round``: the nearest integer, halves towards positive infinity."""
    return (value + _HALF).to_integral_value(rounding=ROUND_FLOOR)


def cents(value: Decimal) -> Decimal:
    """``round(value * 10 * 10) div 100``, the official two-decimal rounding."""
    return round_half_up(value * _HUNDRED) / _HUNDRED


def _flag(node: etree._Element) -> bool | None:
    """xs:boolean of ``cbc:ChargeIndicator``; ``None`` when it is not a boolean."""
    found = node.find("cbc:ChargeIndicator", _NS)
    raw = "".join(found.itertext()).strip() if found is not None else ""
    return {"true": True, "1": True, "false": False, "0": False}.get(raw)


def _charges(parent: etree._Element, charge: bool) -> list[etree._Element]:
    return [ac for ac in parent.findall("cac:AllowanceCharge", _NS) if _flag(ac) is charge]


# -- document totals (context cac:LegalMonetaryTotal) ------------------------------------------

_LINES_ANYWHERE = _xp(
    "//cac:InvoiceLine/cbc:LineExtensionAmount | //cac:CreditNoteLine/cbc:LineExtensionAmount"
)


def _child(node: etree._Element, name: str) -> Decimal | None:
    return dec(node.find(f"cbc:{name}", _NS))


def _has(node: etree._Element, name: str) -> bool:
    return node.find(f"cbc:{name}", _NS) is not None


def _br_co_10(total: etree._Element) -> bool:
    return _child(total, "LineExtensionAmount") == cents(_sum(_elements(_LINES_ANYWHERE(total))))


def _document_charges(charge: bool, name: str) -> Predicate:
    def check(total: etree._Element) -> bool:
        parent = total.getparent()
        charges = _charges(parent, charge) if parent is not None else []
        stated = _child(total, name)
        amounts = [a for ac in charges for a in ac.findall("cbc:Amount", _NS)]
        if stated is not None and stated == cents(_sum(amounts)):
            return True
        return not _has(total, name) and not charges

    return check


def _br_co_13(total: etree._Element) -> bool:
    net = _child(total, "TaxExclusiveAmount")
    lines = _child(total, "LineExtensionAmount")
    charge, allowance = _child(total, "ChargeTotalAmount"), _child(total, "AllowanceTotalAmount")
    has_charge, has_allowance = (
        _has(total, "ChargeTotalAmount"),
        _has(total, "AllowanceTotalAmount"),
    )
    if net is None or lines is None:
        return False
    if not has_charge and not has_allowance:
        return net == lines
    expected = lines
    if has_charge:
        if charge is None:
            return False
        expected += charge
    if has_allowance:
        if allowance is None:
            return False
        expected -= allowance
    return net == cents(expected)


def _br_co_16(total: etree._Element) -> bool:
    payable, gross = _child(total, "PayableAmount"), _child(total, "TaxInclusiveAmount")
    prepaid, rounding = _child(total, "PrepaidAmount"), _child(total, "PayableRoundingAmount")
    has_prepaid, has_rounding = _has(total, "PrepaidAmount"), _has(total, "PayableRoundingAmount")
    if payable is None or gross is None:
        return False
    due = gross
    if has_prepaid:
        if prepaid is None:
            return False
        due = cents(gross - prepaid)
    if has_rounding:
        if rounding is None:
            return False
        return cents(payable - rounding) == due
    return payable == due


# -- VAT totals ---------------------------------------------------------------------------------


def _br_co_14(tax_total: etree._Element) -> bool:
    subtotals = tax_total.findall("cac:TaxSubtotal", _NS)
    if not subtotals:
        return True
    amounts = [a for s in subtotals for a in s.findall("cbc:TaxAmount", _NS)]
    return _child(tax_total, "TaxAmount") == cents(_sum(amounts))


def _br_co_15(root: etree._Element) -> bool:
    total = root.find("cac:LegalMonetaryTotal", _NS)
    for code in root.findall("cbc:DocumentCurrencyCode", _NS):
        currency = "".join(code.itertext())
        amounts = [
            a
            for t in root.findall("cac:TaxTotal", _NS)
            for a in t.findall("cbc:TaxAmount", _NS)
            if a.get("currencyID") == currency
        ]
        if len(amounts) != 1 or total is None:
            return False
        net, gross, tax = (
            _child(total, "TaxExclusiveAmount"),
            _child(total, "TaxInclusiveAmount"),
            dec(amounts[0]),
        )
        if net is None or gross is None or tax is None or gross != cents(net + tax):
            return False
    return True


def _vat_percent(subtotal: etree._Element) -> list[Decimal | None]:
    """``cac:TaxCategory[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']/cbc:Percent``."""
    return [
        dec(percent)
        for category in subtotal.findall("cac:TaxCategory", _NS)
        if _is_vat(category)
        for percent in category.findall("cbc:Percent", _NS)
    ]


def _is_vat(category: etree._Element) -> bool:
    return any(
        " ".join("".join(i.itertext()).upper().split()) == "VAT"
        for scheme in category.findall("cac:TaxScheme", _NS)
        for i in scheme.findall("cbc:ID", _NS)
    )


def _br_co_17(subtotal: etree._Element) -> bool:
    percents = [p for p in _vat_percent(subtotal) if p is not None]
    tax, base = _child(subtotal, "TaxAmount"), _child(subtotal, "TaxableAmount")
    if not percents:
        return tax is not None and round_half_up(tax) == 0
    rate = percents[0]
    if round_half_up(rate) == 0:
        return tax is not None and round_half_up(tax) == 0
    if tax is None or base is None:
        return False
    expected = cents(abs(base) * (rate / _HUNDRED))
    return abs(tax) - 1 < expected < abs(tax) + 1


# -- VAT breakdown per category (context the breakdown's cac:TaxCategory) ----------------------


def _category_is(holder: etree._Element, child: str, code: str) -> bool:
    return any(
        " ".join("".join(i.itertext()).split()) == code
        for category in holder.findall(child, _NS)
        for i in category.findall("cbc:ID", _NS)
    )


def _rate_is(holder: etree._Element, child: str, rate: Decimal | None) -> bool:
    if rate is None:
        return True
    return any(
        dec(p) == rate
        for category in holder.findall(child, _NS)
        for p in category.findall("cbc:Percent", _NS)
    )


def _lines(root: etree._Element, tag: str, code: str, rate: Decimal | None) -> list[etree._Element]:
    return [
        line
        for line in root.findall(f"cac:{tag}", _NS)
        if (item := line.find("cac:Item", _NS)) is not None
        and _category_is(item, "cac:ClassifiedTaxCategory", code)
        and _rate_is(item, "cac:ClassifiedTaxCategory", rate)
    ]


def _adjustments(root: etree._Element, charge: bool, code: str, rate: Decimal | None) -> Decimal:
    return _sum(
        amount
        for ac in _charges(root, charge)
        if _category_is(ac, "cac:TaxCategory", code) and _rate_is(ac, "cac:TaxCategory", rate)
        for amount in ac.findall("cbc:Amount", _NS)
    )


def _basis(root: etree._Element, tag: str, code: str, rate: Decimal | None) -> Decimal:
    lines = _sum(
        amount
        for line in _lines(root, tag, code, rate)
        for amount in line.findall("cbc:LineExtensionAmount", _NS)
    )
    return lines + _adjustments(root, True, code, rate) - _adjustments(root, False, code, rate)


def _document(category: etree._Element) -> etree._Element | None:
    subtotal = category.getparent()
    total = subtotal.getparent() if subtotal is not None else None
    return total.getparent() if total is not None else None


def _taxable(category: etree._Element) -> Decimal | None:
    subtotal = category.getparent()
    return _child(subtotal, "TaxableAmount") if subtotal is not None else None


def _exact_basis(code: str) -> Predicate:
    """BR-{AE,E,G,IC,O,Z}-08: taxable amount equals lines + charges - allowances, exactly."""

    def check(category: etree._Element) -> bool:
        root, taxable = _document(category), _taxable(category)
        if root is None or taxable is None:
            return False
        tree_root = category.getroottree().getroot()
        return any(
            _exists(tree_root, tag) and taxable == _basis(root, tag, code, None)
            for tag in ("InvoiceLine", "CreditNoteLine")
        )

    return check


def _rated_basis(code: str, needs_use: bool) -> Predicate:
    """BR-{S,AF,AG}-08: per rate, the taxable amount within one of lines + charges - allowances."""

    def check(category: etree._Element) -> bool:
        percents = category.findall("cbc:Percent", _NS)
        if not percents:
            return True
        rate = dec(percents[0])
        root, bounds = _document(category), _double_bounds(category)
        tree_root = category.getroottree().getroot()
        for tag in ("InvoiceLine", "CreditNoteLine"):
            if needs_use:
                used = bool(_used_lines(tree_root, tag, code, rate)) or _used_charges(
                    tree_root, code, rate
                )
            else:
                used = _exists(tree_root, tag)
            if not used or root is None or bounds is None:
                continue
            if bounds[0] < _basis(root, tag, code, rate) < bounds[1]:
                return True
        return False

    return check


_DOUBLE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _double_bounds(category: etree._Element) -> tuple[Decimal, Decimal] | None:
    """``xs:decimal(cbc:TaxableAmount - 1)`` and ``… + 1``: the untyped text is a *double*.

    The official rule adds and subtracts in xs:double and converts the exact binary result
    back, so ``64.4 + 1`` is a hair above ``65.4`` and a basis of exactly 65.4 is in range.
    """
    subtotal = category.getparent()
    found = subtotal.find("cbc:TaxableAmount", _NS) if subtotal is not None else None
    raw = "".join(found.itertext()).strip() if found is not None else ""
    if not _DOUBLE.fullmatch(raw):
        return None
    value = float(raw)
    return Decimal(value - 1.0), Decimal(value + 1.0)


def _exists(root: etree._Element, tag: str) -> bool:
    """``exists(//cac:{tag})``."""
    return next(root.iter(f"{{{_NS['cac']}}}{tag}"), None) is not None


def _used_lines(root: etree._Element, tag: str, code: str, rate: Decimal | None) -> bool:
    return any(
        (item := line.find("cac:Item", _NS)) is not None
        and _category_is(item, "cac:ClassifiedTaxCategory", code)
        and _rate_is(item, "cac:ClassifiedTaxCategory", rate)
        for line in root.iter(f"{{{_NS['cac']}}}{tag}")
    )


def _used_charges(root: etree._Element, code: str, rate: Decimal | None) -> bool:
    return any(
        _category_is(ac, "cac:TaxCategory", code) and _rate_is(ac, "cac:TaxCategory", rate)
        for ac in root.iter(f"{{{_NS['cac']}}}AllowanceCharge")
    )


def _rated_amount(category: etree._Element) -> bool:
    """BR-{S,AF,AG}-09: the VAT amount within one of taxable amount times rate."""
    subtotal = category.getparent()
    if subtotal is None:
        return False
    tax, base = _child(subtotal, "TaxAmount"), _child(subtotal, "TaxableAmount")
    rate = _child(category, "Percent")
    if tax is None or base is None or rate is None:
        return False
    expected = cents(abs(base) * (rate / _HUNDRED))
    return abs(tax) - 1 < expected < abs(tax) + 1


PREDICATES: dict[str, Predicate] = {
    "BR-CO-10": _br_co_10,
    "BR-CO-11": _document_charges(False, "AllowanceTotalAmount"),
    "BR-CO-12": _document_charges(True, "ChargeTotalAmount"),
    "BR-CO-13": _br_co_13,
    "BR-CO-14": _br_co_14,
    "BR-CO-15": _br_co_15,
    "BR-CO-16": _br_co_16,
    "BR-CO-17": _br_co_17,
    **{
        f"BR-{family}-08": _exact_basis(code)
        for family, code in (
            ("AE", "AE"),
            ("E", "E"),
            ("G", "G"),
            ("IC", "K"),
            ("O", "O"),
            ("Z", "Z"),
        )
    },
    "BR-S-08": _rated_basis("S", needs_use=True),
    "BR-AF-08": _rated_basis("L", needs_use=False),
    "BR-AG-08": _rated_basis("M", needs_use=False),
    "BR-S-09": _rated_amount,
    "BR-AF-09": _rated_amount,
    "BR-AG-09": _rated_amount,
}
"""Rule id → exact test, replacing the row's XPath."""
