"""Accounts: password hashing, signing in, and the first operator of a new installation."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from identity.adapters.keys import SigningKeys
from identity.adapters.orm import Account, RefreshToken
from identity.domain.refresh import REFRESH_TOKEN_LIFETIME, StoredRefresh, verdict
from platform_shared.auth.tokens import AUDIENCE, ISSUER

ACCESS_TOKEN_SECONDS = 900


class PasswordHashing:
    """argon2id, memory-hard; parameters of argon2-cffi's RFC 9106 low-memory profile."""

    def __init__(self) -> None:
        self._hasher = PasswordHasher()
        # Verifying against this keeps a login for an unknown e-mail as slow as a real one.
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        # No account, or one without a usable password yet (invited: "" or "!"): verify against
        # the decoy all the same, so that the answer takes as long as for a real account.
        usable = bool(password_hash) and password_hash.startswith("$argon2")
        try:
            return self._hasher.verify(password_hash if usable else self._decoy, password) and usable
        except (VerificationError, InvalidHashError):
            return False


def access_claims(account: Account, now: dt.datetime) -> dict:
    claims = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": account.id, "role": account.role, "typ": "access",
        "iat": int(now.timestamp()), "exp": int(now.timestamp()) + ACCESS_TOKEN_SECONDS,
        "jti": str(uuid.uuid4()),
    }
    if account.role == "enterprise":
        claims["org"] = account.organisation_id
    if account.role == "province_admin":
        claims["province"] = account.province_code
    return claims


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_tokens(account: Account, keys: SigningKeys, family_id: str | None = None) -> dict:
    """A new access token and a new refresh token (of `family_id`, or a new family at sign-in).

    Call inside a transaction: the refresh token's row is written here.
    """
    now = dt.datetime.now(dt.UTC)
    refresh = secrets.token_urlsafe(32)
    RefreshToken.create(id=str(uuid.uuid4()), account=account, family_id=family_id or str(uuid.uuid4()),
                        token_hash=_digest(refresh), issued_at=now.replace(tzinfo=None),
                        expires_at=(now + REFRESH_TOKEN_LIFETIME).replace(tzinfo=None))
    return {
        "access_token": keys.sign(access_claims(account, now)),
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
    }


class RefreshRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def refresh_tokens(token: str, keys: SigningKeys, database) -> dict:
    """Spend `token` for a new pair of its family; a spent token presented again revokes the
    whole family (whoever holds it, thief or owner, has to sign in again)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with database.atomic():
        row = RefreshToken.get_or_none(RefreshToken.token_hash == _digest(token))
        stored = None if row is None else StoredRefresh(row.expires_at, row.used_at, row.revoked_at)
        outcome = verdict(stored, now)
        if outcome == "ok":
            # Only one of two concurrent uses of the same token can flip `used_at`.
            spent = (RefreshToken.update(used_at=now)
                     .where((RefreshToken.id == row.id) & RefreshToken.used_at.is_null()).execute())
            outcome = "ok" if spent == 1 else "reused"
        if outcome == "ok":
            if not row.account.active:
                raise RefreshRefused("the account is disabled")
            return issue_tokens(row.account, keys, family_id=row.family_id)
    if outcome == "reused":
        with database.atomic():
            (RefreshToken.update(revoked_at=now)
             .where((RefreshToken.family_id == row.family_id) & RefreshToken.revoked_at.is_null()).execute())
        raise RefreshRefused("this refresh token was already used; every session of it is now revoked")
    raise RefreshRefused(f"the refresh token is {outcome}")


def bootstrap_operator(spec: str, hashing: PasswordHashing) -> bool:
    """Create the operator `email:password` unless an account with that e-mail exists."""
    email, sep, password = spec.partition(":")
    if not sep or "@" not in email or not password:
        raise ValueError("IDENTITY_BOOTSTRAP_OPERATOR must be 'email:password'")
    email = email.strip().lower()
    if Account.select().where(Account.email == email).exists():
        return False
    Account.create(id=str(uuid.uuid4()), email=email, password_hash=hashing.hash(password),
                   role="operator", created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    return True
