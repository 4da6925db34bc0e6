"""Contracts of identity's events about a verified organisation changing over time (issue 17,
part 3): its contact and address changed at once by its admin, and an operator suspending an
organisation directly or reinstating a suspended one."""

import marshmallow as ma

from platform_shared.events.catalogue.fields import Contact, province_code
from platform_shared.events.catalogue.identity import Reason
from platform_shared.events.registry import contract


class FieldChange(ma.Schema):
    """One field that changed: its name as the API spells it (`contact.email`), before and after."""

    field = ma.fields.String(required=True)
    before = ma.fields.String(required=True, allow_none=True)
    after = ma.fields.String(required=True, allow_none=True)


@contract("identity.organisation.contact_changed", 1)
class ContactChangedV1(ma.Schema):
    """A verified organisation's admin changed its contact, address or city (no review: these are
    not what the registry vouches for). Both the previous and the new contact address are mailed
    what changed (`previous_contact_email`: the address before; the same when only other fields
    changed); reporting follows the city."""

    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True)
    province_code = province_code(required=True)
    city_code = ma.fields.String(load_default=None, allow_none=True)
    address = ma.fields.String(required=True)
    contact = ma.fields.Nested(Contact, required=True)
    previous_contact_email = ma.fields.Email(required=True)
    changes = ma.fields.List(ma.fields.Nested(FieldChange), required=True, validate=ma.validate.Length(min=1))
    changed_by = ma.fields.String(required=True)
    changed_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.organisation.reinstated", 1)
class OrganisationReinstatedV1(ma.Schema):
    """An operator reinstated a suspended organisation (`reason`): it holds its USCC again and is
    back in `status` (what it was before the suspension; one that awaited a review decision is
    `registered` and asks again). Filing's and reporting's views follow `status`, public
    verification no longer says it is suspended; its contact and accounts are told."""

    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True)
    province_code = province_code(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(
        ("registered", "verified", "rejected")))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    reinstated_by = ma.fields.String(required=True)
    reinstated_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.organisation.change_requested", 1)
class ChangeRequestedV1(ma.Schema):
    """A verified organisation's admin asks to change its name or legal representative (the
    registry agreed with the new data): review opens a task of kind `org_change` showing
    each field before and after (ID numbers masked) and the documents brought. The organisation
    stays verified meanwhile; `name` is its name now."""

    request_id = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True)
    province_code = province_code(required=True)
    changes = ma.fields.List(ma.fields.Nested(FieldChange), required=True, validate=ma.validate.Length(min=1))
    documents = ma.fields.List(ma.fields.Dict(), required=True)
    requested_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.organisation.changed", 1)
class OrganisationChangedV1(ma.Schema):
    """A reviewer approved a change request: the organisation's name or legal representative
    changed (its version up). Filing and reporting take the new `name`; its contact and accounts
    are told."""

    organisation_id = ma.fields.String(required=True)
    request_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    previous_name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True)
    province_code = province_code(required=True)
    changes = ma.fields.List(ma.fields.Nested(FieldChange), required=True)
    changed_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.organisation.change_rejected", 1)
class ChangeRejectedV1(ma.Schema):
    """A reviewer rejected a change request (reasons per field): nothing changed; its contact and
    accounts are told why and may ask again."""

    organisation_id = ma.fields.String(required=True)
    request_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    province_code = province_code(required=True)
    changes = ma.fields.List(ma.fields.Nested(FieldChange), required=True)
    reasons = ma.fields.List(ma.fields.Nested(Reason), required=True)
    rejected_at = ma.fields.AwareDateTime(required=True, format="iso")
