"""Health, readiness, metrics and request ids."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx

from service.settings import Settings
from tests.s3server import free_port
from tests.support import LiveServer, start_live_server


def test_healthz_answers(live_server: LiveServer) -> None:
    with live_server.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_every_dependency(live_server: LiveServer) -> None:
    deadline = time.monotonic() + 60
    with live_server.client() as client:
        response = client.get("/readyz")
        while response.json()["checks"]["validators"] == "starting":  # compiling at start
            assert response.status_code == 503
            assert time.monotonic() < deadline, "the validators never became ready"
            time.sleep(0.2)
            response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "validators": "ok"},
        "malware_scan": "off",
    }


def test_readyz_names_the_dependency_that_is_down(tmp_path: Path, settings: Settings) -> None:
    closed = free_port()
    broken = settings.model_copy(
        update={"database_url": f"postgresql+psycopg://nobody@127.0.0.1:{closed}/none"}
    )
    with start_live_server(broken) as server, server.client() as client:
        response = client.get("/readyz")
        healthz = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"].startswith("down")
    assert checks["storage"] == "ok"
    assert healthz.status_code == 200


def test_readyz_when_the_object_store_is_down(settings: Settings) -> None:
    closed = free_port()
    broken = settings.model_copy(
        update={"storage_url": "s3://juryo-down", "s3_endpoint_url": f"http://127.0.0.1:{closed}"}
    )
    with start_live_server(broken) as server, server.client() as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["storage"].startswith("down")


def test_api_is_unavailable_not_crashing_when_the_database_is_down(settings: Settings) -> None:
    closed = free_port()
    broken = settings.model_copy(
        update={"database_url": f"postgresql+psycopg://nobody@127.0.0.1:{closed}/none"}
    )
    with start_live_server(broken) as server, server.client("jy_whatever") as client:
        response = client.get("/api/v1/me")
    assert response.status_code == 503
    assert response.json() == {
        "error": "service_unavailable",
        "detail": "the database is unavailable",
    }
    assert response.headers["retry-after"]


def test_request_id_is_echoed_or_assigned(live_server: LiveServer) -> None:
    mine = uuid.uuid4().hex
    with live_server.client() as client:
        echoed = client.get("/healthz", headers={"X-Request-ID": mine})
        assigned = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert echoed.headers["x-request-id"] == mine
    assert assigned.headers["x-request-id"] not in ("", "bad id with spaces")


def test_metrics_count_requests_by_route_template(live_server: LiveServer) -> None:
    with live_server.client() as client:
        client.get("/healthz")
        client.get("/no/such/path")
        response = client.get("/metrics")
    assert response.status_code == 200
    text = response.text
    assert 'juryo_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'route="unmatched",status="404"' in text
    assert "juryo_http_request_duration_seconds_bucket" in text


def test_unknown_api_path_is_json_404(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.base_url}/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "detail": "no such resource",
        "message_en": "no such resource",
        "message_ja": "該当するページまたはデータはありません。",
    }
