"""Review tasks made from identity's verification requests, listed page by page, oldest first."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.support.embedded import eventually


def _request_verification(platform, name: str) -> str:
    organisation_id = str(uuid.uuid4())
    identity = platform.runtimes["identity"]
    with identity.database.connection_context(), identity.unit_of_work("queue-test") as uow:
        uow.publish("identity.organisation.verification_requested", {
            "organisation_id": organisation_id, "name": name, "uscc": "914403001922038216",
            "kind": "enterprise", "province_code": "440000",
            "requested_at": dt.datetime.now(dt.UTC).isoformat()}, aggregate_id=organisation_id, aggregate_version=2)
    return organisation_id


def test_verification_requests_become_organisation_tasks_listed_oldest_first_in_pages(platform, client,
                                                                                      operator_token):
    auth = {"Authorization": f"Bearer {operator_token}"}
    ids = [_request_verification(platform, f"队列测试公司{i}") for i in range(3)]

    def listed():
        page = client.get("/api/v1/review/tasks?kind=organisation&state=open&per_page=200", headers=auth).get_json()
        subjects = [t["subject_id"] for t in page["items"]]
        return subjects if all(i in subjects for i in ids) else None

    subjects = eventually(listed)
    assert [s for s in subjects if s in ids] == ids  # oldest first
    first = client.get("/api/v1/review/tasks?kind=organisation&per_page=1&page=1", headers=auth).get_json()
    second = client.get("/api/v1/review/tasks?kind=organisation&per_page=1&page=2", headers=auth).get_json()
    assert len(first["items"]) == 1 and len(second["items"]) == 1
    assert first["total"] >= 3 and first["items"][0]["id"] != second["items"][0]["id"]
    assert first["items"][0]["title"].startswith("实名认证审核")


def test_the_queue_refuses_other_roles_bad_pages_and_unknown_filters(client, operator_token):
    auth = {"Authorization": f"Bearer {operator_token}"}
    assert client.get("/api/v1/review/tasks").status_code == 401
    assert client.get("/api/v1/review/tasks?per_page=201", headers=auth).status_code == 422
    assert client.get("/api/v1/review/tasks?page=0", headers=auth).status_code == 422
    unknown = client.get("/api/v1/review/tasks?sate=open", headers=auth)
    assert unknown.status_code == 422
    assert "sate" in unknown.get_json()["errors"]
