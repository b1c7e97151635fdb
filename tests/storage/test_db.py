"""Engine rules: no database work on a serving event loop's thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, text

from storage.db import BlockingCallOnEventLoop, serve_requests_on


def _select_one(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT 1")).scalar_one())


def _run_on_a_thread_of_its_own(main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """``asyncio.run`` where no loop runs yet: the browser tests' Playwright keeps one running
    on the test's own thread for the rest of the session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def test_database_work_on_a_serving_event_loop_raises(engine: Engine) -> None:
    async def serving() -> int:
        serve_requests_on(asyncio.get_running_loop())
        with pytest.raises(BlockingCallOnEventLoop, match="worker thread"):
            _select_one(engine)
        return await asyncio.to_thread(_select_one, engine)  # where the work belongs

    assert _run_on_a_thread_of_its_own(serving) == 1


def test_a_loop_that_serves_no_requests_may_use_the_database(engine: Engine) -> None:
    """Playwright's sync API runs a loop on the test's thread while the test makes users."""

    async def driving_a_browser() -> int:
        return _select_one(engine)

    assert _run_on_a_thread_of_its_own(driving_a_browser) == 1
