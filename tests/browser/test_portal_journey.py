"""The whole journey in a real browser (Debian's Chromium driven by Playwright) against the
platform started as the README starts it: an enterprise registers, uploads its documents and
asks for verification; a reviewer — created by the operator on the staff page, with the
password set from the mailed link — approves it; the enterprise files a product; the reviewer
returns it with a reason on the `model` field; the enterprise reads that reason next to the
model field, corrects and resubmits; the reviewer approves; the enterprise sees the filing
number and downloads the certificate; an anonymous visitor verifies the number; the province
admin of Guangdong (created by the operator) sees it counted on the dashboard and downloads the
monthly report (XLSX) and the product export (XLSX) that lists it.

The month's report: a month is published only once it has ended (`publish-month` refuses the
current one), and the product is filed today. So the report downloaded is the previous month's,
published here with `python -m reporting publish-month previous` against the platform's
DATA_DIR; this month's filing is shown by the dashboard and the product export instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    PDF,
    PNG,
    assert_every_control_labelled,
    claim_and_open,
    confirm_unverified_patents,
    create_staff,
    decide,
    new_email,
    new_uscc,
    register,
    reload_until,
    set_password_from_mail,
    sign_in,
    upload,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
LAST_YEAR = dt.date.today().year - 1


def previous_month(today: dt.date) -> str:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def test_register_verify_file_return_resubmit_file_verify_and_count(portal, visitor):
    operator, reviewer, enterprise, anonymous, province = (visitor().new_page() for _ in range(5))

    # --- the operator creates a reviewer; the reviewer sets a password from the mailed link ----------
    sign_in(operator, *OPERATOR)
    reviewer_email = new_email("reviewer")
    create_staff(operator, reviewer_email, "reviewer")
    assert_every_control_labelled(operator)
    portal.screenshot(operator, "operator-staff")
    set_password_from_mail(portal, reviewer, reviewer_email, shot="password-setup")
    sign_in(reviewer, reviewer_email)
    expect(reviewer.locator("h1")).to_have_text("审核队列")

    # --- the enterprise registers: the codes are checked as they are typed ----------------------------
    name = f"深圳浏览器测试{new_uscc()[-4:]}科技有限公司"
    uscc, address = new_uscc(), new_email("enterprise")
    register(enterprise, name, uscc, address)
    expect(enterprise.locator("html")).to_have_attribute("lang", "zh-CN")
    hint = enterprise.locator("#f-uscc-live")
    expect(hint).to_have_text("格式与校验位正确。")
    wrong = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    enterprise.fill("#f-uscc", wrong)
    expect(hint).to_have_text("校验位不正确，请核对代码。")
    enterprise.fill("#f-uscc", uscc[:10])
    expect(hint).to_contain_text("已输入 10 位")
    expect(enterprise.locator("#f-legal_representative-id_number-live")).to_have_text("格式与校验位正确。")
    assert_every_control_labelled(enterprise)
    portal.screenshot(enterprise, "register-live-hints")
    # Sent as it is: the server's field errors come back next to the field.
    enterprise.click("form button[type=submit]")
    expect(enterprise.locator("#error-summary")).to_be_visible()
    expect(enterprise.locator("#f-uscc")).to_have_attribute("aria-invalid", "true")
    expect(enterprise.locator(".field:has(#f-uscc) .error").first).to_contain_text("18")
    portal.screenshot(enterprise, "register-field-errors")
    enterprise.fill("#f-uscc", uscc)
    enterprise.fill("#f-account-password", "correct horse battery staple")
    enterprise.click("form button[type=submit]")
    expect(enterprise.locator(".flash-success")).to_contain_text("注册成功")
    expect(enterprise.locator("#organisation-status")).to_have_text("已注册")

    # --- asks too early (no documents), uploads both, asks for verification --------------------------
    enterprise.click("section[aria-labelledby=verification-title] button[type=submit]")
    expect(enterprise.locator("#error-summary")).to_contain_text("营业执照")
    enterprise.goto("/enterprise")
    upload(enterprise, "business_license", "营业执照.pdf", PDF, "application/pdf")
    upload(enterprise, "integrity_commitment", "诚信承诺书.png", PNG, "image/png")
    expect(enterprise.locator("table")).to_contain_text("营业执照.pdf")
    enterprise.click("section[aria-labelledby=verification-title] button[type=submit]")
    expect(enterprise.locator(".flash-success")).to_contain_text("已提交实名认证申请")
    expect(enterprise.locator("#organisation-status")).to_have_text("审核中")
    portal.screenshot(enterprise, "organisation-pending")
    # Not verified yet: told so before filling in a product form, not after.
    enterprise.goto("/enterprise/products/new")
    expect(enterprise.locator(".flash-error")).to_contain_text("通过实名认证后方可备案产品")
    expect(enterprise.locator("#f-model")).to_have_count(0)

    # --- the reviewer approves the organisation ---------------------------------------------------------
    claim_and_open(reviewer, name)
    expect(reviewer.locator("table.snapshot")).to_contain_text(uscc)
    expect(reviewer.locator("section[aria-labelledby=snapshot-title] ul")).to_contain_text("营业执照")
    with reviewer.expect_download() as licence:
        reviewer.get_by_role("link", name="营业执照").click()
    assert licence.value.path().read_bytes() == PDF
    decide(reviewer, "approve")
    reload_until(enterprise, "/enterprise", "#organisation-status", "已认证")

    # --- the enterprise files a product --------------------------------------------------------------------
    model = f"BR-{new_uscc()[-6:]}"
    enterprise.goto("/enterprise/products/new")
    enterprise.fill("#f-name", "工业机器人控制器")
    enterprise.fill("#f-brand", "汇川")
    enterprise.fill("#f-model", model)
    enterprise.select_option("#f-industry_code", "03")
    enterprise.fill("#f-variants", "标准版\n防爆版")
    enterprise.fill("#f-economic_data-0-year", str(LAST_YEAR))
    enterprise.fill("#f-economic_data-0-sales_revenue", "98,765,432.10")  # as people write it
    enterprise.fill("#f-economic_data-0-sales_volume", "321")
    enterprise.fill("#f-patents-0-number", "ZL201911050262.8")
    enterprise.select_option("#f-patents-0-relation", "owner")
    enterprise.fill("#f-patents-0-title", "一种控制方法")
    assert_every_control_labelled(enterprise)
    portal.screenshot(enterprise, "product-new")
    enterprise.get_by_role("button", name="提交审核").click()
    expect(enterprise.locator(".flash-success")).to_contain_text("已提交审核")
    expect(enterprise.locator("#product-status")).to_have_text("审核中")
    product_url = enterprise.url

    # --- the reviewer returns it with a reason on the model field ----------------------------------------------
    claim_and_open(reviewer, model)
    expect(reviewer.locator("table.snapshot")).to_contain_text(model)
    reason = "型号与产品说明书不一致，请按说明书填写"
    decide(reviewer, "return", [("model", reason)])
    expect(reviewer.locator("section[aria-labelledby=decision-title]")).to_contain_text(reason)
    portal.screenshot(reviewer, "review-task-returned")

    # --- the enterprise reads it next to the model field, corrects and resubmits ------------------------------
    reload_until(enterprise, product_url, "#product-status", "退回修改")
    model_field = enterprise.locator(".field:has(#f-model)")
    expect(model_field.locator(".reason")).to_contain_text(reason)
    expect(enterprise.locator("#f-model")).to_have_attribute("aria-describedby", re.compile("f-model-reason-1"))
    expect(enterprise.locator(".field:has(#f-brand) .reason")).to_have_count(0)
    portal.screenshot(enterprise, "product-returned-reason-at-model")
    corrected = model + "-Pro"
    enterprise.fill("#f-model", corrected)
    enterprise.fill("#f-economic_data-0-sales_volume", "322")
    # A material uploaded now keeps what was typed (the upload saves the form first).
    enterprise.select_option("#f-material-kind", "test_report")
    enterprise.set_input_files("#f-material-file", files=[{"name": "检测报告.pdf", "mimeType": "application/pdf",
                                                             "buffer": PDF}])
    enterprise.get_by_role("button", name="上传材料").click()
    expect(enterprise.locator(".flash-success")).to_be_visible()
    expect(enterprise.locator("section[aria-labelledby=materials-title]")).to_contain_text("检测报告.pdf")
    expect(enterprise.locator("#f-model")).to_have_value(corrected)
    expect(enterprise.locator("#f-economic_data-0-sales_volume")).to_have_value("322")
    enterprise.get_by_role("button", name="修改后重新提交").click()
    expect(enterprise.locator(".flash-success")).to_contain_text("已提交审核")
    expect(enterprise.locator("#product-status")).to_have_text("审核中")

    # --- the reviewer approves the resubmission --------------------------------------------------------------
    claim_and_open(reviewer, corrected)
    expect(reviewer.locator("section[aria-labelledby=history-title]")).to_contain_text("同一案件")
    expect(reviewer.locator("#patent-check-0")).to_contain_text("未核实")  # the checksum registry knows no holders
    confirm_unverified_patents(reviewer)
    decide(reviewer, "approve")

    # --- the enterprise sees the filing number, downloads the certificate ------------------------------------
    reload_until(enterprise, product_url, "#product-status", "已备案")
    number = enterprise.locator("#filing-number").text_content().strip()
    assert re.fullmatch(rf"BA-{dt.date.today().year}-44-\d+", number), number
    expect(enterprise.locator("#f-model")).to_be_disabled()
    portal.screenshot(enterprise, "product-filed")
    with enterprise.expect_download() as certificate:
        enterprise.get_by_role("link", name=re.compile("下载备案证明")).click()
    assert certificate.value.path().read_bytes().startswith(b"%PDF")

    # --- the same brand and model again: the problem links to the product it is ------------------------------
    enterprise.goto("/enterprise/products/new")
    enterprise.fill("#f-name", "工业机器人控制器")
    enterprise.fill("#f-brand", "汇川")
    enterprise.fill("#f-model", corrected)
    enterprise.select_option("#f-industry_code", "03")
    enterprise.get_by_role("button", name="保存草稿").click()
    expect(enterprise.locator("#error-summary")).to_be_visible()
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", enterprise.locator("#error-summary").inner_text())
    enterprise.locator("#existing-product").click()
    expect(enterprise.locator("#filing-number")).to_have_text(number)

    # --- anyone verifies the number --------------------------------------------------------------------------
    anonymous.goto("/")
    anonymous.fill("#home-number", number)
    anonymous.click("form[action='/verify'] button")
    expect(anonymous.locator("#verify-result")).to_have_text("备案真实有效")
    result = anonymous.locator("section.result")
    expect(result).to_contain_text(corrected)
    expect(result).to_contain_text(name)
    expect(result).to_contain_text("已备案")
    portal.screenshot(anonymous, "public-verification")

    # --- the province admin of Guangdong: the dashboard counts it, the reports download ----------------------
    province_email = new_email("guangdong")
    create_staff(operator, province_email, "province_admin", "440000")
    set_password_from_mail(portal, province, province_email)
    sign_in(province, province_email)
    reload_until(province, "/province", "#province-products", number)
    expect(province.locator("#province-name")).to_have_text("广东省")
    assert int(province.locator("#filed-total").text_content()) >= 1
    expect(province.locator("#products-by-industry")).to_contain_text("新装备制造业")  # field 03, by its name
    expect(province.locator("#products-by-city")).to_contain_text("广东省 深圳市")
    this_month = dt.date.today().strftime("%Y-%m")
    bars = province.locator("svg.chart rect title").all_text_contents()  # one per month, "YYYY-MM: n"
    assert len(bars) == 12 and bars[-1].startswith(this_month + ": ") and int(bars[-1].split(": ")[1]) >= 1, bars
    portal.screenshot(province, "province-dashboard")

    month = previous_month(dt.date.today())
    # Before publication no month is offered for download, only said so.
    expect(province.get_by_role("link", name=f"下载 {month} 月度报告（Excel）")).to_have_count(0)
    published = portal.publish_month("previous")
    assert published.returncode == 0, published.stderr
    assert f"{month}:" in published.stderr
    province.reload()
    expect(province.locator("#monthly-reports tbody tr")).to_have_count(1)
    with province.expect_download() as report:
        province.get_by_role("link", name=f"下载 {month} 月度报告（Excel）").click()
    content = report.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        assert "xl/workbook.xml" in workbook.namelist()
    openpyxl.load_workbook(io.BytesIO(content), read_only=True).close()
    with province.expect_download() as export:
        province.get_by_role("link", name="导出本省产品清单（Excel）").click()
    assert export.value.suggested_filename.endswith(".xlsx"), export.value.suggested_filename
    book = openpyxl.load_workbook(io.BytesIO(export.value.path().read_bytes()), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert any(number in (cell or "" for cell in row) for row in rows), rows[:5]
    # A month that has not been published is said so, not downloaded.
    province.goto(f"/province/monthly/{this_month}.xlsx")
    expect(province.locator(".flash-error")).to_contain_text("尚未发布")

    # --- an operator revokes the filing: the public check says plainly it is no longer valid ---------------
    token = requests.post(f"{portal.url}/api/v1/identity/tokens", timeout=10,
                          json={"email": OPERATOR[0], "password": OPERATOR[1]}).json()["access_token"]
    product_id = product_url.rstrip("/").split("/")[-1]
    revoked = requests.post(f"{portal.url}/api/v1/filing/products/{product_id}/cancellation", timeout=10,
                            json={"reason": "专利权属发生争议"}, headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked", revoked.text
    anonymous.goto(f"/verify?number={number}")
    expect(anonymous.locator("#verify-result")).to_have_text("该备案已被平台撤销，不再有效")
    expect(anonymous.locator("section.result")).to_have_attribute("data-valid", "no")
    expect(anonymous.locator("section.result.ok")).to_have_count(0)
    expect(anonymous.locator("section.result")).to_contain_text("请勿将其视为有效备案")
    expect(anonymous.locator("section.result")).to_contain_text(f"自 {dt.date.today().isoformat()} 起不再有效")
