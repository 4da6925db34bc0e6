"""Every service refuses tokens that identity did not issue or that are no longer good:
forged with another key, `alg: none`, HS256 keyed with the public key, tampered, expired,
for another audience. Each is tried on a protected endpoint of each service."""

from __future__ import annotations

import base64
import datetime as dt
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from platform_shared.auth.tokens import AUDIENCE, ISSUER

PROTECTED = [
    "/api/v1/identity/me",
    "/api/v1/review/tasks",
    "/api/v1/reporting/summary",
    "/api/v1/notify/deliveries",
]


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(operator_token: str, **changes) -> dict:
    claims = jwt.decode(operator_token, options={"verify_signature": False})
    claims.update(changes)
    return claims


def _current_kid(operator_token: str) -> str:
    return jwt.get_unverified_header(operator_token)["kid"]


def forged_with_another_key(token: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(_claims(token), key, algorithm="RS256", headers={"kid": _current_kid(token)})


def alg_none(token: str) -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': _current_kid(token)})}.{_b64(_claims(token))}."


def hs256_with_public_key(platform):
    def make(token: str) -> str:
        public = platform.runtimes["identity"].dependencies.signing_keys
        pem = next(iter(public._keys.values())).public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        header = {"alg": "HS256", "typ": "JWT", "kid": _current_kid(token)}
        import hashlib
        import hmac

        signing_input = f"{_b64(header)}.{_b64(_claims(token))}"
        signature = base64.urlsafe_b64encode(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest())
        return f"{signing_input}.{signature.rstrip(b'=').decode()}"

    return make


def tampered(token: str) -> str:
    header, _payload, signature = token.split(".")
    return f"{header}.{_b64(_claims(token, role='operator', sub='someone-else'))}.{signature}"


def signed_by_identity(platform, **changes):
    def make(token: str) -> str:
        return platform.runtimes["identity"].dependencies.signing_keys.sign(_claims(token, **changes))

    return make


@pytest.fixture
def forgeries(platform):
    past = int((dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).timestamp())
    return {
        "another key": forged_with_another_key,
        "alg none": alg_none,
        "HS256 keyed with the public key": hs256_with_public_key(platform),
        "tampered payload": tampered,
        "expired": signed_by_identity(platform, exp=past, iat=past - 900),
        "another audience": signed_by_identity(platform, aud="someone-else"),
        "another issuer": signed_by_identity(platform, iss="not-identity"),
        "unknown role": signed_by_identity(platform, role="superuser"),
        "a refresh-like token": signed_by_identity(platform, typ="refresh"),
        "garbage": lambda token: "not.a.token",
    }


def test_the_genuine_token_is_accepted_everywhere(client, operator_token):
    for path in PROTECTED:
        response = client.get(path, headers={"Authorization": f"Bearer {operator_token}"})
        assert response.status_code == 200, (path, response.get_json())


@pytest.mark.parametrize("path", PROTECTED)
def test_every_forged_or_stale_token_is_refused_with_401(client, operator_token, forgeries, path):
    assert ISSUER and AUDIENCE
    for name, forge in forgeries.items():
        response = client.get(path, headers={"Authorization": f"Bearer {forge(operator_token)}"})
        assert response.status_code == 401, (name, path, response.get_json())
        assert response.content_type == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["", "Bearer", "Basic b3BzOnBhc3M=", "Token abc"])
def test_a_missing_or_non_bearer_authorization_is_a_401(client, header):
    response = client.get("/api/v1/reporting/summary", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
