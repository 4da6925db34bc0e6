"""Contracts of the events identity publishes."""

from collections.abc import Mapping
from typing import Any

import marshmallow as ma

from platform_shared.events.catalogue.fields import Contact, province_code
from platform_shared.events.registry import contract

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
    # The first account's id (added later: older events lack it); notify maps its address to the
    # account, for the language the account chose.
    account_id = ma.fields.String(load_default=None, allow_none=True)
    registered_at = ma.fields.AwareDateTime(required=True, format="iso")


class LegalRepresentative(ma.Schema):
    name = ma.fields.String(required=True)
    # `110105********002X`: the birth date hidden; a full number never travels in an event.
    id_number_masked = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^\d{6}\*{8}\d{3}[\dX]$"))


@contract("identity.organisation.verification_requested", 1)
class VerificationRequestedV1(ma.Schema):
    """The organisation passed the real-name check and asks the reviewers to verify it.

    It carries what a reviewer checks against the licence: the address, the legal
    representative with the ID number **masked** (the full number stays encrypted in identity,
    revealed to a reviewer on request and audited) and the contact. These came later: older
    events lack them (None).
    """

    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORGANISATION_KINDS))
    province_code = province_code(required=True)
    city_code = ma.fields.String(load_default=None, allow_none=True)
    address = ma.fields.String(load_default=None, allow_none=True)
    legal_representative = ma.fields.Nested(LegalRepresentative, load_default=None, allow_none=True)
    contact = ma.fields.Nested(Contact, load_default=None, allow_none=True)
    documents = ma.fields.List(ma.fields.Dict(), load_default=list)
    requested_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.organisation.verified", 1)
class OrganisationVerifiedV1(ma.Schema):
    organisation_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(equal=18))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORGANISATION_KINDS))
    province_code = province_code(required=True)
    verified_at = ma.fields.AwareDateTime(required=True, format="iso")


class Reason(ma.Schema):
    field = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


@contract("identity.organisation.rejected", 1)
class OrganisationRejectedV1(ma.Schema):
    organisation_id = ma.fields.String(required=True)
    province_code = province_code(required=True)
    reasons = ma.fields.List(ma.fields.Nested(Reason), required=True)
    rejected_at = ma.fields.AwareDateTime(required=True, format="iso")


# The organisation status each of these events leaves behind (identity's state machine, as
# the services that keep a view of organisations must read it).
ORGANISATION_STATUS_AFTER = {
    "identity.organisation.registered": "registered",
    "identity.organisation.verification_requested": "pending_review",
    "identity.organisation.verified": "verified",
    "identity.organisation.rejected": "rejected",
    # What a registration holds (identity_holds): released by the clock or by an operator's dispute.
    "identity.organisation.lapsed": "lapsed",
    "identity.organisation.suspended": "suspended",
    # A verified organisation's changes (identity_changes): only a verified one changes, and stays so.
    "identity.organisation.contact_changed": "verified",
    "identity.organisation.changed": "verified",
}
# Events whose resulting status travels in the event (`status`): a reinstated organisation is
# back in the status it had before its suspension.
ORGANISATION_STATUS_CARRIED = ("identity.organisation.reinstated",)
ORGANISATION_EVENTS = (*ORGANISATION_STATUS_AFTER, *ORGANISATION_STATUS_CARRIED)


def organisation_status_after(event_type: str, data: Mapping[str, Any]) -> str | None:
    """The organisation's status after `event_type` (None for an event that does not say)."""
    if event_type in ORGANISATION_STATUS_CARRIED:
        return str(data["status"])
    return ORGANISATION_STATUS_AFTER.get(event_type)


@contract("identity.province_port.applied", 1)
class ProvincePortAppliedV1(ma.Schema):
    """A provincial office applied for its province's port (with its signed form): its contact
    is told the application arrived and that an operator decides it."""

    application_id = ma.fields.String(required=True)
    province_code = province_code(required=True)
    office_name = ma.fields.String(required=True)
    contact = ma.fields.Nested(Contact, required=True)
    submitted_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.province_port.approved", 1)
