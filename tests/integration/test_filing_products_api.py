"""filing's API through the embedded platform, as an enterprise, a reviewer and an operator use
it: drafts, the rules at submission, duplicates, review's decisions (return → correct →
resubmit → approve), the filing number, public verification, the certificate, and what
follows filing (annual update, opt-in, cancellation, revocation), with who may do what."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from dataclasses import replace

import pytest
from pypdf import PdfReader

from filing.domain.annual_update import AnnualUpdateWindow
from tests.support.embedded import ApiClient, eventually
from tests.support.members import PDF, PNG, Member, bearer, decide, staff_token, verified_member

API = "/api/v1/filing"
LAST_YEAR = dt.date.today().year - 1
VALID_PATENT = "201710601862.3"
SECOND_PATENT = "ZL 2020 1 1167667.2"  # the written form of 202011167667.2


def product_body(**changes) -> dict:
    body = {
        "name": "智能手机", "brand": "华为", "model": f"Mate-{uuid.uuid4().hex[:8]} Pro",
        "industry_code": "01", "description": "5G 智能手机", "launched_on": "2023-08-29",
        "variants": ["黑色", "白色", "12GB+512GB"],
        "economic_data": [{"year": LAST_YEAR, "sales_revenue": "123456789.50", "sales_volume": 1000,
                           "export_revenue": "1000.00", "profit": "-20.10", "ip_investment": "300.00"}],
        "patents": [{"number": VALID_PATENT, "relation": "owner", "title": "一种通信方法", "holder": "华为"},
                    {"number": SECOND_PATENT, "relation": "licensee", "license_record_no": "X2020440000123"}],
    }
    body.update(changes)
    return body


@pytest.fixture(scope="module")
def huawei(platform, operator_token):

    return verified_member(platform, ApiClient(platform.wsgi), operator_token, "华为技术有限公司")


@pytest.fixture(scope="module")
def other(platform, operator_token):

    return verified_member(platform, ApiClient(platform.wsgi), operator_token, "另一家科技有限公司")


def create(client, member, **changes) -> str:
    response = client.post(f"{API}/products", json=product_body(**changes), headers=member.auth)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "draft"
    return response.get_json()["id"]


def read(client, member, product_id) -> dict:
    response = client.get(f"{API}/products/{product_id}", headers=member.auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def submit(client, member, product_id):
    return client.post(f"{API}/products/{product_id}/submission", headers=member.auth)


def filing_events(platform, product_id: str, event_type: str) -> list[dict]:
    from filing.adapters.orm import Outbox

    with platform.runtimes["filing"].database.connection_context():
        rows = list(Outbox.select().where(Outbox.type == event_type))
    return [e for e in (json.loads(r.body) for r in rows) if e["aggregate_id"] == product_id]


def wait_status(client, member, product_id, status) -> dict:
    seen = eventually(lambda: (lambda p: p if p["status"] == status else None)(read(client, member, product_id)))
    assert seen, f"product never became {status}: {read(client, member, product_id)}"
    return seen


def filed_product(platform, client, member, **changes) -> dict:
    product_id = create(client, member, **changes)
    assert submit(client, member, product_id).status_code == 202
    decide(platform, str(uuid.uuid4()), product_id, "approve", kind="product")
    return wait_status(client, member, product_id, "filed")


# --- the whole lifecycle ---------------------------------------------------------------------

def test_draft_submit_return_correct_resubmit_approve_verify_and_certificate(platform, client, huawei):
    product_id = create(client, huawei)
    draft = read(client, huawei, product_id)
    assert draft["status"] == "draft" and draft["filing_number"] is None
    assert draft["variants"] == ["黑色", "白色", "12GB+512GB"]
    assert draft["economic_data"][0]["sales_revenue"] == "123456789.50"
    assert draft["economic_data"][0]["profit"] == "-20.10"
    # The written form was normalised and its kind derived from the number.
    assert [(p["number"], p["kind"], p["relation"]) for p in draft["patents"]] == [
        (VALID_PATENT, "invention", "owner"), ("202011167667.2", "invention", "licensee")]

    response = submit(client, huawei, product_id)
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["status"] == "submitted"
    [submitted] = filing_events(platform, product_id, "filing.product.submitted")
    assert submitted["data"]["submission"] == 1 and submitted["data"]["province_code"] == "440000"
    assert submitted["data"]["organisation_name"] == "华为技术有限公司"
    assert submitted["data"]["economic_data"][0]["sales_revenue"] == "123456789.50"
    # While it is under review, it cannot be changed or submitted again.
    assert client.patch(f"{API}/products/{product_id}", json={"name": "改"}, headers=huawei.auth).status_code == 409
    assert submit(client, huawei, product_id).status_code == 409

    reasons = [{"field": "economic_data.0.sales_revenue", "message": "请提供销售额证明"}]
    decide(platform, "task-return-" + product_id, product_id, "return", reasons, kind="product")
    returned = wait_status(client, huawei, product_id, "returned")
    assert returned["last_decision"]["outcome"] == "return"
    assert returned["last_decision"]["reasons"] == reasons
    assert filing_events(platform, product_id, "filing.product.returned")[0]["data"]["reasons"] == reasons

    corrected = client.patch(f"{API}/products/{product_id}", headers=huawei.auth, json={"economic_data": [
        {"year": LAST_YEAR, "sales_revenue": "123456789.00", "sales_volume": 999}]})
    assert corrected.status_code == 200, corrected.get_json()
    assert corrected.get_json()["economic_data"][0]["sales_volume"] == 999
    assert submit(client, huawei, product_id).status_code == 202
    again = filing_events(platform, product_id, "filing.product.submitted")
    assert [e["data"]["submission"] for e in again] == [1, 2]

    # A repeated decision of the first task changes nothing; the new task's approval files it.
    decide(platform, "task-return-" + product_id, product_id, "approve", kind="product")
    decide(platform, "task-approve-" + product_id, product_id, "approve", kind="product")
    filed = wait_status(client, huawei, product_id, "filed")
    number = filed["filing_number"]
    assert number.startswith(f"BA-{dt.date.today().year}-44-") and len(number) == len("BA-2026-44-000001")
    [event] = filing_events(platform, product_id, "filing.product.filed")
    assert event["data"]["filing_number"] == number and event["data"]["task_id"] == "task-approve-" + product_id
    assert len(filing_events(platform, product_id, "filing.product.returned")) == 1

    public = client.get(f"{API}/public/filings/{number.lower()}")
    assert public.status_code == 200
    assert public.get_json() == {"filing_number": number, "product_name": "智能手机", "brand": "华为",
                                 "model": filed["model"], "organisation_name": "华为技术有限公司",
                                 "status": "filed", "filed_on": dt.date.today().isoformat(), "valid": True,
                                 "status_since": None, "organisation_suspended": False, "edition": 1,
                                 "amended_on": None}
    assert client.get(f"{API}/public/filings/BA-2000-44-999999").status_code == 404

    pdf = client.get(f"{API}/products/{product_id}/certificate", headers=huawei.auth)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_data())).pages)
    assert number in text and "智能手机" in text and "华为技术有限公司" in text and VALID_PATENT in text
    assert f"/verify?number={number}" in text.replace("\n", "")


def test_filing_numbers_are_unique_and_follow_each_other(platform, client, huawei):
    numbers = [filed_product(platform, client, huawei)["filing_number"] for _ in range(3)]
    sequences = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert len(set(numbers)) == 3 and sequences == sorted(sequences)
    assert sequences[2] - sequences[0] >= 2


def test_reject_is_final_and_releases_the_model(platform, client, huawei, other):
    model = f"Reject-{uuid.uuid4().hex[:6]}"
    product_id = create(client, huawei, model=model)
    assert submit(client, huawei, product_id).status_code == 202
    decide(platform, str(uuid.uuid4()), product_id, "reject", [{"field": "patents", "message": "专利与产品无关"}],
           kind="product")
    rejected = wait_status(client, huawei, product_id, "rejected")
    assert rejected["last_decision"]["reasons"][0]["message"] == "专利与产品无关"
    assert submit(client, huawei, product_id).status_code == 409
    assert client.patch(f"{API}/products/{product_id}", json={"name": "x"}, headers=huawei.auth).status_code == 409
    # The brand and model are free again: another organisation may file them.
    assert submit(client, other, create(client, other, model=model)).status_code == 202


def test_withdrawal_before_the_decision_makes_a_draft_again(platform, client, huawei, other):
    model = f"Withdraw-{uuid.uuid4().hex[:6]}"
    product_id = create(client, huawei, model=model)
    assert client.post(f"{API}/products/{product_id}/withdrawal", headers=huawei.auth).status_code == 409
    assert submit(client, huawei, product_id).status_code == 202
    response = client.post(f"{API}/products/{product_id}/withdrawal", headers=huawei.auth)
    assert response.status_code == 200 and response.get_json()["status"] == "draft"
    assert len(filing_events(platform, product_id, "filing.product.withdrawn")) == 1
    assert submit(client, other, create(client, other, model=model)).status_code == 202
    # Now the other organisation holds it: the withdrawn draft cannot be submitted again.
    conflict = submit(client, huawei, product_id)
    assert conflict.status_code == 409
    assert "另一家" not in conflict.get_data(as_text=True)


# --- the rules at submission -----------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field"), [
    ({"patents": []}, "patents"),
    ({"economic_data": [{"year": LAST_YEAR - 1, "sales_revenue": "1.00", "sales_volume": 1}]}, "economic_data"),
    ({"patents": [{"number": VALID_PATENT, "relation": "owner", "dispute": True}]}, "patents.0.dispute"),
    ({"patents": [{"number": VALID_PATENT, "relation": "owner"},
                  {"number": "201310699744.2", "relation": "licensee"}]}, "patents.1.license_record_no"),
])
def test_each_broken_rule_is_a_422_naming_its_field_and_changes_nothing(platform, client, huawei, changes, field):
    product_id = create(client, huawei, **changes)
    response = submit(client, huawei, product_id)
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert field in problem["errors"], problem
    assert response.mimetype == "application/problem+json"
    assert read(client, huawei, product_id)["status"] == "draft"
    assert filing_events(platform, product_id, "filing.product.submitted") == []


def test_an_invalid_patent_per_the_registry_is_named(platform, client, huawei, monkeypatch):
    from platform_shared.patents.registry import FileRegistry

    product_id = create(client, huawei)
    runtime = platform.runtimes["filing"]
    registry_file = runtime.settings.data_dir / f"patents-{uuid.uuid4().hex}.csv"
    registry_file.write_text(f"number,status\n{VALID_PATENT},lapsed\nZL202011167667.2,valid\n", "utf-8")
    monkeypatch.setattr(runtime, "dependencies",
                        replace(runtime.dependencies, patent_registry=FileRegistry(registry_file)))
    response = submit(client, huawei, product_id)
    assert response.status_code == 422
    assert "lapsed" in " ".join(response.get_json()["errors"]["patents.0.number"])
    assert "patents.1.number" not in response.get_json()["errors"]


def test_a_registry_that_cannot_answer_is_503_and_nothing_is_submitted(platform, client, huawei, monkeypatch):
    from platform_shared.patents.registry import HttpRegistry

    product_id = create(client, huawei)
    filing = platform.runtimes["filing"]
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, patent_registry=HttpRegistry(
        "http://127.0.0.1:9", timeout=0.5)))
    response = submit(client, huawei, product_id)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert read(client, huawei, product_id)["status"] == "draft"


@pytest.mark.parametrize(("changes", "field"), [
    ({"patents": [{"number": "202310123456.7", "relation": "owner"}]}, "patents.0.number"),
    ({"industry_code": "99"}, "industry_code"),
    ({"economic_data": [{"year": LAST_YEAR, "sales_revenue": "12.345", "sales_volume": 1}]},
     "economic_data.0.sales_revenue"),
    ({"economic_data": [{"year": LAST_YEAR, "sales_revenue": 12.5, "sales_volume": 1}]},
     "economic_data.0.sales_revenue"),
    ({"economic_data": [{"year": LAST_YEAR, "sales_revenue": "1", "sales_volume": 1}] * 2}, "economic_data"),
    ({"patents": [{"number": VALID_PATENT, "relation": "owner"}] * 2}, "patents"),
    ({"brand": "   "}, "brand"),
    ({"unknown": 1}, "unknown"),
])
def test_bad_drafts_are_422_naming_the_field_and_store_nothing(platform, client, huawei, changes, field):
    from filing.adapters.orm import Product

    with platform.runtimes["filing"].database.connection_context():
        before = Product.select().count()
    response = client.post(f"{API}/products", json=product_body(**changes), headers=huawei.auth)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"], response.get_json()
    with platform.runtimes["filing"].database.connection_context():
        assert Product.select().count() == before


# --- duplicates ------------------------------------------------------------------------------

def test_the_same_model_twice_in_one_organisation_points_to_the_existing_product(client, huawei):
    model = f"Mate 70 Pro+ {uuid.uuid4().hex[:6]}"
    first = create(client, huawei, brand="HUAWEI", model=model)
    # Case, width and spacing of characters and punctuation do not make another product.
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" for c in model)
    for brand, spelled in (("huawei", model.lower().replace(" ", "")), ("ＨＵＡＷＥＩ", fullwidth),
                           ("Huawei", model.replace(" ", "-"))):
        response = client.post(f"{API}/products", json=product_body(brand=brand, model=spelled), headers=huawei.auth)
        assert response.status_code == 409, (spelled, response.get_json())
        assert response.get_json()["existing"] == f"{API}/products/{first}"
    # A variant of the model is not a product of its own: it goes on the list.
    changed = client.patch(f"{API}/products/{first}", json={"variants": ["金色"]}, headers=huawei.auth)
    assert changed.status_code == 200 and changed.get_json()["variants"] == ["金色"]
    assert client.post(f"{API}/products", json=product_body(brand="HUAWEI", model=model + "+"),
                       headers=huawei.auth).status_code == 201


def test_another_organisation_learns_only_that_the_product_is_taken(platform, client, huawei, other):
    model = f"P{uuid.uuid4().hex[:6]}"
    early = create(client, other, model=model)  # a draft claims nothing
    product_id = create(client, huawei, model=model)
    assert submit(client, huawei, product_id).status_code == 202
    late_submission = submit(client, other, early)
    assert read(client, other, early)["status"] == "draft"
    assert client.delete(f"{API}/products/{early}", headers=other.auth).status_code == 204
    assert client.get(f"{API}/products/{early}", headers=other.auth).status_code == 404
    late_draft = client.post(f"{API}/products", json=product_body(model=model.lower()), headers=other.auth)
    for response in (late_submission, late_draft):
        assert response.status_code == 409
        body = response.get_data(as_text=True)
        assert "already filed or under review" in body
        assert product_id not in body and huawei.id not in body and "华为技术" not in body
    # A submitted product cannot be deleted.
    assert client.delete(f"{API}/products/{product_id}", headers=huawei.auth).status_code == 409


# --- who may do what -------------------------------------------------------------------------

def test_another_organisations_product_does_not_exist_for_you(platform, client, huawei, other):
    product_id = create(client, huawei)
    for response in (client.get(f"{API}/products/{product_id}", headers=other.auth),
                     client.patch(f"{API}/products/{product_id}", json={"name": "x"}, headers=other.auth),
                     submit(client, other, product_id),
                     client.post(f"{API}/products/{product_id}/withdrawal", headers=other.auth),
                     client.get(f"{API}/products/{product_id}/materials", headers=other.auth),
                     client.get(f"{API}/products/{product_id}/certificate", headers=other.auth)):
        assert response.status_code == 404, response.get_json()
    listed = client.get(f"{API}/products?per_page=200", headers=other.auth).get_json()
    assert product_id not in {p["id"] for p in listed["items"]}


def test_staff_read_everything_and_their_reads_are_audited(platform, client, huawei):
    from filing.adapters.orm import AuditLog

    product_id = create(client, huawei)
    reviewer = bearer(staff_token(platform, client, "reviewer"))
    assert client.get(f"{API}/products/{product_id}", headers=reviewer).get_json()["economic_data"]
    listed = client.get(f"{API}/products?q={product_body()['brand']}&per_page=200", headers=reviewer).get_json()
    assert product_id in {p["id"] for p in listed["items"]}
    with platform.runtimes["filing"].database.connection_context():
        assert AuditLog.select().where((AuditLog.action == "product.read") & (AuditLog.subject_id == product_id)) \
            .count() == 1
    # Staff do not file.
    assert client.post(f"{API}/products", json=product_body(), headers=reviewer).status_code == 403


def test_a_province_admin_cannot_write_or_read_products(platform, client, huawei):
    product_id = create(client, huawei)
    admin = bearer(staff_token(platform, client, "province_admin", "440000"))
    assert client.post(f"{API}/products", json=product_body(), headers=admin).status_code == 403
    assert client.get(f"{API}/products/{product_id}", headers=admin).status_code == 403
    assert client.post(f"{API}/products/{product_id}/submission", headers=admin).status_code == 403
    assert client.post(f"{API}/products/{product_id}/cancellation", json={"reason": "x"},
                       headers=admin).status_code == 403


def test_drafts_of_an_unverified_organisation_are_refused(client):
    member = Member(client)  # registered, never verified
    response = client.post(f"{API}/products", json=product_body(), headers=member.auth)
    assert response.status_code == 403
    assert "verified" in response.get_json()["detail"]
    bulk = client.post(f"{API}/products/bulk", headers=member.auth,
                       data={"file": (io.BytesIO("name,brand,model,industry_code\n甲,乙,丙,01\n".encode()), "p.csv")})
    assert bulk.status_code == 403


def test_no_token_a_forged_one_or_none_alg_is_401(client, huawei):
    import jwt

    forged = jwt.encode({"sub": "x", "role": "enterprise"}, "a secret of thirty-two bytes or more", algorithm="HS256")
    unsigned = jwt.encode({"sub": "x", "role": "enterprise"}, None, algorithm="none")
    for headers in ({}, bearer(forged), bearer(unsigned), bearer(huawei.token + "x")):
        assert client.post(f"{API}/products", json=product_body(), headers=headers).status_code == 401


# --- materials -------------------------------------------------------------------------------

def test_materials_are_sniffed_limited_and_only_change_while_editable(platform, client, huawei, monkeypatch):
    product_id = create(client, huawei)
    url = f"{API}/products/{product_id}/materials"

    def upload(content, name="证书.pdf", kind="patent_certificate", content_type="application/pdf"):
        return client.post(url, headers=huawei.auth, data={"kind": kind, "file": (io.BytesIO(content), name,
                                                                                   content_type)})

    stored = upload(PDF)
    assert stored.status_code == 201 and stored.get_json()["media_type"] == "application/pdf"
    assert upload(PNG, "photo.png", "product_photo", "image/png").get_json()["media_type"] == "image/png"
    # A program renamed to .pdf is refused by its content, whatever its name and declared type.
    disguised = upload(b"MZ\x90\x00" + b"\x00" * 100, "scan.pdf")
    assert disguised.status_code == 415 and "file" in disguised.get_json()["errors"]
    filing = platform.runtimes["filing"]
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, material_max_bytes=1024))
    assert upload(PDF + b"0" * 5000).status_code == 413
    assert upload(PDF, kind="selfie").status_code == 422
    listing = client.get(url, headers=huawei.auth).get_json()
    assert [m["kind"] for m in listing["items"]] == ["patent_certificate", "product_photo"]
    download = client.get(listing["items"][0]["url"], headers=huawei.auth)
    assert download.get_data() == PDF and download.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download.headers["Content-Disposition"]

    assert submit(client, huawei, product_id).status_code == 202
    [event] = filing_events(platform, product_id, "filing.product.submitted")
    assert [m["kind"] for m in event["data"]["materials"]] == ["patent_certificate", "product_photo"]
    assert upload(PDF).status_code == 409
    assert client.delete(listing["items"][0]["url"], headers=huawei.auth).status_code == 409


# --- after filing ----------------------------------------------------------------------------

def test_annual_update_only_inside_the_window_and_only_of_last_year(platform, client, huawei, monkeypatch):
    product = filed_product(platform, client, huawei)
    url = f"{API}/products/{product['id']}/annual-data/{LAST_YEAR}"
    figures = {"sales_revenue": "2000000.00", "sales_volume": 20, "export_revenue": "10.00", "profit": "5.00",
               "ip_investment": "7.00"}
    filing = platform.runtimes["filing"]
    today = dt.date.today()
    outside = AnnualUpdateWindow((1, 1), (1, 1)) if (today.month, today.day) != (1, 1) else \
        AnnualUpdateWindow((12, 31), (12, 31))
    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, annual_update_window=outside))
    closed = client.put(url, json=figures, headers=huawei.auth)
    assert closed.status_code == 409 and outside.describe() in closed.get_json()["detail"]

    monkeypatch.setattr(filing, "dependencies", replace(filing.dependencies, annual_update_window=AnnualUpdateWindow(
        (today.month, today.day), (today.month, today.day))))
    updated = client.put(url, json=figures, headers=huawei.auth)
    assert updated.status_code == 200, updated.get_json()
    assert updated.get_json()["sales_revenue"] == "2000000.00" and updated.get_json()["ip_investment"] == "7.00"
    assert read(client, huawei, product["id"])["economic_data"][-1]["sales_volume"] == 20
    [event] = filing_events(platform, product["id"], "filing.product.annual_data_updated")
    assert event["data"]["data"]["year"] == LAST_YEAR
    other_year = client.put(f"{API}/products/{product['id']}/annual-data/{LAST_YEAR - 1}", json=figures,
                            headers=huawei.auth)
    assert other_year.status_code == 422 and "year" in other_year.get_json()["errors"]
    draft = create(client, huawei)
    assert client.put(f"{API}/products/{draft}/annual-data/{LAST_YEAR}", json=figures,
                      headers=huawei.auth).status_code == 409


def test_opt_in_to_recognition(platform, client, huawei):
    product = filed_product(platform, client, huawei)
    url = f"{API}/products/{product['id']}/recognition-opt-in"
    year = dt.date.today().year
    assert client.put(url, json={"year": year, "opt_in": True}, headers=huawei.auth).status_code == 200
    assert client.put(url, json={"year": year, "opt_in": False}, headers=huawei.auth).get_json()["opt_in"] is False
    assert read(client, huawei, product["id"])["recognition_opt_ins"][0]["opt_in"] is False
    assert [e["data"]["opt_in"] for e in filing_events(platform, product["id"],
                                                        "filing.product.recognition_opted_in")] == [True, False]
    assert client.put(url, json={"year": year - 5, "opt_in": True}, headers=huawei.auth).status_code == 422
    draft = create(client, huawei)
    assert client.put(f"{API}/products/{draft}/recognition-opt-in", json={"year": year, "opt_in": True},
                      headers=huawei.auth).status_code == 409


def test_recognition_from_review_marks_the_product(platform, client, huawei):
    product = filed_product(platform, client, huawei)
    review = platform.runtimes["review"]
    for _ in range(2):  # a repeated recognition changes nothing more
        with review.database.connection_context(), review.unit_of_work("recognition") as uow:
            uow.publish("review.product.recognised", {
                "product_id": product["id"], "round_id": "round-1", "year": dt.date.today().year,
                "industry_code": "01", "recognised_at": dt.datetime.now(dt.UTC).isoformat()},
                aggregate_id="round-1", aggregate_version=3)
    recognised = wait_status(client, huawei, product["id"], "recognised")
    assert recognised["recognised"] is True and recognised["recognised_years"] == [dt.date.today().year]
    assert eventually(lambda: len(filing_events(platform, product["id"], "filing.product.recognised")) == 1)
    public = client.get(f"{API}/public/filings/{product['filing_number']}").get_json()
    assert public["status"] == "recognised"


def test_cancellation_by_the_owner_and_revocation_by_an_operator(platform, client, huawei, other, operator_token):
    cancelled = filed_product(platform, client, huawei)
    url = f"{API}/products/{cancelled['id']}/cancellation"
    assert client.post(url, json={"reason": "产品已退市"}, headers=other.auth).status_code == 404
    response = client.post(url, json={"reason": "产品已退市"}, headers=huawei.auth)
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert client.post(url, json={"reason": "again"}, headers=huawei.auth).status_code == 409
    assert read(client, huawei, cancelled["id"])["closing_reason"] == "产品已退市"
    public = client.get(f"{API}/public/filings/{cancelled['filing_number']}").get_json()
    assert (public["status"], public["valid"], public["status_since"]) == ("cancelled", False,
                                                                           dt.date.today().isoformat())
    assert client.get(f"{API}/products/{cancelled['id']}/certificate", headers=huawei.auth).status_code == 409

    revoked = filed_product(platform, client, huawei)
    operator = bearer(operator_token)
    revoke = client.post(f"{API}/products/{revoked['id']}/cancellation", json={"reason": "专利权属纠纷"},
                         headers=operator)
    assert revoke.status_code == 200 and revoke.get_json()["status"] == "revoked"
    [event] = filing_events(platform, revoked["id"], "filing.product.revoked")
    assert event["data"]["reason"] == "专利权属纠纷" and event["data"]["filing_number"] == revoked["filing_number"]
    # The number stays the product's: it is never given to another.
    public = client.get(f"{API}/public/filings/{revoked['filing_number']}").get_json()
    assert (public["status"], public["valid"], public["status_since"]) == ("revoked", False,
                                                                           dt.date.today().isoformat())
    # A revoked product's brand and model may be filed again (e.g. by the rightful patentee).
    assert submit(client, other, create(client, other, brand=revoked["brand"], model=revoked["model"])) \
        .status_code == 202
    draft = create(client, huawei)
    assert client.post(f"{API}/products/{draft}/cancellation", json={"reason": "x"},
                       headers=huawei.auth).status_code == 409


def test_a_change_gives_whole_patents_and_years_or_is_refused(platform, client, huawei):
    product_id = create(client, huawei)
    for change, field in (({"patents": [{"relation": "owner"}]}, "patents.0.number"),
                          ({"economic_data": [{"year": LAST_YEAR}]}, "economic_data.0.sales_revenue"),
                          ({}, "_schema")):
        response = client.patch(f"{API}/products/{product_id}", json=change, headers=huawei.auth)
        assert response.status_code == 422, response.get_json()
        assert field in response.get_json()["errors"], response.get_json()
    assert read(client, huawei, product_id)["patents"][0]["number"] == VALID_PATENT
