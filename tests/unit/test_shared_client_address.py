"""The client's address behind the platform's proxies: `X-Forwarded-For` is believed only as far
as trusted proxies wrote it, for any number of trusted hops; a peer outside them is the client,
whatever it claims."""

from __future__ import annotations

import pytest
from flask import request

from platform_shared.web.app import create_service_app
from platform_shared.web.client_address import client_address, parse_networks

pytestmark = pytest.mark.unit

PODS = parse_networks("10.244.0.0/16, fd00:10:244::/56")
INGRESS, PORTAL = "10.244.1.5", "10.244.2.7"
USER, OTHER, SPOOFED = "198.51.100.23", "203.0.113.9", "192.0.2.66"


@pytest.mark.parametrize(("peer", "forwarded_for", "expected"), [
    # Ingress → service: the Ingress appends the user's address (compute-full-forwarded-for).
    (INGRESS, USER, USER),
    # A user who sends its own X-Forwarded-For: what it wrote is left of the Ingress's hop.
    (INGRESS, f"{SPOOFED}, {USER}", USER),
    # Ingress → portal → Ingress → service: the portal's hop is trusted, the user's is not.
    (INGRESS, f"{USER}, {PORTAL}", USER),
    (INGRESS, f"{SPOOFED}, {USER}, {PORTAL}", USER),
    # Straight to the service from outside the proxies: the peer, whatever it claims.
    (OTHER, SPOOFED, OTHER),
    (OTHER, None, OTHER),
    # A trusted peer with no header, or only trusted hops: the left-most is as far as it goes.
    (INGRESS, None, INGRESS),
    (INGRESS, PORTAL, PORTAL),
    # Not an address: nothing left of it is believed.
    (INGRESS, f"{SPOOFED}, not-an-address, {PORTAL}", PORTAL),
    # IPv6 pods, and an IPv4 user seen through an IPv6 socket.
    ("fd00:10:244::5", f"::ffff:{USER}", USER),
    (f"::ffff:{OTHER}", SPOOFED, OTHER),
])
def test_the_client_is_the_first_untrusted_hop_from_the_right(peer, forwarded_for, expected):
    assert client_address(peer, forwarded_for, PODS) == expected


def test_a_malformed_network_is_refused_rather_than_trusting_nobody_or_everybody():
    with pytest.raises(ValueError):
        parse_networks("10.244.0.0/16, 10.300.0.0/16")
    assert parse_networks(" , ") == ()


@pytest.mark.parametrize(("settings", "peer", "expected"), [
    ({"trusted_proxies": "10.244.0.0/16"}, INGRESS, USER),
    ({"trusted_proxies": "10.244.0.0/16"}, OTHER, OTHER),  # a spoofed header from outside: ignored
    ({"trusted_proxies": "10.244.0.0/16", "trusted_proxy_hops": 2}, INGRESS, USER),  # the networks win
    ({"trusted_proxy_hops": 1}, INGRESS, PORTAL),  # one hop counted back: the portal, not the user
    ({}, INGRESS, INGRESS),
])
def test_a_service_app_sees_the_address_its_settings_trust(settings, peer, expected):
    app = create_service_app("addresses", title="addresses", **settings)
    app.add_url_rule("/whoami", "whoami", lambda: {"address": request.remote_addr})
    answer = app.test_client().get("/whoami", headers={"X-Forwarded-For": f"{SPOOFED}, {USER}, {PORTAL}"},
                                   environ_overrides={"REMOTE_ADDR": peer})
    assert answer.get_json()["address"] == expected


@pytest.mark.parametrize(("env", "expected"), [
    ({"TRUSTED_PROXIES": "10.244.0.0/16"}, USER),
    ({"LEDGER_TRUSTED_PROXIES": "10.244.0.0/16", "TRUSTED_PROXY_HOPS": "1"}, USER),  # the service's own wins
    ({"TRUSTED_PROXY_HOPS": "1"}, PORTAL),
    ({}, INGRESS),
])
def test_a_service_runtime_reads_its_trusted_proxies_from_its_settings(tmp_path, env, expected):
    from platform_shared.runtime import ServiceRuntime
    from tests.support import ledger

    settings = ledger.settings({"DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.db'}",
                                "AMQP_URL": "memory://", **env})
    runtime = ServiceRuntime(ledger.definition(), settings).open()
    try:
        app = runtime.create_app()
        app.add_url_rule("/whoami", "whoami", lambda: {"address": request.remote_addr})
        answer = app.test_client().get("/whoami", headers={"X-Forwarded-For": f"{SPOOFED}, {USER}, {PORTAL}"},
                                       environ_overrides={"REMOTE_ADDR": INGRESS})
        assert answer.get_json()["address"] == expected
    finally:
        runtime.close()
