"""Access tokens (platform_shared.auth.tokens) and the access decorators (web.access).

identity's own `SigningKeys` makes the RS256 keys and the JWKS file; the verifier reads the
JWKS through a file:// URL, as services on the same machine do.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from flask import request
from flask_smorest import Blueprint

from identity.adapters.keys import SigningKeys
from platform_shared.auth.tokens import AUDIENCE, ISSUER, InvalidToken, Principal, TokenVerifier
from platform_shared.principal import require_province
from platform_shared.web.access import current_principal, install_verifier, requires
from platform_shared.web.app import create_service_app

pytestmark = pytest.mark.unit


def claims(role: str = "operator", **overrides) -> dict:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "account-1", "role": role, "typ": "access",
            "iat": now, "exp": now + 600}
    if role == "enterprise":
        body["org"] = "org-1"
    if role == "province_admin":
        body["province"] = "440000"
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unsigned_parts(header: dict, payload: dict) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(payload).encode())


class Keys:
    """identity's key folder and the JWKS file beside it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.jwks_path = folder.parent / "jwks.json"
        self.reload()

    def reload(self) -> None:
        self.signing = SigningKeys(self.folder)
        self.signing.write_jwks(self.jwks_path)

    @property
    def url(self) -> str:
        return self.jwks_path.as_uri()

    def sign(self, role: str = "operator", **overrides) -> str:
        return self.signing.sign(claims(role, **overrides))

    def public_pem(self) -> bytes:
        key = self.signing._keys[self.signing.current_kid].public_key()
        return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> Keys:
    return Keys(tmp_path_factory.mktemp("identity") / "keys")


@pytest.fixture(scope="module")
def other_keys(tmp_path_factory) -> Keys:
    """Keys identity never published."""
    return Keys(tmp_path_factory.mktemp("stranger") / "keys")


@pytest.fixture
def verifier(keys: Keys) -> TokenVerifier:
    return TokenVerifier(keys.url)


def test_a_valid_token_gives_its_principal(keys, verifier):
    principal = verifier.verify(keys.sign("enterprise", sub="acc-9", org="org-42"))

    assert principal == Principal(account_id="acc-9", role="enterprise", organisation_id="org-42")


def test_a_province_admin_token_names_its_province(keys, verifier):
    principal = verifier.verify(keys.sign("province_admin", province="330000"))

    assert (principal.role, principal.province_code) == ("province_admin", "330000")


def test_an_expired_token_is_refused(keys, verifier):
    long_ago = int(time.time()) - 3600

    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(keys.sign(iat=long_ago - 600, exp=long_ago))


def test_a_token_within_the_leeway_is_still_accepted(keys, verifier):
    just_now = int(time.time()) - 2  # leeway is 5 s

    assert verifier.verify(keys.sign(iat=just_now - 600, exp=just_now)).role == "operator"


def test_a_token_signed_by_an_unknown_key_is_refused(other_keys, verifier):
    with pytest.raises(InvalidToken, match="unknown signing key"):
        verifier.verify(other_keys.sign())


def test_a_token_signed_by_another_key_under_a_known_kid_is_refused(keys, other_keys, verifier):
    forged = jwt.encode(claims(), other_keys.signing._keys[other_keys.signing.current_kid],
                        algorithm="RS256", headers={"kid": keys.signing.current_kid})

    with pytest.raises(InvalidToken, match="[Ss]ignature"):
        verifier.verify(forged)


def test_an_unsigned_alg_none_token_is_refused(keys, verifier):
    token = _unsigned_parts({"alg": "none", "typ": "JWT", "kid": keys.signing.current_kid}, claims()) + "."

    with pytest.raises(InvalidToken, match="algorithm 'none' is not accepted"):
        verifier.verify(token)


def test_an_hs256_token_keyed_with_the_public_key_pem_is_refused(keys, verifier):
    signing_input = _unsigned_parts({"alg": "HS256", "typ": "JWT", "kid": keys.signing.current_kid},
                                    claims(role="operator"))
    signature = hmac.new(keys.public_pem(), signing_input.encode(), hashlib.sha256).digest()
    token = signing_input + "." + _b64(signature)

    with pytest.raises(InvalidToken, match="algorithm 'HS256' is not accepted"):
        verifier.verify(token)


