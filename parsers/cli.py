"""``juryo validate FILE... [--json] [--lang ja|en]`` as a pure function; typer wiring is elsewhere.

Exit codes: 0 every file acceptable, 1 some file not acceptable, 2 some file could not be read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from parsers.errors import UnreadableDocument
from parsers.reader import Result, read_path

EXIT_ACCEPTABLE = 0
EXIT_NOT_ACCEPTABLE = 1
EXIT_UNREADABLE = 2

_VERDICT = {
    ("en", True): "acceptable",
    ("en", False): "NOT acceptable",
    ("ja", True): "受理可",
    ("ja", False): "受理不可",
}
_SEVERITY_JA = {"fatal": "致命的", "warning": "警告", "information": "情報"}


def _report_text(path: Path, result: Result, lang: str, out: TextIO) -> None:
    verdict = _VERDICT[(lang, result.acceptable)]
    labels = ("形式", "プロファイル", "判定") if lang == "ja" else ("format", "profile", "verdict")
    out.write(f"{path}\n")
    out.write(f"  {labels[0]}: {result.format.value}  {labels[1]}: {result.profile.value}\n")
    out.write(f"  {labels[2]}: {verdict}\n")
    for finding in result.findings:
        severity = finding.severity.value
        shown = _SEVERITY_JA[severity] if lang == "ja" else severity
        where = f" @ {finding.location}" if finding.location else ""
        term = f" ({finding.business_term})" if finding.business_term else ""
        out.write(f"  [{shown}] {finding.rule_id}{term}{where}: {finding.message(lang)}\n")


def _report_json(path: Path, result: Result) -> dict[str, object]:
    return {
        "file": str(path),
        "format": result.format.value,
        "profile": result.profile.value,
        "valid": result.acceptable,
        "findings": [f.as_dict() for f in result.findings],
        "rule_sets": [{"name": r.name, "version": r.version} for r in result.rule_sets],
    }


def run_validate(paths: Sequence[Path], *, as_json: bool, lang: str, out: TextIO) -> int:
    """Validate each file, write one report per file to ``out``, return the exit code."""
    lang = "ja" if lang == "ja" else "en"
    reports: list[dict[str, object]] = []
    any_rejected = any_unreadable = False
    for path in paths:
        try:
            result = read_path(path)
        except UnreadableDocument as exc:
            any_unreadable = True
            if as_json:
                reports.append({"file": str(path), "error": exc.reason, "valid": False})
            else:
                label = "読み取れません" if lang == "ja" else "cannot read"
                out.write(f"{path}\n  {label}: {exc.reason}\n")
            continue
        any_rejected |= not result.acceptable
        if as_json:
            reports.append(_report_json(path, result))
        else:
            _report_text(path, result, lang, out)
    if as_json:
        json.dump(reports, out, ensure_ascii=False, indent=2)
        out.write("\n")
    if any_unreadable:
        return EXIT_UNREADABLE
    return EXIT_NOT_ACCEPTABLE if any_rejected else EXIT_ACCEPTABLE
