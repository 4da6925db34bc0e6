"""The unit of work: state changes and their events commit together or not at all."""

from __future__ import annotations

import json

import pytest

from platform_shared.events.envelope import MalformedEvent
from platform_shared.unit_of_work import UnitOfWork

pytestmark = pytest.mark.unit

REGISTERED = "identity.organisation.registered"


def test_an_event_published_in_a_unit_of_work_commits_with_the_state_change(service, registered_payload):
    with UnitOfWork(service.database, service.Outbox, producer="unit", correlation_id="req-1") as uow:
        service.Thing.create(name="organisation")
        event = uow.publish(REGISTERED, registered_payload(), aggregate_id="org-1", aggregate_version=2)

    with service.database.connection_context():
        assert [t.name for t in service.Thing.select()] == ["organisation"]
        row = service.Outbox.get(service.Outbox.event_id == event.id)
    body = json.loads(row.body)
    assert body["type"] == REGISTERED
    assert (body["producer"], body["aggregate_id"], body["aggregate_version"]) == ("unit", "org-1", 2)
    assert body["correlation_id"] == "req-1"
    assert uow.published == [event]


def test_an_exception_in_a_unit_of_work_rolls_back_the_state_change_and_its_events(service, registered_payload):
    with pytest.raises(RuntimeError, match="after publishing"):
        with UnitOfWork(service.database, service.Outbox, producer="unit") as uow:
            service.Thing.create(name="organisation")
            uow.publish(REGISTERED, registered_payload(), aggregate_id="org-1")
            raise RuntimeError("failed after publishing")

    with service.database.connection_context():
        assert service.Thing.select().count() == 0
        assert service.Outbox.select().count() == 0


def test_a_payload_that_breaks_its_contract_rolls_back_the_whole_unit_of_work(service, registered_payload):
    with pytest.raises(MalformedEvent):
        with UnitOfWork(service.database, service.Outbox, producer="unit") as uow:
            service.Thing.create(name="organisation")
            uow.publish(REGISTERED, registered_payload(kind="government"), aggregate_id="org-1")

    with service.database.connection_context():
        assert service.Thing.select().count() == 0
        assert service.Outbox.select().count() == 0


def test_a_unit_of_work_caused_by_an_event_carries_its_correlation_and_causation(service, registered_payload,
                                                                                make_event):
    cause = make_event(correlation_id="req-77")

    with UnitOfWork.caused_by(cause, service.database, service.Outbox, producer="unit") as uow:
        event = uow.publish(REGISTERED, registered_payload(), aggregate_id="org-2")

    assert (event.correlation_id, event.causation_id) == ("req-77", cause.id)
    with service.database.connection_context():
        row = service.Outbox.get(service.Outbox.event_id == event.id)
    assert row.correlation_id == "req-77"
    assert json.loads(row.body)["causation_id"] == cause.id


def test_a_unit_of_work_nested_in_an_outer_transaction_is_rolled_back_with_it(service, registered_payload):
    with service.database.connection_context():
        with pytest.raises(RuntimeError), service.database.atomic():
            with UnitOfWork(service.database, service.Outbox, producer="unit") as uow:
                service.Thing.create(name="inner")
                uow.publish(REGISTERED, registered_payload(), aggregate_id="org-3")
            raise RuntimeError("the outer transaction fails")
        assert service.Thing.select().count() == 0
        assert service.Outbox.select().count() == 0
