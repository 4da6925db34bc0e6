"""Filing a product, end to end: the gateway, the five service processes on PostgreSQL and
RabbitMQ, and a real SMTP server. An operator creates two reviewers, who set their passwords
with the link they were mailed. Organisations register and are verified (or rejected) by a
reviewer; two of them prepare the same product and submit it at the same moment — exactly one
submission wins, in the database; two reviewers claim its task at the same moment — exactly one
holds it; it is returned, corrected, resubmitted and approved; it is filed with its number;
anyone can check the number; the owner downloads the certificate; an amendment of it is reviewed
and approved, and the certificate says version 2 under the same number. Nothing is called
in-process.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader
from stdnum.cn import uscc as stdnum_uscc

from tests.e2e.conftest import OPERATOR, RunningPlatform
from tests.support.embedded import organisation_body
from tests.support.members import PDF, PNG

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
PASSWORD = "correct horse battery staple"
LAST_YEAR = dt.date.today().year - 1
REVIEW = "/api/v1/review"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Reviewer:
    """A reviewer account an operator created; its holder set the password from the mailed link."""

    def __init__(self, platform: RunningPlatform, operator: dict):
        self.platform, http = platform, platform.session
        self.email = f"reviewer-{uuid.uuid4().hex[:8]}@example.cn"
        created = http.post(platform.url("/api/v1/identity/staff"), json={"email": self.email, "role": "reviewer"},
                            headers=operator, timeout=15)
        assert created.status_code == 201, created.text
        mail = platform.wait_until(lambda: platform.mailbox.to(self.email), f"the invitation to {self.email}")[0]
        token = re.search(r"/password-setup#([A-Za-z0-9_-]+)", mail.text).group(1)
        chosen = http.post(platform.url("/api/v1/identity/password-setup"),
                           json={"token": token, "password": PASSWORD}, timeout=15)
        assert chosen.status_code == 204, chosen.text
        self.headers = bearer(platform.sign_in(self.email, PASSWORD))

    def task_of(self, subject_id: str) -> dict:
        def open_task():
            page = self.platform.session.get(self.platform.url(f"{REVIEW}/tasks"), headers=self.headers, timeout=10,
                                             params={"subject_id": subject_id, "state": "open"})
            assert page.status_code == 200, page.text
            return page.json()["items"][0] if page.json()["items"] else None

        return self.platform.wait_until(open_task, f"an open review task of {subject_id}")

    def claim(self, task_id: str):
        return self.platform.session.post(self.platform.url(f"{REVIEW}/tasks/{task_id}/claim"), headers=self.headers,
                                          timeout=15)

    def decide(self, task_id: str, outcome: str, reasons=()) -> dict:
        answer = self.platform.session.post(self.platform.url(f"{REVIEW}/tasks/{task_id}/decision"),
                                            json={"outcome": outcome, "reasons": list(reasons)},
                                            headers=self.headers, timeout=15)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def confirm_patent(self, task_id: str, index: int, note: str = "已对照专利证书核对") -> dict:
        """Confirm a patent the register could not verify (the checksum registry knows no holders)."""
        answer = self.platform.session.post(self.platform.url(f"{REVIEW}/tasks/{task_id}/patents/{index}/confirmation"),
                                            json={"note": note}, headers=self.headers, timeout=15)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def take_and_decide(self, subject_id: str, outcome: str, reasons=()) -> dict:
        task = self.task_of(subject_id)
        assert self.claim(task["id"]).status_code == 200
        return self.decide(task["id"], outcome, reasons)


class Enterprise:
    """An organisation registered, verified and signed in through the gateway."""

    def __init__(self, platform: RunningPlatform, name: str, reviewer: Reviewer, outcome: str = "approve"):
        self.platform, http = platform, platform.session
        body_uscc = "91440300MA5" + "".join(secrets.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
        self.email = f"e2e-{uuid.uuid4().hex[:8]}@example.cn"
        body = organisation_body(name=name, uscc=body_uscc + stdnum_uscc.calc_check_digit(body_uscc),
                                 account={"email": self.email, "password": PASSWORD})
        response = http.post(platform.url("/api/v1/identity/organisations"), json=body, timeout=15)
        assert response.status_code == 201, response.text
        self.headers = {"Authorization": f"Bearer {platform.sign_in(self.email, PASSWORD)}"}
        me = http.get(platform.url("/api/v1/identity/me"), headers=self.headers, timeout=10)
        self.id = me.json()["organisation_id"]
        for kind, content, name_, media in (("business_license", PDF, "执照.pdf", "application/pdf"),
                                            ("integrity_commitment", PNG, "承诺书.png", "image/png")):
            uploaded = http.post(platform.url(f"/api/v1/identity/organisations/{self.id}/documents"),
                                 headers=self.headers, files={"file": (name_, content, media)}, data={"kind": kind},
                                 timeout=15)
            assert uploaded.status_code == 201, uploaded.text
        asked = http.post(platform.url(f"/api/v1/identity/organisations/{self.id}/verification"),
                          headers=self.headers, timeout=15)
        assert asked.status_code == 202, asked.text
        reasons = [] if outcome == "approve" else [{"field": "documents.business_license", "message": "营业执照不清晰"}]
        reviewer.take_and_decide(self.id, outcome, reasons)
        platform.wait_until(lambda: self.organisation()["status"] == ("verified" if outcome == "approve" else
                                                                        "rejected"), f"{name} decided in identity")

    def organisation(self) -> dict:
        return self.platform.session.get(self.platform.url(f"/api/v1/identity/organisations/{self.id}"),
                                         headers=self.headers, timeout=10).json()

    def url(self, path: str) -> str:
        return self.platform.url("/api/v1/filing" + path)

    def create(self, body: dict):
        return self.platform.session.post(self.url("/products"), json=body, headers=self.headers, timeout=15)

    def product(self, product_id: str) -> dict:
        return self.platform.session.get(self.url(f"/products/{product_id}"), headers=self.headers, timeout=10).json()

    def wait_status(self, product_id: str, status: str) -> dict:
        return self.platform.wait_until(
            lambda: (lambda p: p if p["status"] == status else None)(self.product(product_id)),
            f"product {product_id} {status}")

    def submit(self, product_id: str):
        return self.platform.session.post(self.url(f"/products/{product_id}/submission"), headers=self.headers,
                                          timeout=30)


def product_body(model: str) -> dict:
    return {"name": "工业机器人控制器", "brand": "汇川", "model": model, "industry_code": "03",
            "variants": ["标准版", "防爆版"],
            "economic_data": [{"year": LAST_YEAR, "sales_revenue": "98765432.10", "sales_volume": 321}],
            "patents": [{"number": "ZL201911050262.8", "relation": "owner", "title": "一种控制方法"}]}


def test_verification_filing_races_return_resubmit_approve_and_the_certificate(e2e_platform):
    platform, http = e2e_platform, e2e_platform.session
    operator = bearer(platform.sign_in(*OPERATOR))
    alice, bob = Reviewer(platform, operator), Reviewer(platform, operator)
    first = Enterprise(platform, "深圳汇川技术股份有限公司", alice)
    second = Enterprise(platform, "某某仿制科技有限公司", bob)
    refused = Enterprise(platform, "资料不全科技有限公司", alice, outcome="reject")
    assert refused.create(product_body("X1")).status_code in (403, 409)  # never verified: no drafts

    def draft_when_verified(enterprise: Enterprise, model: str) -> str:
        # filing learns of the verification from identity's event a moment after identity (403 until then).
        response = platform.wait_until(
            lambda: (lambda r: r if r.status_code == 201 else None)(enterprise.create(product_body(model))),
            f"a draft of {enterprise.id}")
        return response.json()["id"]

    model = f"IS{uuid.uuid4().hex[:6].upper()}-控制器"
    drafts = {first: draft_when_verified(first, model), second: draft_when_verified(second, model.lower())}

    # Both submit the same product at the same moment: exactly one wins, in the database.
    with ThreadPoolExecutor(2) as pool:
        answers = dict(zip((first, second), pool.map(lambda e: e.submit(drafts[e]), (first, second)), strict=True))
    assert sorted(r.status_code for r in answers.values()) == [202, 409], \
        {e.id: (r.status_code, r.text) for e, r in answers.items()}
    winner = next(e for e, r in answers.items() if r.status_code == 202)
    loser = second if winner is first else first
    assert "already filed or under review" in answers[loser].text and winner.id not in answers[loser].text
    product_id = drafts[winner]

    # Both reviewers claim its task at the same moment: exactly one holds it.
    task = alice.task_of(product_id)
    with ThreadPoolExecutor(2) as pool:
        claims = dict(zip((alice, bob), pool.map(lambda r: r.claim(task["id"]), (alice, bob)), strict=True))
    assert sorted(r.status_code for r in claims.values()) == [200, 409], {r.email: c.text for r, c in claims.items()}
    holder = next(r for r, c in claims.items() if c.status_code == 200)
    other = bob if holder is alice else alice
    forbidden = http.post(platform.url(f"{REVIEW}/tasks/{task['id']}/decision"), headers=other.headers, timeout=15,
                          json={"outcome": "approve", "reasons": []})
    assert forbidden.status_code == 409

    reasons = [{"field": "economic_data.0.sales_revenue", "message": "请补充销售发票"}]
    holder.decide(task["id"], "return", reasons)
    returned = winner.wait_status(product_id, "returned")
    assert returned["last_decision"]["reasons"] == reasons
    corrected = http.patch(winner.url(f"/products/{product_id}"), headers=winner.headers, timeout=15, json={
        "economic_data": [{"year": LAST_YEAR, "sales_revenue": "98765400.00", "sales_volume": 320}]})
    assert corrected.status_code == 200, corrected.text
    assert winner.submit(product_id).status_code == 202
    again = other.task_of(product_id)
    assert again["previous_task_id"] == task["id"]
    assert other.claim(again["id"]).status_code == 200
    other.confirm_patent(again["id"], 0)
    other.decide(again["id"], "approve")
    filed = winner.wait_status(product_id, "filed")
    number = filed["filing_number"]
    assert number.startswith(f"BA-{dt.date.today().year}-44-")

    # The organisation heard of each step by mail.
    subjects = platform.wait_until(
        lambda: (lambda s: s if any("备案成功" in x for x in s) else None)(
            [m.subject for m in platform.mailbox.to(winner.email)]), "the filing mail")
    assert any("退回" in x for x in subjects)

    public = http.get(platform.url(f"/api/v1/filing/public/filings/{number}"), timeout=10)
    assert public.status_code == 200
    assert set(public.json()) == {"filing_number", "product_name", "brand", "model", "organisation_name", "status",
                                  "filed_on", "valid", "status_since", "organisation_suspended", "edition",
                                  "amended_on"}
    assert public.json()["valid"] is True and public.json()["status_since"] is None

    pdf = http.get(winner.url(f"/products/{product_id}/certificate"), headers=winner.headers, timeout=30)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert number in text and "工业机器人控制器" in text
    assert f"{platform.gateway}/verify?number={number}" in text.replace("\n", "")

    # An amendment (变更): a new variant and a newly granted patent, reviewed like a submission
    # (review's task from filing's event, the decision back to filing, each as its own broker user);
    # approved, the filing number stays and the certificate and the verification say version 2.
    opened = http.post(winner.url(f"/products/{product_id}/amendments"), headers=winner.headers, timeout=15,
                       json={"variants": ["标准版", "防爆版", "高温版"],
                             "patents": [{"number": "ZL201911050262.8", "relation": "owner", "title": "一种控制方法"},
                                         {"number": "ZL202010566088.9", "relation": "owner"}]})
    assert opened.status_code == 201, opened.text
    amendment_id = opened.json()["id"]
    submitted = http.post(winner.url(f"/products/{product_id}/amendments/{amendment_id}/submission"),
                          headers=winner.headers, timeout=30)
    assert submitted.status_code == 202, submitted.text
    amendment_task = alice.task_of(amendment_id)
    assert amendment_task["kind"] == "product_amendment"
    assert alice.claim(amendment_task["id"]).status_code == 200
    for index in range(2):
        alice.confirm_patent(amendment_task["id"], index)
    alice.decide(amendment_task["id"], "approve")
    amended = platform.wait_until(lambda: (lambda p: p if p["edition"] == 2 else None)(winner.product(product_id)),
                                  "the amended product at version 2")
    assert amended["filing_number"] == number and amended["variants"] == ["标准版", "防爆版", "高温版"]
    assert http.get(platform.url(f"/api/v1/filing/public/filings/{number}"), timeout=10).json()["edition"] == 2
    pdf = http.get(winner.url(f"/products/{product_id}/certificate"), headers=winner.headers, timeout=30)
    assert "version 2" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    platform.wait_until(lambda: any("备案变更已批准" in m.subject for m in platform.mailbox.to(winner.email)),
                        "the mail of the approved amendment")

    # A rejection ends the loser's second try: a new model, rejected by a reviewer, in filing too.
    other_model = loser.create(product_body(f"RJ{uuid.uuid4().hex[:6]}")).json()["id"]
    assert loser.submit(other_model).status_code == 202
    alice.take_and_decide(other_model, "reject", [{"field": "patents.0.number", "message": "专利已终止"}])
    assert loser.wait_status(other_model, "rejected")["last_decision"]["outcome"] == "reject"
    assert refused.organisation()["status"] == "rejected"
