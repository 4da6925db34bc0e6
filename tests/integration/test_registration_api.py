"""Registering an organisation through the gateway of the embedded platform: what a client
sees for good and bad input, and what is (not) stored and published."""

from __future__ import annotations

import json

import pytest

from tests.support.embedded import eventually, organisation_body, sign_in
from tests.support.members import organisation_of

URL = "/api/v1/identity/organisations"


def _counts(platform) -> tuple[int, int]:
    from identity.adapters.orm import Organisation, Outbox

    with platform.runtimes["identity"].database.connection_context():
        return Organisation.select().count(), Outbox.select().count()


def _unique_body(uscc: str, email: str, **changes) -> dict:
    body = organisation_body(uscc=uscc, **changes)
    body["account"] = {"email": email, "password": "correct horse battery"}
    return body


def test_a_registration_is_stored_published_mailed_and_counted(platform, client, operator_token):
    body = _unique_body("9144030071526726XG", "tencent-admin@example.cn", name="腾讯科技（深圳）有限公司",
                        contact={"name": "李四", "phone": "0755-86013388", "email": "li@example.cn"})
    response = client.post(URL, json=body, headers={"X-Request-ID": "reg-test-1"})
    assert response.status_code == 201
    assert response.get_json()["status"] == "registered" and set(response.get_json()) == {"id", "status"}
    assert response.headers["X-Request-ID"] == "reg-test-1"
    organisation_id = organisation_of(client, sign_in(client, body["account"]["email"], body["account"]["password"]))

    def mailed():
        from notify.adapters.orm import Delivery

        with platform.runtimes["notify"].database.connection_context():
            return list(Delivery.select().where(Delivery.recipient == "li@example.cn", Delivery.state == "sent"))

    deliveries = eventually(mailed)
    assert len(deliveries) == 1
    assert "腾讯科技（深圳）有限公司" in deliveries[0].subject
    assert deliveries[0].correlation_id == "reg-test-1"
    mail_file = platform.data_dir / "mail" / f"{deliveries[0].id}.eml"
    assert mail_file.exists()

    def counted():
        summary = client.get("/api/v1/reporting/summary?province=440000",
                             headers={"Authorization": f"Bearer {operator_token}"}).get_json()
        return summary if summary["organisations"]["by_status"].get("registered") else None

    assert eventually(counted)["organisations"]["by_kind"]["enterprise"] >= 1

    from filing.adapters.orm import OrganisationView

    def known_to_filing():
        with platform.runtimes["filing"].database.connection_context():
            return OrganisationView.get_or_none(OrganisationView.organisation_id == organisation_id)

    assert eventually(known_to_filing).status == "registered"


def test_the_id_number_is_stored_encrypted_and_only_masked_in_clear(platform, client):
    body = _unique_body("12100000470095016Q", "zju@example.cn", name="浙江大学", kind="university_institute",
                        province_code="330000", city_code="330100")
    assert client.post(URL, json=body).status_code == 201
    from identity.adapters.orm import Organisation

    with platform.runtimes["identity"].database.connection_context():
        row = Organisation.get(Organisation.uscc == "12100000470095016Q")
    assert row.legal_representative_id_masked == "110105********002X"
    assert "11010519491231002X" not in row.legal_representative_id_encrypted
    database_file = (platform.data_dir / "identity.db").read_bytes()
    assert b"11010519491231002X" not in database_file


def test_a_second_registration_of_the_same_uscc_is_a_conflict_and_stores_nothing(platform, client):
    first = _unique_body("12100000425006117P", "fudan@example.cn", name="复旦大学", kind="university_institute",
                         province_code="310000", city_code="310100")
    assert client.post(URL, json=first).status_code == 201
    before = _counts(platform)
    again = dict(first, account={"email": "fudan-2@example.cn", "password": "correct horse battery"})
    response = client.post(URL, json=again)
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == {"uscc": ["already registered"]}
    assert _counts(platform) == before


