"""Accounts as they are read, and the first operator of a new installation."""

from __future__ import annotations

import datetime as dt
import uuid

from identity.domain.commands import BootstrapOperator
from identity.domain.model import Account
from identity.service_layer.dependencies import PasswordHasher
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import NotFound, Unauthenticated
from platform_shared.moments import utcnow
from platform_shared.pages import Page, PageRequest
from platform_shared.principal import Principal


def bootstrap_command(spec: str) -> BootstrapOperator:
    """The command of `IDENTITY_BOOTSTRAP_OPERATOR` (`email:password`)."""
    email, sep, password = spec.partition(":")
    if not sep or "@" not in email or not password:
        raise ValueError("IDENTITY_BOOTSTRAP_OPERATOR must be 'email:password'")
    return BootstrapOperator(email=email.strip().lower(), password=password)


def handle_bootstrap_operator(command: BootstrapOperator, uow: IdentityUnitOfWork, hashing: PasswordHasher) -> bool:
    """Create the operator unless an account with that e-mail exists; whether it did. Its holder
    is mailed that the account exists (`identity.account.bootstrapped`, without the password)."""
    with uow:
        if uow.accounts.email_taken(command.email):
            return False
        now = utcnow()
        account = Account(id=str(uuid.uuid4()), email=command.email, role="operator",
                          password_hash=hashing.hash(command.password), created_at=now)
        uow.accounts.add(account)
        uow.publish("identity.account.bootstrapped", {
            "account_id": account.id, "email": account.email, "role": "operator",
            "created_at": now.replace(tzinfo=dt.UTC).isoformat()}, aggregate_id=account.id)
        return True


def signed_in_account(principal: Principal, uow: IdentityUnitOfWork) -> Account:
    """The caller's account; `Unauthenticated` once it is gone or disabled."""
    account = uow.accounts.get(principal.account_id)
    if account is None or not account.can_sign_in:
        raise Unauthenticated("This account no longer exists.", slug="invalid-token")
    return account


def members_of(organisation_id: str, principal: Principal, request: PageRequest,
               uow: IdentityUnitOfWork) -> Page[Account]:
    """The accounts of an organisation, oldest first (its members, operators; 404 for others)."""
    ensure_member_or_operator(principal, organisation_id)
    if not uow.organisations.exists(organisation_id):
        raise _no_organisation()
    return uow.accounts.of_organisation(organisation_id, request)


def staff(request: PageRequest, uow: IdentityUnitOfWork) -> Page[Account]:
    """Reviewers, operators and province admins, oldest first (operators)."""
    return uow.accounts.staff(request)


def ensure_member_or_operator(principal: Principal, organisation_id: str) -> None:
    """`NotFound` unless the caller is an operator or a member of the organisation (its existence
    is not revealed to others)."""
    if principal.role != "operator" and not principal.is_member_of(organisation_id):
        raise _no_organisation()


def _no_organisation() -> NotFound:
    return NotFound("No such organisation.", slug="not-found")
