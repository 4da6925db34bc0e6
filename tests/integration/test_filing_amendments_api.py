"""Amendments (变更) of a filed product through the embedded platform: opened by a member of the
owning organisation only (another organisation's member 404, reviewers and operators 403), of a
filed product only (409), one at a time (409); a bad patent number 422 naming the field, the
submission's rules 422 naming the field; submitted → a `product_amendment` task showing before
and after → approved (the amended state, the filing number kept, version 2 on the certificate
and the public verification), rejected (the product unchanged), returned → changed → resubmitted;
the events each step publishes."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from pypdf import PdfReader

from tests.support.embedded import ApiClient, eventually
from tests.support.members import PDF, bearer, decide, staff_token, verified_member

FILING = "/api/v1/filing"
REVIEW = "/api/v1/review"
NEW_PATENT = "ZL 2020 1 0566088.9"  # the written form of 202010566088.9
NEW_PATENT_NUMBER = "202010566088.9"


@pytest.fixture(scope="module")
def owner(platform, operator_token):
    return verified_member(platform, ApiClient(platform.wsgi), operator_token, "变更测试科技有限公司")


@pytest.fixture(scope="module")
def stranger(platform, operator_token):
    return verified_member(platform, ApiClient(platform.wsgi), operator_token, "别家变更科技有限公司")


@pytest.fixture(scope="module")
def reviewer(platform):
    return bearer(staff_token(platform, ApiClient(platform.wsgi), "reviewer"))


def filed(platform, client, member) -> dict:
    from tests.integration.test_filing_products_api import filed_product

    return filed_product(platform, client, member, variants=["黑色"],
                         patents=[{"number": "201710601862.3", "relation": "owner", "title": "一种通信方法"}])


def amendments_url(product_id: str) -> str:
    return f"{FILING}/products/{product_id}/amendments"


def open_amendment(client, member, product_id, **body):
    body = body or {"variants": ["黑色", "蓝色"], "patents": [
        {"number": "201710601862.3", "relation": "owner", "title": "一种通信方法"},
        {"number": NEW_PATENT, "relation": "owner", "title": "新授权的专利"}]}
    return client.post(amendments_url(product_id), json=body, headers=member.auth)


def events(platform, product_id: str, event_type: str) -> list[dict]:
    from filing.adapters.orm import Outbox

    with platform.runtimes["filing"].database.connection_context():
        rows = list(Outbox.select().where(Outbox.type == event_type))
    return [e["data"] for e in (json.loads(r.body) for r in rows) if e["aggregate_id"] == product_id]


def product(client, member, product_id) -> dict:
    return client.get(f"{FILING}/products/{product_id}", headers=member.auth).get_json()


def amendment(client, member, product_id, amendment_id) -> dict:
    return client.get(f"{amendments_url(product_id)}/{amendment_id}", headers=member.auth).get_json()


def wait_amendment(client, member, product_id, amendment_id, status) -> dict:
    seen = eventually(lambda: (lambda a: a if a["status"] == status else None)(
        amendment(client, member, product_id, amendment_id)))
    assert seen, f"amendment never became {status}: {amendment(client, member, product_id, amendment_id)}"
    return seen


def test_who_may_amend_what(platform, client, owner, stranger, reviewer, operator_token):
    product_id = filed(platform, client, owner)["id"]
    assert open_amendment(client, stranger, product_id).status_code == 404
    assert client.post(amendments_url(product_id), json={"variants": []}, headers=reviewer).status_code == 403
    assert client.post(amendments_url(product_id), json={"variants": []},
                       headers=bearer(operator_token)).status_code == 403
    assert client.post(amendments_url(product_id), json={"variants": []}).status_code == 401

    draft = client.post(f"{FILING}/products", headers=owner.auth, json={
        "name": "未备案产品", "brand": "测试", "model": f"D-{uuid.uuid4().hex[:8]}", "industry_code": "01"})
    refused = open_amendment(client, owner, draft.get_json()["id"])
    assert refused.status_code == 409 and refused.get_json()["type"].endswith("/product-not-amendable")

    bad = open_amendment(client, owner, product_id, patents=[{"number": "not a patent", "relation": "owner"}])
    assert bad.status_code == 422 and list(bad.get_json()["errors"]) == ["patents.0.number"]
    assert open_amendment(client, owner, product_id, colours=["红"]).status_code == 422

    opened = open_amendment(client, owner, product_id)
    assert opened.status_code == 201, opened.get_json()
    body = opened.get_json()
    assert (body["status"], body["variants"], body["before"]["variants"]) == ("draft", ["黑色", "蓝色"], ["黑色"])
    assert [p["number"] for p in body["patents"]] == ["201710601862.3", NEW_PATENT_NUMBER]
    assert body["changed"] == ["variants", "patents"]
    again = open_amendment(client, owner, product_id)
    assert again.status_code == 409 and again.get_json()["type"].endswith("/amendment-open")
    url = f"{amendments_url(product_id)}/{body['id']}"
    assert client.patch(url, json={"variants": ["红"]}, headers=stranger.auth).status_code == 404
    assert client.post(f"{url}/submission", headers=stranger.auth).status_code == 404
    assert client.post(f"{url}/submission", headers=reviewer).status_code == 403
    # Reviewers read it; another organisation does not see it.
    assert client.get(url, headers=reviewer).status_code == 200
    assert client.get(url, headers=stranger.auth).status_code == 404
    withdrawn = client.post(f"{url}/withdrawal", headers=owner.auth)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert events(platform, product_id, "filing.product.amendment_withdrawn") == []  # a draft: nobody heard of it
    assert client.post(f"{url}/withdrawal", headers=owner.auth).status_code == 409


def test_a_patent_the_register_refuses_is_422_naming_the_field(platform, client, owner, monkeypatch):
    from platform_shared.patents.verdict import PatentVerdict

    product_id = filed(platform, client, owner)["id"]
    opened = open_amendment(client, owner, product_id).get_json()
    registry = platform.runtimes["filing"].dependencies.patent_registry
    check = registry.check
    monkeypatch.setattr(registry, "check", lambda number: PatentVerdict(False, f"{number} has lapsed")
                        if number == NEW_PATENT_NUMBER else check(number))
    refused = client.post(f"{amendments_url(product_id)}/{opened['id']}/submission", headers=owner.auth)
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["type"].endswith("/submission-rule-broken")
    assert list(refused.get_json()["errors"]) == ["patents.1.number"]
    assert amendment(client, owner, product_id, opened["id"])["status"] == "draft"


def test_amend_review_approve_keeps_the_number_and_the_certificate_says_version_2(
        platform, client, owner, reviewer):
    filed_before = filed(platform, client, owner)
    product_id, number = filed_before["id"], filed_before["filing_number"]
    opened = open_amendment(client, owner, product_id).get_json()
    url = f"{amendments_url(product_id)}/{opened['id']}"
    uploaded = client.post(f"{url}/materials", headers=owner.auth, data={
        "kind": "patent_certificate", "file": (io.BytesIO(PDF), "新专利证书.pdf", "application/pdf")})
    assert uploaded.status_code == 201, uploaded.get_json()
    assert product(client, owner, product_id)["materials"] == []  # not the product's yet

    submitted = client.post(f"{url}/submission", headers=owner.auth)
    assert submitted.status_code == 202, submitted.get_json()
    assert submitted.get_json()["status"] == "submitted"
    [event] = events(platform, product_id, "filing.product.amendment_submitted")
    assert event["filing_number"] == number and event["before"]["variants"] == ["黑色"]
    assert [m["id"] for m in event["materials"]] == [uploaded.get_json()["id"]]
    # The product stays filed as it was, and verifiable, while the amendment is reviewed.
    still = product(client, owner, product_id)
    assert (still["status"], still["variants"], still["edition"]) == ("filed", ["黑色"], 1)
    assert client.get(f"{FILING}/public/filings/{number}").get_json()["valid"] is True
    assert client.patch(url, json={"variants": ["红"]}, headers=owner.auth).status_code == 409

    task = eventually(lambda: next((t for t in client.get(
        f"{REVIEW}/tasks?subject_id={opened['id']}", headers=reviewer).get_json()["items"]), None))
    assert task and task["kind"] == "product_amendment" and number in task["title"]
    detail = client.get(f"{REVIEW}/tasks/{task['id']}", headers=reviewer).get_json()
    changes = {c["field"]: (c["before"], c["after"]) for c in detail["amendment"]["changes"]}
    assert changes["variants"] == (["黑色"], ["黑色", "蓝色"])
    assert changes["patents.1.number"] == (None, NEW_PATENT_NUMBER)
    assert [d["kind"] for d in detail["documents"]] == ["patent_certificate"]
    assert client.get(detail["documents"][0]["url"], headers=reviewer).get_data() == PDF

    assert client.post(f"{REVIEW}/tasks/{task['id']}/claim", headers=reviewer).status_code == 200
    for check in detail["patent_checks"]:  # the embedded registry knows no holders: confirmed by hand
        assert client.post(f"{REVIEW}/tasks/{task['id']}/patents/{check['index']}/confirmation",
                           json={"note": "已核对证书"}, headers=reviewer).status_code == 200
    decided = client.post(f"{REVIEW}/tasks/{task['id']}/decision", json={"outcome": "approve", "reasons": []},
                          headers=reviewer)
    assert decided.status_code == 200, decided.get_json()

    approved = wait_amendment(client, owner, product_id, opened["id"], "approved")
    assert approved["edition"] == 2
    after = product(client, owner, product_id)
    assert (after["status"], after["filing_number"], after["edition"]) == ("filed", number, 2)
    assert after["variants"] == ["黑色", "蓝色"] and after["amended_at"] is not None
    assert [p["number"] for p in after["patents"]] == ["201710601862.3", NEW_PATENT_NUMBER]
    assert [m["id"] for m in after["materials"]] == [uploaded.get_json()["id"]]
    [amended] = events(platform, product_id, "filing.product.amended")
    assert (amended["edition"], amended["filing_number"], amended["task_id"]) == (2, number, task["id"])

    public = client.get(f"{FILING}/public/filings/{number}").get_json()
    assert public["edition"] == 2 and public["amended_on"] is not None and public["valid"] is True
    pdf = client.get(f"{FILING}/products/{product_id}/certificate", headers=owner.auth)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_data())).pages)
    assert "version 2" in text and number in text and NEW_PATENT_NUMBER in text
    # A new amendment may be opened now, from the amended state.
    assert open_amendment(client, owner, product_id, variants=["黑色"]).get_json()["before"]["variants"] == [
        "黑色", "蓝色"]


def test_reject_leaves_the_product_and_return_lets_it_be_changed_and_resubmitted(platform, client, owner):
    product_id = filed(platform, client, owner)["id"]
    opened = open_amendment(client, owner, product_id).get_json()
    url = f"{amendments_url(product_id)}/{opened['id']}"
    assert client.post(f"{url}/submission", headers=owner.auth).status_code == 202
    reasons = [{"field": "patents.1.number", "message": "请上传新专利的证书"}]
    decide(platform, str(uuid.uuid4()), opened["id"], "return", reasons, kind="product_amendment")
    returned = wait_amendment(client, owner, product_id, opened["id"], "returned")
    assert returned["last_decision"]["reasons"] == reasons
    assert events(platform, product_id, "filing.product.amendment_returned")[0]["reasons"] == reasons
    changed = client.patch(url, json={"variants": ["黑色", "绿色"]}, headers=owner.auth)
    assert changed.status_code == 200 and changed.get_json()["variants"] == ["黑色", "绿色"]
    assert client.post(f"{url}/submission", headers=owner.auth).status_code == 202
    assert [e["submission"] for e in events(platform, product_id, "filing.product.amendment_submitted")] == [1, 2]

    decide(platform, str(uuid.uuid4()), opened["id"], "reject", reasons, kind="product_amendment")
    rejected = wait_amendment(client, owner, product_id, opened["id"], "rejected")
    assert rejected["last_decision"]["outcome"] == "reject" and rejected["closed_at"] is not None
    unchanged = product(client, owner, product_id)
    assert (unchanged["variants"], unchanged["edition"], len(unchanged["patents"])) == (["黑色"], 1, 1)
    assert len(events(platform, product_id, "filing.product.amendment_rejected")) == 1
    listed = client.get(amendments_url(product_id), headers=owner.auth).get_json()
    assert [a["status"] for a in listed["items"]] == ["rejected"] and listed["total"] == 1
