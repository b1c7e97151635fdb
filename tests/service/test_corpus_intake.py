"""Every official JP PINT and EN 16931 example, submitted over HTTP, is accepted end to end
and its original comes back byte for byte. Skips where ../shared/corpus is absent."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

import parsers
from service.organisation.service import add_supplier
from service.settings import Settings
from storage.db import transaction
from storage.models import Role
from storage.repositories import organisation
from tests.support import TEST_ACTOR, LiveServer, make_supplier, make_user, start_live_server

pytestmark = pytest.mark.corpus

KNOWN_EXCEPTIONS = {
    "eInvoicing-EN16931/ubl/examples/issue116.xml": (
        "declares Peppol BIS 3 and breaks PEPPOL-COMMON-R049 (Swedish organisation number), as "
        "the official Peppol artefact reports too; valid under EN 16931 alone"
    ),
}
MEDIA_TYPES = {"facturx-pdf": "application/pdf", "pdf": "application/pdf"}


def _examples(corpus: Path) -> list[str]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    return [
        row["path"]
        for row in rows
        if row["expected"] == "valid"
        and (
            row["path"].startswith("pint-jp/")
            or (row["path"].startswith("eInvoicing-EN16931/") and "/examples/" in row["path"])
        )
    ]


@pytest.fixture(scope="module")
def lenient_server(settings: Settings) -> Iterator[LiveServer]:
    """Examples reuse invoice numbers: duplicates are warnings here, not conflicts."""
    with start_live_server(settings.model_copy(update={"duplicate_numbers": "warn"})) as server:
        yield server


def _supplier_for(sessions: sessionmaker[Session], seller: str | None) -> str:
    """The supplier whose registration number the example names (placeholders forced in)."""
    if seller is None:
        return make_supplier(sessions)
    with transaction(sessions) as session:
        if organisation.supplier_by_registration(session, seller) is None:
            add_supplier(
                session,
                actor=TEST_ACTOR,
                registration_number=seller,
                name="JP PINT example seller",
                force=True,
            )
    return seller


def test_examples_are_accepted_end_to_end(
    corpus: Path, lenient_server: LiveServer, sessions: sessionmaker[Session]
) -> None:
    examples = _examples(corpus)
    assert len(examples) >= 40
    tokens: dict[str | None, str] = {}
    refused: dict[str, list[str]] = {}
    for path in examples:
        data = (corpus / path).read_bytes()
        result = parsers.read(data)
        seller = result.invoice.seller.jp_registration_number if result.invoice else None
        if seller not in tokens:
            number = _supplier_for(sessions, seller)
            tokens[seller] = make_user(sessions, Role.SUPPLIER, supplier=number).token
        media_type = MEDIA_TYPES.get(result.format.value, "application/xml")
        with lenient_server.client(tokens[seller]) as client:
            response = client.post(
                "/api/v1/invoices", content=data, headers={"Content-Type": media_type}
            )
            if response.status_code not in (200, 201):
                refused[path] = [
                    f["rule_id"] for f in response.json()["findings"] if f["severity"] == "fatal"
                ]
                continue
            body = response.json()
            assert body["status"] == "pending", path
            original = client.get(f"/api/v1/invoices/{body['id']}/original")
        assert original.content == data, path
        assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert set(refused) == set(KNOWN_EXCEPTIONS), refused
