"""Bodies and answers of a dispute on a USCC."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from identity.domain.identifiers import check_uscc
from identity.entrypoints.organisations_schemas import _checked


class DisputeSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    uscc = ma.fields.String(required=True, validate=[ma.validate.Length(equal=18), _checked(check_uscc)],
                            metadata={"description": "the disputed 统一社会信用代码"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000),
                              metadata={"description": "why (audited; the holder is told)"})

    @ma.post_load
    def _normalise(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["uscc"] = check_uscc(data["uscc"])
        return data


class DisputeOut(ma.Schema):
    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
