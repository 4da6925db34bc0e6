"""Mail preferences through the embedded platform: every signed-in account chooses its mails'
language (`GET/PUT /api/v1/notify/preferences`), reviewers may ask for a mail of each new review
task, and notify applies them to the mails it records, knowing whose address is whose from
identity's events alone. A province's published monthly report reaches its admins.

The platform is shared by the session: every test uses accounts and addresses of its own, and
reads notify's delivery log for those addresses only.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.support.embedded import eventually, mailed_link, sign_in
from tests.support.members import Member, bearer, open_task, pending_member

PREFERENCES = "/api/v1/notify/preferences"
IDENTITY = "/api/v1/identity"
PASSWORD = "correct horse battery"
AT = "2026-05-08T06:30:00+00:00"


def deliveries_to(platform, *recipients: str, template: str | None = None) -> list:
    from notify.adapters.orm import Delivery

    with platform.runtimes["notify"].database.connection_context():
        query = Delivery.select().where(Delivery.recipient.in_(recipients))
        if template:
            query = query.where(Delivery.template == template)
        return list(query.order_by(Delivery.created_at))


def known_by_notify(client, token: str) -> bool:
    """notify has seen identity's event naming this account (its address is in the answer)."""
    return client.get(PREFERENCES, headers=bearer(token)).get_json()["email"] is not None


def staff(platform, client, operator_token: str, role: str, province_code: str | None = None) -> tuple[str, str]:
    """A staff account invited by an operator through identity (so notify hears of it), its
    password set from the invitation's one-time link: (e-mail, token)."""
    email = f"{role.replace('_', '-')}-{uuid.uuid4().hex[:10]}@example.cn"
    body = {"email": email, "role": role, **({"province_code": province_code} if province_code else {})}
    created = client.post(f"{IDENTITY}/staff", json=body, headers=bearer(operator_token))
    assert created.status_code == 201, created.get_json()
    token = mailed_link(platform, email).split("#", 1)[1]
    assert client.post(f"{IDENTITY}/password-setup", json={"token": token, "password": PASSWORD}).status_code == 204
    return email, sign_in(client, email, PASSWORD)


# --- the API -----------------------------------------------------------------------------------

def test_an_account_reads_its_defaults_and_chooses_english(platform, client):
    member = Member(client)
    assert eventually(lambda: known_by_notify(client, member.token)), "notify never heard of the account"
    before = client.get(PREFERENCES, headers=member.auth)
    assert before.status_code == 200
    assert before.get_json() == {"language": "zh", "new_review_tasks": False, "email": member.email,
                                 "updated_at": None}

    chosen = client.put(PREFERENCES, json={"language": "en"}, headers=member.auth)
    assert chosen.status_code == 200, chosen.get_json()
    body = chosen.get_json()
    assert (body["language"], body["new_review_tasks"], body["email"]) == ("en", False, member.email)
    assert body["updated_at"].endswith("+00:00")
    assert client.get(PREFERENCES, headers=member.auth).get_json()["language"] == "en"


@pytest.mark.parametrize(("body", "field"), [
    ({"language": "fr"}, "language"),
    ({}, "language"),
    ({"language": "en", "new_review_tasks": "yes"}, "new_review_tasks"),
    ({"language": "en", "new_review_tasks": 1}, "new_review_tasks"),
    ({"language": "en", "newsletter": True}, "newsletter"),
])
def test_bad_input_is_a_problem_naming_the_field(client, body, field):
    member = Member(client)
    refused = client.put(PREFERENCES, json=body, headers=member.auth)
    assert refused.status_code == 422
    assert refused.content_type == "application/problem+json"
    assert field in refused.get_json()["errors"], refused.get_json()


@pytest.mark.parametrize("role", ["enterprise", "province_admin", "operator"])
def test_only_a_reviewer_asks_for_new_task_mail(platform, client, operator_token, role):
    from tests.support.members import staff_token

    token = Member(client).token if role == "enterprise" else staff_token(
        platform, client, role, "440000" if role == "province_admin" else None)
    refused = client.put(PREFERENCES, json={"language": "zh", "new_review_tasks": True}, headers=bearer(token))
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["new_review_tasks"]
    assert client.get(PREFERENCES, headers=bearer(token)).get_json()["new_review_tasks"] is False
    assert client.put(PREFERENCES, json={"language": "en", "new_review_tasks": False},
                      headers=bearer(token)).status_code == 200


def test_preferences_need_a_signed_in_account(client):
    assert client.get(PREFERENCES).status_code == 401
    assert client.put(PREFERENCES, json={"language": "en"}).status_code == 401
    assert client.put(PREFERENCES, json={"language": "fr", "x": 1}).status_code == 401  # auth before the body


# --- applied to the mails ------------------------------------------------------------------------

