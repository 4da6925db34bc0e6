"""Sign-in protection, staff, invited members and the audit log, through the embedded platform.

The platform is shared by the whole session: every test uses e-mail addresses and USCCs of its
own, and a test that guesses passwords does so from a client address of its own (documentation
range 198.51.100.0/24, set as the WSGI REMOTE_ADDR: nothing leaves the process), so that the
rate limit of failed sign-ins per address never touches the rest of the suite.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import time
import uuid
from dataclasses import replace

import pytest
from stdnum.cn import uscc as stdnum_uscc

from identity.adapters.sign_in_limits import SignInLimits
from identity.domain.sign_in_guard import LockoutPolicy
from identity.service_layer.dependencies import SignInProtection
from tests.support.embedded import mailed_link, organisation_body, sign_in
from tests.support.members import register_organisation

IDENTITY = "/api/v1/identity"
TOKENS = f"{IDENTITY}/tokens"
PASSWORD = "correct horse battery"
WRONG = "not the right password"
_addresses = itertools.count(1)


def new_address() -> str:
    return f"198.51.100.{next(_addresses)}"


def new_email(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}@example.cn"


def new_uscc() -> str:
    body = "91110105" + f"{random.randrange(10**9):09d}"
    return body + stdnum_uscc.calc_check_digit(body)


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def register(client, email: str | None = None) -> tuple[str, str]:
    """A new organisation and its first account: (organisation id, account e-mail)."""
    email = email or new_email("member")
    body = organisation_body(uscc=new_uscc(), province_code="110000", city_code="110105",
                             account={"email": email, "password": PASSWORD})
    return register_organisation(client, body), email


def attempt(client, email: str, password: str, address: str):
    return client.post(TOKENS, json={"email": email, "password": password},
                       environ_overrides={"REMOTE_ADDR": address})


def invitation(platform, account_id: str) -> dict:
    """The data of the `identity.account.invited` event of `account_id` in identity's outbox."""
    from identity.adapters.orm import Outbox

    identity = platform.runtimes["identity"]
    with identity.database.connection_context():
        rows = Outbox.select().where(Outbox.type == "identity.account.invited")
        events = [json.loads(row.body) for row in rows]
    mine = [event for event in events if event["data"]["account_id"] == account_id]
    assert len(mine) == 1, f"expected one invitation of {account_id}, found {len(mine)}"
    assert mine[0]["aggregate_id"] == account_id
    return mine[0]["data"]


def set_password(client, platform, account_id: str, password: str = PASSWORD) -> None:
    token = mailed_link(platform, invitation(platform, account_id)["email"]).split("#", 1)[1]
    response = client.post(f"{IDENTITY}/password-setup", json={"token": token, "password": password})
    assert response.status_code == 204, response.get_json()


