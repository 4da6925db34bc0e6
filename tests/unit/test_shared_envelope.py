"""The event envelope and the contract registry (platform_shared.events)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from platform_shared.events.contracts import build_event, known_contracts, parse_event, validate_payload
from platform_shared.events.envelope import Envelope, MalformedEvent, parse_envelope

pytestmark = pytest.mark.unit

REGISTERED = "identity.organisation.registered"


def _envelope_dict(event: Envelope) -> dict:
    return json.loads(event.to_json())


def test_an_envelope_survives_the_round_trip_to_json_and_back(make_event):
    event = make_event(correlation_id="req-123", causation_id=str(uuid.uuid4()), aggregate_version=3)

    again = parse_envelope(event.to_json())

    assert again == event
    assert again.occurred_at.tzinfo is not None
    assert isinstance(again.id, str)


def test_the_json_form_carries_every_envelope_field_and_chinese_text_as_is(make_event):
    event = make_event()

    text = event.to_json()
    raw = json.loads(text)

    assert set(raw) == {"id", "type", "version", "occurred_at", "producer", "correlation_id",
                        "causation_id", "aggregate_id", "aggregate_version", "data"}
    assert "华为技术有限公司" in text  # not \\u escapes
    assert raw["id"] == event.id


def test_parse_event_accepts_a_built_event_and_returns_the_same_envelope(registered_payload):
    event = build_event(REGISTERED, registered_payload(), producer="identity", aggregate_id="org-1",
                        correlation_id="req-1")

    assert parse_event(event.to_json()) == event
    assert parse_event(event.to_json().encode("utf-8")) == event


@pytest.mark.parametrize("missing", ["id", "type", "version", "occurred_at", "producer",
                                     "aggregate_id", "aggregate_version", "data"])
def test_an_envelope_missing_a_required_field_is_malformed_and_the_reason_names_it(make_event, missing):
    raw = _envelope_dict(make_event())
    del raw[missing]

    with pytest.raises(MalformedEvent) as caught:
        parse_envelope(json.dumps(raw))

    assert missing in caught.value.reason
    assert "envelope invalid" in caught.value.reason


def test_an_envelope_with_an_extra_field_is_malformed_and_the_reason_names_it(make_event):
    raw = _envelope_dict(make_event())
    raw["priority"] = "high"

    with pytest.raises(MalformedEvent) as caught:
        parse_envelope(json.dumps(raw))

    assert "priority" in caught.value.reason


@pytest.mark.parametrize("bad_type", ["Identity.organisation.registered", "identity.organisation",
                                      "identity.organisation.registered.again", "identity..registered",
                                      "identity.organisation.registered-now", ""])
def test_an_event_type_that_breaks_the_pattern_is_malformed(make_event, bad_type):
    raw = _envelope_dict(make_event())
    raw["type"] = bad_type

    with pytest.raises(MalformedEvent) as caught:
        parse_envelope(json.dumps(raw))

    assert "type" in caught.value.reason


@pytest.mark.parametrize("body", [b"not json at all", "{\"id\": ", b"\xff\xfe\x00garbage"])
def test_a_body_that_is_not_json_is_malformed_with_that_reason(body):
    with pytest.raises(MalformedEvent) as caught:
        parse_envelope(body)

    assert "not JSON" in caught.value.reason


def test_a_json_body_that_is_not_an_object_is_malformed():
    with pytest.raises(MalformedEvent) as caught:
        parse_envelope("[1, 2, 3]")

    assert "not a JSON object" in caught.value.reason


@pytest.mark.parametrize(("field", "value"), [("version", 0), ("version", "1"), ("aggregate_version", 0),
                                          ("id", "not-a-uuid"), ("occurred_at", "yesterday"),
                                          ("producer", ""), ("data", [1, 2])])
def test_an_envelope_field_of_the_wrong_kind_is_malformed_and_named(make_event, field, value):
    raw = _envelope_dict(make_event())
    raw[field] = value

    with pytest.raises(MalformedEvent) as caught:
        parse_envelope(json.dumps(raw))

    assert field in caught.value.reason


def test_an_unknown_event_type_is_malformed_when_parsed(make_event):
    raw = _envelope_dict(make_event())
    raw["type"] = "identity.organisation.teleported"

    with pytest.raises(MalformedEvent) as caught:
        parse_event(json.dumps(raw))

    assert "unknown event type or version" in caught.value.reason
    assert "identity.organisation.teleported" in caught.value.reason


def test_an_unknown_version_of_a_known_type_is_malformed_when_parsed(make_event):
    raw = _envelope_dict(make_event())
    raw["version"] = 99

    with pytest.raises(MalformedEvent) as caught:
        parse_event(json.dumps(raw))

    assert "v99" in caught.value.reason


def test_build_event_refuses_an_unknown_type(registered_payload):
    with pytest.raises(MalformedEvent):
        build_event("identity.organisation.teleported", registered_payload(), producer="identity",
                    aggregate_id="org-1")


@pytest.mark.parametrize(("change", "field"), [
    ({"uscc": "91440300192203821"}, "uscc"),
    ({"kind": "government"}, "kind"),
    ({"province_code": "710000"}, "province_code"),
    ({"account_email": "not-an-email"}, "account_email"),
    ({"registered_at": "2024-05-06T07:08:09"}, "registered_at"),  # no time zone
    ({"contact": {"name": "张三", "phone": "13800138000", "email": "nope"}}, "contact"),
])
def test_a_payload_that_breaks_the_registered_contract_is_refused_by_the_producer(registered_payload,
                                                                                   change, field):
    with pytest.raises(MalformedEvent) as caught:
        build_event(REGISTERED, registered_payload(**change), producer="identity", aggregate_id="org-1")

    assert "breaks its contract" in caught.value.reason
    assert field in caught.value.reason


def test_a_payload_missing_a_required_field_is_refused_by_the_producer(registered_payload):
    data = registered_payload()
    del data["name"]

    with pytest.raises(MalformedEvent) as caught:
        build_event(REGISTERED, data, producer="identity", aggregate_id="org-1")

    assert "name" in caught.value.reason


def test_a_payload_that_breaks_the_registered_contract_is_refused_by_the_consumer(registered_payload):
    # Built without the contract check, as a faulty or foreign producer would.
    rogue = Envelope(type=REGISTERED, data=registered_payload(kind="government"), producer="rogue",
                     aggregate_id="org-1")

    assert parse_envelope(rogue.to_json()) == rogue  # the envelope itself is fine
    with pytest.raises(MalformedEvent) as caught:
        parse_event(rogue.to_json())

    assert "kind" in caught.value.reason
    assert REGISTERED in caught.value.reason


def test_the_built_payload_is_json_ready_exactly_as_it_travels(registered_payload):
    when = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)

    event = build_event(REGISTERED, registered_payload(registered_at=when), producer="identity",
                        aggregate_id="org-1")

    assert event.data["registered_at"] == "2024-05-06T07:08:09+00:00"
    assert json.loads(event.to_json())["data"] == dict(event.data)
    assert event.data["city_code"] == "440300"


def test_validate_payload_fills_the_optional_fields_the_contract_defaults(registered_payload):
    data = registered_payload()
    del data["city_code"]

    assert validate_payload(REGISTERED, 1, data)["city_code"] is None


def test_the_catalogue_knows_the_registered_event_version_one():
    assert (REGISTERED, 1) in known_contracts()


def test_a_caused_event_carries_the_correlation_id_and_names_its_cause(make_event):
    cause = make_event(correlation_id="req-42")

    effect = cause.caused("notify.email.sent", {"x": 1}, producer="notify", aggregate_id="d-1",
                          aggregate_version=2)

    assert effect.correlation_id == "req-42"
    assert effect.causation_id == cause.id
    assert effect.id != cause.id
    assert (effect.type, effect.producer, effect.aggregate_id, effect.aggregate_version) == \
        ("notify.email.sent", "notify", "d-1", 2)


def test_build_event_takes_the_aggregate_id_as_text_and_carries_the_ids_given(registered_payload):
    event = build_event(REGISTERED, registered_payload(), producer="identity", aggregate_id=1234,
                        correlation_id="req-9", causation_id="cause-1", aggregate_version=4)

    assert event.aggregate_id == "1234"
    assert (event.correlation_id, event.causation_id, event.aggregate_version) == ("req-9", "cause-1", 4)
    uuid.UUID(event.id)


def test_a_consumer_ignores_a_payload_field_a_newer_producer_added_but_a_producer_may_not_add_one(
        registered_payload):
    payload = registered_payload()
    event = build_event("identity.organisation.registered", payload, producer="identity",
                        aggregate_id=payload["organisation_id"])
    wire = json.loads(event.to_json())
    wire["data"]["added_in_a_later_release"] = "x"
    assert parse_event(json.dumps(wire)).id == event.id
    with pytest.raises(MalformedEvent):
        build_event("identity.organisation.registered", dict(payload, added_in_a_later_release="x"),
                    producer="identity", aggregate_id=payload["organisation_id"])


def test_an_event_published_by_a_service_that_does_not_own_its_type_is_refused(registered_payload):
    # filing speaking as identity: a well-formed payload, the wrong producer.
    forged = Envelope(type=REGISTERED, data=registered_payload(), producer="filing", aggregate_id="org-1")
    with pytest.raises(MalformedEvent) as caught:
        parse_event(forged.to_json())
    assert "may not publish" in caught.value.reason and "'filing'" in caught.value.reason
    genuine = Envelope(type=REGISTERED, data=registered_payload(), producer="identity", aggregate_id="org-1")
    assert parse_event(genuine.to_json()).producer == "identity"
