"""The registry of event contracts: one marshmallow schema per (event type, version).

Contracts register themselves with the `contract` decorator where they are declared (the
catalogue, or a test's own events); `platform_shared.events.contracts` reads them. This module
imports no contract, so declaring one never depends on the code that checks events.
"""

from __future__ import annotations

from collections.abc import Callable

import marshmallow as ma

_CONTRACTS: dict[tuple[str, int], type[ma.Schema]] = {}

SchemaClass = type[ma.Schema]


def contract(event_type: str, version: int = 1) -> Callable[[SchemaClass], SchemaClass]:
    """Class decorator registering a schema as the payload contract of `event_type` v`version`."""

    def register(schema: SchemaClass) -> SchemaClass:
        key = (event_type, version)
        if key in _CONTRACTS and _CONTRACTS[key] is not schema:
            raise ValueError(f"contract {event_type} v{version} registered twice")
        _CONTRACTS[key] = schema
        return schema

    return register


def registered(event_type: str, version: int) -> SchemaClass | None:
    return _CONTRACTS.get((event_type, version))


def registered_contracts() -> list[tuple[str, int]]:
    return sorted(_CONTRACTS)
