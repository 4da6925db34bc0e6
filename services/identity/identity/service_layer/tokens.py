"""Tokens: the access token's claims, a new pair at sign-in, spending a refresh token for a new
pair of its family, and the public keys that verify access tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

from identity.domain.commands import RefreshTokens
from identity.domain.model import Account, RefreshToken
from identity.domain.refresh import REFRESH_TOKEN_LIFETIME, StoredRefresh, verdict
from identity.service_layer.dependencies import TokenSigner
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.auth.tokens import AUDIENCE, ISSUER
from platform_shared.errors import Unauthenticated
from platform_shared.moments import utcnow

ACCESS_TOKEN_SECONDS = 900


def digest(token: str) -> str:
    """What is stored of a one-time token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def access_claims(account: Account, now: dt.datetime) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": account.id, "role": account.role, "typ": "access",
        # `iat` to the millisecond (RFC 7519 allows a non-integer NumericDate): a service tells a
        # token issued after a reactivation from one issued before the deactivation in the same second.
        "iat": round(now.timestamp(), 3), "exp": int(now.timestamp()) + ACCESS_TOKEN_SECONDS,
        "jti": str(uuid.uuid4()),
    }
    if account.role == "enterprise":
        claims["org"] = account.organisation_id
    if account.role == "province_admin":
        claims["province"] = account.province_code
    return claims


def issue_tokens(account: Account, uow: IdentityUnitOfWork, keys: TokenSigner,
                 family_id: str | None = None) -> dict[str, Any]:
    """A new access token and a new refresh token (of `family_id`, or a new family at sign-in).

    Call inside the unit of work's block: the refresh token is stored here.
    """
    now = dt.datetime.now(dt.UTC)
    refresh = secrets.token_urlsafe(32)
    uow.refresh_tokens.add(RefreshToken(
        id=str(uuid.uuid4()), account_id=account.id, family_id=family_id or str(uuid.uuid4()),
        token_hash=digest(refresh), issued_at=now.replace(tzinfo=None),
        expires_at=(now + REFRESH_TOKEN_LIFETIME).replace(tzinfo=None)))
    return {
        "access_token": keys.sign(access_claims(account, now)),
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
    }


def _refused(reason: str) -> Unauthenticated:
    return Unauthenticated(f"Sign in again: {reason}.", slug="invalid-refresh-token")


def handle_refresh_tokens(command: RefreshTokens, uow: IdentityUnitOfWork, keys: TokenSigner) -> dict[str, Any]:
    """Spend the refresh token for a new pair of its family; a spent token presented again revokes
    the whole family (whoever holds it, thief or owner, has to sign in again)."""
    now = utcnow()
    with uow:
        stored = uow.refresh_tokens.by_hash(digest(command.refresh_token))
        outcome = verdict(None if stored is None else StoredRefresh(stored.expires_at, stored.used_at,
                                                                     stored.revoked_at), now)
        if stored is not None and outcome == "ok":
            # Only one of two concurrent uses of the same token can spend it.
            outcome = "ok" if uow.refresh_tokens.spend(stored.id, now) else "reused"
        if stored is not None and outcome == "ok":
            account = uow.accounts.get(stored.account_id)
            if account is None or not account.can_sign_in:
                raise _refused("the account is disabled")
            return issue_tokens(account, uow, keys, family_id=stored.family_id)
    if stored is not None and outcome == "reused":
        with uow:
            uow.refresh_tokens.revoke_family(stored.family_id, now)
        raise _refused("this refresh token was already used; every session of it is now revoked")
    raise _refused(f"the refresh token is {outcome}")


def published_keys(keys: TokenSigner) -> dict[str, Any]:
    """The public keys that verify access tokens, as a JWKS."""
    return keys.jwks()
