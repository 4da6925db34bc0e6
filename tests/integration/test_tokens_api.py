"""Signing in and refreshing through the embedded platform: rotation and reuse detection."""

from __future__ import annotations

from tests.support.embedded import organisation_body

TOKENS = "/api/v1/identity/tokens"


def _register_and_sign_in(client) -> dict:
    body = organisation_body(uscc="91110000802100433B", name="北京测试科技有限公司", province_code="110000",
                             city_code="110105")
    body["account"] = {"email": "refresh@example.cn", "password": "correct horse battery"}
    assert client.post("/api/v1/identity/organisations", json=body).status_code in (202, 409)
    response = client.post(TOKENS, json={"email": "refresh@example.cn", "password": "correct horse battery"})
    assert response.status_code == 200
    return response.get_json()


def test_a_refresh_token_gives_a_new_pair_and_works_only_once(client):
    first = _register_and_sign_in(client)
    second = client.post(f"{TOKENS}/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    pair = second.get_json()
    assert pair["refresh_token"] != first["refresh_token"]
    me = client.get("/api/v1/identity/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200 and me.get_json()["email"] == "refresh@example.cn"


def test_reusing_a_spent_refresh_token_revokes_the_whole_family(client):
    first = _register_and_sign_in(client)
    rotated = client.post(f"{TOKENS}/refresh", json={"refresh_token": first["refresh_token"]}).get_json()
    reuse = client.post(f"{TOKENS}/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    assert reuse.content_type == "application/problem+json"
    # The thief's replay also cut off the legitimate holder's newer token of the same family.
    assert client.post(f"{TOKENS}/refresh", json={"refresh_token": rotated["refresh_token"]}).status_code == 401


def test_an_unknown_refresh_token_or_wrong_password_is_a_401(client):
    assert client.post(f"{TOKENS}/refresh", json={"refresh_token": "made-up"}).status_code == 401
    wrong = client.post(TOKENS, json={"email": "refresh@example.cn", "password": "not the password"})
    assert wrong.status_code == 401
    assert wrong.get_json()["type"].endswith("invalid-credentials")


def test_a_password_setup_link_sets_the_password_once(platform, client):
    import datetime as dt
    import uuid

    from identity.domain.model import Account
    from identity.service_layer.password_setup import issue_password_setup

    identity = platform.runtimes["identity"]
    uow = identity.unit_of_work()
    with identity.database.connection_context(), uow:
        account = Account(id=str(uuid.uuid4()), email="new-reviewer@example.cn", password_hash="!",
                          role="reviewer", created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
        uow.accounts.add(account)
        url, expires_at = issue_password_setup(account.id, "staff", "http://127.0.0.1:8000", uow)
    token = url.split("#", 1)[1]
    assert expires_at > dt.datetime.now(dt.UTC)
    weak = client.post("/api/v1/identity/password-setup", json={"token": token, "password": "short"})
    assert weak.status_code == 422 and "password" in weak.get_json()["errors"]
    assert client.post("/api/v1/identity/password-setup",
                       json={"token": token, "password": "a long reviewer secret"}).status_code == 204
    assert client.post(TOKENS, json={"email": "new-reviewer@example.cn",
                                     "password": "a long reviewer secret"}).status_code == 200
    again = client.post("/api/v1/identity/password-setup", json={"token": token, "password": "another long secret"})
    assert again.status_code == 410
