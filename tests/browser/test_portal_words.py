"""The pages people read say words, not codes, in Chinese and in English: an enterprise's
organisation, product list, product and colleagues; a reviewer's queue; a province admin's
dashboard; an operator's pages. With an organisation verified and a product filed (made as
people make them, through the pages), each page's visible text (`document.body.innerText`) is
searched for the codes machines use — kinds, statuses, roles, documents, patent relations,
region codes — and the words for them are found instead."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    PDF,
    PNG,
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

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# Codes a Chinese page must not show as a word (English words on an English page may be the same
# letters — "filed", "reviewer" — so there only codes with an underscore and region codes count).
CODES_ZH = re.compile(r"\b(enterprise|university_institute|rd_institution|social_organisation|business_license|"
                      r"integrity_commitment|authorization_letter|owner|licensee|invention|utility_model|draft|"
                      r"filed|submitted|returned|rejected|registered|verified|pending_review|recognised|cancelled|"
                      r"revoked|withdrawn|claimed|decided|awaiting_confirmation|reviewer|province_admin|operator|"
                      r"pending|sent|failed|retrying)\b")
CODES_EN = re.compile(r"\b(enterprise_user|university_institute|rd_institution|social_organisation|business_license|"
                      r"integrity_commitment|authorization_letter|utility_model|pending_review|province_admin|"
                      r"awaiting_confirmation)\b")
# A region code standing alone (not inside a USCC, a filing number or a date).
REGION_CODE = re.compile(r"(?<![\w-])(440000|440300|350000|110000)(?![\w-])")
# An industry field's code standing alone (not a month or a day of a date); the product form's
# choice of field shows the code beside each name, so it is not searched.
INDUSTRY_CODE = re.compile(r"(?<![\w:-])0[1-7](?![\w:-])")
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")


def visible(page: Page) -> str:
    """What a person reads of the page, without the e-mail addresses (they hold `reviewer-…`)."""
    return EMAIL.sub(" ", page.evaluate("document.body.innerText"))


def assert_words(page: Page, path: str, language: str, words: list[str], form: bool = False) -> None:
    assert page.goto(path).status == 200, path
    text = visible(page)
    codes = (CODES_ZH if language == "zh" else CODES_EN).findall(text) + REGION_CODE.findall(text)
    if not form:
        codes += INDUSTRY_CODE.findall(text)
    assert not codes, (path, language, codes, text)
    for word in words:
        assert word in text, (path, language, word, text)


def in_language(page: Page, language: str) -> None:
    page.goto(f"/language/{language}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if language == "zh" else "en")


def test_every_role_reads_words_not_codes_in_both_languages(portal, visitor):
    operator, reviewer, enterprise, province = (visitor().new_page() for _ in range(4))
    sign_in(operator, *OPERATOR)
    reviewer_email, province_email = new_email("reviewer"), new_email("guangdong")
    create_staff(operator, reviewer_email, "reviewer")
    create_staff(operator, province_email, "province_admin", "440000")
    set_password_from_mail(portal, reviewer, reviewer_email)
    set_password_from_mail(portal, province, province_email)
    sign_in(reviewer, reviewer_email)
    sign_in(province, province_email)

    # An enterprise of Shenzhen, verified, with one product filed (industry 01, a patent it owns).
    name = f"深圳词语测试{new_uscc()[-4:]}科技有限公司"
    address = new_email("enterprise")
    register(enterprise, name, new_uscc(), address)
    enterprise.click("form button[type=submit]")
    expect(enterprise.locator(".flash-success")).to_contain_text("注册成功")
    upload(enterprise, "business_license", "营业执照.pdf", PDF, "application/pdf")
    upload(enterprise, "integrity_commitment", "诚信承诺书.png", PNG, "image/png")
    enterprise.click("section[aria-labelledby=verification-title] button[type=submit]")
    expect(enterprise.locator(".flash-success")).to_contain_text("已提交实名认证申请")
    claim_and_open(reviewer, name)
    decide(reviewer, "approve")
    organisation_task = reviewer.url.removeprefix(portal.url)
    reload_until(enterprise, "/enterprise", "#organisation-status", "已认证")
    model = f"WD-{new_uscc()[-6:]}"
    enterprise.goto("/enterprise/products/new")
    enterprise.fill("#f-name", "智能手机")
    enterprise.fill("#f-brand", "华为")
    enterprise.fill("#f-model", model)
    enterprise.select_option("#f-industry_code", "01")
    enterprise.fill("#f-economic_data-0-year", str(dt.date.today().year - 1))
    enterprise.fill("#f-economic_data-0-sales_revenue", "1000.50")
    enterprise.fill("#f-economic_data-0-sales_volume", "10")
    enterprise.fill("#f-patents-0-number", "ZL201911050262.8")
    enterprise.select_option("#f-patents-0-relation", "owner")
    enterprise.fill("#f-patents-0-title", "一种通信方法")
    enterprise.get_by_role("button", name="提交审核").click()
    expect(enterprise.locator("#product-status")).to_have_text("审核中")
    product_path = enterprise.url.removeprefix(portal.url)
    claim_and_open(reviewer, model)
    confirm_unverified_patents(reviewer)  # the embedded default's register knows no holders
    decide(reviewer, "approve")
    product_task = reviewer.url.removeprefix(portal.url)
    reload_until(enterprise, product_path, "#product-status", "已备案")
    reload_until(province, "/province", "#province-products", model)

    # Pages whose choices (fields of industry) show each code beside its name; a task's snapshot
    # shows the product's field as filed (its code: the reviewer's page has no list of fields).
    forms = (product_path, "/operator/rounds", product_task)
    pages = {
        "zh": [
            (enterprise, "/enterprise", ["企业", "已认证", "营业执照", "诚信承诺书", "广东省 深圳市"]),
            (enterprise, "/enterprise/products", ["已备案"]),
            (enterprise, product_path, ["已备案", "专利权人", "信息通信技术制造业"]),
            (enterprise, "/enterprise/members", []),
            (reviewer, "/review?state=decided", ["已决定", "实名认证", "产品备案"]),
            # A task's snapshot: the organisation's kind, province and documents; the patent's kind, relation.
            (reviewer, organisation_task, ["企业", "广东省", "营业执照", "诚信承诺书"]),
            (reviewer, product_task, ["专利权人", "发明"]),
            (province, "/province", ["广东省", "已备案", "信息通信技术制造业", "广东省 深圳市", "企业", "已认证"]),
            (operator, "/operator/staff", ["审核人员", "省级管理员", "广东省"]),
            (operator, "/operator/deliveries?state=", ["已发送"]),
            (operator, "/province?province=440000", ["信息通信技术制造业", "企业"]),
            (operator, "/operator", []),
            (operator, "/operator/port-applications", []),
            (operator, "/operator/rounds", []),
            (operator, "/operator/organisations?province_code=440000", ["广东省", "企业", "已认证"]),
            (operator, "/operator/audit?service=identity&action=account.created",
             ["身份与单位", "创建账号", "审核人员"]),
        ],
        "en": [
            (enterprise, "/enterprise", ["Enterprise", "Business licence", "广东省 深圳市"]),
            (enterprise, product_path, ["ICT manufacturing"]),
            (reviewer, "/review?state=decided", []),
            (reviewer, organisation_task, ["Enterprise", "Business licence"]),
            (reviewer, product_task, ["Invention"]),
            (province, "/province", ["ICT manufacturing", "Enterprise"]),
            (operator, "/operator/staff", ["Province admin"]),
            (operator, "/operator/deliveries?state=", ["Sent"]),
            (operator, "/operator/port-applications", []),
            (operator, "/operator/organisations?province_code=440000", ["广东省", "Enterprise", "Verified"]),
            (operator, "/operator/audit?service=identity&action=account.created", ["account created", "Reviewer"]),
        ],
    }
    for language, visits in pages.items():
        for page in (operator, reviewer, enterprise, province):
            in_language(page, language)
        for page, path, words in visits:
            assert_words(page, path, language, words, form=path in forms)
    portal.screenshot(province, "province-dashboard-en-words")
