"""A stored invoice reads back typed: its content as the parser's model with a kind that says
what it is, its status and its users' roles as enum members, and the API schema names them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from parsers import reader
from service.invoices.content import ContentKind, GuessedContent, ParsedContent, content_of
from storage.models import InvoiceRecord, InvoiceStatus, Role, User
from tests.documents import jp_invoice, plain_pdf
from tests.service.test_inbox_api import Office, make_office, submit
from tests.support import LiveServer


@pytest.fixture
def office(sessions: sessionmaker[Session]) -> Office:
    return make_office(sessions)


def _row(sessions: sessionmaker[Session], invoice_id: int) -> InvoiceRecord:
    with sessions() as session:
        row = session.get(InvoiceRecord, invoice_id)
        assert row is not None
        session.expunge(row)
        return row


def _pdf(registration_number: str) -> bytes:
    return plain_pdf(registration_number=registration_number)


def _xml(registration_number: str) -> bytes:
    return jp_invoice(seller=registration_number)


@pytest.mark.parametrize(
    ("document", "kind"), [(_xml, ContentKind.PARSED), (_pdf, ContentKind.GUESSES)]
)
def test_stored_content_reads_back_as_what_the_parser_read(
    live_server: LiveServer,
    sessions: sessionmaker[Session],
    office: Office,
    document: Callable[[str], bytes],
    kind: ContentKind,
) -> None:
    sent = document(office.registration_number)
    content = content_of(_row(sessions, submit(live_server, office, sent)["id"]))
    assert content is not None
    assert content.kind is kind
    read = reader.read(sent)
    assert content == (
        ParsedContent(read.invoice) if read.invoice else GuessedContent(read.guesses)
    )


def test_status_and_role_read_back_as_enum_members(
    live_server: LiveServer, sessions: sessionmaker[Session], office: Office
) -> None:
    sent = submit(live_server, office)
    with sessions() as session:
        status = session.execute(
            select(InvoiceRecord.status).where(InvoiceRecord.id == sent["id"])
        ).scalar()
        role = session.execute(select(User.role).where(User.login == office.clerk.login)).scalar()
    assert type(status) is InvoiceStatus
    assert status is InvoiceStatus.PENDING
    assert role is Role.CLERK


def test_the_api_schema_lists_the_statuses_and_roles(live_server: LiveServer) -> None:
    with live_server.client() as client:
        schemas = client.get("/openapi.json").json()["components"]["schemas"]

    def values(schema: str, field: str) -> set[str]:
        ref = schemas[schema]["properties"][field]["$ref"].rsplit("/", 1)[-1]
        return set(schemas[ref]["enum"])

    assert values("InvoiceOut", "status") == {s.value for s in InvoiceStatus}
    assert values("DecisionOut", "status") == {s.value for s in InvoiceStatus}
    assert values("BatchSummary", "status") == {"open", "paid", "cancelled"}
    assert values("UserOut", "role") == {r.value for r in Role}
    assert values("MeOut", "role") == {r.value for r in Role}
