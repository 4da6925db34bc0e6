"""Contracts of identity's events about what a registration holds and for how long (issue 17's
squatting remedies): an address that already has an account, an unverified registration's hold
on its USCC running out, an operator's dispute suspending the holder of a USCC, and operators
dismissing a province-port application."""

import marshmallow as ma

from platform_shared.events.catalogue.fields import Contact, province_code
from platform_shared.events.registry import contract


@contract("identity.account.registration_attempted", 1)
class RegistrationAttemptedV1(ma.Schema):
    """Someone registered an organisation with the e-mail of an existing account. Nothing was
    stored; the registrant got the same answer as any other, and the account's holder is mailed
    (sign in, or reset the password) — the answer never tells who has an account."""

    account_id = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    attempted_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.organisation.hold_ending", 1)
class HoldEndingV1(ma.Schema):
    """An unverified registration has not asked for verification and will release its USCC at
    `lapses_at` unless it does: its contact and accounts are warned."""

    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    registered_at = ma.fields.AwareDateTime(required=True, format="iso")
    lapses_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.organisation.lapsed", 1)
class OrganisationLapsedV1(ma.Schema):
    """An unverified registration held its USCC for the bound without asking for verification: it
    is `lapsed`, the USCC is free for another registration, its accounts no longer act for it
    (filing's and reporting's views of organisations follow the status)."""

    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True)
    province_code = province_code(required=True)
    registered_at = ma.fields.AwareDateTime(required=True, format="iso")
    lapsed_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.province_port.dismissed", 1)
class PortApplicationDismissedV1(ma.Schema):
    """An operator dismissed a pending province-port application (with the reason): the province
    is free for another application; the applicant's contact is told why."""

    application_id = ma.fields.String(required=True)
    province_code = province_code(required=True)
    office_name = ma.fields.String(required=True)
    contact = ma.fields.Nested(Contact, required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    dismissed_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.organisation.suspended", 1)
class OrganisationSuspendedV1(ma.Schema):
    """An operator opened a dispute on the organisation's USCC (`reason`): the registration is
    `suspended` — it released the USCC, so the rightful organisation can register it and prove
    itself with its licence through the normal verification — and its accounts no longer act for
    it: filing takes no products from it and says so where its products are verified publicly.
    Its contact and accounts are told why."""

    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True)
    province_code = province_code(required=True)
    previous_status = ma.fields.String(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    suspended_by = ma.fields.String(required=True)
    suspended_at = ma.fields.AwareDateTime(required=True, format="iso")
    # False when an operator suspended it directly from the console rather than by a dispute on
    # its USCC (added later: older events were all disputes).
    dispute = ma.fields.Boolean(load_default=True)
