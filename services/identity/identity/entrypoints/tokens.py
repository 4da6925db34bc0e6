"""Signing in over HTTP: tokens for e-mail and password, refreshing them, setting a password with
a mailed link, the signed-in account, and the public keys that verify tokens.

Why 429 and not 423 for a locked e-mail address: 423 Locked (RFC 4918, WebDAV) says a
*resource* is locked against changes, while here a client made too many attempts and must
wait, which is what 429 Too Many Requests (RFC 6585) with `Retry-After` says and what clients
already handle. The contract lists 429 for this; and one status for the rate limits and the
lock-out keeps a caller from telling more than "wait" (the problem `type` names which).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import request

from identity.domain.commands import ChangePassword, RefreshTokens, RequestPasswordReset, SetPassword, SignIn
from identity.entrypoints import tokens_schemas as schemas
from identity.service_layer import accounts, password_reset, password_setup, sign_in, tokens
from identity.service_layer.dependencies import IdentityDependencies
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.problems import PROBLEM_MEDIA_TYPE, ProblemSchema
from platform_shared.web.rate_limited import RateLimit, spend
from platform_shared.web.routes import ANYONE, endpoint

blp = Blueprint("identity", __name__, url_prefix="/api/v1/identity",
                description="Signing in: tokens, password setup, the signed-in account, the public keys")

TOO_MANY_SIGN_INS = {
    "schema": ProblemSchema, "content_type": PROBLEM_MEDIA_TYPE,
    "description": "Too many attempts: `type` ends in `too-many-sign-ins` (rate limit per e-mail "
                   "address, or of failed sign-ins per client address) or `sign-in-locked` (too many "
                   "wrong passwords for this e-mail address: locked for a while, whether or not an "
                   "account has it; the right password is refused too until the lock ends).",
    "headers": {"Retry-After": {"description": "seconds to wait before trying again",
                                "schema": {"type": "integer", "minimum": 1}}},
}


def _dependencies() -> IdentityDependencies:
    return current_dependencies(IdentityDependencies)


def client_address() -> str:
    """The caller's address; behind the platform's proxies (`TRUSTED_PROXIES`) the app has
    already taken it from `X-Forwarded-For` (`platform_shared.web.client_address`)."""
    return request.remote_addr or "unknown"


@endpoint(blp, "/tokens", "POST", roles=ANYONE, body=schemas.CredentialsSchema,
          response=(200, schemas.TokenPairSchema),
          alt_responses={401: {"response": "UNAUTHORIZED"}, 429: TOO_MANY_SIGN_INS})
def sign_in_with_password(body: dict[str, Any]) -> dict[str, Any]:
    """Exchange e-mail and password for an access token (anyone).

    Guarded against guessing (429 with `Retry-After`): attempts per e-mail address and failed
    attempts per client address are rate-limited, and too many wrong passwords for an e-mail
    address lock it for a while. Every sign-in, failed or not, is audited.
    """
    dependencies = _dependencies()
    command = SignIn(email=body["email"], password=body["password"], address=client_address())
    return sign_in.handle_sign_in(command, current_uow(IdentityUnitOfWork), dependencies.sign_in_protection,
                                  dependencies.password_hashing, dependencies.signing_keys)


@endpoint(blp, "/tokens/refresh", "POST", roles=ANYONE, body=schemas.RefreshSchema,
          response=(200, schemas.TokenPairSchema))
def refresh(body: dict[str, Any]) -> dict[str, Any]:
    """Exchange a refresh token for a new pair; each refresh token works once (token holder)."""
    return tokens.handle_refresh_tokens(RefreshTokens(body["refresh_token"]), current_uow(IdentityUnitOfWork),
                                        _dependencies().signing_keys)


@endpoint(blp, "/password-setup", "POST", roles=ANYONE, body=schemas.PasswordSetupSchema, response=204,
          rate_limit=RateLimit("password_setup", "30/hour"))
def set_password(body: dict[str, Any]) -> None:
    """Set your password with the one-time token of the link you were mailed (anyone holding it)."""
    password_setup.handle_set_password(SetPassword(body["token"], body["password"]),
                                       current_uow(IdentityUnitOfWork), _dependencies().password_hashing)


# Per e-mail address too (whatever the client): one address is not flooded with reset mails.
RESET_PER_ADDRESS = RateLimit("password_reset_per_address", "3/hour")


@endpoint(blp, "/password-resets", "POST", roles=ANYONE, body=schemas.PasswordResetSchema,
          response=(202, schemas.PasswordResetAnswerSchema), rate_limit=RateLimit("password_reset", "10/hour"))
def request_password_reset(body: dict[str, Any]) -> dict[str, str]:
    """Ask for a one-time link to set a new password, mailed to the address if it has an account
    (anyone). The answer is the same for every address; rate-limited per client and per address."""
    key = "address:" + hashlib.sha256(body["email"].strip().lower().encode()).hexdigest()
    spend(RESET_PER_ADDRESS, key, "Too many resets asked for this address")
    password_reset.handle_request_reset(RequestPasswordReset(body["email"]), current_uow(IdentityUnitOfWork),
                                        _dependencies().public_url)
    return {"status": "mailed-if-known"}


@endpoint(blp, "/me/password", "PUT", roles=(), body=schemas.PasswordChangeSchema,
          response=(200, schemas.TokenPairSchema))
def change_password(body: dict[str, Any]) -> dict[str, Any]:
    """Change your password, giving the current one (any role): every sign-in of the account ends,
    and a new token pair is returned to go on with."""
    dependencies = _dependencies()
    command = ChangePassword(current_principal(), body["current_password"], body["new_password"])
    return password_reset.handle_change_password(command, current_uow(IdentityUnitOfWork),
                                                 dependencies.password_hashing, dependencies.signing_keys)


@endpoint(blp, "/me", "GET", roles=(), response=(200, schemas.MeSchema))
def me() -> dict[str, Any]:
    """The signed-in account, its role and what the role is bound to (any role)."""
    account = accounts.signed_in_account(current_principal(), current_uow(IdentityUnitOfWork))
    return {"id": account.id, "email": account.email, "role": account.role,
            "organisation_id": account.organisation_id, "province_code": account.province_code}


@endpoint(blp, "/.well-known/jwks.json", "GET", roles=ANYONE, response=(200, schemas.JwksSchema))
def jwks() -> dict[str, Any]:
    """The public keys that verify access tokens (anyone)."""
    return tokens.published_keys(_dependencies().signing_keys)
