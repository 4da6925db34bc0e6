"""The envelope every domain event travels in, and its marshmallow schema.

Fields as ARCHITECTURE.md fixes them: `id`, `type`, `version`, `occurred_at`, `producer`,
`correlation_id`, `causation_id`, `aggregate_id`, `aggregate_version`, `data`. The envelope
says nothing about the payload's shape: that is the event's contract (`contracts.py`).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma

TYPE_PATTERN = r"^[a-z][a-z_]*\.[a-z][a-z_]*\.[a-z][a-z_]*$"


@dataclass(frozen=True)
class Envelope:
    """One event as it travels: who said what happened to which aggregate, and when."""

    type: str
    data: Mapping[str, Any]
    producer: str
    aggregate_id: str
    aggregate_version: int = 1
    version: int = 1
    correlation_id: str | None = None
    causation_id: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def to_json(self) -> str:
        return json.dumps(EnvelopeSchema().dump(self), ensure_ascii=False, separators=(",", ":"))

    def caused(self, type: str, data: Mapping[str, Any], producer: str, aggregate_id: str,
               aggregate_version: int = 1, version: int = 1) -> Envelope:
        """A new event that this one caused: same correlation, causation = this event."""
        return Envelope(type=type, data=data, producer=producer, aggregate_id=aggregate_id,
                        aggregate_version=aggregate_version, version=version,
                        correlation_id=self.correlation_id, causation_id=self.id)


class EnvelopeSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    id = ma.fields.UUID(required=True)
    type = ma.fields.String(required=True, validate=ma.validate.Regexp(TYPE_PATTERN))
    version = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))
    occurred_at = ma.fields.AwareDateTime(required=True, format="iso", default_timezone=dt.UTC)
    producer = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    correlation_id = ma.fields.String(load_default=None, allow_none=True,
                                      validate=ma.validate.Length(max=200))
    causation_id = ma.fields.String(load_default=None, allow_none=True,
                                    validate=ma.validate.Length(max=200))
    aggregate_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    aggregate_version = ma.fields.Integer(required=True, strict=True,
                                          validate=ma.validate.Range(min=1))
    data = ma.fields.Dict(required=True, keys=ma.fields.String())

    @ma.post_dump
    def _text_ids(self, item: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        item["id"] = str(item["id"])
        return item

    @ma.post_load
    def _make(self, item: dict[str, Any], **kwargs: Any) -> Envelope:
        item["id"] = str(item["id"])
        return Envelope(**item)


class MalformedEvent(Exception):
    """A message that is not an event of a known type and version, or breaks its contract."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_envelope(body: bytes | str | Mapping[str, Any]) -> Envelope:
    """Parse the envelope only; raises `MalformedEvent` naming what is wrong."""
    try:
        raw = json.loads(body) if isinstance(body, (bytes, str)) else dict(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedEvent(f"body is not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise MalformedEvent("body is not a JSON object")
    try:
        envelope: Envelope = EnvelopeSchema().load(raw)
    except ma.ValidationError as exc:
        raise MalformedEvent(f"envelope invalid: {json.dumps(exc.messages, ensure_ascii=False)}") from exc
    return envelope
