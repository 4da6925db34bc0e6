"""What the reviewer must check of an organisation: identity's verification request carries
the address, the legal representative with the ID number masked, and the contact; the full
number is revealed to reviewers (while the organisation awaits them) and operators only, and
every reveal is audited."""

from __future__ import annotations

import json

import pytest

from tests.support.members import (
    API,
    Member,
    bearer,
    decide,
    open_task,
    pending_member,
    staff_token,
    wait_for_status,
)

pytestmark = pytest.mark.integration
FULL_NUMBER = "11010519491231002X"  # tests.support.embedded.organisation_body's
MASKED = "110105********002X"


def reveal(client, organisation_id: str, token: str):
    return client.get(f"{API}/organisations/{organisation_id}/legal-representative/id-number", headers=bearer(token))


def reveals(platform, organisation_id: str) -> list:
    from identity.adapters.orm import AuditLog

    with platform.runtimes["identity"].database.connection_context():
        return list(AuditLog.select().where((AuditLog.action == "organisation.id_number.revealed")
                                            & (AuditLog.subject_id == organisation_id)))


def test_the_review_snapshot_holds_what_the_licence_is_checked_against_with_the_number_masked(
        platform, client, operator_token):
    member = pending_member(client)
    task = open_task(platform, client, operator_token, member.id)
    read = client.get(f"/api/v1/review/tasks/{task['id']}", headers=bearer(operator_token)).get_json()
    snapshot = read["snapshot"]
    assert snapshot["address"] == "深圳市龙岗区坂田华为基地" and snapshot["city_code"] == "440300"
    assert snapshot["legal_representative"] == {"name": "赵明路", "id_number_masked": MASKED}
    assert snapshot["contact"] == {"name": "张三", "phone": "13800138000", "email": "zhang@example.cn"}
    # The full number is nowhere in what review keeps or the bus carried.
    assert FULL_NUMBER not in json.dumps(read, ensure_ascii=False)


def test_a_reviewer_sees_the_full_number_of_an_organisation_under_review_and_the_reveal_is_audited(
        platform, client):
    member = pending_member(client)
    reviewer = staff_token(platform, client, "reviewer")
    assert reveals(platform, member.id) == []

    response = reveal(client, member.id, reviewer)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"id_number": FULL_NUMBER}
    assert "no-store" in response.headers["Cache-Control"]
    [entry] = reveals(platform, member.id)
    assert entry.actor_role == "reviewer" and entry.actor_id
    assert json.loads(entry.detail) == {"masked": MASKED}  # the audit log never holds the number

    assert reveal(client, member.id, reviewer).status_code == 200
    assert len(reveals(platform, member.id)) == 2  # every reveal, not the first only


def test_members_and_province_admins_are_refused_and_nothing_is_audited(platform, client):
    member = pending_member(client)
    stranger = Member(client)
    admin = staff_token(platform, client, "province_admin", province_code="440000")
    for token in (member.token, stranger.token, admin):
        response = reveal(client, member.id, token)
        assert response.status_code == 403, response.get_json()
        assert FULL_NUMBER not in response.get_data(as_text=True)
    assert reveals(platform, member.id) == []


def test_a_reviewer_may_not_reveal_once_the_decision_is_made_but_an_operator_may(platform, client, operator_token):
    member = pending_member(client)
    reviewer = staff_token(platform, client, "reviewer")
    task = open_task(platform, client, operator_token, member.id)
    decide(platform, task["id"], member.id, "approve")
    wait_for_status(member, "verified")

    refused = reveal(client, member.id, reviewer)
    assert refused.status_code == 409 and refused.get_json()["type"].endswith("/not-under-review")
    assert reveals(platform, member.id) == []
    assert reveal(client, member.id, operator_token).get_json() == {"id_number": FULL_NUMBER}
    assert [e.actor_role for e in reveals(platform, member.id)] == ["operator"]


def test_an_unknown_organisation_is_not_found(platform, client):
    reviewer = staff_token(platform, client, "reviewer")
    assert reveal(client, "00000000-0000-0000-0000-000000000000", reviewer).status_code == 404
