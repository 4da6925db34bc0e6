"""A forgotten password reset by a mailed one-time link, and a password changed by the signed-in
person; either way every sign-in of the account ends and its holder is told by mail.

Asking for a reset answers the same whether or not the address has an account (nothing tells who
is registered); the link goes only to an account that exists and is active, lives an hour, and
voids the account's earlier unused links. Setting the new password is the password-setup step
(`password_setup.handle_set_password`), which ends the account's other sign-ins too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from identity.domain.commands import ChangePassword, RequestPasswordReset
from identity.domain.passwords import PasswordRejected, check_password
from identity.service_layer.accounts import signed_in_account
from identity.service_layer.dependencies import PasswordHasher, TokenSigner
from identity.service_layer.password_setup import issue_password_setup, password_changed
from identity.service_layer.tokens import issue_tokens
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Rule, RuleBroken

RESET_LIFETIME = dt.timedelta(hours=1)


def handle_request_reset(command: RequestPasswordReset, uow: IdentityUnitOfWork, base_url: str) -> None:
    """Queue the reset mail for the address's account, if it has an active one; audited either way."""
    email = command.email.strip().lower()
    with uow:
        account = uow.accounts.by_email(email)
        if account is None or not account.can_sign_in:
            uow.audit("password.reset_requested", "account", None, {"email": email, "known": False})
            return
        url, expires_at = issue_password_setup(account.id, "reset", base_url, uow, lifetime=RESET_LIFETIME)
        uow.publish("identity.account.password_reset_requested", {
            "account_id": account.id, "email": account.email, "password_setup_url": url,
            "password_setup_expires_at": expires_at.isoformat()}, aggregate_id=account.id)
        uow.audit("password.reset_requested", "account", account.id, {"email": email, "known": True})


def handle_change_password(command: ChangePassword, uow: IdentityUnitOfWork, hashing: PasswordHasher,
                           keys: TokenSigner) -> dict[str, Any]:
    """Change the caller's password (the current one required): every sign-in ends, and the caller
    gets a new token pair to go on with. `RuleBroken` naming the field otherwise."""
    with uow:
        account = signed_in_account(command.principal, uow)
        knows = hashing.verify(account.password_hash, command.current_password)
        if not knows:
            uow.audit("password.change_refused", "account", account.id, {"reason": "current password wrong"})
    if not knows:
        raise RuleBroken({"current_password": [Rule("The current password is wrong.", "password.current_wrong")]})
    with uow:
        account = signed_in_account(command.principal, uow)
        try:
            check_password(command.new_password, account.email)
        except PasswordRejected as exc:
            raise RuleBroken({"new_password": [exc.reason]}, str(exc.reason)) from None
        if hashing.verify(account.password_hash, command.new_password):
            raise RuleBroken({"new_password": [Rule("Choose a password other than the current one.",
                                                    "password.unchanged")]})
        account.password_hash = hashing.hash(command.new_password)
        uow.accounts.save(account)
        ended = password_changed(account, "change", uow)
        tokens = issue_tokens(account, uow, keys)
        uow.audit("password.changed", "account", account.id, {"sign_ins_ended": ended},
                  actor=dataclasses.replace(uow.actor, account_id=account.id, role=account.role))
    return tokens
