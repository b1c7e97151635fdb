"""Every route of the app x every kind of caller → the answer ``access.EXPECTED`` promises.

The routes come from the app's own route table, so a new route without a row in the table
fails here, and so does a row whose route is gone. The figures land in
``var/authorization-matrix.txt`` (and on the terminal under ``-s``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount

from service.app import create_app
from service.settings import Settings
from tests.reliability.access import (
    ANONYMOUS,
    CALLERS,
    EXCLUDED,
    EXPECTED,
    LOGIN,
    OK,
    World,
    build_world,
    is_page,
)
from tests.support import LiveServer

REPORT = Path(__file__).resolve().parents[2] / "var" / "authorization-matrix.txt"
DENIED = (401, 403, 404)
SEEN: dict[tuple[str, str], dict[str, int]] = {}


def route_table(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path template) of every route the app serves, minus ``EXCLUDED`` paths."""
    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        path = route.path
        assert path is not None
        if path in EXCLUDED:
            continue
        assert not isinstance(route.original_route, Mount), f"unexpected mount {path}"
        for method in route.methods or ():
            found.add((method, path))
    return found


def test_every_route_has_exactly_one_entry(settings: Settings) -> None:
    app = create_app(settings)
    try:
        served = route_table(app)
    finally:
        app.state.runtime.close()
    missing = sorted(served - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - served)
    assert not missing, f"routes without an entry in tests/reliability/access.py: {missing}"
    assert not stale, f"entries in tests/reliability/access.py for routes that are gone: {stale}"
    for key, case in EXPECTED.items():
        assert set(case.expect) == set(CALLERS), f"{key} must name every caller"


@pytest.fixture(scope="module")
def world(live_server: LiveServer, sessions: sessionmaker[Session]) -> Iterator[World]:
    with build_world(live_server, sessions) as built:
        yield built


@pytest.fixture(scope="module", autouse=True)
def matrix_report() -> Iterator[None]:
    """Write what every caller got, route by route, once the module has run."""
    yield
    if not SEEN:
        return
    width = max(len(f"{method} {path}") for method, path in SEEN)
    lines = [
        f"{len(SEEN)} routes x {len(CALLERS)} callers "
        "(status codes; own = supplier A / department D, other = B / E)",
        f"{'':{width}}  " + " ".join(f"{caller[:11]:>11}" for caller in CALLERS),
    ]
    for method, path in sorted(SEEN, key=lambda key: (key[1], key[0])):
        statuses = SEEN[method, path]
        cells = " ".join(f"{statuses.get(caller, '-')!s:>11}" for caller in CALLERS)
        lines.append(f"{method + ' ' + path:{width}}  {cells}")
    text = "\n".join(lines) + "\n"
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print(f"\n{text}")


@pytest.mark.parametrize(
    ("method", "path", "caller"),
    [(method, path, caller) for (method, path) in EXPECTED for caller in CALLERS],
    ids=[f"{method} {path} [{caller}]" for (method, path) in EXPECTED for caller in CALLERS],
)
def test_route_answers_the_caller_as_expected(
    world: World, method: str, path: str, caller: str
) -> None:
    case = EXPECTED[method, path]
    expected = case.expect[caller]
    may = expected == OK
    target = case.target(world, may and case.fresh)
    before = case.observe(world, target) if case.observe and not may else None

    if case.send is not None:
        response = case.send(world, caller, method, target)
    else:
        page = is_page(path)
        client = world.browsers[caller] if page else world.api[caller]
        options = case.body(world, caller, target)
        if page and method != "GET" and caller != ANONYMOUS:
            options["data"] = {**options.get("data", {}), "csrf_token": world.csrf[caller]}
        response = client.request(method, path.format(**target), **options)

    status = response.status_code
    SEEN.setdefault((method, path), {})[caller] = status
    location = response.headers.get("location", "")
    detail = f"{method} {path} as {caller}: {status} {location} {response.text[:300]}"
    assert status < 500, detail
    if expected == OK:
        assert status not in DENIED, detail
        assert not location.startswith("/login?next="), detail
    elif expected == LOGIN:
        assert status == 303, detail
        assert location.startswith("/login?next="), detail
    else:
        assert status == expected, detail
    if case.observe is not None and not may:
        assert case.observe(world, target) == before, f"{detail}: a refused request changed it"
