"""Checking events against their contracts (the schemas of `events.registry`, declared in the
catalogue).

Producers validate the payload when they publish (`build_event`), consumers when they
receive (`parse_event`): both use the same schema from this registry, so a producer can never
emit what its consumers would refuse. A new version of an event is a new schema registered
beside the old one; consumers keep accepting the versions they know.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import marshmallow as ma

# Every contract of the platform, registered on import (the catalogue imports only the registry).
from platform_shared.events import catalogue  # noqa: F401
from platform_shared.events.envelope import Envelope, MalformedEvent, parse_envelope
from platform_shared.events.registry import registered, registered_contracts


def contract_for(event_type: str, version: int) -> type[ma.Schema]:
    schema = registered(event_type, version)
    if schema is None:
        raise MalformedEvent(f"unknown event type or version: {event_type} v{version}")
    return schema


REDACTED = "[redacted]"


def secret_fields(event_type: str, version: int) -> tuple[str, ...]:
    """The payload fields that carry a usable secret (a one-time link): declared in the
    contract with `metadata={"secret": True}`; kept nowhere at rest once delivered."""
    schema = registered(event_type, version)
    if schema is None:
        return ()
    return tuple(name for name, field in schema._declared_fields.items() if field.metadata.get("secret"))


def without_secrets(body: str) -> str | None:
    """The event (as it travels, JSON) with its secret fields replaced by `REDACTED`, or None
    when it has none."""
    envelope = json.loads(body)
    secrets = secret_fields(envelope.get("type", ""), int(envelope.get("version", 1)))
    data = envelope.get("data") or {}
    if not any(name in data for name in secrets):
        return None
    envelope["data"] = {**data, **{name: REDACTED for name in secrets if name in data}}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


def known_contracts() -> list[tuple[str, int]]:
    return registered_contracts()


def validate_payload(event_type: str, version: int, data: Mapping[str, Any], *,
                     tolerate_unknown: bool = False) -> dict[str, Any]:
    """The payload as its contract loads it, or `MalformedEvent` naming the fields.

    A producer is strict (it never emits a field its contract does not name); a consumer is a
    tolerant reader (`tolerate_unknown`): a field that a newer producer added to the same
    version is ignored, while a missing or invalid field still breaks the contract.
    """
    schema = contract_for(event_type, version)(unknown=ma.EXCLUDE if tolerate_unknown else ma.RAISE)
    try:
        loaded = schema.load(dict(data))
    except ma.ValidationError as exc:
        raise MalformedEvent(
            f"{event_type} v{version} breaks its contract: "
            f"{json.dumps(exc.messages, ensure_ascii=False, sort_keys=True)}"
        ) from exc
    # Carry the payload as JSON-ready data (dates as strings), exactly as it will travel.
    payload: dict[str, Any] = schema.dump(loaded)
    return payload


def build_event(event_type: str, data: Mapping[str, Any], *, producer: str, aggregate_id: str,
                aggregate_version: int = 1, version: int = 1, correlation_id: str | None = None,
                causation_id: str | None = None) -> Envelope:
    """A new event whose payload has been checked against its contract."""
    payload = validate_payload(event_type, version, data)
    return Envelope(type=event_type, version=version, data=payload, producer=producer,
                    aggregate_id=str(aggregate_id), aggregate_version=aggregate_version,
                    correlation_id=correlation_id, causation_id=causation_id)


def owner_of(event_type: str) -> str:
    """The service that alone may publish `event_type`: its first part (`filing.product.filed`)."""
    return event_type.split(".", 1)[0]


def parse_event(body: bytes | str | Mapping[str, Any]) -> Envelope:
    """Envelope and payload checked, and that the producer is the service owning the event's
    type (no service speaks for another); raises `MalformedEvent` with the reason otherwise."""
    envelope = parse_envelope(body)
    validate_payload(envelope.type, envelope.version, envelope.data, tolerate_unknown=True)
    if envelope.producer != owner_of(envelope.type):
        raise MalformedEvent(f"{envelope.type} is {owner_of(envelope.type)}'s event; "
                             f"producer {envelope.producer!r} may not publish it")
    return envelope