def test_an_english_preferring_account_gets_the_product_mail_in_english_and_the_contact_in_chinese(platform, client):
    member = Member(client)
    contact = "zhang@example.cn"  # organisation_body's contact: no account of its own
    assert eventually(lambda: known_by_notify(client, member.token))
    assert client.put(PREFERENCES, json={"language": "en"}, headers=member.auth).status_code == 200
    number = f"BA-2026-44-{uuid.uuid4().int % 1_000_000:06d}"
    filing = platform.runtimes["filing"]
    product_id = str(uuid.uuid4())
    with filing.database.connection_context(), filing.unit_of_work(f"filed-{product_id}") as uow:
        uow.publish("filing.product.filed", {
            "product_id": product_id, "organisation_id": member.id, "organisation_name": "深圳测试科技有限公司",
            "province_code": "440000", "name": "智能手机", "brand": "华为", "model": "Mate 60 Pro",
            "industry_code": "01", "filing_number": number, "task_id": str(uuid.uuid4()), "filed_at": AT},
            aggregate_id=product_id)

    def filed_mails():
        rows = [d for d in deliveries_to(platform, member.email, contact, template="product_filed")
                if number in d.subject]
        return rows if len(rows) == 2 else None

    mails = {d.recipient: d for d in eventually(filed_mails) or []}
    assert set(mails) == {member.email, contact}
    assert (mails[member.email].language, mails[contact].language) == ("en", "zh")
    assert mails[member.email].subject.startswith("[Patent Product Filing Platform] Product filed: 智能手机")
    assert mails[contact].subject.startswith("【专利产品备案平台】产品备案成功：智能手机")
    link = f"http://127.0.0.1:8000/verify?number={number}"
    assert all(link in d.text_body and f'href="{link}"' in d.html_body for d in mails.values())


def test_a_new_review_task_is_mailed_to_the_reviewers_who_asked_for_it_only(platform, client, operator_token):
    asked_en, asked_en_token = staff(platform, client, operator_token, "reviewer")
    asked_zh, asked_zh_token = staff(platform, client, operator_token, "reviewer")
    silent, silent_token = staff(platform, client, operator_token, "reviewer")
    for token in (asked_en_token, asked_zh_token, silent_token):
        assert eventually(lambda t=token: known_by_notify(client, t))
    for token, language in ((asked_en_token, "en"), (asked_zh_token, "zh")):
        answer = client.put(PREFERENCES, json={"language": language, "new_review_tasks": True}, headers=bearer(token))
        assert answer.status_code == 200 and answer.get_json()["new_review_tasks"] is True

    member = pending_member(client)
    task = open_task(platform, client, operator_token, member.id)

    def task_mails():
        rows = [d for d in deliveries_to(platform, asked_en, asked_zh, silent, template="review_task_created")
                if task["id"] in d.text_body]
        return rows if len(rows) == 2 else None

    mails = {d.recipient: d for d in eventually(task_mails) or []}
    assert set(mails) == {asked_en, asked_zh}, "the reviewer who did not ask got a mail, or one who asked got none"
    assert (mails[asked_en].language, mails[asked_zh].language) == ("en", "zh")
    assert mails[asked_en].subject == f"[Patent Product Filing Platform] New review task: {task['title']}"
    assert mails[asked_zh].subject == f"【专利产品备案平台】新的审核任务：{task['title']}"
    link = f"http://127.0.0.1:8000/api/v1/review/tasks/{task['id']}"
    assert all(link in d.text_body for d in mails.values())
    assert eventually(lambda: all(d.state == "sent" for d in deliveries_to(platform, asked_en, asked_zh,
                                                                           template="review_task_created")))


def test_a_published_monthly_report_is_mailed_to_that_provinces_admins(platform, client, operator_token):
    # Two provinces few other tests use; each admin invited through identity.
    here, here_token = staff(platform, client, operator_token, "province_admin", "650000")
    there, there_token = staff(platform, client, operator_token, "province_admin", "640000")
    for token in (here_token, there_token):
        assert eventually(lambda t=token: known_by_notify(client, t))
    assert client.put(PREFERENCES, json={"language": "en"}, headers=bearer(here_token)).status_code == 200
    report_id = str(uuid.uuid4())
    reporting = platform.runtimes["reporting"]
    with reporting.database.connection_context(), reporting.unit_of_work(f"report-{report_id}") as uow:
        uow.publish("reporting.monthly_report.published", {
            "report_id": report_id, "month": "2026-10", "province_code": "650000",
            "province_name": "新疆维吾尔自治区",
            "figures": {"new_filings": 3, "filed_total": 41, "recognised_total": 5, "organisations_total": 17},
            "downloads": {f: f"/api/v1/reporting/monthly/2026-10?province=650000&format={f}"
                          for f in ("csv", "xlsx", "json")},
            "published_at": dt.datetime.now(dt.UTC).isoformat()}, aggregate_id=report_id)

    def report_mails():
        from notify.adapters.orm import Delivery

        with platform.runtimes["notify"].database.connection_context():
            return list(Delivery.select().where(Delivery.template == "monthly_report_published",
                                                Delivery.correlation_id == f"report-{report_id}"))

    mails = eventually(report_mails)
    assert [d.recipient for d in mails if d.recipient in (here, there)] == [here]
    [mail] = [d for d in mails if d.recipient == here]
    assert mail.language == "en" and "October 2026" in mail.subject and "新疆维吾尔自治区" in mail.subject
    assert "Products filed in total: 41" in mail.text_body
    assert "http://127.0.0.1:8000/api/v1/reporting/monthly/2026-10?province=650000&format=xlsx" in mail.text_body
    assert all(d.recipient != there for d in mails)
