"""HTTP bodies of a verified organisation's contact change and of operators suspending and
reinstating an organisation."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from identity.domain.identifiers import check_id_number
from identity.entrypoints.organisations_schemas import Contact, RejectionReasonOut, _checked, _Strict
from platform_shared.web.fields import UtcDateTime


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


class LegalRepresentativeChange(_Strict):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    id_number = ma.fields.String(validate=[ma.validate.Regexp(r"^\d{17}[\dXx]$"), _checked(check_id_number)],
                                 metadata={"description": "居民身份证号码 (GB 11643-1999)"})

    @ma.post_load
    def _normalise(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if "id_number" in data:
            data["id_number"] = check_id_number(data["id_number"])
        return data


class Reason(_Strict):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000),
                              metadata={"description": "why (audited; the organisation is told)"})


class ChangeRequestIn(_Strict):
    """What a verified organisation's admin asks to change (reviewed): any of name, legal
    representative's name and ID number, with the documents that show it (a business licence)."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    legal_representative = ma.fields.Nested(LegalRepresentativeChange)
    document_ids = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=36)), required=True,
                                  validate=ma.validate.Length(min=1, max=10), metadata={
                                      "description": "the organisation's documents the request brings (uploaded "
                                                     "as for verification): a business licence at least"})

    @ma.validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "name" not in data and not data.get("legal_representative"):
            raise ma.ValidationError("Name what changes: name or legal_representative.", "name")


class FieldChangeOut(ma.Schema):
    field = ma.fields.String(required=True)
    before = ma.fields.String(required=True, allow_none=True)
    after = ma.fields.String(required=True, allow_none=True)


class ChangeRequestOut(ma.Schema):
    id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["pending", "approved", "rejected"]})
    changes = ma.fields.List(ma.fields.Nested(FieldChangeOut), required=True, metadata={
        "description": "each field before and after (ID numbers masked)"})
    document_ids = ma.fields.List(ma.fields.String(), required=True)
    requested_at = UtcDateTime(required=True)
    decided_at = UtcDateTime(required=True, allow_none=True)
    reasons = ma.fields.List(ma.fields.Nested(RejectionReasonOut), required=True, metadata={
        "description": "the reviewer's reasons per field of a rejection"})


class LatestChangeRequestOut(ma.Schema):
    latest = ma.fields.Nested(ChangeRequestOut, required=True, allow_none=True, metadata={
        "description": "the pending request, or the last decided one; null when none was made"})
