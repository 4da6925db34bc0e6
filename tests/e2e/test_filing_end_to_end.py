"""Filing a product, end to end: the gateway, the five service processes on PostgreSQL and
RabbitMQ. Two organisations are registered and verified; both prepare the same product and
submit it at the same moment — exactly one submission wins, in the database; review's approval
files the winner with its number; anyone can check the number; the owner downloads the
certificate.

Review's decisions are published the way review publishes them (its outbox, relayed by its own
relay process): its decision endpoint is another issue's.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader
from stdnum.cn import uscc as stdnum_uscc

from platform_shared.database import open_database
from platform_shared.messaging.outbox import bind_outbox
from platform_shared.unit_of_work import UnitOfWork
from tests.e2e.conftest import OPERATOR, RunningPlatform
from tests.support.embedded import organisation_body
from tests.support.members import PDF, PNG

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]
PASSWORD = "correct horse battery staple"
LAST_YEAR = dt.date.today().year - 1


def publish_as_review(platform: RunningPlatform, event_type: str, data: dict, aggregate_id: str) -> None:
    database = open_database(platform.databases["review"])
    try:
        with database.connection_context(), UnitOfWork(database, bind_outbox(database), producer="review",
                                                       correlation_id=f"e2e-{uuid.uuid4()}") as uow:
            uow.publish(event_type, data, aggregate_id=aggregate_id, aggregate_version=2)
    finally:
        database.close_all()


def decide(platform: RunningPlatform, kind: str, subject_id: str, outcome: str, reasons=()) -> None:
    task_id = str(uuid.uuid4())
    publish_as_review(platform, "review.decision.made", {
        "task_id": task_id, "kind": kind, "subject_id": subject_id, "outcome": outcome, "reasons": list(reasons),
        "reviewer_id": str(uuid.uuid4()), "decided_at": dt.datetime.now(dt.UTC).isoformat()}, task_id)


class Enterprise:
    """An organisation registered, verified and signed in through the gateway."""

    def __init__(self, platform: RunningPlatform, name: str):
        self.platform, http = platform, platform.session
        body_uscc = "91440300MA5" + "".join(secrets.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
        self.email = f"e2e-{uuid.uuid4().hex[:8]}@example.cn"
        body = organisation_body(name=name, uscc=body_uscc + stdnum_uscc.calc_check_digit(body_uscc),
                                 account={"email": self.email, "password": PASSWORD})
        response = http.post(platform.url("/api/v1/identity/organisations"), json=body, timeout=15)
        assert response.status_code == 201, response.text
        self.id = response.json()["id"]
        self.headers = {"Authorization": f"Bearer {platform.sign_in(self.email, PASSWORD)}"}
        for kind, content, name_, media in (("business_license", PDF, "执照.pdf", "application/pdf"),
                                            ("integrity_commitment", PNG, "承诺书.png", "image/png")):
            uploaded = http.post(platform.url(f"/api/v1/identity/organisations/{self.id}/documents"),
                                 headers=self.headers, files={"file": (name_, content, media)}, data={"kind": kind},
                                 timeout=15)
            assert uploaded.status_code == 201, uploaded.text
        asked = http.post(platform.url(f"/api/v1/identity/organisations/{self.id}/verification"),
                          headers=self.headers, timeout=15)
        assert asked.status_code == 202, asked.text
        decide(platform, "organisation", self.id, "approve")

    def url(self, path: str) -> str:
        return self.platform.url("/api/v1/filing" + path)

    def create(self, body: dict):
        return self.platform.session.post(self.url("/products"), json=body, headers=self.headers, timeout=15)


def product_body(model: str) -> dict:
    return {"name": "工业机器人控制器", "brand": "汇川", "model": model, "industry_code": "03",
            "variants": ["标准版", "防爆版"],
            "economic_data": [{"year": LAST_YEAR, "sales_revenue": "98765432.10", "sales_volume": 321}],
            "patents": [{"number": "ZL201911050262.8", "relation": "owner", "title": "一种控制方法"}]}


def test_two_organisations_submit_the_same_product_at_once_and_exactly_one_is_filed(e2e_platform):
    platform, http = e2e_platform, e2e_platform.session
    first, second = Enterprise(platform, "深圳汇川技术股份有限公司"), Enterprise(platform, "某某仿制科技有限公司")

    def draft_when_verified(enterprise: Enterprise, model: str) -> str:
        # The drafts can be made once filing has heard of the verification (403 until then).
        response = platform.wait_until(
            lambda: (lambda r: r if r.status_code == 201 else None)(enterprise.create(product_body(model))),
            f"a draft of {enterprise.id}")
        return response.json()["id"]

    model = f"IS{uuid.uuid4().hex[:6].upper()}-控制器"
    drafts = {first: draft_when_verified(first, model), second: draft_when_verified(second, model.lower())}

    def submit(enterprise: Enterprise):
        return http.post(enterprise.url(f"/products/{drafts[enterprise]}/submission"), headers=enterprise.headers,
                         timeout=30)

    with ThreadPoolExecutor(2) as pool:
        answers = dict(zip((first, second), pool.map(submit, (first, second)), strict=True))
    statuses = sorted(r.status_code for r in answers.values())
    assert statuses == [202, 409], {e.id: (r.status_code, r.text) for e, r in answers.items()}
    winner = next(e for e, r in answers.items() if r.status_code == 202)
    loser = second if winner is first else first
    assert "already filed or under review" in answers[loser].text
    assert winner.id not in answers[loser].text

    decide(platform, "product", drafts[winner], "approve")
    filed = platform.wait_until(
        lambda: (lambda p: p if p["status"] == "filed" else None)(
            http.get(winner.url(f"/products/{drafts[winner]}"), headers=winner.headers, timeout=10).json()),
        "the product filed")
    number = filed["filing_number"]
    assert number.startswith(f"BA-{dt.date.today().year}-44-")

    public = http.get(platform.url(f"/api/v1/filing/public/filings/{number}"), timeout=10)
    assert public.status_code == 200
    assert set(public.json()) == {"filing_number", "product_name", "brand", "model", "organisation_name", "status",
                                  "filed_on"}
    assert public.json()["organisation_name"] in ("深圳汇川技术股份有限公司", "某某仿制科技有限公司")

    pdf = http.get(winner.url(f"/products/{drafts[winner]}/certificate"), headers=winner.headers, timeout=30)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert number in text and "工业机器人控制器" in text
    assert f"{platform.gateway}/api/v1/filing/public/filings/{number}" in text.replace("\n", "")
    # The loser's draft is still its own draft, and the operator sees both.
    operator = {"Authorization": f"Bearer {platform.sign_in(*OPERATOR)}"}
    assert http.get(loser.url(f"/products/{drafts[loser]}"), headers=loser.headers, timeout=10).json()["status"] \
        == "draft"
    listed = http.get(platform.url(f"/api/v1/filing/products?q={model[:8]}"), headers=operator, timeout=10).json()
    assert {p["id"] for p in listed["items"]} == set(drafts.values())
