"""The registry of event contracts: one marshmallow schema per (event type, version).

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

from platform_shared.events.envelope import Envelope, MalformedEvent, parse_envelope

_CONTRACTS: dict[tuple[str, int], type[ma.Schema]] = {}


def contract(event_type: str, version: int = 1):
    """Class decorator registering `schema` as the payload contract of `event_type` v`version`."""

    def register(schema: type[ma.Schema]) -> type[ma.Schema]:
        key = (event_type, version)
        if key in _CONTRACTS and _CONTRACTS[key] is not schema:
            raise ValueError(f"contract {event_type} v{version} registered twice")
        _CONTRACTS[key] = schema
        return schema

    return register


def contract_for(event_type: str, version: int) -> type[ma.Schema]:
    _load_catalogue()
    try:
        return _CONTRACTS[(event_type, version)]
    except KeyError:
        raise MalformedEvent(f"unknown event type or version: {event_type} v{version}") from None


def known_contracts() -> list[tuple[str, int]]:
    _load_catalogue()
    return sorted(_CONTRACTS)


def validate_payload(event_type: str, version: int, data: Mapping[str, Any], *,
                     tolerate_unknown: bool = False) -> dict:
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
    return schema.dump(loaded)


def build_event(event_type: str, data: Mapping[str, Any], *, producer: str, aggregate_id: str,
                aggregate_version: int = 1, version: int = 1, correlation_id: str | None = None,
                causation_id: str | None = None) -> Envelope:
    """A new event whose payload has been checked against its contract."""
    payload = validate_payload(event_type, version, data)
    return Envelope(type=event_type, version=version, data=payload, producer=producer,
                    aggregate_id=str(aggregate_id), aggregate_version=aggregate_version,
                    correlation_id=correlation_id, causation_id=causation_id)


def parse_event(body: bytes | str | Mapping[str, Any]) -> Envelope:
    """Envelope and payload checked; raises `MalformedEvent` with the reason otherwise."""
    envelope = parse_envelope(body)
    validate_payload(envelope.type, envelope.version, envelope.data, tolerate_unknown=True)
    return envelope


def _load_catalogue() -> None:
    # The catalogue modules register themselves on import; importing here keeps the
    # registry complete however the caller reached it.
    from platform_shared.events import catalogue  # noqa: F401
