"""A verified organisation's changes in the browser (issue 17, part 3): its admin changes the
contact and address on the organisation's page (a city outside the province is named at its
field; the previous and the new contact are both mailed), and an operator suspends the
organisation from the console and reinstates it, each with a reason (mailed to the contact)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    PDF,
    claim_and_open,
    create_staff,
    decide,
    file_a_product,
    new_email,
    reload_until,
    set_password_from_mail,
    sign_in,
)
from tests.support.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def test_the_admin_changes_the_contact_and_an_operator_suspends_and_reinstates(portal, visitor):
    enterprise, _, old_address, _ = file_a_product(portal, visitor, OPERATOR)
    enterprise.goto("/enterprise")
    name = (enterprise.locator("h1").text_content() or "").strip()
    new_address = new_email("new-contact")

    # A city outside the province: named at its field, nothing changed.
    form = enterprise.locator("#contact-change")
    form.locator("#f-city_code").fill("110100")
    form.locator("#f-contact-email").fill(new_address)
    form.get_by_role("button").click()
    expect(enterprise.locator("#error-summary")).to_be_visible()
    expect(enterprise.locator("#f-city_code")).to_have_attribute("aria-invalid", "true")
    expect(enterprise.locator("#f-contact-email")).to_have_value(new_address)  # what was typed stays

    enterprise.locator("#f-city_code").fill("440300")
    enterprise.locator("#f-contact-name").fill("王五")
    enterprise.locator("#contact-change").get_by_role("button").click()
    expect(enterprise.locator(".flash-success")).to_contain_text("联系人和地址已变更")
    expect(enterprise.locator("dl.facts")).to_contain_text(new_address)
    for address in (old_address, new_address):
        wait_until(lambda a=address: [m for m in portal.mails_to(a) if "联系信息已变更" in str(m["Subject"])], 20,
                   f"the contact-change mail to {address}", portal.server.tail)

    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    operator.goto("/operator/organisations")
    operator.fill("#f-q", name)
    operator.click("#organisation-search button[type=submit]")
    operator.get_by_role("link", name=name).click()
    operator.locator("#organisation-suspension").get_by_role("button").click()  # no reason
    expect(operator.locator("#error-summary")).to_be_visible()
    operator.fill("#f-reason", "营业执照显示该代码属于另一家公司")
    operator.locator("#organisation-suspension").get_by_role("button").click()
    expect(operator.locator(".flash-success")).to_contain_text("该单位已暂停")
    expect(operator.locator("#organisation-facts")).to_contain_text("已暂停")
    reload_until(enterprise, "/enterprise", "#organisation-status", "已暂停")
    wait_until(lambda: [m for m in portal.mails_to(new_address) if "暂停" in str(m["Subject"])], 20,
               f"the suspension mail to {new_address}", portal.server.tail)

    operator.fill("#f-reason", "核实后争议不成立")
    operator.locator("#organisation-reinstatement").get_by_role("button").click()
    expect(operator.locator(".flash-success")).to_contain_text("该单位已恢复")
    expect(operator.locator("#organisation-facts")).to_contain_text("已认证")
    reload_until(enterprise, "/enterprise", "#organisation-status", "已认证")
    wait_until(lambda: [m for m in portal.mails_to(new_address) if "已恢复" in str(m["Subject"])], 20,
               f"the reinstatement mail to {new_address}", portal.server.tail)


def test_a_change_of_name_is_asked_for_reviewed_and_applied(portal, visitor):
    enterprise, product_url, _, _ = file_a_product(portal, visitor, OPERATOR)
    enterprise.goto("/enterprise")
    old_name = (enterprise.locator("h1").text_content() or "").strip()
    new_name = old_name.replace("深圳", "广州", 1)
    form = enterprise.locator("#change-request-form")
    form.locator("#f-name").fill(old_name)  # nothing differs: named at its field
    form.locator("#f-file").set_input_files(files=[{"name": "营业执照.pdf", "mimeType": "application/pdf",
                                                    "buffer": PDF}])
    form.locator("button[type=submit]").click()
    expect(enterprise.locator("#error-summary")).to_be_visible()
    enterprise.locator("#f-name").fill(new_name)
    enterprise.locator("#f-file").set_input_files(files=[{"name": "营业执照.pdf", "mimeType": "application/pdf",
                                                          "buffer": PDF}])
    enterprise.locator("#change-request-form button[type=submit]").click()
    expect(enterprise.locator(".flash-success")).to_contain_text("变更申请已提交")
    expect(enterprise.locator("#change-request")).to_contain_text("变更申请审核中")
    expect(enterprise.locator("#change-request")).to_contain_text(new_name)
    expect(enterprise.locator("#organisation-status")).to_contain_text("已认证")  # still working
    expect(enterprise.locator("#change-request-form")).to_have_count(0)  # one at a time

    operator, reviewer = visitor().new_page(), visitor().new_page()
    sign_in(operator, *OPERATOR)
    reviewer_email = new_email("change-reviewer")
    create_staff(operator, reviewer_email, "reviewer")
    set_password_from_mail(portal, reviewer, reviewer_email)
    sign_in(reviewer, reviewer_email)
    claim_and_open(reviewer, old_name)
    expect(reviewer.locator("#requested-changes")).to_contain_text(old_name)
    expect(reviewer.locator("#requested-changes")).to_contain_text(new_name)
    decide(reviewer, "approve")

    reload_until(enterprise, "/enterprise", "h1", new_name)
    expect(enterprise.locator("#change-request")).to_contain_text("已通过")
    contact = enterprise_address(enterprise)
    wait_until(lambda: [m for m in portal.mails_to(contact) if "变更已通过审核" in str(m["Subject"])],
               20, "the approval mail", portal.server.tail)
    enterprise.goto(product_url)  # the filed product keeps its filing number under the new name
    expect(enterprise.locator("main")).to_contain_text("已备案")


def enterprise_address(page) -> str:
    """The contact address the organisation's page shows (registration gave it the account's)."""
    return (page.locator("dl.facts dd").last.text_content() or "").split("，")[-1].strip()
