"""A reviewer confirms a patent the register could not verify, in a real browser, in Chinese.

The platform runs on the embedded default (`checksum` patent registry: it knows no holders), so a
declared patent reaches review marked unverified: the task page shows, per patent, the register's
status, holders, the match and the licence; approval is refused until the reviewer confirms the
patent against the certificate with a note (in the task's history); then it goes through.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    PASSWORD,
    PDF,
    claim_and_open,
    create_staff,
    new_email,
    new_uscc,
    set_password_from_mail,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
OWNED, LICENSED = "201710601862.3", "202011167667.2"


class Api:
    """The platform's API as a script uses it (to prepare what the browser part needs)."""

    def __init__(self, base: str, email: str, password: str):
        self.base = base
        token = requests.post(f"{base}/api/v1/identity/tokens", json={"email": email, "password": password},
                              timeout=15)
        assert token.status_code == 200, token.text
        self.headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.base}/api/v1{path}", headers=self.headers, timeout=15, **kwargs)


def eventually(check, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


def verified_enterprise(portal, reviewer: Api, name: str) -> Api:
    """An organisation registered, its documents uploaded, verified by `reviewer` through the API."""
    email = new_email("patents")
    body = {"name": name, "uscc": new_uscc(), "kind": "enterprise", "province_code": "440000",
            "city_code": "440300", "address": "深圳市南山区科技园",
            "legal_representative": {"name": "赵明路", "id_number": "11010519491231002X"},
            "contact": {"name": "张三", "phone": "13800138000", "email": email},
            "account": {"email": email, "password": PASSWORD}}
    registered = requests.post(f"{portal.url}/api/v1/identity/organisations", json=body, timeout=15)
    assert registered.status_code == 201, registered.text
    enterprise = Api(portal.url, email, PASSWORD)
    organisation_id = enterprise.call("GET", "/identity/me").json()["organisation_id"]
    for kind in ("business_license", "integrity_commitment"):
        uploaded = enterprise.call("POST", f"/identity/organisations/{organisation_id}/documents",
                                   data={"kind": kind}, files={"file": ("scan.pdf", PDF, "application/pdf")})
        assert uploaded.status_code == 201, uploaded.text
    assert enterprise.call("POST", f"/identity/organisations/{organisation_id}/verification").status_code == 202

    def task_id():
        page = reviewer.call("GET", "/review/tasks", params={"kind": "organisation", "state": "open",
                                                              "per_page": 200}).json()
        return next((t["id"] for t in page["items"] if t["subject_id"] == organisation_id), None)

    found = eventually(task_id)
    assert found, "review made no task of the verification request"
    assert reviewer.call("POST", f"/review/tasks/{found}/claim").status_code == 200
    decided = reviewer.call("POST", f"/review/tasks/{found}/decision", json={"outcome": "approve"})
    assert decided.status_code == 200, decided.text
    return enterprise


def test_the_reviewer_confirms_an_unverified_patent_before_approving(portal, visitor):
    operator, reviewer = visitor().new_page(), visitor().new_page()
    sign_in(operator, *OPERATOR)
    reviewer_email = new_email("patent-checker")
    create_staff(operator, reviewer_email, "reviewer")
    set_password_from_mail(portal, reviewer, reviewer_email)
    sign_in(reviewer, reviewer_email)
    reviewer_api = Api(portal.url, reviewer_email, PASSWORD)

    # --- a verified enterprise submits a product declaring an owned and a licensed patent -----------------
    name = f"深圳专利核对{new_uscc()[-4:]}科技有限公司"
    enterprise = verified_enterprise(portal, reviewer_api, name)
    product_name = f"智能终端{new_uscc()[-4:]}"
    body = {"name": product_name, "brand": "甲", "model": "T-1", "industry_code": "01",
            "economic_data": [{"year": dt.date.today().year - 1, "sales_revenue": "1000000.00", "sales_volume": 10}],
            "patents": [{"number": OWNED, "relation": "owner", "holder": name},
                        {"number": LICENSED, "relation": "licensee", "license_record_no": "2023440000000101"}]}
    created = eventually(lambda: (lambda r: r if r.status_code == 201 else None)(
        enterprise.call("POST", "/filing/products", json=body)))  # once filing has heard of the verification
    assert created, "filing never let the verified organisation create a product"
    submitted = enterprise.call("POST", f"/filing/products/{created.json()['id']}/submission")
    assert submitted.status_code == 202, submitted.text

    # --- the reviewer sees each patent against the register ---------------------------------------------
    claim_and_open(reviewer, product_name)
    expect(reviewer.locator("#patents-title")).to_have_text("专利登记核对")
    owned, licensed = reviewer.locator("#patent-check-0"), reviewer.locator("#patent-check-1")
    expect(owned).to_have_attribute("data-outcome", "unverified")
    expect(owned).to_contain_text(OWNED)
    expect(owned).to_contain_text("专利权人")
    expect(owned).to_contain_text("未核实")
    expect(owned).to_contain_text("该登记不提供专利权人")
    expect(owned).to_contain_text("登记无法判断")
    expect(owned).to_contain_text("checksum")
    expect(licensed).to_contain_text("被许可人")
    expect(licensed).to_contain_text("未核实")
    # The register's answer is not repeated as raw rows of the snapshot.
    assert "holders_unknown" not in reviewer.locator("main").inner_text()

    # --- approving before confirming is refused, in words, under the patent ------------------------------
    reviewer.check("#f-outcome-approve")
    reviewer.check("#f-checked")
    reviewer.click("section[aria-labelledby=decide-title] form button[type=submit]")
    expect(reviewer.locator("#error-summary")).to_contain_text(f"专利登记未能核实专利 {OWNED}")
    expect(reviewer.locator("#error-summary")).to_contain_text(f"专利登记未能核实专利 {LICENSED}")
    expect(reviewer.locator("#task-state")).to_contain_text("已领取")

    # --- a confirmation needs a note -------------------------------------------------------------------
    owned.get_by_role("button", name="确认该专利").click()
    expect(reviewer.locator("#patent-check-0 .field.has-error")).to_be_visible()
    expect(reviewer.locator("#patent-check-0 textarea")).to_have_attribute("aria-invalid", "true")

    # --- the reviewer confirms both against the documents ----------------------------------------------
    reviewer.fill("#f-patent-0-note", "已核对专利证书，专利权人为本单位")
    reviewer.locator("#patent-check-0").get_by_role("button", name="确认该专利").click()
    expect(reviewer.locator(".flash-success")).to_contain_text("已确认该专利")
    expect(reviewer.locator("#patent-check-0")).to_contain_text("已确认")
    expect(reviewer.locator("#patent-check-0")).to_contain_text("已核对专利证书，专利权人为本单位")
    expect(reviewer.locator("#patent-check-1 form.patent-confirm")).to_be_visible()
    reviewer.fill("#f-patent-1-note", "已核对许可合同备案证明")
    reviewer.locator("#patent-check-1").get_by_role("button", name="确认该专利").click()
    expect(reviewer.locator("#patent-check-1")).to_contain_text("已核对许可合同备案证明")
    expect(reviewer.locator("ol.history")).to_contain_text("确认未核实的专利")
    portal.screenshot(reviewer, "review-patents-confirmed")

    # --- now the approval goes through ------------------------------------------------------------------
    reviewer.check("#f-outcome-approve")
    reviewer.check("#f-checked")
    reviewer.click("section[aria-labelledby=decide-title] form button[type=submit]")
    expect(reviewer.locator(".flash-success")).to_contain_text("审核决定已提交")
    expect(reviewer.locator("#task-state")).to_contain_text("已决定")
