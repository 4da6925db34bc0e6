"""What a registration, a port application and a USCC hold, in the browser (issue 17): registering
with an address that has an account says "check your mail" and mails its holder; an operator
dismisses a port application with a reason (the contact is mailed, the province is free) and opens
a dispute on a USCC (the holder suspended, the code registered by its rightful organisation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import PDF, new_email, new_uscc, register, sign_in
from tests.support.processes import wait_until

pytestmark = pytest.mark.browser


def test_registering_with_a_known_address_says_check_your_mail_and_mails_the_holder(portal, visitor):
    address = new_email("known")
    first = visitor().new_page()
    register(first, "已有账号测试有限公司", new_uscc(), address)
    first.click("form[action='/register'] button[type=submit]")
    expect(first.locator(".flash-success")).to_contain_text("注册成功")

    stranger = visitor().new_page()
    register(stranger, "冒用邮箱测试有限公司", new_uscc(), address)
    stranger.fill("#f-account-password", "a stranger's own pass phrase")
    stranger.click("form[action='/register'] button[type=submit]")
    expect(stranger.locator(".flash-success")).to_contain_text("注册申请已收到")
    wait_until(lambda: [m for m in portal.mails_to(address) if "有人使用您的邮箱注册" in str(m["Subject"])], 20,
               f"the registration-attempt mail to {address}", portal.server.tail)


def _apply(office, province: str, contact: str) -> None:
    office.goto("/province-port/apply")
    office.select_option("#f-province_code", province)
    office.fill("#f-office_name", "青海省知识产权局")
    office.fill("#f-contact-name", "才让")
    office.fill("#f-contact-title", "处长")
    office.fill("#f-contact-phone", "0971-6300000")
    office.fill("#f-contact-email", contact)
    office.set_input_files("#f-form", files=[{"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    office.click("main form button[type=submit]")


def test_an_operator_dismisses_a_port_application_with_a_reason(portal, visitor):
    office = visitor().new_page()
    contact = new_email("qinghai")
    _apply(office, "630000", contact)
    expect(office.locator(".flash-success")).to_contain_text("申请已提交")

    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    operator.goto("/operator/port-applications")
    operator.get_by_role("link", name="青海省知识产权局").first.click()
    operator.check("#f-outcome-dismiss")
    operator.click("main form button[type=submit]")  # no reason: the API's error, by the field
    expect(operator.locator("#error-summary")).to_be_visible()
    operator.check("#f-outcome-dismiss")
    operator.fill("#f-reason", "经电话核实，该局未提交过申请")
    operator.click("main form button[type=submit]")
    expect(operator.locator(".flash-success")).to_contain_text("已作出决定")
    expect(operator.locator("main dl")).to_contain_text("已撤销")
    wait_until(lambda: [m for m in portal.mails_to(contact) if "撤销" in str(m["Subject"])], 20,
               f"the dismissal mail to {contact}", portal.server.tail)
    _apply(visitor().new_page(), "630000", new_email("qinghai-real"))  # the province is free again


def test_an_operator_opens_a_dispute_and_the_rightful_organisation_registers_the_code(portal, visitor):
    uscc, squatter = new_uscc(), new_email("squatter")
    page = visitor().new_page()
    register(page, "争议浏览器测试有限公司", uscc, squatter)
    page.click("form[action='/register'] button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("注册成功")

    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    operator.goto("/operator")
    operator.get_by_role("link", name="信用代码争议").first.click()
    operator.fill("#f-uscc", uscc)
    operator.click("#dispute-form button[type=submit]")  # no reason
    expect(operator.locator("#error-summary")).to_be_visible()
    operator.fill("#f-reason", "持营业执照原件的单位证明该代码属于本单位")
    operator.click("#dispute-form button[type=submit]")
    expect(operator.locator(".flash-success")).to_contain_text("已暂停")
    expect(operator.locator("#disputes-opened")).to_contain_text(uscc)
    wait_until(lambda: [m for m in portal.mails_to(squatter) if "暂停" in str(m["Subject"])], 20,
               f"the suspension mail to {squatter}", portal.server.tail)

    rightful = visitor().new_page()
    register(rightful, "争议浏览器测试有限公司", uscc, new_email("rightful"))
    rightful.click("form[action='/register'] button[type=submit]")
    expect(rightful.locator(".flash-success")).to_contain_text("注册成功")
