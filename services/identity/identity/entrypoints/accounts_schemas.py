"""HTTP bodies of staff and members (marshmallow)."""

from typing import Any

import marshmallow as ma

from identity.domain.staff import STAFF_ROLES, StaffRejected, check_staff
from platform_shared.regions import PROVINCES
from platform_shared.web.pagination import page_schema


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class NewStaffSchema(_Strict):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(STAFF_ROLES))
    province_code = ma.fields.String(
        load_default=None, allow_none=True,
        validate=ma.validate.OneOf(sorted(PROVINCES), error="Unknown province-level region code "
                                   "(GB/T 2260, or 660000 for 新疆生产建设兵团)."),
        metadata={"description": "required for a province_admin, absent for other roles"})

    @ma.validates_schema
    def _bound_as_the_role_requires(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("role") not in STAFF_ROLES:
            return  # the field's own validation already said so
        try:
            check_staff(data["role"], data.get("province_code"))
        except StaffRejected as exc:
            raise ma.ValidationError(str(exc), exc.field) from None


_EMAIL = {"type": "string", "format": "email", "maxLength": 254}
# The body of POST /staff as the OpenAPI document states it: which role takes a province is a
# rule JSON Schema can say (one of two shapes), while marshmallow checks it in a validator.
NEW_STAFF_DOCUMENT = {"oneOf": [
    {"type": "object", "additionalProperties": False, "required": ["email", "role"],
     "properties": {"email": _EMAIL, "role": {"type": "string", "enum": ["reviewer", "operator"]},
                    "province_code": {"type": "string", "nullable": True, "enum": [None],
                                      "description": "absent (or null): not bound to a province"}}},
    {"type": "object", "additionalProperties": False, "required": ["email", "role", "province_code"],
     "properties": {"email": _EMAIL, "role": {"type": "string", "enum": ["province_admin"]},
                    "province_code": {"type": "string", "enum": sorted(PROVINCES),
                                      "description": "the province (GB/T 2260; 660000: 新疆生产建设兵团)"}}},
]}


class InvitationSchema(_Strict):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))


class AccountStatusChangeSchema(_Strict):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500), metadata={
        "description": "why (audited, and mailed to the account's holder)"})

    @ma.validates("reason")
    def _not_blank(self, value: str, **kwargs: Any) -> None:
        if not value.strip():
            raise ma.ValidationError("Say why.")


class OrganisationAdminSchema(_Strict):
    admin = ma.fields.Boolean(required=True, metadata={
        "description": "whether the account is its organisation's admin"})


class AccountSchema(ma.Schema):
    id = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    organisation_id = ma.fields.String(allow_none=True)
    province_code = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean(required=True, metadata={
        "description": "false until the holder has set a password with the link they were mailed"})
    status = ma.fields.String(required=True, metadata={
        "description": "`active`, `pending` (no password set yet) or `deactivated`"})
    organisation_admin = ma.fields.Boolean(required=True, metadata={
        "description": "an admin of its organisation (deactivates and reactivates its members)"})
    deactivated_at = ma.fields.String(allow_none=True, metadata={
        "description": "UTC, ISO 8601; null unless deactivated"})
    created_at = ma.fields.String(required=True, metadata={"description": "UTC, ISO 8601"})


AccountPage = page_schema(AccountSchema, "AccountPage")
