"""Verifying identity's access tokens offline, with the public keys identity publishes.

Only RS256 is accepted (never `none`, never an HMAC algorithm that a public key could be
abused as a secret for). Keys come from identity's JWKS document, cached, and fetched again
when a token names a key id the cache does not know (identity rotated its keys). No secret is
shared between services.
"""

from __future__ import annotations

from dataclasses import dataclass

import jwt

ISSUER = "patent-filing-platform/identity"
AUDIENCE = "patent-filing-platform"
ALGORITHM = "RS256"
ROLES = ("enterprise", "reviewer", "province_admin", "operator")


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not signed by identity's keys."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the account, its role and what its role is bound to."""

    account_id: str
    role: str
    organisation_id: str | None = None
    province_code: str | None = None

    def is_member_of(self, organisation_id: str) -> bool:
        return self.role == "enterprise" and self.organisation_id == str(organisation_id)

    def covers_province(self, province_code: str | None) -> bool:
        """Operators see every province; a province admin only its own."""
        if self.role == "operator":
            return True
        return self.role == "province_admin" and province_code is not None \
            and self.province_code == province_code


class TokenVerifier:
    """Checks access tokens against the keys at `jwks_url` (http(s):// or file://)."""

    def __init__(self, jwks_url: str, *, leeway: float = 5.0, cache_seconds: int = 300):
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=cache_seconds, timeout=5)
        self._leeway = leeway

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"malformed token: {exc}") from exc
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
        if not header.get("kid"):
            raise InvalidToken("token names no key id")
        try:
            key = self._jwks.get_signing_key(header["kid"])
        except jwt.PyJWKClientError as exc:
            raise InvalidToken(f"unknown signing key: {exc}") from exc
        try:
            claims = jwt.decode(
                token, key.key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return principal_from_claims(claims)


def principal_from_claims(claims: dict) -> Principal:
    role = claims.get("role")
    if role not in ROLES:
        raise InvalidToken(f"unknown role {role!r}")
    if claims.get("typ", "access") != "access":
        raise InvalidToken("not an access token")
    principal = Principal(account_id=str(claims["sub"]), role=role,
                          organisation_id=claims.get("org"), province_code=claims.get("province"))
    if role == "enterprise" and not principal.organisation_id:
        raise InvalidToken("an enterprise token must name its organisation")
    if role == "province_admin" and not principal.province_code:
        raise InvalidToken("a province admin token must name its province")
    return principal