def create_staff(client, operator_token: str, role: str, province_code: str | None = None) -> dict:
    body = {"email": new_email(role.replace("_", "-")), "role": role}
    if province_code is not None:
        body["province_code"] = province_code
    response = client.post(f"{IDENTITY}/staff", json=body, headers=auth(operator_token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def account_of(token: str, client) -> dict:
    return client.get(f"{IDENTITY}/me", headers=auth(token)).get_json()


@pytest.fixture
def protection(platform):
    """Replace identity's sign-in protection for one test (fresh counts); restored afterwards."""
    identity = platform.runtimes["identity"]
    original = identity.dependencies

    def use(*, failures: int = 5, window: float = 900, lock: float = 900, per_account: str = "10/minute",
            per_address: str = "60/minute") -> None:
        identity.dependencies = replace(original, sign_in_protection=SignInProtection(
            SignInLimits("memory://", per_account=per_account, per_address=per_address),
            LockoutPolicy(failures, dt.timedelta(seconds=window), dt.timedelta(seconds=lock))))

    yield use
    identity.dependencies = original


# --- sign-in protection ---------------------------------------------------------------------------

def test_brute_force_locks_the_address_and_even_the_right_password_waits_for_the_lock_to_end(client, protection):
    protection(lock=2)
    _org, email = register(client)
    address = new_address()

    for _ in range(4):
        assert attempt(client, email, WRONG, address).status_code == 401
    locking = attempt(client, email, WRONG, address)
    assert locking.status_code == 429
    assert locking.content_type == "application/problem+json"
    assert locking.get_json()["type"].endswith("/sign-in-locked")
    assert 1 <= int(locking.headers["Retry-After"]) <= 2

    refused = attempt(client, email, PASSWORD, address)
    assert refused.status_code == 429 and refused.get_json()["type"].endswith("/sign-in-locked")
    assert attempt(client, email, PASSWORD, new_address()).status_code == 429  # locked from anywhere

    time.sleep(int(refused.headers["Retry-After"]) + 0.1)
    assert attempt(client, email, PASSWORD, address).status_code == 200


def test_a_lock_does_not_tell_whether_an_account_has_the_e_mail_address(client, protection):
    protection()
    _org, registered = register(client)
    unknown = new_email("nobody")

    def answers(email: str) -> list[tuple]:
        address = new_address()
        seen = []
        for _ in range(6):
            response = attempt(client, email, WRONG, address)
            body = response.get_json()
            seen.append((response.status_code, body["type"], re.sub(r"\d+", "N", body["detail"]),
                         response.headers.get("Retry-After") is not None))
        return seen

    answered = answers(registered)
    assert [status for status, *_ in answered] == [401, 401, 401, 401, 429, 429]
    assert answers(unknown) == answered


def test_a_successful_sign_in_clears_the_count_of_wrong_passwords(client, protection):
    protection()
    _org, email = register(client)
    address = new_address()

    assert [attempt(client, email, WRONG, address).status_code for _ in range(4)] == [401] * 4
    assert attempt(client, email, PASSWORD, address).status_code == 200
    assert [attempt(client, email, WRONG, address).status_code for _ in range(4)] == [401] * 4
    assert attempt(client, email, WRONG, address).status_code == 429  # the fifth since the success


def test_attempts_at_one_e_mail_address_are_rate_limited_even_with_the_right_password(client):
    # The platform's own defaults: 10 a minute per e-mail address (registering signed in once, to
    # learn the organisation's id).
    _org, email = register(client)
    address = new_address()
    assert [attempt(client, email, PASSWORD, address).status_code for _ in range(9)] == [200] * 9
    limited = attempt(client, email, PASSWORD, address)
    assert limited.status_code == 429
    assert limited.get_json()["type"].endswith("/too-many-sign-ins")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


def test_failed_sign_ins_from_one_address_are_rate_limited_and_successes_are_not(client, protection):
    protection(per_address="3/minute")
    _org, email = register(client)
    guesser, colleague = new_address(), new_address()

    assert [attempt(client, new_email("guess"), WRONG, guesser).status_code for _ in range(3)] == [401] * 3
    limited = attempt(client, email, PASSWORD, guesser)
    assert limited.status_code == 429 and limited.get_json()["type"].endswith("/too-many-sign-ins")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60

    # Another address is not affected, and sign-ins that succeed do not use up its allowance.
    assert [attempt(client, email, PASSWORD, colleague).status_code for _ in range(5)] == [200] * 5


# --- staff -------------------------------------------------------------------------------------------

def test_only_operators_create_staff(client, platform):
    from identity.adapters.orm import Account

    _org, email = register(client)
    enterprise = sign_in(client, email, PASSWORD)
    body = {"email": new_email("reviewer"), "role": "reviewer"}

    forbidden = client.post(f"{IDENTITY}/staff", json=body, headers=auth(enterprise))
    assert forbidden.status_code == 403 and forbidden.content_type == "application/problem+json"
    assert client.post(f"{IDENTITY}/staff", json=body).status_code == 401
    with platform.runtimes["identity"].database.connection_context():
        assert Account.get_or_none(Account.email == body["email"]) is None


def test_an_operator_creates_a_reviewer_who_sets_a_password_and_reads_review_tasks(client, platform, operator_token):
    email = new_email("reviewer")
    response = client.post(f"{IDENTITY}/staff", json={"email": email, "role": "reviewer"},
                           headers=auth(operator_token))
    assert response.status_code == 201
    reviewer = response.get_json()
    assert (reviewer["email"], reviewer["role"], reviewer["province_code"], reviewer["active"]) == \
        (email, "reviewer", None, False)
    assert "password-setup" not in response.get_data(as_text=True)  # the link goes by mail only

    event = invitation(platform, reviewer["id"])
    assert (event["email"], event["role"]) == (email, "reviewer")
    assert event["invited_by"] == account_of(operator_token, client)["id"]
    assert mailed_link(platform, email).startswith("http://127.0.0.1:8000/password-setup#")
    assert client.post(TOKENS, json={"email": email, "password": PASSWORD}).status_code == 401  # no password yet

    set_password(client, platform, reviewer["id"])
    token = sign_in(client, email, PASSWORD)
    assert account_of(token, client)["role"] == "reviewer"
    assert client.get("/api/v1/review/tasks", headers=auth(token)).status_code == 200

    _org, member = register(client)
    assert client.get("/api/v1/review/tasks", headers=auth(sign_in(client, member, PASSWORD))).status_code == 403


def test_a_province_admin_is_bound_to_a_province_of_the_platform(client, platform, operator_token):
    admin = create_staff(client, operator_token, "province_admin", "440000")
    assert (admin["role"], admin["province_code"]) == ("province_admin", "440000")
    assert invitation(platform, admin["id"])["province_code"] == "440000"
    set_password(client, platform, admin["id"])
    assert account_of(sign_in(client, admin["email"], PASSWORD), client)["province_code"] == "440000"

    for body in ({"role": "province_admin"}, {"role": "province_admin", "province_code": "710000"},
                 {"role": "reviewer", "province_code": "440000"}):
        refused = client.post(f"{IDENTITY}/staff", json={"email": new_email("staff"), **body},
                              headers=auth(operator_token))
        assert refused.status_code == 422, body
        assert "province_code" in refused.get_json()["errors"]


def test_an_e_mail_address_that_has_an_account_cannot_be_given_another(client, platform, operator_token):
    from identity.adapters.orm import Account

    operator = create_staff(client, operator_token, "operator")
    _org, member = register(client)
    for email in (operator["email"], member, member.upper()):
        again = client.post(f"{IDENTITY}/staff", json={"email": email, "role": "reviewer"},
                            headers=auth(operator_token))
        assert again.status_code == 409, email
        assert again.get_json()["type"].endswith("/account-exists")
    with platform.runtimes["identity"].database.connection_context():
        assert Account.get(Account.email == member).role == "enterprise"


# --- members of an organisation ----------------------------------------------------------------

def test_a_member_invites_a_colleague_who_joins_the_organisation(client, platform, operator_token):
    organisation_id, first = register(client)
    member = sign_in(client, first, PASSWORD)
    colleague_email = new_email("colleague")

    response = client.post(f"{IDENTITY}/organisations/{organisation_id}/members", json={"email": colleague_email},
                           headers=auth(member))
    assert response.status_code == 201
    colleague = response.get_json()
    assert (colleague["role"], colleague["organisation_id"], colleague["active"]) == \
        ("enterprise", organisation_id, False)
    event = invitation(platform, colleague["id"])
    assert (event["organisation_id"], event["organisation_name"]) == (organisation_id, "华为技术有限公司")
    assert event["invited_by"] == account_of(member, client)["id"]

    set_password(client, platform, colleague["id"])
    assert account_of(sign_in(client, colleague_email, PASSWORD), client)["organisation_id"] == organisation_id

    for token in (member, operator_token):
        listed = client.get(f"{IDENTITY}/organisations/{organisation_id}/members", headers=auth(token))
        assert listed.status_code == 200
        page = listed.get_json()
        assert page["total"] == 2
        assert [(a["email"], a["role"], a["active"]) for a in page["items"]] == \
            [(first, "enterprise", True), (colleague_email, "enterprise", True)]
    one = client.get(f"{IDENTITY}/organisations/{organisation_id}/members?per_page=1&page=2", headers=auth(member))
    assert [a["email"] for a in one.get_json()["items"]] == [colleague_email]


def test_a_member_of_one_organisation_can_neither_invite_into_nor_list_another(client, platform, operator_token):
    from identity.adapters.orm import Account

    _a, member_of_a = register(client)
    b, _member_of_b = register(client)
    token = sign_in(client, member_of_a, PASSWORD)
    intruder = new_email("intruder")

    for organisation_id in (b, str(uuid.uuid4())):
        invited = client.post(f"{IDENTITY}/organisations/{organisation_id}/members", json={"email": intruder},
                              headers=auth(token))
        assert invited.status_code == 404
        assert client.get(f"{IDENTITY}/organisations/{organisation_id}/members", headers=auth(token)).status_code == 404
    assert client.get(f"{IDENTITY}/organisations/{uuid.uuid4()}/members",
                      headers=auth(operator_token)).status_code == 404
    # Staff invite no members: an operator creates staff, a member invites colleagues.
    assert client.post(f"{IDENTITY}/organisations/{b}/members", json={"email": intruder},
                       headers=auth(operator_token)).status_code == 403
    with platform.runtimes["identity"].database.connection_context():
        assert Account.get_or_none(Account.email == intruder) is None


# --- the audit log -------------------------------------------------------------------------------

def test_the_audit_log_shows_sign_ins_and_the_creation_of_staff_newest_first(client, operator_token, protection):
    protection()
    operator_id = account_of(operator_token, client)["id"]
    reviewer = create_staff(client, operator_token, "reviewer")
    _org, email = register(client)
    address = new_address()
    assert attempt(client, email, WRONG, address).status_code == 401
    assert attempt(client, email, PASSWORD, address).status_code == 200
    account_id = account_of(sign_in(client, email, PASSWORD), client)["id"]

    def entries(**query) -> dict:
        response = client.get(f"{IDENTITY}/audit-log", query_string=query, headers=auth(operator_token))
        assert response.status_code == 200
        return response.get_json()

    created = entries(action="account.created", subject_id=reviewer["id"])["items"]
    assert len(created) == 1
    assert (created[0]["actor_id"], created[0]["actor_role"]) == (operator_id, "operator")
    assert created[0]["detail"]["role"] == "reviewer" and created[0]["detail"]["email"] == reviewer["email"]
    assert entries(actor_id=operator_id, action="account.created")["total"] >= 1

    sign_ins = [e for e in entries(subject_id=account_id)["items"] if e["action"].startswith("sign_in.")]
    # The oldest is registering's own sign-in (to learn the organisation's id).
    assert [e["action"] for e in sign_ins] == ["sign_in.succeeded", "sign_in.succeeded", "sign_in.failed",
                                               "sign_in.succeeded"]
    sign_ins = sign_ins[:3]
    assert all(e["detail"]["email"] == email for e in sign_ins)
    assert sign_ins[-1]["actor_id"] is None and sign_ins[0]["actor_id"] == account_id
    assert sign_ins[-1]["address"] == address
    moments = [e["at"] for e in sign_ins]
    assert moments == sorted(moments, reverse=True)

    second = entries(subject_id=account_id, action="sign_in.succeeded", per_page=1, page=2)
    assert second["total"] == 3 and [e["id"] for e in second["items"]] == [sign_ins[1]["id"]]
    unknown = new_email("nobody")
    attempt(client, unknown, WRONG, address)
    failed = entries(action="sign_in.failed")["items"][0]
    assert (failed["subject_id"], failed["detail"]["email"]) == (None, unknown)


def test_only_operators_read_the_audit_log(client, platform, operator_token):
    _org, email = register(client)
    reviewer = create_staff(client, operator_token, "reviewer")
    set_password(client, platform, reviewer["id"])
    for token in (sign_in(client, email, PASSWORD), sign_in(client, reviewer["email"], PASSWORD)):
        refused = client.get(f"{IDENTITY}/audit-log", headers=auth(token))
        assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert client.get(f"{IDENTITY}/audit-log").status_code == 401
