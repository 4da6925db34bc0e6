"""Deactivating and reactivating accounts as people do it in the portal (issue 17, part 2): the
operator on the staff page, an organisation's admin on the members page (in English here), each
with a reason; the deactivated person cannot sign in (told as a wrong password is), and signs in
again once reactivated; a session of theirs that was open ends. The admin also makes a
colleague an admin."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import create_staff, new_email, new_uscc, register, set_password_from_mail, sign_in
from tests.support.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def row(page: Page, table: str, address: str):
    return page.locator(f"{table} tr", has_text=address)


def refused_sign_in(page: Page, address: str, words: str) -> None:
    page.goto("/login")
    page.fill("#f-email", address)
    page.fill("#f-password", "correct horse battery staple")
    page.click("form.narrow button[type=submit]")
    expect(page.locator("#error-summary")).to_contain_text(words)
    expect(page.locator("header .who")).to_have_count(0)


def test_the_operator_deactivates_a_reviewer_who_then_cannot_sign_in_and_reactivates_them(portal, visitor):
    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    address = new_email("leaving-reviewer")
    create_staff(operator, address, "reviewer")
    reviewer = visitor().new_page()
    set_password_from_mail(portal, reviewer, address)
    sign_in(reviewer, address)

    operator.goto("/operator/staff")
    expect(row(operator, "#staff-list", OPERATOR[0]).locator("form")).to_have_count(0)  # never oneself
    listed = row(operator, "#staff-list", address)
    expect(listed).to_contain_text("已激活")
    listed.locator("input[name=reason]").fill("调离审核岗位")
    listed.get_by_role("button", name="停用").click()
    expect(operator.locator(".flash-success")).to_contain_text(address)
    expect(row(operator, "#staff-list", address)).to_contain_text("已停用")
    portal.screenshot(operator, "operator-staff-deactivated")

    refused_sign_in(visitor().new_page(), address, "邮箱或密码不正确")
    wait_until(lambda: any("已被停用" in str(m["Subject"]) for m in portal.mails_to(address)) or None, 20,
               "the deactivation mail", portal.server.tail)
    # The reviewer's open session ends (review has had the event by now, notify has mailed): review
    # refuses the token, and the portal's renewal is refused too.
    reviewer.goto("/review")
    expect(reviewer).to_have_url(re.compile(r"/login"))
    expect(reviewer.locator("header .who")).to_have_count(0)

    listed = row(operator, "#staff-list", address)
    listed.locator("input[name=reason]").fill("重新担任审核")
    listed.get_by_role("button", name="恢复使用").click()
    expect(operator.locator(".flash-success")).to_contain_text(address)
    expect(row(operator, "#staff-list", address)).to_contain_text("已激活")
    sign_in(visitor().new_page(), address)


def english(portal, visitor) -> Page:
    context = visitor("en-GB")
    context.add_cookies([{"name": "lang", "value": "en", "url": portal.url}])
    return context.new_page()


def test_an_organisations_admin_deactivates_a_colleague_in_english(portal, visitor):
    registrant = visitor().new_page()
    address = new_email("admin")
    register(registrant, "停用测试科技有限公司", new_uscc(), address)
    registrant.click("form[action='/register'] button[type=submit]")
    expect(registrant.locator(".flash-success")).to_be_visible()
    admin = english(portal, visitor)
    sign_in(admin, address)
    admin.goto("/enterprise/members")
    colleague = new_email("colleague")
    admin.fill("#f-email", colleague)
    admin.click("main form.narrow button[type=submit]")
    expect(admin.locator(".flash-success")).to_contain_text(colleague)
    set_password_from_mail(portal, visitor().new_page(), colleague)

    admin.goto("/enterprise/members")
    expect(admin.locator("#members-list")).to_contain_text("Status")
    expect(row(admin, "#members-list", address).locator("form")).to_have_count(0)
    listed = row(admin, "#members-list", colleague)
    listed.locator("input[name=reason]").fill("Left the company")
    listed.get_by_role("button", name="Deactivate").click()
    expect(admin.locator(".flash-success")).to_contain_text(f"{colleague} is deactivated")
    expect(row(admin, "#members-list", colleague)).to_contain_text("Deactivated")
    portal.screenshot(admin, "enterprise-member-deactivated")

    refused_sign_in(english(portal, visitor), colleague, "The e-mail address or the password is wrong.")

    listed = row(admin, "#members-list", colleague)
    listed.locator("input[name=reason]").fill("Came back")
    listed.get_by_role("button", name="Reactivate").click()
    expect(admin.locator(".flash-success")).to_contain_text(f"{colleague} is reactivated")
    row(admin, "#members-list", colleague).get_by_role("button", name="Make admin").click()
    expect(admin.locator(".flash-success")).to_contain_text(colleague)
    expect(row(admin, "#members-list", colleague).get_by_role("button", name="No longer admin")).to_be_visible()
    sign_in(visitor().new_page(), colleague)
