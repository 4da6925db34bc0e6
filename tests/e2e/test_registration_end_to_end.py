"""Registering an organisation, end to end: the gateway, five service processes, RabbitMQ,
PostgreSQL and a real SMTP server.

The registration goes in through the gateway; identity commits it with its event in the
outbox; identity's relay publishes it; notify's consumer records the mails and its worker
sends them over SMTP; reporting's consumer counts the organisation. Nothing is called
in-process: what is checked is what a client and a mail recipient see.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import OPERATOR, RunningPlatform
from tests.support.embedded import organisation_body as sample_organisation_body

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

PROBLEM_JSON = "application/problem+json"


def organisation_body(**changes) -> dict:
    """The shared sample registration, with this suite's own addresses."""
    body = {
        "contact": {"name": "张三", "phone": "13800138000", "email": "zhang.san@huawei.example.cn"},
        "account": {"email": "filing@huawei.example.cn", "password": "correct horse battery staple"},
    }
    body.update(changes)
    return sample_organisation_body(**body)


def test_registration_reaches_mail_reporting_and_the_delivery_log(e2e_platform: RunningPlatform):
    platform, http = e2e_platform, e2e_platform.session
    body = organisation_body()
    contact, account = body["contact"]["email"], body["account"]["email"]
    request_id = f"e2e-{uuid.uuid4()}"

    operator = {"Authorization": "Bearer " + platform.sign_in(*OPERATOR)}
    before = http.get(platform.url("/api/v1/reporting/summary"), params={"province": "440000"},
                      headers=operator, timeout=10).json()["organisations"]

    response = http.post(platform.url("/api/v1/identity/organisations"), json=body,
                         headers={"X-Request-ID": request_id}, timeout=15)

    assert response.status_code == 201, response.text
    assert response.headers["X-Request-ID"] == request_id
    assert response.json()["status"] == "registered"
    me = http.get(platform.url("/api/v1/identity/me"), timeout=10, headers={
        "Authorization": "Bearer " + platform.sign_in(body["account"]["email"], body["account"]["password"])})
    organisation_id = me.json()["organisation_id"]
    assert response.json() == {"id": organisation_id, "status": "registered"}

    # The mail, as the contact's mail server received it: decoded subject and Chinese body.
    mails = platform.wait_until(lambda: platform.mailbox.to(contact), f"the registration mail to {contact}")
    assert len(mails) == 1
    mail = mails[0]
    assert "华为技术有限公司" in mail.subject and "注册成功" in mail.subject
    assert mail.message["To"] == contact
    assert "no-reply@patent-filing.platform" in mail.mail_from
    assert mail.text.startswith("张三，您好")
    assert "贵单位“华为技术有限公司”（统一社会信用代码 914403001922038216）已在专利产品备案平台完成注册" in mail.text
    assert f"登录账号：{account}" in mail.text
    assert "<strong>华为技术有限公司</strong>" in mail.html
    # The account holder is told too, in a mail of their own.
    platform.wait_until(lambda: platform.mailbox.to(account), f"the registration mail to {account}")

    # reporting learnt of the organisation from identity's event alone (other tests of the session
    # register organisations in 440000 too: what counts is the change this registration made).
    def figures() -> dict:
        answer = http.get(platform.url("/api/v1/reporting/summary"), params={"province": "440000"},
                          headers=operator, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()["organisations"]

    def counted() -> dict | None:
        now = figures()
        return now if now["total"] == before["total"] + 1 else None

    after = platform.wait_until(counted, "reporting to count the organisation in 440000")
    assert after["by_status"].get("registered", 0) == before["by_status"].get("registered", 0) + 1
    assert after["by_kind"]["enterprise"] == before["by_kind"].get("enterprise", 0) + 1

    # notify's delivery log: both mails of this event, sent.
    def delivered() -> list[dict] | None:
        answer = http.get(platform.url("/api/v1/notify/deliveries"),
                          params={"event_type": "identity.organisation.registered"}, headers=operator, timeout=10)
        assert answer.status_code == 200, answer.text
        items = [item for item in answer.json()["items"] if item["recipient"] in (contact, account)]
        return items if len(items) == 2 and all(item["state"] == "sent" for item in items) else None

    deliveries = platform.wait_until(delivered, "notify to log both deliveries as sent")
    assert {item["recipient"] for item in deliveries} == {contact, account}
    assert all("华为技术有限公司" in item["subject"] and item["attempts"] == 1 for item in deliveries)
    assert len({item["event_id"] for item in deliveries}) == 1

    # The organisation's own account may not read the province's statistics.
    enterprise = {"Authorization": "Bearer " + platform.sign_in(account, body["account"]["password"])}
    me = http.get(platform.url("/api/v1/identity/me"), headers=enterprise, timeout=10)
    assert me.status_code == 200 and me.json()["organisation_id"] == organisation_id
    forbidden = http.get(platform.url("/api/v1/reporting/summary"), params={"province": "440000"},
                         headers=enterprise, timeout=10)
    assert forbidden.status_code == 403, forbidden.text
    assert forbidden.headers["Content-Type"].startswith(PROBLEM_JSON)
    assert forbidden.json()["status"] == 403
    refused = http.get(platform.url("/api/v1/notify/deliveries"), headers=enterprise, timeout=10)
    assert refused.status_code == 403, refused.text

    # Nobody signed in: 401 with a challenge.
    anonymous = http.get(platform.url("/api/v1/reporting/summary"), params={"province": "440000"}, timeout=10)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.headers["Content-Type"].startswith(PROBLEM_JSON)
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert anonymous.headers["X-Request-ID"]


def test_a_second_registration_of_the_same_uscc_is_a_conflict(e2e_platform: RunningPlatform):
    platform, http = e2e_platform, e2e_platform.session
    # Another province than the first test's, so neither test's figures depend on the other.
    body = organisation_body(
        name="北京小米科技有限责任公司", uscc="91110000802100433B", province_code="110000", city_code=None,
        address="北京市海淀区清河中街68号",
        contact={"name": "李四", "phone": "010-60606666", "email": "li.si@xiaomi.example.cn"},
        account={"email": "filing@xiaomi.example.cn", "password": "another long pass phrase"})
    first = http.post(platform.url("/api/v1/identity/organisations"), json=body, timeout=15)
    assert first.status_code == 201, first.text

    request_id = f"e2e-{uuid.uuid4()}"
    again = dict(body, account={"email": "second@xiaomi.example.cn", "password": "another long pass phrase"})
    duplicate = http.post(platform.url("/api/v1/identity/organisations"), json=again,
                          headers={"X-Request-ID": request_id}, timeout=15)

    assert duplicate.status_code == 409, duplicate.text
    assert duplicate.headers["Content-Type"].startswith(PROBLEM_JSON)
    assert duplicate.headers["X-Request-ID"] == request_id
    problem = duplicate.json()
    assert problem["status"] == 409
    assert problem["type"].endswith("organisation-already-registered")
    assert problem["errors"] == {"uscc": ["already registered"]}

    # The organisation registered once: one mail to its contact, no second account can sign in.
    platform.wait_until(lambda: platform.mailbox.to(body["contact"]["email"]), "the first registration's mail")
    tokens = http.post(platform.url("/api/v1/identity/tokens"),
                       json={"email": "second@xiaomi.example.cn", "password": "another long pass phrase"}, timeout=10)
    assert tokens.status_code == 401, tokens.text
    assert len(platform.mailbox.to(body["contact"]["email"])) == 1
