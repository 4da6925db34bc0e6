"""The operator's console as an operator uses it (issue 17, part 5): organisations searched by
part of the name (full-width letters too) with their status, province and kind in words, one
organisation's page with its accounts and audit entries; and the audit log of every service in
one page, where a province admin's read of its province's figures appears under 统计 with the
action in words."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import create_staff, new_email, new_uscc, register, set_password_from_mail, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def operator_page(visitor) -> Page:
    page = visitor().new_page()
    sign_in(page, *OPERATOR)
    return page


def test_the_operator_finds_an_organisation_and_opens_its_page(portal, visitor):
    tag = "".join(secrets.choice(LETTERS) for _ in range(5))
    name = f"控制台{tag}科技有限公司"
    uscc, address = new_uscc(), new_email("console")
    registrant = visitor().new_page()
    register(registrant, name, uscc, address)
    registrant.click("form[action='/register'] button[type=submit]")
    expect(registrant.locator(".flash-success")).to_be_visible()

    operator = operator_page(visitor)
    operator.goto("/operator")
    operator.click("#organisations-link")
    # Full-width, lower-case letters find the half-width name.
    operator.fill("#f-q", "".join(chr(ord(ch) - 0x41 + 0xFF41) for ch in tag))
    operator.select_option("#f-status", "registered")
    operator.click("#organisation-search button[type=submit]")
    rows = operator.locator("#organisations tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(name)
    for words in (uscc, "已注册", "广东省", "企业"):
        expect(rows.first).to_contain_text(words)
    portal.screenshot(operator, "operator-organisations")

    operator.select_option("#f-status", "verified")
    operator.click("#organisation-search button[type=submit]")
    expect(operator.locator("#organisations tbody")).not_to_contain_text(name)
    operator.select_option("#f-status", "")
    operator.click("#organisation-search button[type=submit]")

    operator.get_by_role("link", name=name).click()
    expect(operator.locator("h1")).to_have_text(name)
    expect(operator.locator("#organisation-facts")).to_contain_text("广东省 深圳市")
    expect(operator.locator("#organisation-accounts")).to_contain_text(address)
    # The operator's own read of the organisation is in identity's audit entries of it, in words.
    read = operator.locator("#audit-entries tbody tr", has_text="查看单位信息")
    expect(read.first).to_contain_text("运营人员")
    expect(read.first).to_contain_text("身份与单位")


def test_a_province_admins_read_appears_in_the_audit_log_with_its_service_and_words(portal, visitor):
    operator = operator_page(visitor)
    admin_address = new_email("qinghai-admin")
    create_staff(operator, admin_address, "province_admin", "630000")
    admin = visitor().new_page()
    set_password_from_mail(portal, admin, admin_address)
    sign_in(admin, admin_address)
    admin.goto("/province")
    expect(admin.locator("h1")).to_contain_text("青海省")
    for path in ("/operator/audit", "/operator/organisations"):  # the console is the operator's only
        assert admin.goto(path).status == 403, path

    operator.goto("/operator")
    operator.click("#audit-link")
    expect(operator.locator("h1")).to_have_text("审计日志")
    operator.select_option("#f-service", "reporting")
    operator.fill("#f-action", "summary.read")
    operator.click("#audit-filters button[type=submit]")
    row = operator.locator("#audit-entries tbody tr", has_text="青海省").first
    for words in ("统计", "省级管理员", "查看统计概览", "省份"):
        expect(row).to_contain_text(words)
    portal.screenshot(operator, "operator-audit")

    # All services at once: the operator's creation of the account (identity) is there too,
    # newest first, and the date range of today (Beijing) keeps it.
    operator.goto("/operator/audit")
    operator.fill("#f-action", "account.created")
    operator.click("#audit-filters button[type=submit]")
    created = operator.locator("#audit-entries tbody tr", has_text="创建账号").first
    expect(created).to_contain_text("身份与单位")
    expect(created).to_contain_text(admin_address)
    operator.fill("#f-from", "2000-01-01")
    operator.fill("#f-to", "2000-01-02")
    operator.click("#audit-filters button[type=submit]")
    expect(operator.locator("#audit-entries tbody tr")).to_have_count(1)  # the row saying there are none
    expect(operator.locator("#audit-entries tbody")).not_to_contain_text("创建账号")


def test_the_audit_page_reads_in_english(portal, visitor):
    context = visitor("en-GB")
    context.add_cookies([{"name": "lang", "value": "en", "url": portal.url}])
    page = context.new_page()
    sign_in(page, *OPERATOR)
    page.goto("/operator/audit?action=sign_in.succeeded&service=identity")
    expect(page.locator("h1")).to_have_text("Audit log")
    row = page.locator("#audit-entries tbody tr").first
    expect(row).to_contain_text("signed in")
    expect(row).to_contain_text("Identity and organisations")