BAD_INPUT = [
    ("missing fields", lambda b: {k: v for k, v in b.items() if k not in ("name", "contact")},
     {"name", "contact"}),
    ("wrong USCC check character", lambda b: dict(b, uscc="914403001922038217"), {"uscc"}),
    ("early pilot code failing the standard check", lambda b: dict(b, uscc="91350100M0001TGQXM"), {"uscc"}),
    ("individual business", lambda b: dict(b, uscc="92440300MA5F000004"), {"uscc"}),
    ("unknown province", lambda b: dict(b, province_code="990000"), {"province_code"}),
    ("Taiwan is outside the platform", lambda b: dict(b, province_code="710000", city_code=None),
     {"province_code"}),
    ("city outside the province", lambda b: dict(b, city_code="110105"), {"city_code"}),
    ("wrong ID check character",
     lambda b: dict(b, legal_representative={"name": "x", "id_number": "110105194912310021"}),
     {"legal_representative.id_number"}),
    ("bad e-mail and phone", lambda b: dict(b, contact={"name": "x", "phone": "12345", "email": "not-an-email"}),
     {"contact.phone", "contact.email"}),
    ("password containing the e-mail", lambda b: dict(b, account={"email": "somebody@example.cn",
                                                                   "password": "somebody-2026!"}),
     {"account.password"}),
    ("unknown kind", lambda b: dict(b, kind="government"), {"kind"}),
    ("unknown field", lambda b: dict(b, secret_flag=True), {"secret_flag"}),
]


@pytest.mark.parametrize(("case", "change", "fields"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_registration_input_is_a_422_naming_the_fields_and_stores_nothing(platform, client, case, change,
                                                                               fields):
    before = _counts(platform)
    response = client.post(URL, json=change(_unique_body("53100000500019795A", "foundation@example.cn")))
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert set(problem["errors"]) == fields
    assert problem["status"] == 422 and problem["type"].startswith("https://")
    assert _counts(platform) == before


def test_the_individual_business_refusal_says_why(client):
    response = client.post(URL, json=_unique_body("92440300MA5F000004", "shop@example.cn"))
    assert response.status_code == 422
    assert "legal person" in " ".join(response.get_json()["errors"]["uscc"])


@pytest.mark.parametrize(("content_type", "data", "status"), [
    ("text/plain", b"name=x", 415),
    ("application/x-www-form-urlencoded", b"name=x", 415),
    ("application/json", b"{not json", 400),
    ("application/json", json.dumps([1, 2]).encode(), 422),
])
def test_malformed_or_mistyped_bodies_are_refused_with_a_problem(platform, client, content_type, data, status):
    before = _counts(platform)
    response = client.post(URL, data=data, headers={"Content-Type": content_type})
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert _counts(platform) == before


def test_an_oversize_body_is_a_413_and_stores_nothing(platform, client):
    before = _counts(platform)
    body = _unique_body("53100000500019795A", "big@example.cn", address="深" * 1_000_000)
    response = client.post(URL, json=body)
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert _counts(platform) == before


def test_an_unknown_path_is_a_problem_not_an_html_page(client):
    # Under /api/ (every other path is the web portal's, whose 404 is a page).
    for path in ("/api/v1/identity/nothing-here", "/api/nowhere"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"
    assert set(client.get("/api/v1/").get_json()["services"]) == {"identity", "filing", "review", "reporting",
                                                                  "notify"}


def test_the_summary_needs_a_token_and_the_right_role(client):
    assert client.get("/api/v1/reporting/summary").status_code == 401
    enterprise = sign_in(client, "admin@example.cn", "correct horse battery") if client.post(
        URL, json=organisation_body()).status_code in (201, 409) else None
    response = client.get("/api/v1/reporting/summary", headers={"Authorization": f"Bearer {enterprise}"})
    assert response.status_code == 403


def test_the_embedded_gateway_reports_health_readiness_and_metrics(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    client.get("/api/v1/identity/.well-known/jwks.json")
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    samples = [line for line in metrics.get_data(as_text=True).splitlines()
               if line.startswith("http_requests_total{")]
    assert any('endpoint="/api/v1/identity/.well-known/jwks.json"' in line for line in samples)
