"""A verified organisation's contact and address changed at once by its admin, and operators
suspending and reinstating organisations (the rules: `identity.domain.organisation_changes`).

Each is one transaction: the organisation's row (its version up by one, conditional on the
version read), the event (outbox) and the audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from identity.domain import organisation_changes as rules
from identity.domain.commands import ChangeContact, ReinstateOrganisation, SuspendOrganisation
from identity.domain.holds import HOLDING, SUSPENDED
from identity.domain.model import Organisation
from identity.service_layer.organisations import not_found, own_organisation
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, DomainError, Forbidden, RuleBroken
from platform_shared.principal import Principal
from platform_shared.regions import province_of

# The organisation's columns behind each field the API names.
_COLUMNS = {"address": "address", "city_code": "city_code", "contact.name": "contact_name",
            "contact.phone": "contact_phone", "contact.email": "contact_email"}


def _refusal(refused: rules.ChangeRefused) -> DomainError:
    if refused.kind == "invalid":
        return RuleBroken({refused.field or "body": [str(refused)]}, str(refused))
    if refused.kind == "forbidden":
        return Forbidden(str(refused), slug=refused.slug)
    return Conflict(str(refused), slug=refused.slug)


def _changed_meanwhile() -> Conflict:
    return Conflict("The organisation changed meanwhile; read it again.", slug="organisation-changed")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _reloaded(organisation_id: str, uow: IdentityUnitOfWork) -> Organisation:
    organisation = uow.organisations.get(organisation_id)
    if organisation is None:  # pragma: no cover - changed in this very transaction
        raise not_found()
    return organisation


def _is_admin(principal: Principal, uow: IdentityUnitOfWork) -> bool:
    account = uow.accounts.get(principal.account_id)
    return bool(account and account.organisation_admin and not account.deactivated)


def _wanted(command: ChangeContact, organisation: Organisation) -> dict[str, Any]:
    wanted: dict[str, Any] = {"address": command.address, "city_code": command.city_code,
                              "contact.name": command.contact_name, "contact.phone": command.contact_phone,
                              "contact.email": command.contact_email}
    wanted = {name: value for name, value in wanted.items() if value is not None}
    if command.clear_city_code:
        wanted["city_code"] = None
    return wanted


def _current(organisation: Organisation) -> dict[str, Any]:
    return {name: getattr(organisation, column) for name, column in _COLUMNS.items()}


def handle_change_contact(command: ChangeContact, uow: IdentityUnitOfWork) -> Organisation:
    """Change a verified organisation's contact, address or city (its admin): at once, audited,
    `identity.organisation.contact_changed` published (both contact addresses are mailed).
    Nothing that differs: nothing happens (no event, no version)."""
    organisation = own_organisation(command.principal, command.organisation_id, uow)
    try:
        rules.check_may_change_contact(organisation.status, _is_admin(command.principal, uow))
        rules.check_city(command.city_code, organisation.province_code,
                         province_of(command.city_code) if command.city_code else None)
    except rules.ChangeRefused as refused:
        raise _refusal(refused) from None
    changes = rules.field_changes(_current(organisation), _wanted(command, organisation))
    if not changes:
        return organisation
    now = _now()
    with uow:
        if not uow.organisations.change(organisation.id, organisation.version, (rules.VERIFIED,),
                                        {_COLUMNS[c.field]: c.after for c in changes}):
            raise _changed_meanwhile()
        changed = _reloaded(organisation.id, uow)
        listed = [c.as_dict() for c in changes]
        uow.publish("identity.organisation.contact_changed", {
            "organisation_id": changed.id, "name": changed.name, "uscc": changed.uscc, "kind": changed.kind,
            "province_code": changed.province_code, "city_code": changed.city_code, "address": changed.address,
            "contact": {"name": changed.contact_name, "phone": changed.contact_phone, "email": changed.contact_email},
            "previous_contact_email": organisation.contact_email, "changes": listed,
            "changed_by": command.principal.account_id, "changed_at": now.isoformat()},
            aggregate_id=changed.id, aggregate_version=changed.version)
        uow.audit("organisation.contact_changed", "organisation", changed.id, {"changes": listed})
    return changed


def suspend(holder: Organisation, reason: str, principal: Principal, uow: IdentityUnitOfWork, *,
            dispute: bool) -> Organisation:
    """Suspend `holder` (inside the caller's transaction): status `suspended`, its USCC released,
    `identity.organisation.suspended` published and audited. `Conflict` if it changed meanwhile."""
    now = _now()
    if not uow.organisations.change(holder.id, holder.version, HOLDING,
                                    {"status": SUSPENDED, "released_at": now.replace(tzinfo=None),
                                     "suspended_from": holder.status}):
        raise Conflict("This registration changed just now; look again.", slug="organisation-changed")
    uow.publish("identity.organisation.suspended", {
        "organisation_id": holder.id, "name": holder.name, "uscc": holder.uscc, "kind": holder.kind,
        "province_code": holder.province_code, "previous_status": holder.status, "reason": reason,
        "suspended_by": principal.account_id, "suspended_at": now.isoformat(), "dispute": dispute},
        aggregate_id=holder.id, aggregate_version=holder.version + 1)
    uow.audit("organisation.suspended", "organisation", holder.id,
              {"uscc": holder.uscc, "previous_status": holder.status, "reason": reason, "dispute": dispute})
    return _reloaded(holder.id, uow)


def _existing(organisation_id: str, uow: IdentityUnitOfWork) -> Organisation:
    organisation = uow.organisations.get(organisation_id)
    if organisation is None:
        raise not_found()
    return organisation


def handle_suspend(command: SuspendOrganisation, uow: IdentityUnitOfWork) -> Organisation:
    """Suspend an organisation directly (operators; the endpoint checks the role). `Conflict`
    unless it holds its USCC (registered, awaiting review, verified or rejected)."""
    try:
        reason = rules.check_reason(command.reason)
    except rules.ChangeRefused as refused:
        raise _refusal(refused) from None
    with uow:
        organisation = _existing(command.organisation_id, uow)
        if organisation.status not in HOLDING:
            raise Conflict(f"An organisation that is {organisation.status} cannot be suspended.",
                           slug="organisation-not-suspendable")
        return suspend(organisation, reason, command.principal, uow, dispute=False)


def handle_reinstate(command: ReinstateOrganisation, uow: IdentityUnitOfWork) -> Organisation:
    """Reinstate a suspended organisation (operators): it holds its USCC again and returns to the
    status it had (`registered` if it awaited a review decision), audited,
    `identity.organisation.reinstated` published. `Conflict` unless suspended, or when another
    registration holds the USCC now (`uscc-held`)."""
    try:
        reason = rules.check_reason(command.reason)
    except rules.ChangeRefused as refused:
        raise _refusal(refused) from None
    now = _now()
    with uow:
        organisation = _existing(command.organisation_id, uow)
        try:
            status = rules.status_after_reinstatement(organisation.status, organisation.suspended_from)
        except rules.ChangeRefused as refused:
            raise _refusal(refused) from None
        if uow.organisations.holder_of(organisation.uscc) is not None:
            raise Conflict("Another registration holds this 统一社会信用代码 now: the suspended one cannot have it "
                           "back.", slug="uscc-held")
        if not uow.organisations.change(organisation.id, organisation.version, (SUSPENDED,), {
                "status": status, "released_at": None, "suspended_from": None, "hold_warned_at": None,
                "reinstated_at": now.replace(tzinfo=None)}):
            raise _changed_meanwhile()
        uow.publish("identity.organisation.reinstated", {
            "organisation_id": organisation.id, "name": organisation.name, "uscc": organisation.uscc,
            "kind": organisation.kind, "province_code": organisation.province_code, "status": status,
            "reason": reason, "reinstated_by": command.principal.account_id, "reinstated_at": now.isoformat()},
            aggregate_id=organisation.id, aggregate_version=organisation.version + 1)
        uow.audit("organisation.reinstated", "organisation", organisation.id,
                  {"uscc": organisation.uscc, "status": status, "reason": reason})
        return _reloaded(organisation.id, uow)
