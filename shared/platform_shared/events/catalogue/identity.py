"""Contracts of the events identity publishes."""

import marshmallow as ma

from platform_shared.events.catalogue.fields import Contact, province_code
from platform_shared.events.contracts import contract

ORGANISATION_KINDS = ("enterprise", "university_institute", "rd_institution", "social_organisation")


@contract("identity.organisation.registered", 1)
class OrganisationRegisteredV1(ma.Schema):
    """An organisation and its first account were registered (status `registered`).

    The legal representative's ID number never travels in an event: it is personal data
    kept encrypted by identity alone.
    """

    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORGANISATION_KINDS))
    province_code = province_code(required=True)
    city_code = ma.fields.String(load_default=None, allow_none=True)
    contact = ma.fields.Nested(Contact, required=True)
    account_email = ma.fields.Email(required=True)
    registered_at = ma.fields.AwareDateTime(required=True, format="iso")
