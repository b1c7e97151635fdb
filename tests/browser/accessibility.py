"""axe-core in the browser tests: one helper, zero violations of any impact.

The axe script is the one ``axe-playwright-python`` installs (``axe.min.js`` beside the
package); nothing is fetched from the network. Playwright evaluates it through the DevTools
protocol, so the pages' content policy (no inline script) stays as it is.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
"""Loaded once: the script is 500 KB."""


def violations(page: Any) -> list[dict[str, Any]]:
    """What axe finds wrong on the page as it is now (every impact)."""
    found: list[dict[str, Any]] = AXE.run(page).response["violations"]
    return found


def describe(found: list[dict[str, Any]]) -> str:
    """Each violation's id, impact, help and the targets of its nodes, one line each."""
    lines = []
    for violation in found:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            f"{', '.join(targets[:8])}{' …' if len(targets) > 8 else ''}"
        )
    return "\n".join(lines)


def assert_axe_clean(page: Any, label: str) -> None:
    """Fail with every violation named when axe finds any on ``page``."""
    found = violations(page)
    assert not found, f"axe on {label} ({page.url}):\n{describe(found)}"