def test_a_token_with_a_tampered_payload_is_refused(keys, verifier):
    header, _payload, signature = keys.sign("enterprise").split(".")
    elevated = _b64(json.dumps(claims("operator")).encode())

    with pytest.raises(InvalidToken, match="[Ss]ignature"):
        verifier.verify(f"{header}.{elevated}.{signature}")


@pytest.mark.parametrize(("override", "problem"), [
    ({"aud": "someone-else"}, "[Aa]udience"),
    ({"iss": "https://evil.example/identity"}, "[Ii]ssuer"),
    ({"exp": None}, "exp"),
    ({"sub": None}, "sub"),
])
def test_a_token_with_wrong_or_missing_registered_claims_is_refused(keys, verifier, override, problem):
    with pytest.raises(InvalidToken, match=problem):
        verifier.verify(keys.sign(**override))


def test_an_enterprise_token_without_its_organisation_is_refused(keys, verifier):
    with pytest.raises(InvalidToken, match="organisation"):
        verifier.verify(keys.sign("enterprise", org=None))


def test_a_province_admin_token_without_its_province_is_refused(keys, verifier):
    with pytest.raises(InvalidToken, match="province"):
        verifier.verify(keys.sign("province_admin", province=None))


def test_a_token_with_an_unknown_role_is_refused(keys, verifier):
    with pytest.raises(InvalidToken, match="role"):
        verifier.verify(keys.sign(role="superuser"))


def test_a_refresh_token_is_not_an_access_token(keys, verifier):
    with pytest.raises(InvalidToken, match="not an access token"):
        verifier.verify(keys.sign(typ="refresh"))


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30"])
def test_a_malformed_token_is_refused(verifier, token):
    with pytest.raises(InvalidToken):
        verifier.verify(token)


def test_a_token_naming_no_key_id_is_refused(keys, verifier):
    token = jwt.encode(claims(), keys.signing._keys[keys.signing.current_kid], algorithm="RS256")

    with pytest.raises(InvalidToken, match="key id"):
        verifier.verify(token)


def test_a_key_added_after_the_verifier_cached_the_jwks_is_picked_up(tmp_path):
    keys = Keys(tmp_path / "keys")
    verifier = TokenVerifier(keys.url, refresh_interval=0.0)
    old_token = keys.sign()
    assert verifier.verify(old_token).role == "operator"  # the JWKS is now cached
    old_kid = keys.signing.current_kid

    new_kid = keys.signing.generate()
    keys.reload()

    assert new_kid != old_kid
    assert keys.signing.current_kid == new_kid
    assert jwt_kid(keys.sign()) == new_kid
    assert verifier.verify(keys.sign()).role == "operator"
    assert verifier.verify(old_token).role == "operator"  # the old key still counts


def test_a_key_withdrawn_from_the_jwks_stops_being_accepted(tmp_path):
    keys = Keys(tmp_path / "keys")
    verifier = TokenVerifier(keys.url, cache_seconds=0)
    old_kid = keys.signing.current_kid
    old_token = keys.sign()
    assert verifier.verify(old_token).role == "operator"

    keys.signing.generate()
    (keys.folder / f"{old_kid}.pem").unlink()
    keys.reload()

    with pytest.raises(InvalidToken, match="unknown signing key"):
        verifier.verify(old_token)
    assert verifier.verify(keys.sign()).role == "operator"


def test_an_unreachable_jwks_refuses_tokens_instead_of_crashing(tmp_path, keys):
    verifier = TokenVerifier((tmp_path / "missing.json").as_uri())

    with pytest.raises(InvalidToken, match="unavailable"):
        verifier.verify(keys.sign())


def test_a_jwks_url_that_is_neither_http_nor_file_is_refused_at_start():
    with pytest.raises(ValueError):
        TokenVerifier("ftp://example.cn/jwks.json")


def test_two_keys_generated_in_the_same_second_do_not_replace_each_other(tmp_path):
    signing = SigningKeys(tmp_path / "keys")
    first = signing.current_kid
    second = signing.generate()
    third = SigningKeys(tmp_path / "keys").generate()

    reloaded = SigningKeys(tmp_path / "keys")
    assert len({first, second, third}) == 3
    assert {k["kid"] for k in reloaded.jwks()["keys"]} == {first, second, third}
    assert reloaded.current_kid == third


