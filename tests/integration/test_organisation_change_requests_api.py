"""A verified organisation's change request over the API (issue 17, part 3): its admin asks to
change the name or legal representative with a business licence; review opens an `org_change`
task with each field before and after; the organisation stays verified meanwhile, one request at
a time; the reviewer's approval changes the organisation (filing and reporting take the new name,
the contact is mailed), a rejection keeps the reasons per field."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.test_account_deactivation_api import invited
from tests.integration.test_organisation_changes_api import viewed
from tests.support.embedded import ApiClient, eventually, sent_deliveries
from tests.support.members import (
    PDF,
    Member,
    bearer,
    decide,
    filing_view_status,
    staff_token,
    verified_member,
)

pytestmark = pytest.mark.integration
IDENTITY = "/api/v1/identity"
NEW_NAME = "深圳变更后科技有限公司"


def licence(member: Member) -> str:
    uploaded = member.upload("business_license", PDF, "新营业执照.pdf")
    assert uploaded.status_code == 201, uploaded.get_json()
    return uploaded.get_json()["id"]


def ask(client: ApiClient, member: Member, headers: dict, body: dict):
    return client.post(f"{IDENTITY}/organisations/{member.id}/change-requests", json=body, headers=headers)


def change_task(client: ApiClient, operator_token: str, organisation_id: str) -> dict:
    def listed():
        page = client.get("/api/v1/review/tasks?kind=org_change&per_page=200", headers=bearer(operator_token))
        assert page.status_code == 200, page.get_json()
        tasks = [t for t in page.get_json()["items"] if t["subject_id"] == organisation_id]
        return tasks[-1] if tasks else None

    task = eventually(listed)
    assert task, "review made no org_change task"
    return task


def latest(client: ApiClient, member: Member) -> dict | None:
    answer = client.get(f"{IDENTITY}/organisations/{member.id}/change-requests/latest", headers=member.auth)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["latest"]


def reporting_name(platform, organisation_id: str) -> str | None:
    return viewed(platform, "reporting", organisation_id, "name")


def filing_name(platform, organisation_id: str) -> str | None:
    return viewed(platform, "filing", organisation_id, "name")


def test_a_change_request_is_reviewed_and_approved(platform, operator_token):
    client = ApiClient(platform.wsgi)
    admin = verified_member(platform, client, operator_token, "深圳变更前科技有限公司")
    contact = admin.organisation()["contact"]["email"]
    document = licence(admin)
    body = {"name": NEW_NAME, "legal_representative": {"name": "钱六", "id_number": "110105198001010112"},
            "document_ids": [document]}

    # Every wrong user.
    other = Member(client, "别家公司")
    _, colleague = invited(client, platform, admin.token, f"{IDENTITY}/organisations/{admin.id}/members",
                           {"email": f"colleague-{uuid.uuid4().hex[:8]}@example.cn"})
    assert ask(client, admin, {}, body).status_code == 401
    assert ask(client, admin, other.auth, body).status_code == 404
    assert ask(client, admin, bearer(colleague["access_token"]), body).status_code == 403
    for token in (operator_token, staff_token(platform, client, "reviewer")):
        assert ask(client, admin, bearer(token), body).status_code == 403
    unverified = client.post(f"{IDENTITY}/organisations/{other.id}/change-requests", json=body, headers=other.auth)
    assert unverified.status_code == 409 and unverified.get_json()["type"].endswith("change-request-not-allowed")
    # Bad input names the field.
    for bad, field in (({"document_ids": [document]}, "name"), ({"name": NEW_NAME}, "document_ids"),
                       ({**body, "document_ids": [str(uuid.uuid4())]}, "document_ids"),
                       ({**body, "legal_representative": {"id_number": "110105194912310020"}},
                        "legal_representative"),
                       ({**body, "uscc": admin.uscc}, "uscc"),
                       ({"name": admin.organisation()["name"], "document_ids": [document]}, "name")):
        answer = ask(client, admin, admin.auth, bad)
        assert answer.status_code == 422, (bad, answer.get_json())
        assert any(key.split(".")[0] == field for key in answer.get_json()["errors"]), (bad, answer.get_json())
    integrity = admin.upload("integrity_commitment").get_json()["id"]
    no_licence = ask(client, admin, admin.auth, {"name": NEW_NAME, "document_ids": [integrity]})
    assert no_licence.status_code == 422 and "document_ids" in no_licence.get_json()["errors"]
    assert latest(client, admin) is None

    asked = ask(client, admin, admin.auth, body)
    assert asked.status_code == 202, asked.get_json()
    request = asked.get_json()
    assert request["status"] == "pending"
    assert {c["field"]: (c["before"], c["after"]) for c in request["changes"]} == {
        "name": ("深圳变更前科技有限公司", NEW_NAME), "legal_representative.name": ("赵明路", "钱六"),
        "legal_representative.id_number": ("110105********002X", "110105********0112")}
    again = ask(client, admin, admin.auth, body)
    assert again.status_code == 409 and again.get_json()["type"].endswith("change-request-pending")
    # The organisation stays verified and working meanwhile.
    assert admin.organisation()["status"] == "verified"
    assert latest(client, admin)["status"] == "pending"

    task = change_task(client, operator_token, admin.id)
    shown = client.get(f"/api/v1/review/tasks/{task['id']}", headers=bearer(operator_token)).get_json()
    assert shown["snapshot"]["changes"] == request["changes"]
    assert [d["kind"] for d in shown["snapshot"]["documents"]] == ["business_license"]

    decide(platform, task["id"], admin.id, "approve", kind="org_change")
    assert eventually(lambda: admin.organisation()["name"] == NEW_NAME), admin.organisation()
    organisation = admin.organisation()
    assert (organisation["status"], organisation["legal_representative"]) == (
        "verified", {"name": "钱六", "id_number": "110105********0112"})
    assert latest(client, admin)["status"] == "approved"
    assert eventually(lambda: filing_name(platform, admin.id) == NEW_NAME), filing_name(platform, admin.id)
    assert filing_view_status(platform, admin.id) == "verified"
    assert eventually(lambda: reporting_name(platform, admin.id) == NEW_NAME), reporting_name(platform, admin.id)
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.organisation.changed"), 20)
    audit = client.get(f"{IDENTITY}/audit-log", headers=bearer(operator_token),
                       query_string={"subject_id": admin.id, "action": "organisation.change_approved"})
    assert audit.get_json()["items"], "the approval is not audited"


def test_a_rejected_change_request_keeps_the_reasons_and_changes_nothing(platform, operator_token):
    client = ApiClient(platform.wsgi)
    admin = verified_member(platform, client, operator_token, "深圳驳回变更科技有限公司")
    contact = admin.organisation()["contact"]["email"]
    asked = ask(client, admin, admin.auth, {"legal_representative": {"name": "孙七"},
                                            "document_ids": [licence(admin)]})
    assert asked.status_code == 202, asked.get_json()
    # the receipt: a request nobody there made is noticed while it can still be rejected
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.organisation.change_requested"), 20)
    task = change_task(client, operator_token, admin.id)
    reasons = [{"field": "legal_representative.name", "message": "营业执照上的法定代表人不是孙七"}]
    decide(platform, task["id"], admin.id, "reject", reasons, kind="org_change")
    assert eventually(lambda: latest(client, admin)["status"] == "rejected")
    assert latest(client, admin)["reasons"] == reasons
    organisation = admin.organisation()
    assert (organisation["legal_representative"]["name"], organisation["status"]) == ("赵明路", "verified")
    assert eventually(lambda: sent_deliveries(platform, contact, "identity.organisation.change_rejected"), 20)
    # Decided, another may be asked.
    assert ask(client, admin, admin.auth, {"legal_representative": {"name": "孙七"},
                                           "document_ids": [licence(admin)]}).status_code == 202


def test_a_suspended_organisation_asks_nothing_and_an_approval_after_its_suspension_does_not_apply(
        platform, operator_token):
    client = ApiClient(platform.wsgi)
    admin = verified_member(platform, client, operator_token, "深圳暂停变更科技有限公司")
    asked = ask(client, admin, admin.auth, {"name": NEW_NAME + "甲", "document_ids": [licence(admin)]})
    assert asked.status_code == 202, asked.get_json()
    task = change_task(client, operator_token, admin.id)
    assert client.post(f"{IDENTITY}/organisations/{admin.id}/suspension", json={"reason": "争议"},
                       headers=bearer(operator_token)).status_code == 200
    decide(platform, task["id"], admin.id, "approve", kind="org_change")
    assert eventually(lambda: latest(client, admin)["status"] == "rejected")
    assert latest(client, admin)["reasons"][0]["field"] == "status"
    assert admin.organisation()["name"] == "深圳暂停变更科技有限公司"
    refused = ask(client, admin, admin.auth, {"name": NEW_NAME + "乙", "document_ids": [licence(admin)]})
    assert refused.status_code == 409 and refused.get_json()["type"].endswith("change-request-not-allowed")
