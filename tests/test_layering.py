"""Dependencies point one way: parsers is a pure library, storage never reaches into service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "parsers": ("fastapi", "starlette", "sqlalchemy", "alembic", "boto3", "service", "storage"),
    "storage": ("service", "fastapi", "starlette"),
    "schemas": ("service", "storage", "fastapi", "sqlalchemy"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upwards(package: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(_imports(path) & set(FORBIDDEN[package]))
        for path in (REPO / package).rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
