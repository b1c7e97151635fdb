"""Validation findings are data, not exceptions: every layer returns a list of them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    """How bad a finding is; only ``fatal`` makes a document unacceptable."""

    FATAL = "fatal"
    WARNING = "warning"
    INFORMATION = "information"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a document, named by its official rule id."""

    rule_id: str
    severity: Severity
    message_en: str
    message_ja: str
    location: str | None = None
    """XPath (or ``line:column`` for syntax errors) of the offending node."""
    business_term: str | None = None
    """EN 16931 BT/BG id where known, e.g. ``BT-10``."""

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``ja`` or ``en``)."""
        return self.message_ja if lang == "ja" else self.message_en

    def as_dict(self) -> dict[str, str | None]:
        """A JSON-ready rendering used by the CLI and the API."""
        return {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "message_en": self.message_en,
            "message_ja": self.message_ja,
            "location": self.location,
            "business_term": self.business_term,
        }


def is_acceptable(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    """A document is acceptable iff no finding is fatal."""
    return not any(f.severity is Severity.FATAL for f in findings)
