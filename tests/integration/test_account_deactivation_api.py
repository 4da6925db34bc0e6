"""Deactivation and reactivation over the API on the embedded platform (issue 17, part 2): a
deactivated account cannot sign in (told as a wrong password is), its refresh tokens die, and
its still-unexpired access token is refused by identity, filing, review, reporting and notify once
each has the `identity.account.deactivated` event; reactivated, it signs in again and its new
tokens work while the old ones stay refused. Operators change staff (never themselves), an
organisation's admin its members (never the last active admin); every wrong user is tried."""

from __future__ import annotations

import uuid

import pytest

from tests.support.embedded import ApiClient, eventually, mailed_link, sent_deliveries, sign_in
from tests.support.members import Member, bearer, staff_token

pytestmark = pytest.mark.integration
IDENTITY = "/api/v1/identity"
PASSWORD = "a long staff pass phrase"
# What each service answers an operator's token with: one read of each.
READS = {"identity": f"{IDENTITY}/staff", "filing": "/api/v1/filing/products",
         "review": "/api/v1/review/tasks", "reporting": "/api/v1/reporting/summary",
         "notify": "/api/v1/notify/deliveries"}
# The bound the README states for the embedded form (the event's lag; no cache).
BOUND_SECONDS = 10


def invited(client: ApiClient, platform, by: str, path: str, body: dict) -> tuple[str, dict]:
    """A new account made by `by` at `path`, its password set from the mailed link: (id, pair)."""
    made = client.post(path, json=body, headers=bearer(by))
    assert made.status_code == 201, made.get_json()
    token = mailed_link(platform, body["email"]).split("#", 1)[1]
    assert client.post(f"{IDENTITY}/password-setup", json={"token": token, "password": PASSWORD}).status_code == 204
    pair = client.post(f"{IDENTITY}/tokens", json={"email": body["email"], "password": PASSWORD})
    assert pair.status_code == 200
    return made.get_json()["id"], pair.get_json()


def deactivate(client: ApiClient, token: str, account_id: str, reason: str = "离职"):
    return client.post(f"{IDENTITY}/accounts/{account_id}/deactivation", json={"reason": reason},
                       headers=bearer(token))


def reactivate(client: ApiClient, token: str, account_id: str, reason: str = "重新入职"):
    return client.post(f"{IDENTITY}/accounts/{account_id}/reactivation", json={"reason": reason},
                       headers=bearer(token))


def refused_everywhere(client: ApiClient, access_token: str) -> dict[str, int]:
    """Each service's answer to the token, once every one refuses it (or the bound passed)."""

    def answers() -> dict[str, int]:
        return {service: client.get(path, headers=bearer(access_token)).status_code
                for service, path in READS.items()}

    eventually(lambda: set(answers().values()) == {401}, timeout=BOUND_SECONDS)
    return answers()


