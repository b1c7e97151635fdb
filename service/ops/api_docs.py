"""The API documentation page, served entirely from this host.

FastAPI's own ``/docs`` loads Swagger UI from a CDN and starts it with an inline script. A city's
network may not reach a CDN, and the pages' policy allows no inline script, so juryo serves the
Swagger UI files that ``fastapi-offline`` ships and starts them from a static file of its own.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/static/api-docs"
"""Under ``/static/``, so browsers may cache the Swagger UI files like the other static files."""

router = APIRouter(include_in_schema=False)

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>juryo API</title>
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
<link rel="icon" href="{ASSETS_PATH}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.get(DOCS_PATH)
async def api_docs() -> HTMLResponse:
    """Swagger UI for ``/openapi.json``."""
    return HTMLResponse(PAGE)


def install(app: FastAPI) -> None:
    """Serve the page and Swagger UI's files (mount before ``/static`` so this path wins)."""
    assets = Path(fastapi_offline.__file__).with_name("static")
    app.mount(ASSETS_PATH, StaticFiles(directory=assets), name="api-docs")
    app.include_router(router)
