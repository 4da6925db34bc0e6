"""Verifying identity's access tokens offline, with the public keys identity publishes.

Only RS256 is accepted (never `none`, never an HMAC algorithm that a public key could be
abused as a secret for). Keys come from identity's JWKS document, cached, and fetched again
when a token names a key id the cache does not know (identity rotated its keys). No secret is
shared between services.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import jwt

from platform_shared.principal import ROLES, Principal

ISSUER = "patent-filing-platform/identity"
AUDIENCE = "patent-filing-platform"
ALGORITHM = "RS256"


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not signed by identity's keys."""


class JwksKeys:
    """identity's public keys from its JWKS document (http(s):// or file://), cached.

    The document is fetched again when the cache is older than `cache_seconds`, and when a
    token names a kid the cache does not know (a new key), at most once per
    `refresh_interval` so that made-up kids cannot make us fetch in a loop. A key removed
    from the document stops being accepted at the next fetch.

    (PyJWT's `PyJWKClient` is not used: as of PyJWT 2.15 it refuses file:// URLs, waits 30 s
    after any fetch before it fetches again for an unknown kid, and with `cache_keys` keeps
    keys that identity has withdrawn for the life of the process.)
    """

    def __init__(self, url: str, *, cache_seconds: float = 300.0, refresh_interval: float = 1.0,
                 timeout: float = 5.0):
        scheme = urlparse(url).scheme.lower()
        if scheme not in ("http", "https", "file"):
            raise ValueError(f"JWKS URL must be http(s):// or file://, not {url!r}")
        self._url = url
        self._file = scheme == "file"
        self._cache_seconds = cache_seconds
        self._refresh_interval = refresh_interval
        self._timeout = timeout
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None

    def _fetch(self) -> dict[str, jwt.PyJWK]:
        if self._file:
            document = json.loads(Path(url2pathname(urlparse(self._url).path)).read_text("utf-8"))
        else:
            # The scheme was checked in __init__: http(s) here, file:// above.
            with urllib.request.urlopen(self._url, timeout=self._timeout) as response:  # noqa: S310
                document = json.load(response)
        keys = jwt.PyJWKSet.from_dict(document).keys
        return {key.key_id: key for key in keys
                if key.key_id and key.public_key_use in ("sig", None)}

    def _refresh(self) -> None:
        # A failed fetch keeps the keys we had: identity being briefly away logs nobody out.
        self._fetched_at = time.monotonic()
        try:
            self._keys = self._fetch()
        except (OSError, ValueError, jwt.PyJWTError) as exc:
            if not self._keys:
                raise InvalidToken(f"signing keys unavailable: {exc}") from exc

    def get(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            if self._fetched_at is None or time.monotonic() - self._fetched_at >= self._cache_seconds:
                self._refresh()
            key = self._keys.get(kid)
            fetched_at = self._fetched_at or 0.0
            if key is None and time.monotonic() - fetched_at >= self._refresh_interval:
                self._refresh()
                key = self._keys.get(kid)
            if key is None:
                raise InvalidToken(f"unknown signing key {kid!r}")
            return key


class TokenVerifier:
    """Checks access tokens against the keys at `jwks_url` (http(s):// or file://)."""

    def __init__(self, jwks_url: str, *, leeway: float = 5.0, cache_seconds: int = 300,
                 refresh_interval: float = 1.0):
        self._jwks = JwksKeys(jwks_url, cache_seconds=cache_seconds, refresh_interval=refresh_interval)
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
        key = self._jwks.get(header["kid"])
        try:
            claims = jwt.decode(
                token, key.key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return principal_from_claims(claims)


def _moment(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(round(seconds, 3), dt.UTC).replace(tzinfo=None)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    role = claims.get("role")
    if role not in ROLES:
        raise InvalidToken(f"unknown role {role!r}")
    if claims.get("typ", "access") != "access":
        raise InvalidToken("not an access token")
    issued_at = claims.get("iat")
    principal = Principal(account_id=str(claims["sub"]), role=role,
                          organisation_id=claims.get("org"), province_code=claims.get("province"),
                          issued_at=_moment(issued_at) if isinstance(issued_at, int | float) else None)
    if role == "enterprise" and not principal.organisation_id:
        raise InvalidToken("an enterprise token must name its organisation")
    if role == "province_admin" and not principal.province_code:
        raise InvalidToken("a province admin token must name its province")
    return principal
