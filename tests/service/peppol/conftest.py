"""The access point's world: the app with the city's participant id, an access point's
account, and a supplier that recorded its participant id."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.accounts.service import add_user
from service.settings import Settings
from storage.db import transaction
from storage.models import Role
from tests.documents import CITY_PARTICIPANT
from tests.support import TEST_ACTOR, LiveServer, make_supplier, make_user, start_live_server


@pytest.fixture(scope="module")
def peppol_server(settings: Settings) -> Iterator[LiveServer]:
    """The app with the city's participant id configured."""
    configured = settings.model_copy(update={"peppol_participant_ids": f" {CITY_PARTICIPANT} "})
    with start_live_server(configured) as server:
        yield server


def access_point_token(sessions: sessionmaker[Session]) -> str:
    """A new access-point account's token, as ``juryo peppol add-access-point`` makes it."""
    with transaction(sessions) as session:
        created = add_user(
            session,
            actor=TEST_ACTOR,
            login=f"ap-{uuid.uuid4().hex[:8]}",
            role=Role.ACCESS_POINT,
            department_codes=[],
            supplier_registration=None,
            password=None,
        )
    assert created.token is not None
    return created.token


@pytest.fixture
def access_point(peppol_server: LiveServer, sessions: sessionmaker[Session]) -> httpx.Client:
    return peppol_server.client(access_point_token(sessions))


@pytest.fixture
def sender(peppol_server: LiveServer, sessions: sessionmaker[Session]) -> tuple[str, str]:
    """A supplier (registration number) that recorded its participant id over the API."""
    number = make_supplier(sessions)
    account = make_user(sessions, Role.SUPPLIER, supplier=number)
    participant = f"0188:{uuid.uuid4().int % 10**13:013d}"
    with peppol_server.client(account.token) as client:
        added = client.post(
            "/api/v1/account/peppol-participants", json={"participant_id": participant.upper()}
        )
    assert added.status_code == 200, added.text
    assert added.json()["participant_ids"] == [participant]
    return number, participant
