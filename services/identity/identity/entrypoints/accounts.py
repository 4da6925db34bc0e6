"""Accounts over HTTP: staff made by operators, members invited by members, the audit log.

Each view checks who calls before it reads the body, then translates the request into a call
of `identity.service_layer.invitations` (or a read). New accounts get their password-setup
link by mail only (the `identity.account.invited` event): never in a response.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import g

from identity.adapters.orm import Account, AuditLog, Organisation
from identity.entrypoints import account_schemas as schemas
from identity.service_layer.invitations import InviteMember, InviteStaff, invite_member, invite_staff
from platform_shared.web.access import current_principal, requires
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.pagination import PageQuery, page_of
from platform_shared.web.problems import Problem

blp = Blueprint("identity-accounts", __name__, url_prefix="/api/v1/identity",
                description="Staff accounts, members of organisations, the audit log")
BEARER = [{"bearerAuth": []}]


problems = blp.problems


def _iso(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).isoformat()


def account_out(account: Account) -> dict:
    return {"id": account.id, "email": account.email, "role": account.role,
            "organisation_id": account.organisation_id, "province_code": account.province_code,
            "active": account.active, "created_at": _iso(account.created_at)}


def _audit(action: str, subject_id: str, detail: dict) -> None:
    audit_request(AuditLog, action, "account", subject_id, detail)


def _public_url() -> str:
    return current_runtime().components["public_url"]


def _own_organisation(organisation_id: str) -> None:
    """404 unless the caller is an operator or a member of the organisation (its existence is
    not revealed to others)."""
    principal = current_principal()
    if principal.role != "operator" and not principal.is_member_of(organisation_id):
        raise Problem(404, "No such organisation.", slug="not-found")


@blp.route("/staff", methods=["POST"])
@blp.doc(security=BEARER, requestBody={"required": True, "content": {
    "application/json": {"schema": schemas.NEW_STAFF_DOCUMENT}}})
@requires("operator")
@blp.arguments(schemas.NewStaffSchema)
@blp.response(201, schemas.AccountSchema)
@problems(401, 403, 409)
def create_staff(body: dict) -> dict:
    """Create a reviewer, operator or province admin (with `province_code`) account (operators).

    The account has no password: its holder is mailed a one-time link to set one. 409 when an
    account with the e-mail exists.
    """
    runtime = current_runtime()
    command = InviteStaff(email=body["email"], role=body["role"], province_code=body["province_code"],
                          invited_by=current_principal().account_id)
    account = invite_staff(command, runtime.unit_of_work(g.request_id), _public_url(), _audit)
    return account_out(account)


@blp.route("/organisations/<organisation_id>/members", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.InvitationSchema)
@blp.response(201, schemas.AccountSchema)
@problems(401, 403, 404, 409)
def invite_colleague(body: dict, organisation_id: str) -> dict:
    """Invite a colleague by e-mail into your organisation (its members).

    The colleague gets an enterprise account of the organisation and a mailed one-time link to
    set a password. 404 for any organisation but your own; 409 when the e-mail has an account.
    """
    _own_organisation(organisation_id)
    runtime = current_runtime()
    command = InviteMember(organisation_id=organisation_id, email=body["email"],
                           invited_by=current_principal().account_id)
    account = invite_member(command, runtime.unit_of_work(g.request_id), _public_url(), _audit)
    return account_out(account)


@blp.route("/organisations/<organisation_id>/members", methods=["GET"])
@blp.doc(security=BEARER)
@requires("enterprise", "operator")
@blp.arguments(PageQuery, location="query")
@blp.response(200, schemas.AccountPage)
@problems(401, 403, 404)
def list_members(query: dict, organisation_id: str) -> dict:
    """The accounts of an organisation, oldest first (its members, operators)."""
    _own_organisation(organisation_id)
    if not Organisation.select().where(Organisation.id == organisation_id).exists():
        raise Problem(404, "No such organisation.", slug="not-found")
    selection = Account.select().where(Account.organisation == organisation_id)
    page = page_of(selection, query, Account.created_at, Account.id)
    return {"items": [account_out(a) for a in page["items"]], "total": page["total"]}


@blp.route("/audit-log", methods=["GET"])
@blp.doc(security=BEARER)
@requires("operator")
@blp.arguments(schemas.AuditQuery, location="query")
@blp.response(200, schemas.AuditPage)
@problems(401, 403)
def audit_log(query: dict) -> dict:
    """Who did what to which record, when and from where, newest first (operators).

    Filter by `action` (e.g. `sign_in.failed`, `account.created`), `actor_id`, `subject_id`.
    """
    selection = AuditLog.select()
    for name in ("action", "actor_id", "subject_id"):
        if query[name] is not None:
            selection = selection.where(getattr(AuditLog, name) == query[name])
    page = page_of(selection, query, AuditLog.at.desc(), AuditLog.id.desc())
    return {"items": [_entry_out(entry) for entry in page["items"]], "total": page["total"]}


def _entry_out(entry: AuditLog) -> dict:
    return {"id": entry.id, "at": _iso(entry.at), "actor_id": entry.actor_id, "actor_role": entry.actor_role,
            "action": entry.action, "subject_type": entry.subject_type, "subject_id": entry.subject_id,
            "address": entry.address, "request_id": entry.request_id, "detail": json.loads(entry.detail or "{}")}
