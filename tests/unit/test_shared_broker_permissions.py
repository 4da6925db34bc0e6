"""The broker permissions of each service, as regexes RabbitMQ will apply (messaging.permissions)
and the TLS options its connections verify the broker with (messaging.tls)."""

from __future__ import annotations

import re
import ssl

import pytest

from gateway.broker_users import bus_permissions
from platform_shared.messaging.permissions import BUS_SERVICES, owned_event_types, permissions_of
from platform_shared.messaging.tls import tls_options

pytestmark = pytest.mark.unit


def allows(regex: str, name: str) -> bool:
    # RabbitMQ matches a permission regex anywhere in the name (re.search), as here.
    return re.search(regex, name) is not None


@pytest.mark.parametrize("service", BUS_SERVICES)
def test_a_service_configures_only_its_own_queues(service):
    rights = bus_permissions()[service]
    for own in (f"{service}.events", f"{service}.filed-products", f"{service}.events.dead-letter"):
        assert allows(rights.configure, own) and allows(rights.write, own) and allows(rights.read, own)
    for other in BUS_SERVICES:
        if other != service:
            for right in (rights.configure, rights.write, rights.read):
                assert not allows(right, f"{other}.events")
                assert not allows(right, f"{other}.events.dead-letter")
    # The exchanges are the topology step's: published to and bound from, never configured.
    for exchange in ("platform.events", "platform.dead-letter"):
        assert not allows(rights.configure, exchange)
        assert allows(rights.write, exchange) and allows(rights.read, exchange)
    for name in ("amq.default", "", "amq.topic", f"x{service}.events", f"{service}.events.x"):
        assert not allows(rights.write, name), name


@pytest.mark.parametrize("service", BUS_SERVICES)
def test_a_service_publishes_exactly_the_events_it_owns(service):
    rights = bus_permissions()[service]
    owned = owned_event_types(service)
    assert owned and all(t.startswith(f"{service}.") for t in owned)
    for event_type in owned:
        assert allows(rights.topic_write, event_type)
        assert not allows(rights.topic_write, event_type + ".x")
    for other in BUS_SERVICES:
        if other != service:
            for event_type in owned_event_types(other):
                assert not allows(rights.topic_write, event_type), event_type
    assert rights.topic_exchange == "platform.events"


def test_a_service_binds_only_the_patterns_it_subscribes_to():
    notify, filing = bus_permissions()["notify"], bus_permissions()["filing"]
    # The broker checks the binding key as written: filing's pattern, not each event under it.
    assert allows(filing.topic_read, "identity.organisation.*")
    assert not allows(filing.topic_read, "identity.organisation.verified")
    # identity's invitations carry a one-time password link: notify mails it, nobody else binds it.
    assert allows(notify.topic_read, "identity.account.invited")
    for other in ("filing", "review", "reporting"):
        rights = bus_permissions()[other]
        for key in ("identity.account.invited", "identity.province_port.approved", "#", "identity.#", "*.*.*"):
            assert not allows(rights.topic_read, key), (other, key)
    assert permissions_of("identity", []).topic_read == "^$"


def test_filing_may_not_publish_reviews_decision():
    assert not allows(bus_permissions()["filing"].topic_write, "review.decision.made")
    assert allows(bus_permissions()["review"].topic_write, "review.decision.made")


def test_only_bus_services_have_broker_users():
    with pytest.raises(ValueError):
        permissions_of("portal", [])


def test_amqps_verifies_the_brokers_certificate_and_name():
    options = tls_options("amqps://filing:secret@rabbitmq:5671/", "/etc/platform/broker-ca/ca.crt")
    assert options == {"cert_reqs": ssl.CERT_REQUIRED, "server_hostname": "rabbitmq",
                       "ca_certs": "/etc/platform/broker-ca/ca.crt"}
    assert tls_options("amqps://rabbitmq.example.cn/") == {"cert_reqs": ssl.CERT_REQUIRED,
                                                           "server_hostname": "rabbitmq.example.cn"}
    assert tls_options("amqp://guest:guest@127.0.0.1:5672/") is False
    assert tls_options("memory://") is False
