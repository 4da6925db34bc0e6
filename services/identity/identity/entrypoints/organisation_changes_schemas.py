"""HTTP bodies of a verified organisation's contact change and of operators suspending and
reinstating an organisation."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from identity.entrypoints.organisations_schemas import Contact, _Strict


class ContactChange(_Strict):
    """What a verified organisation's admin changes at once: any of address, city, contact (the
    contact as a whole: name, phone and e-mail)."""

    address = ma.fields.String(validate=ma.validate.Length(min=1, max=300))
    city_code = ma.fields.String(allow_none=True, validate=ma.validate.Regexp(
        r"^\d{6}$", error="A 6-digit GB/T 2260 code."))
    contact = ma.fields.Nested(Contact)

    @ma.validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ma.ValidationError("Name what changes: address, city_code or contact.", "address")


class Reason(_Strict):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000),
                              metadata={"description": "why (audited; the organisation is told)"})