def test_an_operator_deactivates_staff_whose_every_token_dies_and_reactivates_it(platform, operator_token):
    client = ApiClient(platform.wsgi)
    email = f"op-{uuid.uuid4().hex[:8]}@example.cn"
    account_id, pair = invited(client, platform, operator_token, f"{IDENTITY}/staff",
                               {"email": email, "role": "operator"})
    assert {s: client.get(p, headers=bearer(pair["access_token"])).status_code for s, p in READS.items()} == \
        dict.fromkeys(READS, 200)

    assert deactivate(client, operator_token, account_id, "") .status_code == 422  # a reason is required
    done = deactivate(client, operator_token, account_id)
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "deactivated" and done.get_json()["deactivated_at"]

    # Signing in is refused as a wrong password is; the refresh token is dead.
    wrong = client.post(f"{IDENTITY}/tokens", json={"email": email, "password": PASSWORD})
    assert wrong.status_code == 401 and wrong.get_json()["type"].endswith("/invalid-credentials")
    refresh = client.post(f"{IDENTITY}/tokens/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.status_code == 401
    # The access token, not yet expired, is refused by every service once it has the event.
    assert refused_everywhere(client, pair["access_token"]) == dict.fromkeys(READS, 401)
    told = client.get(READS["filing"], headers=bearer(pair["access_token"])).get_json()
    assert told["type"].endswith("/account-deactivated")
    # The staff list shows it; the audit log says who and why; its holder is mailed.
    listed = client.get(f"{IDENTITY}/staff?per_page=200", headers=bearer(operator_token)).get_json()["items"]
    assert [a["status"] for a in listed if a["id"] == account_id] == ["deactivated"]
    [entry] = client.get(f"{IDENTITY}/audit-log?action=account.deactivated&subject_id={account_id}",
                         headers=bearer(operator_token)).get_json()["items"]
    assert entry["detail"]["reason"] == "离职" and entry["actor_role"] == "operator"
    assert eventually(lambda: sent_deliveries(platform, email, "identity.account.deactivated"), timeout=20)
    assert deactivate(client, operator_token, account_id).get_json()["type"].endswith("/account-already-deactivated")

    assert reactivate(client, operator_token, account_id).status_code == 200
    fresh = sign_in(client, email, PASSWORD)
    assert eventually(lambda: client.get(READS["filing"], headers=bearer(fresh)).status_code == 200,
                      timeout=BOUND_SECONDS)
    assert {s: client.get(p, headers=bearer(fresh)).status_code for s, p in READS.items()} == \
        dict.fromkeys(READS, 200)
    assert client.get(READS["filing"], headers=bearer(pair["access_token"])).status_code == 401  # still refused
    assert eventually(lambda: sent_deliveries(platform, email, "identity.account.reactivated"), timeout=20)
    assert reactivate(client, operator_token, account_id).get_json()["type"].endswith("/account-not-deactivated")


def test_an_operator_never_deactivates_itself_nor_members_and_other_staff_may_not_at_all(platform, operator_token):
    client = ApiClient(platform.wsgi)
    me = client.get(f"{IDENTITY}/staff?per_page=200", headers=bearer(operator_token)).get_json()["items"]
    [own] = [a["id"] for a in me if a["email"] == "ops@example.cn"]
    assert deactivate(client, operator_token, own).get_json()["type"].endswith("/own-account")
    member = Member(client)
    members = client.get(f"{IDENTITY}/organisations/{member.id}/members", headers=member.auth).get_json()["items"]
    assert deactivate(client, operator_token, members[0]["id"]).status_code == 403
    for role in ("reviewer", "province_admin"):
        token = staff_token(platform, client, role, "440000" if role == "province_admin" else None)
        assert deactivate(client, token, own).status_code == 403
    assert deactivate(client, operator_token, str(uuid.uuid4())).status_code == 404
    assert client.post(f"{IDENTITY}/accounts/{own}/deactivation", json={"reason": "x"}).status_code == 401
    assert client.get(f"{IDENTITY}/staff", headers=member.auth).status_code == 403


def test_an_organisations_admin_deactivates_its_members_never_its_last_admin(platform, operator_token):
    client = ApiClient(platform.wsgi)
    admin = Member(client)
    email = f"colleague-{uuid.uuid4().hex[:8]}@example.cn"
    colleague_id, colleague = invited(client, platform, admin.token, f"{IDENTITY}/organisations/{admin.id}/members",
                                      {"email": email})
    members = client.get(f"{IDENTITY}/organisations/{admin.id}/members", headers=admin.auth).get_json()["items"]
    [admin_id] = [a["id"] for a in members if a["email"] == admin.email]
    assert {a["id"]: (a["organisation_admin"], a["status"]) for a in members} == {
        admin_id: (True, "active"), colleague_id: (False, "active")}

    # A member who is not the admin may not; another organisation does not see the account.
    assert deactivate(client, colleague["access_token"], admin_id).get_json()["type"].endswith(
        "/not-organisation-admin")
    stranger = Member(client)
    assert deactivate(client, stranger.token, colleague_id).status_code == 404
    # The last active admin cannot go, not even by itself.
    assert deactivate(client, admin.token, admin_id).get_json()["type"].endswith("/last-organisation-admin")

    assert deactivate(client, admin.token, colleague_id, "调岗").status_code == 200
    assert client.post(f"{IDENTITY}/tokens", json={"email": email, "password": PASSWORD}).status_code == 401
    assert eventually(lambda: client.get("/api/v1/filing/products", headers=bearer(colleague["access_token"]))
                      .status_code == 401, timeout=BOUND_SECONDS)
    assert client.get("/api/v1/notify/preferences", headers=bearer(colleague["access_token"])).status_code == 401
    listed = client.get(f"{IDENTITY}/organisations/{admin.id}/members", headers=admin.auth).get_json()["items"]
    assert {a["id"]: a["status"] for a in listed}[colleague_id] == "deactivated"
    assert reactivate(client, stranger.token, colleague_id).status_code == 404
    assert reactivate(client, admin.token, colleague_id).status_code == 200
    fresh = sign_in(client, email, PASSWORD)
    assert eventually(lambda: client.get("/api/v1/filing/products", headers=bearer(fresh)).status_code == 200,
                      timeout=BOUND_SECONDS)


def test_an_admin_appoints_another_who_may_then_deactivate_it_and_an_operator_appoints_one(platform, operator_token):
    client = ApiClient(platform.wsgi)
    admin = Member(client)
    email = f"second-{uuid.uuid4().hex[:8]}@example.cn"
    second_id, second = invited(client, platform, admin.token, f"{IDENTITY}/organisations/{admin.id}/members",
                                {"email": email})
    [admin_id] = [a["id"] for a in client.get(f"{IDENTITY}/organisations/{admin.id}/members",
                                              headers=admin.auth).get_json()["items"] if a["email"] == admin.email]

    def appoint(token: str, account_id: str, admin_or_not: bool):
        return client.put(f"{IDENTITY}/accounts/{account_id}/organisation-admin", json={"admin": admin_or_not},
                          headers=bearer(token))

    assert appoint(second["access_token"], second_id, True).status_code == 403  # not an admin (yet)
    assert appoint(Member(client).token, second_id, True).status_code == 404  # another organisation's admin
    reviewer = staff_token(platform, client, "reviewer")
    assert appoint(reviewer, second_id, True).status_code == 403
    assert appoint(operator_token, admin_id, False).get_json()["type"].endswith("/last-organisation-admin")
    assert appoint(admin.token, second_id, True).get_json()["organisation_admin"] is True

    # Two admins: the second deactivates the first (who has left); the second is then the last.
    assert deactivate(client, second["access_token"], admin_id, "已离职").status_code == 200
    assert deactivate(client, second["access_token"], second_id).get_json()["type"].endswith(
        "/last-organisation-admin")
    assert appoint(operator_token, second_id, False).get_json()["type"].endswith("/last-organisation-admin")
    # An operator may appoint an admin of any organisation (its admin has left), never staff.
    assert appoint(operator_token, admin_id, True).status_code == 200
    assert appoint(operator_token, reviewer_id(client, operator_token), True).get_json()["type"].endswith(
        "/not-a-member")
    [entry] = client.get(f"{IDENTITY}/audit-log?action=account.organisation_admin_granted&subject_id={second_id}",
                         headers=bearer(operator_token)).get_json()["items"]
    assert entry["actor_role"] == "enterprise"


def reviewer_id(client: ApiClient, operator_token: str) -> str:
    staff = client.get(f"{IDENTITY}/staff?per_page=200", headers=bearer(operator_token)).get_json()["items"]
    return next(a["id"] for a in staff if a["role"] == "reviewer")
