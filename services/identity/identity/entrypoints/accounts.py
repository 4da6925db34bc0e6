"""Accounts over HTTP: staff made by operators, members invited by members, accounts deactivated
and reactivated (operators: staff; organisations' admins: members). The audit log is
`platform_shared.web.audit_log`'s, as every service's.

Each view checks who calls before it reads the body, then translates the request into a call
of `identity.service_layer.invitations` (or a read). New accounts get their password-setup
link by mail only (the `identity.account.invited` event): never in a response.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from identity.domain.commands import (
    ChangeOrganisationAdmin,
    DeactivateAccount,
    InviteMember,
    InviteStaff,
    ReactivateAccount,
)
from identity.domain.model import Account
from identity.entrypoints import accounts_schemas as schemas
from identity.service_layer import accounts, deactivation, invitations
from identity.service_layer.dependencies import IdentityDependencies
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.pages import PageRequest
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.pagination import PageQuery
from platform_shared.web.routes import endpoint

blp = Blueprint("identity-accounts", __name__, url_prefix="/api/v1/identity",
                description="Staff accounts and members of organisations")
MEMBERS = "/organisations/<organisation_id>/members"


def _iso(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).isoformat()


def _public_url() -> str:
    return current_dependencies(IdentityDependencies).public_url


def account_out(account: Account) -> dict[str, Any]:
    return {"id": account.id, "email": account.email, "role": account.role,
            "organisation_id": account.organisation_id, "province_code": account.province_code,
            "active": account.active, "status": account.status, "organisation_admin": account.organisation_admin,
            "deactivated_at": _iso(account.deactivated_at) if account.deactivated_at else None,
            "created_at": _iso(account.created_at)}


@endpoint(blp, "/staff", "POST", roles=("operator",), body=schemas.NewStaffSchema,
          response=(201, schemas.AccountSchema), problems=(401, 403, 409),
          doc={"requestBody": {"required": True, "content": {
              "application/json": {"schema": schemas.NEW_STAFF_DOCUMENT}}}})
def create_staff(body: dict[str, Any]) -> dict[str, Any]:
    """Create a reviewer, operator or province admin (with `province_code`) account (operators).

    The account has no password: its holder is mailed a one-time link to set one. 409 when an
    account with the e-mail exists.
    """
    command = InviteStaff(email=body["email"], role=body["role"], province_code=body["province_code"],
                          principal=current_principal())
    return account_out(invitations.handle_invite_staff(command, current_uow(IdentityUnitOfWork), _public_url()))


@endpoint(blp, MEMBERS, "POST", roles=("enterprise",), body=schemas.InvitationSchema,
          response=(201, schemas.AccountSchema), problems=(401, 403, 404, 409))
def invite_colleague(body: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """Invite a colleague by e-mail into your organisation (its members).

    The colleague gets an enterprise account of the organisation and a mailed one-time link to
    set a password. 404 for any organisation but your own; 409 when the e-mail has an account.
    """
    command = InviteMember(organisation_id=organisation_id, email=body["email"], principal=current_principal())
    return account_out(invitations.handle_invite_member(command, current_uow(IdentityUnitOfWork), _public_url()))


@endpoint(blp, MEMBERS, "GET", roles=("enterprise", "operator"), query=PageQuery,
          response=(200, schemas.AccountPage), problems=(401, 403, 404))
def list_members(query: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """The accounts of an organisation, oldest first (its members, operators)."""
    page = accounts.members_of(organisation_id, current_principal(), PageRequest.of(query),
                               current_uow(IdentityUnitOfWork))
    return page.map(account_out).as_dict()


@endpoint(blp, "/staff", "GET", roles=("operator",), query=PageQuery,
          response=(200, schemas.AccountPage), problems=(401, 403))
def list_staff(query: dict[str, Any]) -> dict[str, Any]:
    """Reviewers, operators and province admins with their status, oldest first (operators)."""
    page = accounts.staff(PageRequest.of(query), current_uow(IdentityUnitOfWork))
    return page.map(account_out).as_dict()


@endpoint(blp, "/accounts/<account_id>/deactivation", "POST", roles=("operator", "enterprise"),
          body=schemas.AccountStatusChangeSchema, response=(200, schemas.AccountSchema),
          problems=(401, 403, 404, 409))
def deactivate_account(body: dict[str, Any], account_id: str) -> dict[str, Any]:
    """Deactivate an account, giving the reason: operators deactivate staff (never themselves), an
    organisation's admin its members (never its last active admin).

    The account cannot sign in any more, its sign-ins end, every service refuses its access tokens
    once it has the `identity.account.deactivated` event (within seconds), and its holder is
    mailed. 404 for an account outside the caller's organisation; 403 for a member who is not
    its admin; 409 `own-account`, `last-organisation-admin`, `account-already-deactivated`.
    """
    command = DeactivateAccount(account_id=account_id, reason=body["reason"].strip(), principal=current_principal())
    return account_out(deactivation.handle_deactivate(command, current_uow(IdentityUnitOfWork)))


@endpoint(blp, "/accounts/<account_id>/reactivation", "POST", roles=("operator", "enterprise"),
          body=schemas.AccountStatusChangeSchema, response=(200, schemas.AccountSchema),
          problems=(401, 403, 404, 409))
def reactivate_account(body: dict[str, Any], account_id: str) -> dict[str, Any]:
    """Reactivate a deactivated account, giving the reason (who may: as for deactivation).

    Its holder may sign in again; tokens issued before the deactivation stay refused. 409
    `account-not-deactivated` when it is not deactivated.
    """
    command = ReactivateAccount(account_id=account_id, reason=body["reason"].strip(), principal=current_principal())
    return account_out(deactivation.handle_reactivate(command, current_uow(IdentityUnitOfWork)))


@endpoint(blp, "/accounts/<account_id>/organisation-admin", "PUT", roles=("operator", "enterprise"),
          body=schemas.OrganisationAdminSchema, response=(200, schemas.AccountSchema),
          problems=(401, 403, 404, 409))
def set_organisation_admin(body: dict[str, Any], account_id: str) -> dict[str, Any]:
    """Make an account of an organisation its admin, or no longer one: the organisation's admin
    for its own accounts, an operator for any organisation's (when its admin has left).

    409 `last-organisation-admin` for removing the last active admin, `not-a-member` for staff.
    """
    command = ChangeOrganisationAdmin(account_id=account_id, admin=body["admin"], principal=current_principal())
    return account_out(deactivation.handle_change_admin(command, current_uow(IdentityUnitOfWork)))
