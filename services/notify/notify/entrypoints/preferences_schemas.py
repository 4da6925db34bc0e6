"""The HTTP shapes of an account's mail preferences: what it sends to choose, what it reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma

from notify.domain.declaration_fields import LANGUAGES
from platform_shared.web.fields import UtcDateTime


class StrictBoolean(ma.fields.Boolean):
    """JSON `true` or `false` only: not `1`, `"yes"` or `"true"` (which marshmallow would take)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class PreferencesUpdate(ma.Schema):
    language = ma.fields.String(required=True, validate=ma.validate.OneOf(LANGUAGES), metadata={
        "description": "the language of the mails to this account"})
    new_review_tasks = StrictBoolean(load_default=False, metadata={
        "description": "reviewers only: mail me each new review task (422 for any other role asking for it)"})


class PreferencesSchema(ma.Schema):
    language = ma.fields.String(required=True, validate=ma.validate.OneOf(LANGUAGES))
    new_review_tasks = ma.fields.Boolean(required=True)
    email = ma.fields.String(allow_none=True, metadata={
        "description": "the address notify mails this account at, as identity named it (null until known)"})
    updated_at = UtcDateTime(allow_none=True, metadata={"description": "null until the account chose"})
