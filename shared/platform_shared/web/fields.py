"""Field types of HTTP responses that every service needs the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma


class UtcDateTime(ma.fields.DateTime):
    """A time as the contract fixes it: UTC ISO 8601 with its offset (`…+00:00`).

    The services store UTC times without a zone (SQLite keeps no zone); a naive value is
    therefore read as UTC. Without an offset, a time is not a `date-time` of OpenAPI.
    """

    def _serialize(self, value: dt.datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | float | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)
