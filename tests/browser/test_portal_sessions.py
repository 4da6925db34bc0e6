"""The portal's sessions in a real browser: who may open which pages, CSRF tokens, the access
token renewed when it expires, sign-out revoking the refresh token at identity, and the
language switch."""

from __future__ import annotations

import json
import time

import pytest
import requests
from cryptography.fernet import Fernet
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import PASSWORD, new_email, new_uscc, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def member(portal) -> str:
    """An enterprise account (registered through the API: these tests are about sessions)."""
    address = new_email("member")
    body = {"name": "深圳会话测试有限公司", "uscc": new_uscc(), "kind": "enterprise", "province_code": "440000",
            "address": "深圳", "legal_representative": {"name": "赵明路", "id_number": "11010519491231002X"},
            "contact": {"name": "张三", "phone": "13800138000", "email": address},
            "account": {"email": address, "password": PASSWORD}}
    answer = requests.post(f"{portal.url}/api/v1/identity/organisations", json=body, timeout=15)
    assert answer.status_code == 201, answer.text
    return address


def test_an_enterprise_user_cannot_open_reviewer_province_or_operator_pages(portal, visitor, member):
    page = visitor().new_page()
    anonymous = page.goto("/review")
    assert anonymous.url.startswith(f"{portal.url}/login?next=/review")  # not signed in: to the sign-in page
    sign_in(page, member)
    for path in ("/review", "/review/tasks/some-task", "/province", "/province/export.xlsx", "/operator/staff",
                 "/operator/deliveries", "/operator/organisations", "/operator/audit", "/operator/organisations/x"):
        response = page.goto(path)
        assert response.status == 403, (path, response.status)
        expect(page.locator("main")).to_contain_text("没有权限")
    portal.screenshot(page, "enterprise-forbidden-review")
    assert page.goto("/enterprise").status == 200


def test_a_form_posted_without_its_csrf_token_is_refused(portal, visitor, member):
    context = visitor()
    page = context.new_page()
    sign_in(page, member)
    page.goto("/enterprise/members")
    colleague = new_email("colleague")
    page.fill("#f-email", colleague)
    page.evaluate("document.querySelectorAll('main form input[name=csrf_token]').forEach(e => e.remove())")
    with page.expect_response(lambda r: r.url.endswith("/enterprise/members") and r.request.method == "POST") as sent:
        page.click("main form.narrow button[type=submit]")
    assert sent.value.status == 400
    expect(page.locator("main")).to_contain_text("表单已过期或来源无效")
    # A forged token, from the same browser, is refused as well; nobody was invited.
    forged = context.request.post(f"{portal.url}/enterprise/members", form={"email": colleague, "csrf_token": "x"})
    assert forged.status == 400
    # The sign-out form too (a cross-site page cannot sign anyone out).
    assert context.request.post(f"{portal.url}/logout").status == 400
    page.goto("/enterprise/members")
    expect(page.locator("main table")).not_to_contain_text(colleague)
    # With its token the same form works.
    page.fill("#f-email", colleague)
    page.click("main form.narrow button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text(colleague)


def test_the_session_cookie_keeps_the_tokens_away_from_scripts_renews_them_and_sign_out_revokes(
        portal, visitor, member):
    context = visitor()
    page = context.new_page()
    sign_in(page, member)
    cookie = next(c for c in context.cookies() if c["name"] == "portal_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert not cookie["secure"]  # the embedded default is served over http://127.0.0.1 (PORTAL_COOKIE_SECURE)
    assert "portal_session" not in page.evaluate("document.cookie")
    session = portal.session_of(context)
    assert session["auth"]["role"] == "enterprise" and session["auth"]["email"] == member

    # The access token has expired: the next page renews it with the refresh token, unseen.
    session["auth"]["exp"] = time.time() - 60
    context.add_cookies([{**cookie, "value": Fernet(portal.session_key).encrypt(json.dumps(session).encode())
                          .decode()}])
    assert page.goto("/enterprise").status == 200
    expect(page.locator("#organisation-status")).to_have_text("已注册")
    renewed = portal.session_of(context)["auth"]
    assert renewed["refresh"] != session["auth"]["refresh"] and renewed["exp"] > time.time()

    # Sign-out revokes the refresh token at identity and forgets the session.
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator(".flash-success")).to_contain_text("您已退出登录")
    assert "portal_session" not in {c["name"] for c in context.cookies()} or "auth" not in portal.session_of(context)
    refused = requests.post(f"{portal.url}/api/v1/identity/tokens/refresh",
                            json={"refresh_token": renewed["refresh"]}, timeout=10)
    assert refused.status_code == 401, refused.text
    assert page.goto("/enterprise").url.startswith(f"{portal.url}/login")


def test_english_is_one_click_away_and_stays(portal, visitor):
    page = visitor().new_page()
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("登录")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.fill("#f-email", OPERATOR[0])
    page.fill("#f-password", "not the password")
    page.click("form.narrow button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    portal.screenshot(page, "login-english-error")
    page.goto("/verify")
    expect(page.locator("h1")).to_have_text("Check a filing number")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_both_catalogues_have_the_same_messages():
    from portal.i18n import catalogue

    assert set(catalogue("zh")) == set(catalogue("en"))
