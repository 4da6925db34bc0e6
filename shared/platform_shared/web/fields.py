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


# "Not blank" as JSON Schema's regular expressions (ECMA-262) and Python's `re` both read it: a
# character outside ECMA-262's white space. Python's `\s` also counts \x1c-\x1f and \x85 as space,
# so `\S` would refuse text the OpenAPI document's own pattern allows (and schemathesis, rightly,
# calls that a valid request refused).
ECMA_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = ma.validate.Regexp(f"[{ECMA_WHITESPACE}]*[^{ECMA_WHITESPACE}]", error="must not be blank")
NOT_BLANK.rule = "required"  # type: ignore[attr-defined]  # blank is empty to a person (web.field_rules)
