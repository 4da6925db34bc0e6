"""Deactivating and reactivating accounts, and who is an organisation's admin (the rules:
`identity.domain.deactivation`).

Each is one transaction: the account's state, on deactivation the end of every sign-in of it
(its refresh tokens), the event that makes every service refuse its access tokens and mails its
holder (`identity.account.deactivated` / `reactivated`), and the audit entry with the reason.
"""

from __future__ import annotations

import datetime as dt

from identity.domain import deactivation as rules
from identity.domain.commands import ChangeOrganisationAdmin, DeactivateAccount, ReactivateAccount
from identity.domain.model import Account
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, DomainError, Forbidden, NotFound
from platform_shared.moments import utcnow
from platform_shared.principal import Principal

_REFUSALS: dict[str, type[DomainError]] = {"forbidden": Forbidden, "not-found": NotFound, "conflict": Conflict}


def _refusal(refused: rules.Refused) -> DomainError:
    return _REFUSALS[refused.kind](str(refused), slug=refused.slug)


def _not_found() -> NotFound:
    return NotFound("No such account.", slug="not-found")


def _actor(principal: Principal, uow: IdentityUnitOfWork) -> rules.Actor:
    caller = uow.accounts.get(principal.account_id)
    return rules.Actor(account_id=principal.account_id, role=principal.role,
                       organisation_id=principal.organisation_id,
                       organisation_admin=bool(caller and caller.organisation_admin and not caller.deactivated))


def _target(account: Account) -> rules.Target:
    return rules.Target(account_id=account.id, role=account.role, organisation_id=account.organisation_id,
                        organisation_admin=account.organisation_admin, deactivated=account.deactivated)


def _account(account_id: str, uow: IdentityUnitOfWork) -> Account:
    account = uow.accounts.get(account_id)
    if account is None:
        raise _not_found()
    return account


def _event(account: Account, principal: Principal, reason: str, moment_name: str,
           moment: dt.datetime) -> dict[str, object]:
    return {"account_id": account.id, "email": account.email, "role": account.role,
            "organisation_id": account.organisation_id, "by": principal.account_id, "reason": reason,
            moment_name: moment.replace(tzinfo=dt.UTC).isoformat()}


def handle_deactivate(command: DeactivateAccount, uow: IdentityUnitOfWork) -> Account:
    """Deactivate the account: it cannot sign in, its sign-ins end, every service refuses its tokens."""
    with uow:
        account = _account(command.account_id, uow)
        if account.organisation_id is not None:
            # Two admins deactivating each other at once: the second waits and counts one admin.
            uow.organisations.lock(account.organisation_id)
        uow.accounts.lock(account.id)
        account = _account(command.account_id, uow)
        active_admins = uow.accounts.active_admins(account.organisation_id) if account.organisation_id else 0
        try:
            rules.check_deactivation(_actor(command.principal, uow), _target(account), active_admins)
        except rules.Refused as refused:
            raise _refusal(refused) from None
        now = utcnow()
        account.deactivated_at = now
        uow.accounts.save(account)
        ended = uow.refresh_tokens.revoke_account(account.id, now)
        uow.publish("identity.account.deactivated",
                    _event(account, command.principal, command.reason, "deactivated_at", now),
                    aggregate_id=account.id)
        uow.audit("account.deactivated", "account", account.id,
                  {"email": account.email, "role": account.role, "organisation_id": account.organisation_id,
                   "reason": command.reason, "sign_ins_ended": ended})
    return account


def handle_reactivate(command: ReactivateAccount, uow: IdentityUnitOfWork) -> Account:
    """Reactivate the account: it may sign in again (tokens from before stay refused)."""
    with uow:
        uow.accounts.lock(command.account_id)
        account = _account(command.account_id, uow)
        try:
            rules.check_reactivation(_actor(command.principal, uow), _target(account))
        except rules.Refused as refused:
            raise _refusal(refused) from None
        now = utcnow()
        account.deactivated_at = None
        uow.accounts.save(account)
        uow.publish("identity.account.reactivated",
                    _event(account, command.principal, command.reason, "reactivated_at", now),
                    aggregate_id=account.id)
        uow.audit("account.reactivated", "account", account.id,
                  {"email": account.email, "role": account.role, "organisation_id": account.organisation_id,
                   "reason": command.reason})
    return account


def handle_change_admin(command: ChangeOrganisationAdmin, uow: IdentityUnitOfWork) -> Account:
    """Make the account an admin of its organisation, or no longer one (audited)."""
    with uow:
        account = _account(command.account_id, uow)
        if account.organisation_id is not None:
            uow.organisations.lock(account.organisation_id)
        account = _account(command.account_id, uow)
        active_admins = uow.accounts.active_admins(account.organisation_id) if account.organisation_id else 0
        try:
            rules.check_admin_change(_actor(command.principal, uow), _target(account), command.admin, active_admins)
        except rules.Refused as refused:
            raise _refusal(refused) from None
        if account.organisation_admin != command.admin:
            account.organisation_admin = command.admin
            uow.accounts.save(account)
            uow.audit("account.organisation_admin_granted" if command.admin else "account.organisation_admin_revoked",
                      "account", account.id, {"email": account.email, "organisation_id": account.organisation_id})
    return account
