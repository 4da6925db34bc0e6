"""A forgotten password and a changed one, as people do it in the portal (issue 17, part 1): the
reset page says the same for every address, the mailed link sets a new password, a change needs
the current one, and each ends the other sign-ins and is mailed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.people import PASSWORD, new_email, new_uscc, register, sign_in
from tests.support.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
NEW = "a fresh and long pass phrase"
NEWER = "another fresh pass phrase"


def test_forgotten_then_changed_password(portal, visitor):
    page = visitor().new_page()
    address = new_email("forgot")
    register(page, "忘记密码测试科技有限公司", new_uscc(), address)
    page.click("form[action='/register'] button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    stranger = visitor().new_page()
    stranger.goto("/login")
    stranger.click("#forgot-password")
    stranger.fill("#f-email", new_email("nobody"))
    stranger.click("#password-reset-form button[type=submit]")
    told_stranger = stranger.locator(".flash-success").inner_text()
    stranger.goto("/password-reset")
    stranger.fill("#f-email", address)
    stranger.click("#password-reset-form button[type=submit]")
    expect(stranger.locator(".flash-success")).to_have_text(told_stranger)  # the same words for both
    assert "如果该邮箱有账号" in told_stranger

    link = portal.password_link(address)
    stranger.goto(link)
    stranger.fill("#f-password", "password")
    stranger.fill("#f-password_again", "password")
    stranger.click("#password-setup-form button[type=submit]")
    expect(stranger.locator(".field:has(#f-password) .error")).to_contain_text("12")
    stranger.goto(link)
    stranger.fill("#f-password", NEW)
    stranger.fill("#f-password_again", NEW)
    stranger.click("#password-setup-form button[type=submit]")
    expect(stranger.locator(".flash-success")).to_contain_text("密码已设置")

    # (That every other sign-in's refresh token died is proved through the API:
    # tests/integration/test_password_reset_api.py; its access token lives out its minutes.)
    page = visitor().new_page()
    sign_in(page, address, NEW)
    page.click("#change-password")
    page.fill("#f-current_password", PASSWORD)
    page.fill("#f-new_password", NEWER)
    page.fill("#f-new_password_again", NEWER)
    page.click("#change-password-form button[type=submit]")
    expect(page.locator(".field:has(#f-current_password) .error")).to_have_text("错误：当前密码不正确。")
    page.fill("#f-current_password", NEW)
    page.fill("#f-new_password", NEWER)
    page.fill("#f-new_password_again", NEWER)
    page.click("#change-password-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("密码已修改")
    page.goto("/enterprise")  # this session goes on with the new pair
    expect(page.locator("header .who")).to_contain_text(address)

    def changed_mails() -> list[str]:
        return [str(m["Subject"]) for m in portal.mails_to(address) if "密码已更改" in str(m["Subject"])]

    wait_until(lambda: len(changed_mails()) == 2 or None, 20, "two password-changed mails", portal.server.tail)


def test_mail_settings_choose_the_language_and_only_a_reviewer_gets_new_task_mail(portal, visitor):
    from tests.browser.conftest import OPERATOR
    from tests.browser.people import create_staff, set_password_from_mail

    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    reviewer_email = new_email("mail-settings")
    create_staff(operator, reviewer_email, "reviewer")
    reviewer = visitor().new_page()
    set_password_from_mail(portal, reviewer, reviewer_email)
    sign_in(reviewer, reviewer_email)
    reviewer.click("#mail-settings")
    expect(reviewer.locator("#f-new_review_tasks")).not_to_be_checked()
    reviewer.check("#f-language-en")
    reviewer.check("#f-new_review_tasks")
    reviewer.click("#mail-settings-form button[type=submit]")
    expect(reviewer.locator(".flash-success")).to_contain_text("邮件设置已保存")
    reviewer.reload()
    expect(reviewer.locator("#f-language-en")).to_be_checked()
    expect(reviewer.locator("#f-new_review_tasks")).to_be_checked()

    operator.click("#mail-settings")  # not a reviewer: no new-task mail to ask for
    expect(operator.locator("#f-language-zh")).to_be_visible()
    expect(operator.locator("#f-new_review_tasks")).to_have_count(0)
