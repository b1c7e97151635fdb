"""The public API of ``parsers`` is deliberate: ``__all__`` is the contract."""

from __future__ import annotations

import ast
from pathlib import Path

import parsers

PARSERS = Path(parsers.__file__).resolve().parent

EXPECTED = {
    "DocumentKind",
    "DocumentTooLarge",
    "Finding",
    "Format",
    "Guesses",
    "Invoice",
    "ParserError",
    "Profile",
    "Result",
    "Severity",
    "Syntax",
    "UnreadableDocument",
    "detect",
    "is_acceptable",
    "read",
    "read_path",
    "to_data",
    "warm_up",
}


def test_all_is_exactly_the_public_api() -> None:
    assert set(parsers.__all__) == EXPECTED
    assert sorted(parsers.__all__) == parsers.__all__


def test_every_name_in_all_exists() -> None:
    for name in parsers.__all__:
        assert getattr(parsers, name) is not None, name


def test_errors_form_one_tree() -> None:
    assert issubclass(parsers.UnreadableDocument, parsers.ParserError)
    assert issubclass(parsers.DocumentTooLarge, parsers.UnreadableDocument)


def test_no_web_framework_or_database_in_parsers() -> None:
    forbidden = ("fastapi", "sqlalchemy", "starlette", "service", "storage")
    for path in PARSERS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path}: imports {name}"
