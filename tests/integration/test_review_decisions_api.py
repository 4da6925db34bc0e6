"""The reviewers' work through the embedded platform: tasks made from identity's and filing's
events (once each, also when an event comes twice), claims (taken, held, expired, released,
reassigned), decisions with reasons that identity and filing apply — approve, reject, return →
resubmit → approve — the four-eyes rule on rejections, each task's history, and who may do what.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

import pytest

from review.domain.tasks import QueueRules
from tests.support.embedded import ApiClient, eventually
from tests.support.members import Member, bearer, staff_token, verified_member

REVIEW = "/api/v1/review"
FILING = "/api/v1/filing"
LAST_YEAR = dt.date.today().year - 1


@pytest.fixture(scope="module")
def reviewers(platform):
    client = ApiClient(platform.wsgi)
    return [bearer(staff_token(platform, client, "reviewer")) for _ in range(3)]


@pytest.fixture(scope="module")
def member(platform, operator_token):
    return verified_member(platform, ApiClient(platform.wsgi), operator_token, "审核流程科技有限公司")


def product_body(**changes) -> dict:
    body = {"name": "医用超声诊断仪", "brand": "迈瑞", "model": f"DC-{uuid.uuid4().hex[:8]}", "industry_code": "05",
            "economic_data": [{"year": LAST_YEAR, "sales_revenue": "5000000.00", "sales_volume": 50}],
            "patents": [{"number": "201510958772.0", "relation": "owner"}]}
    body.update(changes)
    return body


def submitted_product(client, member) -> str:
    created = client.post(f"{FILING}/products", json=product_body(), headers=member.auth)
    assert created.status_code == 201, created.get_json()
    product_id = created.get_json()["id"]
    assert client.post(f"{FILING}/products/{product_id}/submission", headers=member.auth).status_code == 202
    return product_id


def tasks_of(client, auth, subject_id: str) -> list[dict]:
    page = client.get(f"{REVIEW}/tasks?subject_id={subject_id}&per_page=200", headers=auth)
    assert page.status_code == 200, page.get_json()
    return page.get_json()["items"]


def pending_task(client, auth, subject_id: str) -> dict:
    task = eventually(lambda: next((t for t in tasks_of(client, auth, subject_id) if t["state"] == "open"), None))
    assert task, f"no open task for {subject_id}: {tasks_of(client, auth, subject_id)}"
    return task


def product(client, member, product_id) -> dict:
    return client.get(f"{FILING}/products/{product_id}", headers=member.auth).get_json()


def wait_product(client, member, product_id, status) -> dict:
    seen = eventually(lambda: (lambda p: p if p["status"] == status else None)(product(client, member, product_id)))
    assert seen, f"product never became {status}: {product(client, member, product_id)}"
    return seen


def decide(client, auth, task_id, outcome, reasons=()):
    return client.post(f"{REVIEW}/tasks/{task_id}/decision", json={"outcome": outcome, "reasons": list(reasons)},
                       headers=auth)


def confirm_patent(client, auth, task_id, index=0, note="已核对专利证书"):
    """The embedded default's checksum registry knows no holders: each patent reaches review
    unverified and the holder confirms it before approving."""
    return client.post(f"{REVIEW}/tasks/{task_id}/patents/{index}/confirmation", json={"note": note}, headers=auth)


def test_a_submission_makes_one_product_task_with_the_snapshot(client, member, reviewers):
    product_id = submitted_product(client, member)
    task = pending_task(client, reviewers[0], product_id)
    assert task["kind"] == "product" and task["title"].startswith("产品备案审核：医用超声诊断仪")
    detail = client.get(f"{REVIEW}/tasks/{task['id']}", headers=reviewers[0]).get_json()
    assert detail["snapshot"]["economic_data"][0]["sales_revenue"] == "5000000.00"
    assert detail["history"][0]["action"] == "created"
    # The draft cannot change under review, and the task keeps what was submitted anyway.
    assert len(tasks_of(client, reviewers[0], product_id)) == 1


def test_the_same_event_delivered_twice_makes_one_task(platform, client, member, reviewers):
    from filing.adapters.orm import Outbox

    product_id = submitted_product(client, member)
    pending_task(client, reviewers[0], product_id)
    filing = platform.runtimes["filing"]
    with filing.database.connection_context():
        # Publish the submission again, as a relay that crashed before recording it would.
        sent = Outbox.update(published_at=None).where(
            (Outbox.type == "filing.product.submitted") & Outbox.body.contains(product_id)).execute()
    assert sent == 1
    assert eventually(lambda: _republished(platform, product_id))
    # A later event on the same queue has been handled, so the repeat has been too.
    assert client.post(f"{FILING}/products/{product_id}/withdrawal", headers=member.auth).status_code == 200
    assert eventually(lambda: tasks_of(client, reviewers[0], product_id)[0]["state"] == "cancelled")
    assert len(tasks_of(client, reviewers[0], product_id)) == 1


def _republished(platform, product_id: str) -> bool:
    from filing.adapters.orm import Outbox

    with platform.runtimes["filing"].database.connection_context():
        return not Outbox.select().where((Outbox.type == "filing.product.submitted") & Outbox.body.contains(product_id)
                                         & Outbox.published_at.is_null()).exists()


def test_return_resubmit_approve_ends_filed_with_the_case_linked(client, member, reviewers):
    product_id = submitted_product(client, member)
    first = pending_task(client, reviewers[0], product_id)
    assert client.post(f"{REVIEW}/tasks/{first['id']}/claim", headers=reviewers[0]).status_code == 200
    reasons = [{"field": "economic_data.0.sales_revenue", "message": "请上传销售发票"}]
    assert decide(client, reviewers[0], first["id"], "return", reasons).status_code == 200
    returned = wait_product(client, member, product_id, "returned")
    assert returned["last_decision"]["reasons"] == reasons

    fixed = client.patch(f"{FILING}/products/{product_id}", headers=member.auth, json={"economic_data": [
        {"year": LAST_YEAR, "sales_revenue": "5100000.00", "sales_volume": 51}]})
    assert fixed.status_code == 200
    assert client.post(f"{FILING}/products/{product_id}/submission", headers=member.auth).status_code == 202
    second = pending_task(client, reviewers[1], product_id)
    assert second["id"] != first["id"]
    assert second["previous_task_id"] == first["id"] and second["case_id"] == first["case_id"] == first["id"]
    detail = client.get(f"{REVIEW}/tasks/{second['id']}", headers=reviewers[1]).get_json()
    assert detail["snapshot"]["economic_data"][0]["sales_revenue"] == "5100000.00"
    assert [t["id"] for t in detail["case"]] == [first["id"], second["id"]]

    assert client.post(f"{REVIEW}/tasks/{second['id']}/claim", headers=reviewers[1]).status_code == 200
    # The checksum registry could not verify the patent: approval waits for the holder's confirmation.
    [check] = detail["patent_checks"]
    assert (check["needs_confirmation"], check["register"]["outcome"], check["register"]["registry"]) == (
        True, "unverified", "checksum")
    refused = decide(client, reviewers[1], second["id"], "approve")
    assert refused.status_code == 422
    assert refused.get_json()["rules"]["patents.0.number"][0]["rule"] == "review.patent_unconfirmed"
    assert confirm_patent(client, reviewers[0], second["id"]).status_code == 409  # not the holder
    assert confirm_patent(client, reviewers[1], second["id"], note="  ").status_code == 422
    assert confirm_patent(client, reviewers[1], second["id"], index=1).status_code == 409  # no such patent
    assert confirm_patent(client, reviewers[1], second["id"]).status_code == 200
    assert decide(client, reviewers[1], second["id"], "approve").status_code == 200
    filed = wait_product(client, member, product_id, "filed")
    assert filed["filing_number"].startswith("BA-")
    read = client.get(f"{REVIEW}/tasks/{second['id']}", headers=reviewers[1]).get_json()
    assert [h["action"] for h in read["history"]] == ["created", "claimed", "patent_confirmed", "decided"]
    assert read["patent_checks"][0]["confirmation"]["note"] == "已核对专利证书"
    # A decision is final.
    assert decide(client, reviewers[1], second["id"], "reject", reasons).status_code == 409


def test_reject_ends_rejected(client, member, reviewers):
    product_id = submitted_product(client, member)
    task = pending_task(client, reviewers[0], product_id)
    client.post(f"{REVIEW}/tasks/{task['id']}/claim", headers=reviewers[0])
    assert decide(client, reviewers[0], task["id"], "reject").status_code == 422  # reasons are required
    assert decide(client, reviewers[0], task["id"], "reject",
                  [{"field": "patents.0.number", "message": "专利已终止"}]).status_code == 200
    assert wait_product(client, member, product_id, "rejected")["last_decision"]["outcome"] == "reject"


def test_organisations_are_approved_or_rejected_never_returned(platform, client, reviewers):
    member = Member(client)
    member.upload_mandatory()
    assert member.ask().status_code == 202
    task = pending_task(client, reviewers[0], member.id)
    client.post(f"{REVIEW}/tasks/{task['id']}/claim", headers=reviewers[0])
    refused = decide(client, reviewers[0], task["id"], "return", [{"field": "name", "message": "x"}])
    assert refused.status_code == 422 and "outcome" in refused.get_json()["errors"]
    assert decide(client, reviewers[0], task["id"], "reject",
                  [{"field": "documents.business_license", "message": "营业执照不清晰"}]).status_code == 200
    assert eventually(lambda: member.organisation()["status"] == "rejected")


def test_a_withdrawal_cancels_the_task(client, member, reviewers):
    product_id = submitted_product(client, member)
    task = pending_task(client, reviewers[0], product_id)
    assert client.post(f"{FILING}/products/{product_id}/withdrawal", headers=member.auth).status_code == 200
    assert eventually(lambda: tasks_of(client, reviewers[0], product_id)[0]["state"] == "cancelled")
    assert client.post(f"{REVIEW}/tasks/{task['id']}/claim", headers=reviewers[0]).status_code == 409


def test_claims_held_released_expired_and_reassigned(platform, client, member, reviewers, operator_token,
                                                    monkeypatch):
    first, second, third = reviewers
    task = pending_task(client, first, submitted_product(client, member))
    url = f"{REVIEW}/tasks/{task['id']}"
    assert client.post(f"{url}/claim", headers=first).get_json()["state"] == "claimed"
    held = client.post(f"{url}/claim", headers=second)
    assert held.status_code == 409 and "Another reviewer holds" in held.get_json()["detail"]
    # Only the holder decides or releases.
    assert decide(client, second, task["id"], "approve").status_code == 409
    assert client.post(f"{url}/release", headers=second).status_code == 409
    assert client.post(f"{url}/release", headers=first).get_json()["state"] == "open"
    assert client.post(f"{url}/claim", headers=second).status_code == 200

    # A claim expires: with claims lasting no time at all, another reviewer may take it.
    review = platform.runtimes["review"]
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, queue_rules=QueueRules(
        claim_for=dt.timedelta(0))))
    assert client.post(f"{url}/claim", headers=second).status_code == 200  # renewed, for no time
    assert client.post(f"{url}/claim", headers=first).status_code == 200
    assert client.post(f"{url}/claim", headers=third).status_code == 200
    assert decide(client, first, task["id"], "approve").status_code == 409
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, queue_rules=QueueRules()))

    operator = bearer(operator_token)
    reviewer_id = client.get("/api/v1/identity/me", headers=first).get_json()["id"]
    reassigned = client.post(f"{url}/assignment", json={"reviewer_id": reviewer_id}, headers=operator)
    assert reassigned.status_code == 200 and reassigned.get_json()["claimed_by"] == reviewer_id
    assert confirm_patent(client, first, task["id"]).status_code == 200
    assert decide(client, first, task["id"], "approve").status_code == 200
    actions = [h["action"] for h in client.get(url, headers=operator).get_json()["history"]]
    assert actions == ["created", "claimed", "released", "claimed", "claimed", "claimed", "claimed", "reassigned",
                       "patent_confirmed", "decided"]
    took_over = [h["detail"] for h in client.get(url, headers=operator).get_json()["history"] if h["detail"]]
    assert any("took_over_expired_claim_of" in d for d in took_over)


def test_four_eyes_rule_a_rejection_waits_for_a_second_reviewer(platform, client, member, reviewers, monkeypatch):
    review = platform.runtimes["review"]
    monkeypatch.setattr(review, "dependencies", replace(review.dependencies, queue_rules=QueueRules(four_eyes=True)))
    first, second, _ = reviewers
    product_id = submitted_product(client, member)
    task = pending_task(client, first, product_id)
    url = f"{REVIEW}/tasks/{task['id']}"
    client.post(f"{url}/claim", headers=first)
    proposed = decide(client, first, task["id"], "reject", [{"field": "patents", "message": "专利与产品无关"}])
    assert proposed.get_json()["state"] == "awaiting_confirmation"
    assert product(client, member, product_id)["status"] == "submitted"
    assert client.post(f"{url}/confirmation", json={"confirm": True}, headers=first).status_code == 409
    sent_back = client.post(f"{url}/confirmation", json={"confirm": False, "comment": "理由不足"}, headers=second)
    assert sent_back.get_json()["state"] == "claimed"
    decide(client, first, task["id"], "reject", [{"field": "patents", "message": "专利与产品无关，见附件"}])
    confirmed = client.post(f"{url}/confirmation", json={"confirm": True}, headers=second)
    assert confirmed.get_json()["state"] == "decided"
    assert wait_product(client, member, product_id, "rejected")
    detail = client.get(url, headers=second).get_json()
    assert detail["decision"]["confirmed_by"] and detail["decision"]["final"] is True
    assert [h["action"] for h in detail["history"]][-4:] == [
        "rejection_proposed", "rejection_sent_back", "rejection_proposed", "rejection_confirmed"]


def test_who_may_see_and_work_tasks(platform, client, member, reviewers, operator_token):
    task = pending_task(client, reviewers[0], submitted_product(client, member))
    admin = bearer(staff_token(platform, client, "province_admin", "440000"))
    for auth in (member.auth, admin):
        assert client.get(f"{REVIEW}/tasks", headers=auth).status_code == 403
        assert client.get(f"{REVIEW}/tasks/{task['id']}", headers=auth).status_code == 403
        assert client.post(f"{REVIEW}/tasks/{task['id']}/claim", headers=auth).status_code == 403
    operator = bearer(operator_token)
    assert client.post(f"{REVIEW}/tasks/{task['id']}/claim", headers=operator).status_code == 403
    assert client.post(f"{REVIEW}/tasks/{task['id']}/assignment", json={"reviewer_id": "x"},
                       headers=reviewers[0]).status_code == 403
    assert client.get(f"{REVIEW}/tasks/{uuid.uuid4()}", headers=reviewers[0]).status_code == 404


def test_queue_length_and_oldest_age_are_gauges(platform, client, member, reviewers):
    from prometheus_client import REGISTRY

    from review.service_layer.queue_metrics import measure_queue

    product_id = submitted_product(client, member)
    pending_task(client, reviewers[0], product_id)
    review = platform.runtimes["review"]
    with review.database.connection_context():
        figures = measure_queue(review.unit_of_work())
    waiting, oldest = figures["product"]
    assert waiting >= 1 and oldest >= 0
    assert REGISTRY.get_sample_value("review_queue_tasks", {"service": "review", "kind": "product"}) == waiting
    assert REGISTRY.get_sample_value("review_queue_oldest_task_seconds",
                                     {"service": "review", "kind": "product"}) == oldest
