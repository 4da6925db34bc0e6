"""Every page of each role opens, keyboard-and-screen-reader ready (a label for every control);
the provincial office's application travels from the public form to the operator's decision;
the bulk template goes out and a file comes back with its errors."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import PASSWORD, PDF, assert_every_control_labelled, new_email, new_uscc, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def test_each_role_opens_each_of_its_pages(portal, visitor):
    anonymous = visitor().new_page()
    for path in ("/", "/register", "/login", "/password-setup", "/verify", "/province-port/apply", "/notices"):
        assert anonymous.goto(path).status == 200, path
        assert_every_control_labelled(anonymous)
    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    for path in ("/operator", "/operator/staff", "/operator/port-applications", "/operator/rounds",
                 "/operator/deliveries?state=", "/notices", "/objections", "/review", "/province",
                 "/province?province=440000"):
        assert operator.goto(path).status == 200, path
        assert_every_control_labelled(operator)
    expect(operator.locator("#province-name")).to_have_text("广东省")


def test_a_provincial_office_applies_and_an_operator_approves(portal, visitor):
    office = visitor().new_page()
    office.goto("/province-port/apply")
    contact = new_email("xizang")
    office.select_option("#f-province_code", "540000")
    office.fill("#f-office_name", "西藏自治区知识产权局")
    office.fill("#f-contact-name", "次仁")
    office.fill("#f-contact-title", "处长")
    office.fill("#f-contact-phone", "0891-6833333")
    office.fill("#f-contact-email", contact)
    office.set_input_files("#f-form", files=[{"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    office.click("main form button[type=submit]")
    expect(office.locator(".flash-success")).to_contain_text("申请已提交")

    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    operator.goto("/operator/port-applications")
    operator.get_by_role("link", name="西藏自治区知识产权局").first.click()
    with operator.expect_download() as form:
        operator.get_by_role("link", name="下载申请表").click()
    assert form.value.path().read_bytes() == PDF
    operator.click("main form button[type=submit]")  # no outcome chosen: the API's error, by the field
    expect(operator.locator("#error-summary")).to_be_visible()
    operator.check("#f-outcome-approve")
    operator.click("main form button[type=submit]")
    expect(operator.locator(".flash-success")).to_contain_text("已作出决定")
    expect(operator.locator("main dl")).to_contain_text("已开通")
    portal.password_link(contact)  # the new province admin was mailed the link


def test_bulk_filing_template_out_and_a_file_back_with_its_errors(portal, visitor):
    address = new_email("bulk")
    body = {"name": "深圳批量测试有限公司", "uscc": new_uscc(), "kind": "enterprise", "province_code": "440000",
            "address": "深圳", "legal_representative": {"name": "赵明路", "id_number": "11010519491231002X"},
            "contact": {"name": "张三", "phone": "13800138000", "email": address},
            "account": {"email": address, "password": PASSWORD}}
    assert requests.post(f"{portal.url}/api/v1/identity/organisations", json=body, timeout=15).status_code == 202
    page = visitor().new_page()
    sign_in(page, address)
    page.goto("/enterprise/bulk")
    with page.expect_download() as template:
        page.get_by_role("link", name="下载 CSV 模板").click()
    header = template.value.path().read_bytes()
    page.set_input_files("#f-file", files=[{"name": "products.csv", "mimeType": "text/csv", "buffer": header}])
    page.click("form.upload button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator(".field:has(#f-file) .error")).to_contain_text("没有数据行")  # the rule, in the page's words
    assert_every_control_labelled(page)
    portal.screenshot(page, "bulk-errors")


@pytest.mark.parametrize(("language", "closed_label", "conflict_word"), [
    ("中文", "已关闭", "请先关闭该轮"), ("English", "Closed", "close it first")])
def test_an_operator_closes_a_round_with_a_reason_and_opens_the_year_again(visitor, language, closed_label,
                                                                           conflict_word):
    year = "2077" if language == "中文" else "2078"
    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    if language == "English":
        operator.get_by_role("link", name="English").click()

    def open_round():
        operator.goto("/operator/rounds")
        operator.fill("#f-year", year)
        operator.fill("#f-cut_off", f"{year}-03-31")
        operator.locator("input[name=fields]").first.check()
        operator.click("main form button[type=submit]")

    open_round()
    expect(operator.locator("#close-round")).to_be_visible()
    round_url = operator.url
    open_round()  # a second round of the year: refused, saying why
    expect(operator.locator("#error-summary")).to_contain_text(conflict_word)

    operator.goto(round_url)
    assert_every_control_labelled(operator)
    operator.click("#close-round button[type=submit]")  # no reason: the browser keeps the form
    expect(operator.locator("#close-round")).to_be_visible()
    operator.fill("#f-reason", "产业领域选错，重新开启")
    operator.click("#close-round button[type=submit]")
    expect(operator.locator(".flash-success")).to_be_visible()
    expect(operator.locator("main")).to_contain_text(closed_label)
    expect(operator.locator("#round-closed")).to_contain_text("产业领域选错，重新开启")
    expect(operator.locator("#close-round")).to_have_count(0)
    open_round()
    expect(operator.locator(".flash-success")).to_be_visible()
