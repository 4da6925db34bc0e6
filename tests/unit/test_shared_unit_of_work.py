"""The unit of work on peewee: state changes, their events and their audit entries commit
together or not at all; a unique key's refusal comes out as `DuplicateRecord`."""

from __future__ import annotations

import json

import pytest

from platform_shared.audit import Actor
from platform_shared.errors import DuplicateRecord
from platform_shared.events.envelope import MalformedEvent
from platform_shared.moments import utcnow
from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork

pytestmark = pytest.mark.unit

REGISTERED = "identity.organisation.registered"


def test_an_event_published_in_a_unit_of_work_commits_with_the_state_change(service, registered_payload):
    with PeeweeUnitOfWork(service.tables, producer="unit", correlation_id="req-1") as uow:
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
    with pytest.raises(RuntimeError, match="after publishing"), \
            PeeweeUnitOfWork(service.tables, producer="unit") as uow:
        service.Thing.create(name="organisation")
        uow.publish(REGISTERED, registered_payload(), aggregate_id="org-1")
        raise RuntimeError("failed after publishing")

    with service.database.connection_context():
        assert service.Thing.select().count() == 0
        assert service.Outbox.select().count() == 0


def test_a_payload_that_breaks_its_contract_rolls_back_the_whole_unit_of_work(service, registered_payload):
    with pytest.raises(MalformedEvent), PeeweeUnitOfWork(service.tables, producer="unit") as uow:
        service.Thing.create(name="organisation")
        uow.publish(REGISTERED, registered_payload(kind="government"), aggregate_id="org-1")

    with service.database.connection_context():
        assert service.Thing.select().count() == 0
        assert service.Outbox.select().count() == 0


def test_a_unit_of_work_caused_by_an_event_carries_its_correlation_and_causation(service, registered_payload,
                                                                                make_event):
    cause = make_event(correlation_id="req-77")

    with PeeweeUnitOfWork(service.tables, producer="unit").caused_by(cause) as uow:
        event = uow.publish(REGISTERED, registered_payload(), aggregate_id="org-2")

    assert (event.correlation_id, event.causation_id) == ("req-77", cause.id)
    with service.database.connection_context():
        row = service.Outbox.get(service.Outbox.event_id == event.id)
    assert row.correlation_id == "req-77"
    assert json.loads(row.body)["causation_id"] == cause.id


def test_a_unit_of_work_nested_in_an_outer_transaction_is_rolled_back_with_it(service, registered_payload):
    with service.database.connection_context():
        with pytest.raises(RuntimeError), service.database.atomic():
            with PeeweeUnitOfWork(service.tables, producer="unit") as uow:
                service.Thing.create(name="inner")
                uow.publish(REGISTERED, registered_payload(), aggregate_id="org-3")
            raise RuntimeError("the outer transaction fails")
        assert service.Thing.select().count() == 0
        assert service.Outbox.select().count() == 0


def test_an_audit_entry_commits_with_the_action_it_records_and_names_the_actor(service):
    actor = Actor(account_id="acc-1", role="operator", address="10.0.0.7", request_id="req-9")
    with PeeweeUnitOfWork(service.tables, producer="unit", actor=actor) as uow:
        service.Thing.create(name="read")
        uow.audit("thing.read", "thing", "t-1", {"why": "审计"})
        uow.audit("thing.seen", "thing", "t-1", actor=Actor(account_id="acc-2", role="reviewer"))

    with service.database.connection_context():
        rows = list(service.tables.AuditLog.select().order_by(service.tables.AuditLog.id))
    assert [(r.action, r.actor_id, r.actor_role, r.address, r.request_id) for r in rows] == [
        ("thing.read", "acc-1", "operator", "10.0.0.7", "req-9"), ("thing.seen", "acc-2", "reviewer", None, None)]
    assert json.loads(rows[0].detail) == {"why": "审计"}


def test_an_audit_entry_is_rolled_back_with_a_failed_action(service):
    with pytest.raises(RuntimeError), PeeweeUnitOfWork(service.tables, producer="unit") as uow:
        uow.audit("thing.changed", "thing", "t-1")
        raise RuntimeError("the action failed")
    with service.database.connection_context():
        assert service.tables.AuditLog.select().count() == 0


def test_a_write_refused_by_a_unique_key_comes_out_as_a_duplicate_record(service, registered_payload):
    event = None
    with PeeweeUnitOfWork(service.tables, producer="unit") as uow:
        event = uow.publish(REGISTERED, registered_payload(), aggregate_id="org-4")
    with pytest.raises(DuplicateRecord), PeeweeUnitOfWork(service.tables, producer="unit") as uow:
        service.Thing.create(name="twin")
        service.Outbox.insert(event_id=event.id, type=REGISTERED, body="{}", created_at=utcnow()
                              ).execute()
    with service.database.connection_context():
        assert service.Thing.select().count() == 0


def test_nested_units_of_work_commit_with_the_outermost_and_an_inner_failure_undoes_only_itself(service):
    with PeeweeUnitOfWork(service.tables, producer="unit") as uow:
        service.Thing.create(name="outer")
        with pytest.raises(RuntimeError), uow:
            service.Thing.create(name="inner")
            raise RuntimeError("the inner block fails")
        with uow:
            service.Thing.create(name="inner, kept")
    with service.database.connection_context():
        assert sorted(t.name for t in service.Thing.select()) == ["inner, kept", "outer"]
