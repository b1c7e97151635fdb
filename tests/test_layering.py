"""Dependencies point one way: parsers is a pure library, storage never reaches into service,
schemas is data that parsers read, and the parts of service import each other in one order."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "parsers": ("fastapi", "starlette", "sqlalchemy", "alembic", "boto3", "service", "storage"),
    "storage": ("service", "fastapi", "starlette"),
    "schemas": ("parsers", "service", "storage", "fastapi", "sqlalchemy"),
    "service/intake": ("fastapi", "starlette"),
}
"""Top-level names a folder never imports (intake is channel-neutral: no HTTP in it)."""

SERVICE_ORDER = (
    # Shared modules every domain may use; they import no domain.
    "service.clock",
    "service.i18n",
    "service.errors",
    "service.versions",
    "service.forms",
    "service.amounts",
    "service.formatting",
    "service.spreadsheet",
    "service.zengin",
    "service.settings",
    "service.deadlines",
    "service.validator",
    "service.scanning",
    # Who the caller is: principals, passwords, sessions (not the sign-in pages below).
    "service.auth",
    # The web kit every router and page is built with.
    "service.runtime",
    "service.deps",
    "service.pages",
    "service.authz",
    "service.form_bodies",
    "service.auth.pages",
    "service.auth.router",
    # The domains, each importing only those before it.
    "service.organisation",
    "service.registry",
    "service.accounts",
    "service.routing",
    "service.intake",
    "service.peppol",
    "service.invoices",
    "service.compose",
    "service.inbox",
    "service.accounting",
    "service.statistics",
    "service.admin",
    "service.mail",
    "service.home",
    "service.notifications",
    "service.ops",
    # Wiring: the app, the command line, demo data, background work.
    "service.observability",
    "service.security_headers",
    "service.anchoring",
    "service.demo",
    "service.app",
    "service.cli",
)
"""A part of ``service`` (a shared module or a domain folder) imports only itself and the parts
listed before it; docs/architecture.md says where a new one goes."""

LAZY_IMPORTS_ALLOWED = {"service/cli.py"}
"""The command line imports what a command needs when it runs, to start quickly; nothing
imports the command line, so it cannot hide a cycle that way."""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_package_does_not_import_upwards(folder: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(_imports(path) & set(FORBIDDEN[folder]))
        for path in (REPO / folder).rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def _module(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    base = REPO.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _service_imports(tree: ast.AST) -> Iterator[tuple[ast.stmt, str]]:
    """Every ``service`` module a tree imports, with the statement importing it."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "service":
                    yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "service":
                continue
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                yield node, child if _is_module(child) else node.module


def _part(module: str) -> int | None:
    """The place in ``SERVICE_ORDER`` of the part a module belongs to (the longest match)."""
    matches = [
        (len(part), index)
        for index, part in enumerate(SERVICE_ORDER)
        if module == part or module.startswith(part + ".")
    ]
    return max(matches)[1] if matches else None


def _service_files() -> list[Path]:
    return sorted(path for path in (REPO / "service").rglob("*.py") if _module(path) != "service")


def test_every_part_of_service_has_a_place_in_the_order() -> None:
    assert [str(p.relative_to(REPO)) for p in _service_files() if _part(_module(p)) is None] == []


def test_the_parts_of_service_import_only_those_before_them() -> None:
    against: list[str] = []
    for path in _service_files():
        module = _module(path)
        own = _part(module)
        for _node, imported in _service_imports(ast.parse(path.read_text(encoding="utf-8"))):
            theirs = _part(imported)
            if own is not None and theirs is not None and theirs > own:
                against.append(f"{module} imports {imported} ({SERVICE_ORDER[theirs]} comes later)")
    assert against == []


def test_no_import_is_hidden_inside_a_function() -> None:
    """An import inside a function is how a cycle hides; only the command line may import late."""
    hidden: list[str] = []
    for path in _service_files():
        if str(path.relative_to(REPO)) in LAZY_IMPORTS_ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        hidden.extend(
            f"{path.relative_to(REPO)}:{node.lineno} imports {imported}"
            for node, imported in _service_imports(tree)
            if id(node) not in top_level and not _under_type_checking(tree, node)
        )
    assert hidden == []


def _under_type_checking(tree: ast.Module, node: ast.stmt) -> bool:
    return any(
        isinstance(block, ast.If)
        and isinstance(block.test, ast.Name)
        and block.test.id == "TYPE_CHECKING"
        and node in block.body
        for block in tree.body
    )


RULE_ID = re.compile(r"JURYO-[A-Z0-9-]*[A-Z0-9]")
"""A whole rule id (a prefix such as ``JURYO-XML-`` only asks about a family)."""


def test_juryo_rule_ids_are_defined_only_in_the_catalogue() -> None:
    """Every ``JURYO-*`` rule, with its Japanese and English message, is in one catalogue."""
    catalogue = REPO / "parsers" / "juryo_rules.py"
    inline = [
        f"{path.relative_to(REPO)}:{node.lineno} {node.value}"
        for folder in ("parsers", "service", "storage")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path != catalogue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and RULE_ID.fullmatch(node.value)
    ]
    assert inline == []
