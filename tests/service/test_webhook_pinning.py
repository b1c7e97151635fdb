"""A webhook goes to the address juryo vetted, not to wherever its name resolves a moment later.

DNS rebinding: a supplier's name answers a public address while juryo checks it, then the
city's own 127.0.0.1 when the request connects. DNS and the internet are outside the system,
so both are simulated here: ``socket.getaddrinfo`` answers the supplier's name, and
``socket.create_connection`` records where juryo connects, refusing anything but loopback
(no packet leaves the machine)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from service.notifications import channels
from service.settings import Settings

NAME = "hooks.supplier.example"
PUBLIC = "93.184.216.34"


@pytest.fixture
def rebinding_name(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``NAME`` resolves to a public address the first time, to 127.0.0.1 after; returns the
    answers given, in order."""
    real = socket.getaddrinfo
    answers: list[str] = []

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return real(host, port, *args, **kwargs)
        answers.append(PUBLIC if not answers else "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[-1], port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return answers


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Where juryo opens TCP connections; the (simulated) internet refuses them all."""
    opened: list[tuple[str, int]] = []

    def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        opened.append(address)
        raise OSError("the internet is not reachable from the tests")

    monkeypatch.setattr(socket, "create_connection", connect)
    return opened


def test_a_webhook_connects_to_the_vetted_address_not_a_rebound_name(
    settings: Settings, rebinding_name: list[str], connections: list[tuple[str, int]]
) -> None:
    with pytest.raises(channels.DeliveryFailed):
        channels.post_webhook(
            settings,
            url=f"https://{NAME}:8443/hook",
            secret="s",
            body=b"{}",
            key="k",
            private_allowed=False,
        )
    assert rebinding_name == [PUBLIC]
    assert connections == [(PUBLIC, 8443)]


def test_the_pinned_request_keeps_its_host_name_for_the_header_and_tls() -> None:
    target, host, extensions = channels.pinned_request(f"https://{NAME}:8443/a?b=1", "2001:db8::1")
    assert target == "https://[2001:db8::1]:8443/a?b=1"
    assert host == {"Host": f"{NAME}:8443"}
    assert extensions == {"sni_hostname": NAME}
