"""Quotas through the API on the embedded default: an owner (an organisation, or an account that
has none) at its quota is refused with a 409 `quota-exceeded` problem that names the quota, its
limit and what is used, nothing is recorded, and another owner is not held back. Each test sets
low quotas on the session's platform for its own duration (the defaults are generous)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from platform_shared.quotas import Quota, StorageQuota
from tests.support.embedded import ApiClient
from tests.support.members import PASSWORD, PDF, PNG, Member, bearer, verified_member

FILING = "/api/v1/filing"

pytestmark = pytest.mark.integration


@pytest.fixture
def quotas(platform) -> Iterator[Any]:
    """`quotas("identity", document_quota=…)`: the service's dependencies with those quotas until
    the test ends."""
    originals: dict[str, Any] = {}

    def set_quotas(service: str, **changes: Any) -> None:
        runtime = platform.runtimes[service]
        originals.setdefault(service, runtime.dependencies)
        runtime.dependencies = replace(runtime.dependencies, **changes)

    yield set_quotas
    for service, dependencies in originals.items():
        platform.runtimes[service].dependencies = dependencies


def assert_quota_problem(answer, name: str, limit: int, used: int, owner: str = "organisation") -> None:
    body = answer.get_json()
    assert answer.status_code == 409, body
    assert answer.content_type == "application/problem+json"
    assert body["type"].endswith("/quota-exceeded")
    assert body["params"] == {"quota": name, "limit": limit, "used": used, "owner": owner}
    assert name in body["detail"] and str(limit) in body["detail"]


def documents_of(member: Member) -> list[dict]:
    answer = member.client.get(f"/api/v1/identity/organisations/{member.id}/documents", headers=member.auth)
    assert answer.status_code == 200
    return answer.get_json()["items"]


def test_an_organisation_at_its_document_quota_is_refused_and_another_is_not(client, quotas):
    quotas("identity", document_quota=StorageQuota(Quota("document_files", 2), Quota("document_bytes", 10**6)))
    member, other = Member(client), Member(client)
    member.upload_mandatory()
    refused = member.upload("authorization_letter", PDF, "授权书.pdf")
    assert_quota_problem(refused, "document_files", 2, 2)
    assert len(documents_of(member)) == 2
    assert other.upload("business_license").status_code == 201


def test_documents_past_the_byte_quota_are_refused(client, quotas):
    limit = len(PDF) + len(PNG)
    quotas("identity", document_quota=StorageQuota(Quota("document_files", 100), Quota("document_bytes", limit)))
    member = Member(client)
    member.upload_mandatory()  # exactly the quota
    refused = member.upload("business_license", PDF + b"%" * 10)
    assert_quota_problem(refused, "document_bytes", limit, limit)
    assert len(documents_of(member)) == 2


# --- filing: drafts (one by one and in bulk), materials ------------------------------------------

@pytest.fixture(scope="module")
def filer(platform, operator_token) -> Member:
    return verified_member(platform, ApiClient(platform.wsgi), operator_token, "配额测试科技有限公司")


def draft_body() -> dict:
    return {"name": "智能手表", "brand": "配额", "model": f"Q-{uuid.uuid4().hex[:8]}", "industry_code": "01",
            "variants": ["黑色"], "economic_data": [], "patents": []}


def drafts_of(client, member: Member) -> int:
    answer = client.get(f"{FILING}/products?status=draft&per_page=1", headers=member.auth)
    assert answer.status_code == 200
    return int(answer.get_json()["total"])


def bulk_csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "brand", "model", "industry_code", "variants", "economic_year", "sales_revenue",
                     "sales_volume", "patents"])
    for index in range(count):
        writer.writerow([f"产品{index}", "配额", f"B-{uuid.uuid4().hex[:8]}", "04", "红色", "", "", "", ""])
    return out.getvalue().encode("utf-8-sig")


def test_an_organisation_at_its_drafts_quota_creates_none_one_by_one_or_in_bulk(client, filer, quotas):
    used = drafts_of(client, filer)
    quotas("filing", draft_quota=Quota("drafts", used + 1))
    made = client.post(f"{FILING}/products", json=draft_body(), headers=filer.auth)
    assert made.status_code == 201, made.get_json()
    refused = client.post(f"{FILING}/products", json=draft_body(), headers=filer.auth)
    assert_quota_problem(refused, "drafts", used + 1, used + 1)
    bulk = client.post(f"{FILING}/products/bulk", headers=filer.auth,
                       data={"file": (io.BytesIO(bulk_csv(2)), "products.csv", "text/csv")})
    assert_quota_problem(bulk, "drafts", used + 1, used + 1)
    assert drafts_of(client, filer) == used + 1
    # Deleting a draft makes room again.
    assert client.delete(f"{FILING}/products/{made.get_json()['id']}", headers=filer.auth).status_code == 204
    assert client.post(f"{FILING}/products", json=draft_body(), headers=filer.auth).status_code == 201


def test_a_bulk_file_that_fits_the_drafts_quota_is_taken_whole(client, filer, quotas):
    used = drafts_of(client, filer)
    quotas("filing", draft_quota=Quota("drafts", used + 3))
    answer = client.post(f"{FILING}/products/bulk", headers=filer.auth,
                         data={"file": (io.BytesIO(bulk_csv(3)), "products.csv", "text/csv")})
    assert answer.status_code == 200 and len(answer.get_json()["created"]) == 3, answer.get_json()
    assert drafts_of(client, filer) == used + 3


def test_the_materials_of_an_organisations_products_are_bounded_together(platform, client, operator_token, quotas):
    member = verified_member(platform, client, operator_token, "材料配额科技有限公司")
    quotas("filing", material_quota=StorageQuota(Quota("material_files", 2), Quota("material_bytes", 10**6)))
    first = client.post(f"{FILING}/products", json=draft_body(), headers=member.auth).get_json()["id"]
    second = client.post(f"{FILING}/products", json=draft_body(), headers=member.auth).get_json()["id"]

    def upload(product_id: str, content: bytes = PDF):
        return client.post(f"{FILING}/products/{product_id}/materials", headers=member.auth,
                           data={"kind": "sales_proof", "file": (io.BytesIO(content), "合同.pdf", "application/pdf")})

    assert upload(first).status_code == 201 and upload(second).status_code == 201
    assert_quota_problem(upload(second), "material_files", 2, 2)
    listed = client.get(f"{FILING}/products/{second}/materials", headers=member.auth).get_json()
    assert len(listed["items"]) == 1
    # Bytes: with room in files, a file that would pass the byte quota is refused.
    quotas("filing", material_quota=StorageQuota(Quota("material_files", 100), Quota("material_bytes", 2 * len(PDF))))
    assert_quota_problem(upload(first, PDF + b"%%"), "material_bytes", 2 * len(PDF), 2 * len(PDF))


# --- review: open objections and their evidence, per round and owner ------------------------------

@pytest.fixture(scope="module")
def noticed_round(platform, operator_token) -> tuple[str, str]:
    """A round under public notice with one product on its list (field 04, in which no other
    test opts products in): (the round's URL, the listed product's id)."""
    # The seeding helpers of the recognition tests: filing's events, as filing would publish them.
    from tests.integration.test_review_recognition_api import (
        API,
        Seeded,
        figures,
        open_round,
        patent,
        publish_as_filing,
        wait_until_review_heard,
    )

    client = ApiClient(platform.wsgi)
    today = dt.datetime.now(dt.UTC).date()
    year = today.year + 1
    product = Seeded("04", "配额异议产品")
    filed = product.filed([figures(year - 1, "9000000.00", "900000.00")], [patent("1")],
                          filed_at=f"{today.year - 1}-12-01T08:00:00+00:00")
    wait_until_review_heard(platform, publish_as_filing(platform, product, (*filed, 3), (*product.opted(year), 4)))
    operator = bearer(operator_token)
    created = open_round(client, operator_token, year, ["04"], (today + dt.timedelta(days=1)).isoformat())
    url = f"{API}/recognition-rounds/{created['id']}"
    low = {"economic_benefit": "1.00", "protection_strength": "1.0", "value_contribution": "1.00",
           "dependence": "0.000001"}
    assert client.post(f"{url}/evaluation", headers=operator, json={"benchmarks": {"04": low}}).status_code == 200
    ends = (today + dt.timedelta(days=10)).isoformat()
    assert client.post(f"{url}/publication", headers=operator, json={"notice_ends_on": ends}).status_code == 200
    return url, product.id


def test_open_objections_are_bounded_per_organisation_and_round(client, operator_token, quotas, noticed_round):
    url, product_id = noticed_round
    quotas("review", objection_quota=Quota("open_objections", 2))
    member, other = Member(client), Member(client)

    def object_as(headers: dict):
        return client.post(f"{url}/objections", headers=headers, json={"product_id": product_id, "reasons": "存疑"})

    first = object_as(member.auth)
    assert first.status_code == 201 and object_as(member.auth).status_code == 201
    assert_quota_problem(object_as(member.auth), "open_objections", 2, 2)
    assert object_as(other.auth).status_code == 201  # another organisation is not held back
    assert object_as(bearer(operator_token)).status_code == 201  # an account without one counts alone
    # A decided objection is no longer open: room for one more.
    decided = client.post(f"{url}/objections/{first.get_json()['id']}/decision", headers=bearer(operator_token),
                          json={"upheld": False, "reason": "证据不足"})
    assert decided.status_code == 200, decided.get_json()
    assert object_as(member.auth).status_code == 201
    mine = [o for o in client.get(url, headers=bearer(operator_token)).get_json()["objections"]
            if o["raised_by"] == first.get_json()["raised_by"]]
    assert len(mine) == 3


def test_evidence_is_bounded_per_owner_and_round(client, quotas, noticed_round):
    url, product_id = noticed_round
    quotas("review", evidence_quota=StorageQuota(Quota("evidence_files", 1), Quota("evidence_bytes", 10**6)))
    member = Member(client)
    objection = client.post(f"{url}/objections", headers=member.auth,
                            json={"product_id": product_id, "reasons": "专利权属存疑"}).get_json()

    def evidence(content: bytes = PNG):
        return client.post(f"{url}/objections/{objection['id']}/evidence", headers=member.auth,
                           data={"file": (io.BytesIO(content), "证据.png", "image/png")})

    assert evidence().status_code == 201
    assert_quota_problem(evidence(), "evidence_files", 1, 1)
    quotas("review", evidence_quota=StorageQuota(Quota("evidence_files", 100), Quota("evidence_bytes", len(PNG))))
    assert_quota_problem(evidence(PNG + b"\0"), "evidence_bytes", len(PNG), len(PNG))


# --- the portal says it in words -------------------------------------------------------------------

def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return html.unescape(found.group(1))


@pytest.mark.parametrize(("language", "expected"), [
    ("zh", "您的单位的证明文件数量配额为 2，已使用 2，无法再添加。"),
    ("en", "Your organisation's quota of documents is 2, and 2 is used already"),
])
def test_the_portal_tells_a_member_at_its_quota_what_is_full_in_its_language(platform, client, quotas, language,
                                                                             expected):
    quotas("identity", document_quota=StorageQuota(Quota("document_files", 2), Quota("document_bytes", 10**6)))
    member = Member(client)
    member.upload_mandatory()
    browser = ApiClient(platform.wsgi)  # the portal, in the embedded platform, with its own cookies
    browser.set_cookie("lang", language)
    login = browser.get("/login").get_data(as_text=True)
    signed = browser.post("/login", data={"email": member.email, "password": PASSWORD, "csrf_token": _csrf(login)})
    assert signed.status_code == 302, signed.get_data(as_text=True)[:500]
    page = browser.get("/enterprise").get_data(as_text=True)
    refused = browser.post("/enterprise/documents", data={
        "kind": "authorization_letter", "csrf_token": _csrf(page),
        "file": (io.BytesIO(PDF), "授权书.pdf", "application/pdf")})
    shown = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409
    assert expected in shown
    assert "document_files" not in shown  # the words, not the API's code
    assert len(documents_of(member)) == 2
