"""One authorization layer: who may do what is decided in ``service/authz.py`` and the
domains' ``auth.py``, and what a role sees in ``Principal.scope``; nowhere else.

Routers, pages, services and templates ask a rule (``CLERK.admits(principal)``, a ``ClerkPage``
dependency, ``may_enter_data``), so that a new role means the model, its migration and that
layer, not a search through every file that once compared a role.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVICE = REPO / "service"
LAYER = {SERVICE / "authz.py", SERVICE / "auth" / "principal.py"}
ROLE_IN_TEMPLATE = re.compile(r"\.role(\.value)?\s*(==|!=|\bin\b|\bnot in\b)")


def _in_layer(path: Path) -> bool:
    return path in LAYER or path.name == "auth.py"


def _compares_a_role(node: ast.AST) -> bool:
    """``x.role is Role.CLERK``, ``x.role in (...)`` and the like: a rule written inline."""
    if not isinstance(node, ast.Compare):
        return False
    sides = [node.left, *node.comparators]
    return any(isinstance(side, ast.Attribute) and side.attr == "role" for side in sides)


def test_no_module_outside_the_layer_compares_a_callers_role() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{node.lineno}"
        for path in sorted(SERVICE.rglob("*.py"))
        if not _in_layer(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _compares_a_role(node)
    ]
    assert offenders == [], "ask a rule of service/authz.py or the domain's auth.py"


def test_no_template_compares_a_role() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((SERVICE / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_IN_TEMPLATE.search(line)
    ]
    assert offenders == [], "pass the page what the rule says (e.g. may_enter_data)"
