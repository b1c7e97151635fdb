"""The home page every signed-in user lands on, with the counts of what waits for them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service.deps import ReadSession
from service.home.service import todos
from service.pages import PageSession, render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, browser: PageSession, session: ReadSession) -> Response:
    """Who is signed in, and each to-do count linked to its list."""
    return render(
        request, "home.html", {"todos": todos(session, browser.principal)}, browser=browser
    )