class ProvincePortApprovedV1(ma.Schema):
    """An operator approved a provincial office's port: its province admin account exists.

    `password_setup_url` is a one-time link for the holder to set their own password; it is
    only as secret as the mail that carries it, and it expires (`password_setup_expires_at`).
    It is a `secret` field: the outbox keeps it only until the broker has the event.
    """

    application_id = ma.fields.String(required=True)
    province_code = province_code(required=True)
    office_name = ma.fields.String(required=True)
    account_id = ma.fields.String(required=True)
    contact = ma.fields.Nested(Contact, required=True)
    password_setup_url = ma.fields.String(required=True, metadata={"secret": True})
    password_setup_expires_at = ma.fields.AwareDateTime(required=True, format="iso")
    approved_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.province_port.rejected", 1)
class ProvincePortRejectedV1(ma.Schema):
    """An operator rejected a provincial office's application; `reason` tells the office why.

    The province is free again: the office may apply anew."""

    application_id = ma.fields.String(required=True)
    province_code = province_code(required=True)
    office_name = ma.fields.String(required=True)
    contact = ma.fields.Nested(Contact, required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1))
    rejected_at = ma.fields.AwareDateTime(required=True, format="iso")


ACCOUNT_ROLES = ("enterprise", "reviewer", "province_admin", "operator")


@contract("identity.account.invited", 1)
class AccountInvitedV1(ma.Schema):
    """An account was made for someone else (staff by an operator, a colleague by an
    enterprise's member): its holder is mailed a one-time link to set their own password."""

    account_id = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ACCOUNT_ROLES))
    organisation_id = ma.fields.String(load_default=None, allow_none=True)
    organisation_name = ma.fields.String(load_default=None, allow_none=True)
    province_code = province_code(load_default=None, allow_none=True)
    invited_by = ma.fields.String(required=True)
    password_setup_url = ma.fields.String(required=True, metadata={"secret": True})
    password_setup_expires_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.account.bootstrapped", 1)
class AccountBootstrappedV1(ma.Schema):
    """The first operator of a new installation was created from `IDENTITY_BOOTSTRAP_OPERATOR`:
    its holder is told the account exists (the password is the one configured, never in the event)."""

    account_id = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(("operator",)))
    created_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.account.password_reset_requested", 1)
class PasswordResetRequestedV1(ma.Schema):
    """Someone asked for a new password of an existing, active account: its holder is mailed a
    one-time link (an hour). Nothing is published for an address without an account."""

    account_id = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    password_setup_url = ma.fields.String(required=True, metadata={"secret": True})
    password_setup_expires_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.account.password_changed", 1)
class PasswordChangedV1(ma.Schema):
    """An account's password changed (`how`: `change` by its holder, `reset` by a mailed link);
    every sign-in of it ended. Its holder is told, in case it was not them."""

    account_id = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    how = ma.fields.String(required=True, validate=ma.validate.OneOf(("change", "reset")))
    changed_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.account.deactivated", 1)
class AccountDeactivatedV1(ma.Schema):
    """An account was deactivated (`by`: the operator or organisation admin, with `reason`): it can
    no longer sign in, its sign-ins ended, and every service refuses its access tokens once it
    has recorded this event (`platform_shared.auth.revocations`). Its holder is mailed."""

    account_id = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    role = ma.fields.String(required=True)
    organisation_id = ma.fields.String(load_default=None, allow_none=True)
    by = ma.fields.String(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    deactivated_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("identity.account.reactivated", 1)
class AccountReactivatedV1(ma.Schema):
    """A deactivated account was reactivated: it may sign in again; tokens issued before its
    deactivation stay refused. Its holder is mailed."""

    account_id = ma.fields.String(required=True)
    email = ma.fields.Email(required=True)
    role = ma.fields.String(required=True)
    organisation_id = ma.fields.String(load_default=None, allow_none=True)
    by = ma.fields.String(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    reactivated_at = ma.fields.AwareDateTime(required=True, format="iso")
