"""The operator's console through the embedded platform: organisations listed and searched
(`GET /api/v1/identity/organisations`), and every service's audit log read through the one
shared endpoint (`GET /api/v1/<service>/audit-log`) with its filters; every other role refused."""

from __future__ import annotations

import datetime as dt
import secrets
import time

import pytest

from tests.support.embedded import eventually
from tests.support.members import Member, bearer, new_uscc, staff_token

IDENTITY = "/api/v1/identity"
SERVICES = ("identity", "filing", "review", "reporting")
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def marker() -> str:
    return "".join(secrets.choice(LETTERS) for _ in range(6))


def full_width(text: str) -> str:
    """The same letters as full-width forms (ＡＢＣ), lower case."""
    return "".join(chr(ord(ch) - 0x41 + 0xFF41) for ch in text)


@pytest.fixture
def wrong_tokens(platform, client) -> dict[str, str]:
    return {"enterprise": Member(client).token, "reviewer": staff_token(platform, client, "reviewer"),
            "province_admin": staff_token(platform, client, "province_admin", "440000")}


def organisations(client, token: str, **query) -> dict:
    response = client.get(f"{IDENTITY}/organisations", query_string=query, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_operators_search_organisations_by_name_uscc_status_province_and_kind(client, operator_token):
    tag = marker()
    first = Member(client, f"深圳{tag}科技有限公司")
    second = Member(client, f"深圳{tag}电子有限公司")

    found = organisations(client, operator_token, q=tag)
    assert found["total"] == 2
    assert [row["id"] for row in found["items"]] == [second.id, first.id]  # newest registration first
    row = found["items"][1]
    assert (row["name"], row["uscc"], row["status"], row["kind"], row["province_code"]) == \
        (f"深圳{tag}科技有限公司", first.uscc, "registered", "enterprise", "440000")
    assert row["registered_at"].endswith("+00:00")
    # Case and width do not matter; part of the USCC finds it too.
    assert [r["id"] for r in organisations(client, operator_token, q=full_width(tag))["items"]] == [second.id, first.id]
    assert [r["id"] for r in organisations(client, operator_token, q=first.uscc[4:14].lower())["items"]] == [first.id]
    assert organisations(client, operator_token, q=f"{tag}电子")["total"] == 1

    assert organisations(client, operator_token, q=tag, status="registered", province_code="440000",
                         kind="enterprise")["total"] == 2
    assert organisations(client, operator_token, q=tag, status="verified")["total"] == 0
    assert organisations(client, operator_token, q=tag, province_code="110000")["total"] == 0
    assert organisations(client, operator_token, q=tag, kind="university_institute")["total"] == 0
    paged = organisations(client, operator_token, q=tag, per_page=1, page=2)
    assert paged["total"] == 2 and [r["id"] for r in paged["items"]] == [first.id]


def test_a_bad_filter_is_a_problem_naming_it(client, operator_token):
    for query, field in (({"status": "sleeping"}, "status"), ({"province_code": "999999"}, "province_code"),
                         ({"kind": "club"}, "kind"), ({"q": "x" * 101}, "q"), ({"per_page": 0}, "per_page")):
        response = client.get(f"{IDENTITY}/organisations", query_string=query, headers=bearer(operator_token))
        assert response.status_code == 422, query
        assert field in str(response.get_json()), response.get_json()


def test_only_operators_list_organisations(client, wrong_tokens):
    for role, token in wrong_tokens.items():
        refused = client.get(f"{IDENTITY}/organisations", headers=bearer(token))
        assert refused.status_code == 403, role
        assert refused.content_type == "application/problem+json"
    assert client.get(f"{IDENTITY}/organisations").status_code == 401


def test_every_service_has_the_audit_log_for_operators_only(client, operator_token, wrong_tokens):
    for service in SERVICES:
        url = f"/api/v1/{service}/audit-log"
        response = client.get(url, headers=bearer(operator_token))
        assert response.status_code == 200, (service, response.get_json())
        assert set(response.get_json()) == {"items", "total"}
        for role, token in wrong_tokens.items():
            assert client.get(url, headers=bearer(token)).status_code == 403, (service, role)
        assert client.get(url).status_code == 401, service
        bad = client.get(url, query_string={"since": "yesterday"}, headers=bearer(operator_token))
        assert bad.status_code == 422 and "since" in str(bad.get_json())


def entries(client, token: str, service: str, **query) -> list[dict]:
    response = client.get(f"/api/v1/{service}/audit-log", query_string=query, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def whoami(client, token: str) -> str:
    return client.get(f"{IDENTITY}/me", headers=bearer(token)).get_json()["id"]


def test_reporting_audits_a_province_admins_reads_and_the_log_filters_by_actor_subject_and_time(
        platform, client, operator_token):
    admin = staff_token(platform, client, "province_admin", "450000")
    admin_id = whoami(client, admin)
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    for path in ("/summary", "/evaluation/2026", "/annual-update"):
        assert client.get(f"/api/v1/reporting{path}", headers=bearer(admin)).status_code == 200, path
    mine = entries(client, operator_token, "reporting", actor_id=admin_id)
    assert [e["action"] for e in mine] == ["annual_update.read", "evaluation.read", "summary.read"]
    assert all(e["subject_type"] == "province" and e["subject_id"] == "450000" and e["actor_role"] == "province_admin"
               for e in mine)
    assert mine[1]["detail"] == {"year": 2026, "live": False}
    assert [e["id"] for e in entries(client, operator_token, "reporting", actor_id=admin_id,
                                     action="summary.read")] == [mine[2]["id"]]
    assert len(entries(client, operator_token, "reporting", subject_type="province", subject_id="450000",
                       since=before.isoformat())) >= 3
    assert entries(client, operator_token, "reporting", actor_id=admin_id, until=before.isoformat()) == []
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    assert entries(client, operator_token, "reporting", actor_id=admin_id, since=later) == []  # no offset: UTC


def test_an_operators_upload_of_a_target_list_is_audited(client, operator_token):
    operator_id = whoami(client, operator_token)
    name = f"list-{int(time.time() * 1000)}"
    response = client.put(f"/api/v1/reporting/target-lists/{name}", headers=bearer(operator_token),
                          json={"title": "测试名单", "organisations": [{"uscc": new_uscc()}]})
    assert response.status_code == 200, response.get_json()
    [entry] = eventually(lambda: entries(client, operator_token, "reporting", action="target_list.replaced",
                                         subject_id=name))
    assert entry["actor_id"] == operator_id
    assert entry["detail"] == {"organisations": 1, "title": "测试名单"}


def test_identitys_audit_log_is_the_shared_one(client, operator_token):
    member = Member(client)
    member_id = whoami(client, member.token)
    [succeeded, *_] = entries(client, operator_token, "identity", subject_id=member_id, action="sign_in.succeeded")
    assert succeeded["actor_id"] == member_id and succeeded["subject_type"] == "account"
    assert entries(client, operator_token, "identity", subject_id=member_id, subject_type="organisation") == []


def test_the_openapi_documents_say_it(client):
    paths = client.get(f"{IDENTITY}/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/identity/organisations"])
    assert {p["name"] for p in paths["/api/v1/identity/organisations"]["get"]["parameters"]} >= \
        {"status", "province_code", "kind", "q", "page", "per_page"}
    for service in SERVICES:
        document = client.get(f"/api/v1/{service}/openapi.json").get_json()
        operation = document["paths"][f"/api/v1/{service}/audit-log"]["get"]
        assert {p["name"] for p in operation["parameters"]} >= \
            {"action", "actor_id", "subject_type", "subject_id", "since", "until", "page", "per_page"}
