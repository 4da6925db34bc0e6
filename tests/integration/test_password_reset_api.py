"""A forgotten password reset by a mailed link and a password changed by its holder (issue 17,
part 1): the answer never tells who has an account, resets are rate-limited per client and per
address, the policy is ASVS's length plus zxcvbn's guessability, and either way every other sign-in
of the account ends and its holder is mailed."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.test_anonymous_rate_limits import strict  # noqa: F401 - the fixture
from tests.support.embedded import ApiClient, eventually, mailed_link, organisation_body, sent_deliveries
from tests.support.members import new_uscc

pytestmark = pytest.mark.integration
IDENTITY = "/api/v1/identity"
PASSWORD = "correct horse battery"


def registered(client: ApiClient) -> str:
    email = f"reset-{uuid.uuid4().hex[:8]}@example.cn"
    body = organisation_body(uscc=new_uscc(), name=f"重设测试{email[6:14]}有限公司",
                             account={"email": email, "password": PASSWORD})
    assert client.post(f"{IDENTITY}/organisations", json=body).status_code == 202
    return email


def signed_in(client: ApiClient, email: str, password: str = PASSWORD) -> dict:
    answer = client.post(f"{IDENTITY}/tokens", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_a_reset_mails_a_link_that_sets_a_new_password_and_ends_every_sign_in(platform):
    client = ApiClient(platform.wsgi)
    email = registered(client)
    before = signed_in(client, email)
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.cn"
    answers = [client.post(f"{IDENTITY}/password-resets", json={"email": address}) for address in (unknown, email)]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].get_json() == answers[1].get_json() == {"status": "mailed-if-known"}  # tells nobody who exists

    link = mailed_link(platform, email, "identity.account.password_reset_requested")
    token = link.split("#", 1)[1]
    assert sent_deliveries(platform, unknown, "identity.account.password_reset_requested") == []
    weak = client.post(f"{IDENTITY}/password-setup", json={"token": token, "password": "password1234"})
    assert weak.status_code == 422
    assert weak.get_json()["rules"]["password"][0]["rule"] in ("password.too_common", "password.too_guessable")
    new = "a different long pass phrase"
    assert client.post(f"{IDENTITY}/password-setup", json={"token": token, "password": new}).status_code == 204

    # Every sign-in of before the reset is over; the old password no longer works, the new one does.
    refreshed = client.post(f"{IDENTITY}/tokens/refresh", json={"refresh_token": before["refresh_token"]})
    assert refreshed.status_code == 401
    assert client.post(f"{IDENTITY}/tokens", json={"email": email, "password": PASSWORD}).status_code == 401
    signed_in(client, email, new)
    # The link worked once, and the holder is told the password changed.
    again = client.post(f"{IDENTITY}/password-setup", json={"token": token, "password": "yet another pass phrase"})
    assert again.status_code == 410
    told = eventually(lambda: sent_deliveries(platform, email, "identity.account.password_changed"), timeout=20)
    assert len(told) == 1 and "密码已更改" in told[0].subject


def test_resets_are_limited_per_address_whatever_the_client(platform, strict):  # noqa: F811
    strict("identity", password_reset_per_address="2/hour")
    client = ApiClient(platform.wsgi)
    email = f"flooded-{uuid.uuid4().hex[:8]}@example.cn"
    codes = [client.post(f"{IDENTITY}/password-resets", json={"email": email},
                         environ_base={"REMOTE_ADDR": f"203.0.113.{n}"}).status_code for n in range(1, 4)]
    assert codes == [202, 202, 429]
    other = client.post(f"{IDENTITY}/password-resets", json={"email": "other-" + email},
                        environ_base={"REMOTE_ADDR": "203.0.113.1"})
    assert other.status_code == 202


def test_the_holder_changes_the_password_knowing_the_current_one_and_other_sign_ins_end(platform):
    client = ApiClient(platform.wsgi)
    email = registered(client)
    elsewhere = signed_in(client, email)
    here = signed_in(client, email)
    auth = {"Authorization": f"Bearer {here['access_token']}"}

    wrong = client.put(f"{IDENTITY}/me/password", headers=auth,
                       json={"current_password": "not the password", "new_password": "a brand new pass phrase"})
    assert wrong.status_code == 422 and wrong.get_json()["rules"] == {
        "current_password": [{"rule": "password.current_wrong"}]}
    short = client.put(f"{IDENTITY}/me/password", headers=auth,
                       json={"current_password": PASSWORD, "new_password": "short one"})
    assert short.get_json()["rules"]["new_password"] == [{"rule": "password.too_short", "min": 12}]
    guessable = client.put(f"{IDENTITY}/me/password", headers=auth,
                           json={"current_password": PASSWORD, "new_password": "qwertyuiop123"})
    assert guessable.status_code == 422
    assert guessable.get_json()["rules"]["new_password"][0]["rule"] in ("password.too_guessable",
                                                                       "password.too_common")
    unchanged = client.put(f"{IDENTITY}/me/password", headers=auth,
                           json={"current_password": PASSWORD, "new_password": PASSWORD})
    assert unchanged.get_json()["rules"]["new_password"] == [{"rule": "password.unchanged"}]
    assert client.put(f"{IDENTITY}/me/password", json={"current_password": PASSWORD,
                                                       "new_password": "a brand new pass phrase"}).status_code == 401

    changed = client.put(f"{IDENTITY}/me/password", headers=auth,
                         json={"current_password": PASSWORD, "new_password": "a brand new pass phrase"})
    assert changed.status_code == 200
    pair = changed.get_json()
    for old in (elsewhere, here):  # every sign-in before the change is over
        gone = client.post(f"{IDENTITY}/tokens/refresh", json={"refresh_token": old["refresh_token"]})
        assert gone.status_code == 401
    assert client.post(f"{IDENTITY}/tokens/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 200
    signed_in(client, email, "a brand new pass phrase")
    told = eventually(lambda: sent_deliveries(platform, email, "identity.account.password_changed"), timeout=20)
    assert len(told) == 1
