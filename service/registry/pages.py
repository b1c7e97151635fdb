"""The administrator's page on trust in what arrives: the NTA registry held offline (the newest
files imported, a lookup by registration number with its history) and the malware scan's
state (off, a command, or an ICAP service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from parsers.nta_registry import NUMBER
from parsers.registration import normalize
from service import scanning
from service.clock import today
from service.deps import ReadSession, SettingsDep
from service.pages import render
from service.registry.auth import RegistryPage
from service.registry.service import standing
from storage.repositories import nta

router = APIRouter(include_in_schema=False)


@router.get("/admin/registry", response_class=HTMLResponse)
def registry_page(
    request: Request,
    browser: RegistryPage,
    session: ReadSession,
    settings: SettingsDep,
    number: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The registry's newest files, the scanner's state, and a lookup by registration number."""
    wanted = normalize(number) if number.strip() else ""
    found = None
    if wanted and NUMBER.match(wanted):
        found = standing(
            session,
            wanted,
            today(),
            today=today(),
            max_age_days=settings.nta_registry_max_age_days,
        )
    return render(
        request,
        "admin/registry.html",
        {
            "imports": nta.recent_imports(session),
            "checking": settings.nta_check,
            "max_age": settings.nta_registry_max_age_days,
            "scan_mode": scanning.mode(settings),
            "fail_open": settings.scan_fail_open,
            "number": wanted,
            "bad_number": bool(wanted) and not NUMBER.match(wanted),
            "found": found,
            "history": nta.history(session, wanted) if found is not None else [],
        },
        browser=browser,
    )
