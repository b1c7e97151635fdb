"""Factur-X MINIMUM and BASIC WL carry no complete invoice: like a plain PDF, they wait for a
person's data entry, with the form prefilled from their XML (over real HTTP)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tests.service.test_approval_rules import enter
from tests.service.test_inbox_api import make_office, submit
from tests.support import LiveServer, signed_in

MINIMUM = "zugferd-corpus/ZUGFeRDv2/correct/FNFE-factur-x-examples/Facture_FR_MINIMUM.pdf"


def test_minimum_facturx_waits_for_data_entry_prefilled_from_its_xml(
    live_server: LiveServer, sessions: sessionmaker[Session], corpus: Path
) -> None:
    office = make_office(sessions)
    sent = submit(live_server, office, (corpus / MINIMUM).read_bytes())
    assert (sent["status"], sent["needs_data_entry"]) == ("pending", True)
    assert (sent["format"], sent["profile"]) == ("facturx-pdf", "facturx-minimum")
    with signed_in(live_server, office.clerk.login, office.clerk.password) as browser:
        detail = browser.get(f"/invoices/{sent['id']}").text
        form = browser.get(f"/invoices/{sent['id']}/data-entry")
    assert f'href="/invoices/{sent["id"]}/data-entry"' in detail
    assert form.status_code == 200, form.text
    for prefilled in ("FA-2017-0010", "2017-11-13", "470.15", "FR11999999998"):
        assert f'value="{prefilled}"' in form.text
    assert enter(live_server, office.clerk, sent["id"], "470.15").status_code == 200
    with live_server.client(office.clerk.token) as client:
        after = client.get(f"/api/v1/invoices/{sent['id']}").json()
    assert after["needs_data_entry"] is False
    assert after["payable_amount"] == "470.15"
