"""Rotating identity's signing keys on the running embedded platform, as an operator would:
put a new `<kid>.pem` into the keys folder and restart identity (here: reload its keys), and
later take a key out.

A new key signs from then on while tokens of the older key keep working (both are in the
JWKS), so nobody is logged out; a key taken out of the folder stops verifying anything, in
every service, as soon as its verifier reads the JWKS again. The test withdraws the key it
added, so the session's platform ends with the keys it had.
"""

from __future__ import annotations

from dataclasses import replace

import jwt
import pytest

from identity.adapters.keys import SigningKeys
from platform_shared.auth.tokens import InvalidToken, TokenVerifier
from tests.support.embedded import OPERATOR, sign_in

JWKS = "/api/v1/identity/.well-known/jwks.json"


def kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def reload_keys(platform) -> SigningKeys:
    """What identity does at start: load the folder, publish the JWKS file the others read."""
    identity = platform.runtimes["identity"]
    keys = SigningKeys(identity.dependencies.signing_keys.folder, generate_if_missing=False)
    keys.write_jwks(platform.data_dir / "identity" / "jwks.json")
    identity.dependencies = replace(identity.dependencies, signing_keys=keys)
    return keys


def test_a_new_key_signs_while_tokens_of_the_old_one_still_work_and_a_withdrawn_key_verifies_nothing(
        platform, client, operator_token):
    keys: SigningKeys = platform.runtimes["identity"].dependencies.signing_keys
    old_kid = keys.current_kid
    assert kid(operator_token) == old_kid

    new_kid = keys.generate()
    try:
        assert reload_keys(platform).current_kid == new_kid
        assert {k["kid"] for k in client.get(JWKS).get_json()["keys"]} == {old_kid, new_kid}
        fresh = sign_in(client, *OPERATOR)
        assert kid(fresh) == new_kid
        # Another service verifies both: the new kid makes it read the JWKS again at once.
        for token in (operator_token, fresh):
            assert client.get("/api/v1/review/tasks", headers=auth(token)).status_code == 200
            assert client.get("/api/v1/identity/me", headers=auth(token)).status_code == 200
    finally:
        (keys.folder / f"{new_kid}.pem").unlink()
        reload_keys(platform)

    assert {k["kid"] for k in client.get(JWKS).get_json()["keys"]} == {old_kid}
    assert kid(sign_in(client, *OPERATOR)) == old_kid
    # A verifier reading the JWKS now (a service starting, or any service once its cached copy
    # is older than the cache time) refuses the withdrawn key's tokens and keeps the others.
    verifier = TokenVerifier(platform.env["JWKS_URL"])
    with pytest.raises(InvalidToken, match="unknown signing key"):
        verifier.verify(fresh)
    assert verifier.verify(operator_token).role == "operator"
