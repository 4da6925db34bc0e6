"""Every form of the portal, sent empty and sent wrong, in Chinese and in English: what the person
reads is in the page's language and says what to do, never the API's English (issue 23, point 5).

The forms are sent as they are, without the browser's own checks (`noValidate`), so that the
platform's answer is what the page shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import PASSWORD, new_email, new_uscc, register, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

MESSAGES = ".error-summary p, .error-summary li, p.error"
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Latin that a Chinese message may carry: file formats and the examples it gives.
LATIN_IN_CHINESE = {"XLSX", "CSV", "ZL", "name", "example", "cn"}


def shown(page: Page) -> list[str]:
    """The problem's summary and each field's message as the page shows them (without the
    screen reader's "错误：" prefix)."""
    texts = [text.split("：", 1)[-1].strip() if text.startswith(("错误", "Error")) else text.strip()
             for text in page.locator(MESSAGES).all_inner_texts()]
    return [text for text in texts if text]


def assert_in_language(page: Page, language: str, *expected: str) -> list[str]:
    expect(page.locator(".error-summary")).to_be_visible()
    texts = shown(page)
    assert len(texts) >= 2, texts  # the summary and at least one field's message
    for text in texts:
        if language == "zh":
            foreign = [w for w in LATIN_WORD.findall(text) if w not in LATIN_IN_CHINESE]
            assert not foreign, f"English in the Chinese page: {text!r}"
        else:
            assert not CJK.search(text), f"Chinese in the English page: {text!r}"
    joined = "\n".join(texts)
    for phrase in expected:
        assert phrase in joined, f"{phrase!r} not in {texts}"
    return texts


def send_as_is(page: Page, form: str) -> None:
    page.locator(form).evaluate("f => { f.noValidate = true; }")
    page.locator(f"{form} button[type=submit]").first.click()


def in_language(portal, visitor, language: str) -> Page:
    """A new person's page, the portal in `language` (its `lang` cookie, as the switch sets it)."""
    context = visitor("zh-CN" if language == "zh" else "en-GB")
    context.add_cookies([{"name": "lang", "value": language, "url": portal.url}])
    page = context.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if language == "zh" else "en")
    return page


WORDS = {
    "zh": {"required": "请填写", "choose": "请选择", "uscc": "统一社会信用代码不正确",
           "password_length": "密码应为 10–128 个字符",
           "email": "有效的邮箱地址", "credentials": "邮箱或密码不正确", "mismatch": "两次输入的密码不一致",
           "link_gone": "此链接已失效", "fields": "处需要修改", "id_number": "身份证号码",
           "file": "请选择要上传的文件", "documents": "请先上传必需的材料"},
    "en": {"required": "Fill in", "choose": "Choose", "uscc": "unified social credit code is not right",
           "password_length": "The password takes 10 to 128 characters", "email": "valid e-mail address",
           "credentials": "e-mail address or the password is wrong", "mismatch": "The two passwords differ",
           "link_gone": "no longer valid", "fields": "entries need changing", "id_number": "ID number",
           "file": "Choose a file to upload", "documents": "Upload the required documents"},
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_public_forms_empty_and_wrong_speak_the_page_language(portal, visitor, language):
    words = WORDS[language]
    page = in_language(portal, visitor, language)

    page.goto("/register")
    send_as_is(page, "form[action='/register']")
    texts = assert_in_language(page, language, words["required"], words["choose"], words["fields"])
    assert not any("Length must be" in t or "Missing data" in t for t in texts)

    page.goto("/register")
    register(page, "错误示范有限公司", new_uscc()[:-1] + "0", "x")
    page.fill("#f-uscc", "91440300MA5ABCDEF0")
    page.fill("#f-legal_representative-id_number", "110105194912310021")
    page.fill("#f-account-email", "not-an-address")
    page.fill("#f-account-password", "short")
    send_as_is(page, "form[action='/register']")
    assert_in_language(page, language, words["uscc"], words["password_length"], words["email"], words["id_number"])
    expect(page.locator("#f-account-password")).to_have_attribute("aria-invalid", "true")

    page.goto("/login")
    send_as_is(page, "form[action^='/login']")
    assert_in_language(page, language, words["required"])
    page.fill("#f-email", new_email("nobody"))
    page.fill("#f-password", "wrong password 123")
    send_as_is(page, "form[action^='/login']")
    expect(page.locator(".error-summary")).to_contain_text(words["credentials"])

    page.goto("/password-setup")
    page.fill("#f-token", "x" * 43)
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password_again", PASSWORD + "!")
    send_as_is(page, "#password-setup-form")
    assert_in_language(page, language, words["mismatch"])
    page.fill("#f-token", "x" * 43)
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password_again", PASSWORD)
    send_as_is(page, "#password-setup-form")
    expect(page.locator(".error-summary")).to_contain_text(words["link_gone"])

    page.goto("/province-port/apply")
    send_as_is(page, "form[action='/province-port/apply']")
    assert_in_language(page, language, words["required"])


@pytest.mark.parametrize("language", ["zh", "en"])
def test_signed_in_forms_empty_and_wrong_speak_the_page_language(portal, visitor, language):
    words = WORDS[language]
    operator = in_language(portal, visitor, language)
    sign_in(operator, *OPERATOR)
    operator.goto("/operator/staff")
    send_as_is(operator, "form[action='/operator/staff']")
    assert_in_language(operator, language, words["required"])
    operator.fill("#f-email", "no-at-sign")
    send_as_is(operator, "form[action='/operator/staff']")
    assert_in_language(operator, language, words["email"])

    operator.goto("/operator/rounds")
    send_as_is(operator, "form[action='/operator/rounds']")
    assert_in_language(operator, language)

    enterprise = in_language(portal, visitor, language)
    address = new_email(f"words-{language}")
    register(enterprise, "言语测试科技有限公司", new_uscc(), address)
    send_as_is(enterprise, "form[action='/register']")
    expect(enterprise.locator(".flash-success")).to_be_visible()
    enterprise.goto("/enterprise/members")
    send_as_is(enterprise, "form[action='/enterprise/members']")
    assert_in_language(enterprise, language, words["required"])

    # A document sent without its file, and verification asked for before the documents.
    enterprise.goto("/enterprise")
    send_as_is(enterprise, "form[action='/enterprise/documents']")
    assert_in_language(enterprise, language, WORDS[language]["file"])
    enterprise.locator("form[action='/enterprise/verification'] button[type=submit]").click()
    expect(enterprise.locator(".error-summary")).to_contain_text(WORDS[language]["documents"])
    assert_in_language(enterprise, language)
