"""The products at risk (patents a re-check found lost) as operators and province admins reach
them: linked from the operator's home and the province's dashboard, in Chinese and English, the
province admin's own province only (the platform here runs the checksum register, which knows no
holders: no product is ever at risk on it, so the list says so; the marked list is tested end to
end in tests/integration/own_process/patent_rechecks.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    assert_every_control_labelled,
    create_staff,
    new_email,
    set_password_from_mail,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def test_operators_and_province_admins_reach_the_products_at_risk(portal, visitor):
    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    operator.goto("/operator")
    operator.click("#at-risk-link")
    expect(operator.locator("h1")).to_contain_text("专利存在风险的产品")
    expect(operator.locator("#products-at-risk")).to_contain_text("暂无存在风险的备案产品")
    assert_every_control_labelled(operator)
    operator.select_option("#f-province", "440000")
    operator.click("form.filters button[type=submit]")
    expect(operator.locator("#province-name")).to_have_text("广东省")
    portal.screenshot(operator, "operator-products-at-risk")

    english = visitor().new_page()
    sign_in(english, *OPERATOR)
    english.goto("/province/at-risk")
    english.get_by_role("link", name="English").click()
    expect(english.locator("h1")).to_contain_text("Products at risk")
    expect(english.locator("#products-at-risk")).to_contain_text("No filed product is at risk.")

    admin_email = new_email("at-risk-admin")
    create_staff(operator, admin_email, "province_admin", "110000")
    admin = visitor().new_page()
    set_password_from_mail(portal, admin, admin_email)
    sign_in(admin, admin_email)
    admin.goto("/province")
    expect(admin.locator("#suspended-total")).to_have_text("0")
    admin.click("#at-risk-link")
    expect(admin.locator("#province-name")).to_have_text("北京市")
    # Another province asked for in the address: still the admin's own.
    admin.goto("/province/at-risk?province=440000")
    expect(admin.locator("#province-name")).to_have_text("北京市")
    assert admin.locator("#f-province").count() == 0