def jwt_kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


# --- Principal ----------------------------------------------------------------------------------

def test_an_operator_covers_every_province_and_the_nation():
    operator = Principal(account_id="a", role="operator")

    assert operator.covers_province("110000")
    assert operator.covers_province("660000")
    assert operator.covers_province(None)


def test_a_province_admin_covers_only_its_own_province():
    admin = Principal(account_id="a", role="province_admin", province_code="440000")

    assert admin.covers_province("440000")
    assert not admin.covers_province("330000")
    assert not admin.covers_province(None)


@pytest.mark.parametrize("role", ["enterprise", "reviewer"])
def test_other_roles_cover_no_province(role):
    principal = Principal(account_id="a", role=role, organisation_id="org-1", province_code="440000")

    assert not principal.covers_province("440000")


def test_only_an_enterprise_account_is_member_of_its_organisation():
    assert Principal(account_id="a", role="enterprise", organisation_id="7").is_member_of(7)
    assert not Principal(account_id="a", role="enterprise", organisation_id="7").is_member_of("8")
    assert not Principal(account_id="a", role="operator", organisation_id="7").is_member_of("7")


# --- requires / require_province through a tiny service app ------------------------------------

@pytest.fixture
def client(keys):
    blp = Blueprint("reports", __name__, url_prefix="/api/v1/unit")

    @blp.route("/summary", methods=["GET"])
    @requires("operator", "province_admin")
    def summary():
        principal = current_principal()
        require_province(principal, request.args.get("province"))
        return {"role": principal.role, "province": request.args.get("province")}

    @blp.route("/me", methods=["GET"])
    @requires()
    def me():
        return {"account": current_principal().account_id}

    verifier = TokenVerifier(keys.url)
    app = create_service_app("unit", title="unit", blueprints=[blp],
                             configure=[lambda app: install_verifier(app, verifier)])
    return app.test_client()


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_request_without_a_token_gets_a_401_problem_with_a_challenge(client):
    response = client.get("/api/v1/unit/summary")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 401
    assert response.json["type"].endswith("/unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer ", "Bearer not-a-token"])
def test_a_request_with_a_bad_authorization_header_gets_401(client, header):
    response = client.get("/api/v1/unit/summary", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_an_expired_token_gets_401_naming_the_invalid_token(client, keys):
    long_ago = int(time.time()) - 3600
    response = client.get("/api/v1/unit/summary", headers=_bearer(keys.sign(iat=long_ago - 60, exp=long_ago)))

    assert response.status_code == 401
    assert response.json["type"].endswith("/invalid-token")


def test_a_caller_without_a_listed_role_gets_403(client, keys):
    response = client.get("/api/v1/unit/summary", headers=_bearer(keys.sign("enterprise")))

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "operator" in response.json["detail"]


def test_a_caller_with_a_listed_role_gets_200(client, keys):
    response = client.get("/api/v1/unit/summary", headers=_bearer(keys.sign("operator")))

    assert response.status_code == 200
    assert response.json == {"role": "operator", "province": None}


def test_any_role_may_call_a_view_that_lists_none(client, keys):
    response = client.get("/api/v1/unit/me", headers=_bearer(keys.sign("enterprise", sub="acc-5")))

    assert response.status_code == 200
    assert response.json == {"account": "acc-5"}


def test_a_province_admin_may_ask_for_its_own_province(client, keys):
    response = client.get("/api/v1/unit/summary?province=440000",
                          headers=_bearer(keys.sign("province_admin", province="440000")))

    assert response.status_code == 200
    assert response.json["province"] == "440000"


def test_a_province_admin_asking_for_another_province_gets_403(client, keys):
    response = client.get("/api/v1/unit/summary?province=330000",
                          headers=_bearer(keys.sign("province_admin", province="440000")))

    assert response.status_code == 403
    assert response.json["type"].endswith("/forbidden")


def test_a_province_admin_asking_for_national_figures_gets_403(client, keys):
    response = client.get("/api/v1/unit/summary", headers=_bearer(keys.sign("province_admin")))

    assert response.status_code == 403


def test_an_operator_may_ask_for_any_province(client, keys):
    response = client.get("/api/v1/unit/summary?province=660000", headers=_bearer(keys.sign("operator")))

    assert response.status_code == 200
