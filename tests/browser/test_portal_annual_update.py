"""The year after filing, as the enterprise lives it in the portal: on its filed product's page
the annual update (the window's dates shown; this platform's window is open all year, see
conftest), its figures given with a field error first, the years' figures read-only; the opt-in
to this year's recognition; the confirmation mails of both arriving (to the enterprise's address,
in Chinese, linking the product's page); and the cancellation, which asks for a reason and a
confirmation before anything is sent."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import assert_every_control_labelled, file_a_product
from tests.support.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
YEAR = dt.date.today().year


def mail_about(portal, address: str, subject_part: str):
    def found():
        return next((m for m in portal.mails_to(address) if subject_part in " ".join(str(m["Subject"]).split())),
                    None)

    return wait_until(found, 20, f"a mail to {address} about {subject_part}", portal.server.tail)


def test_the_enterprise_updates_its_figures_opts_in_hears_of_both_and_cancels(portal, visitor):
    enterprise, product_url, address, model = file_a_product(portal, visitor, OPERATOR)
    product_id = product_url.rstrip("/").rsplit("/", 1)[1]

    # --- the annual update: the window's dates, the year's figures given (a wrong one first) --------
    enterprise.goto(product_url)
    expect(enterprise.locator("#annual-window")).to_contain_text(f"{YEAR - 1} 年度经济数据的年度更新期："
                                                                 f"{YEAR}-01-01 至 {YEAR}-12-31")
    expect(enterprise.locator("#economic-years")).to_contain_text("1000000.00")  # given at filing, read-only
    expect(enterprise.locator("#economic-years input")).to_have_count(0)
    assert_every_control_labelled(enterprise)
    portal.screenshot(enterprise, "annual-update")
    enterprise.fill("#f-sales_revenue", "十万")
    enterprise.fill("#f-sales_volume", "25")
    enterprise.get_by_role("button", name="提交年度数据").click()
    expect(enterprise.locator("#error-summary")).to_be_visible()
    expect(enterprise.locator("#f-sales_revenue")).to_have_attribute("aria-invalid", "true")
    expect(enterprise.locator(".field:has(#f-sales_revenue) .error")).to_be_visible()
    expect(enterprise.locator("#f-sales_volume")).to_have_value("25")  # what was typed stays
    enterprise.fill("#f-sales_revenue", "2,500,000.00")
    enterprise.fill("#f-ip_investment", "30000")
    enterprise.get_by_role("button", name="提交年度数据").click()
    expect(enterprise.locator(".flash-success")).to_contain_text(f"{YEAR - 1} 年度经济数据已提交")
    expect(enterprise.locator("#economic-years")).to_contain_text("2500000.00")
    expect(enterprise.locator("#annual-update")).to_contain_text("可修改后再次提交")

    # --- the opt-in to this year's recognition ---------------------------------------------------------
    enterprise.select_option("#f-year", str(YEAR))
    enterprise.select_option("#f-opt_in", "true")
    enterprise.get_by_role("button", name="保存选择").click()
    expect(enterprise.locator(".flash-success")).to_contain_text("已申请参加认定")
    expect(enterprise.locator("#opt-in-choices")).to_contain_text(f"{YEAR} 年度：参加")
    portal.screenshot(enterprise, "annual-update-done")

    # --- both confirmed by mail, with the product's page ------------------------------------------------
    updated = mail_about(portal, address, f"年度数据已更新：数控机床 {model}（{YEAR - 1}年度）")
    opted = mail_about(portal, address, f"已申请参加 {YEAR} 年度专利密集型产品认定：数控机床 {model}")
    for mail in (updated, opted):
        assert address in str(mail["To"])
        text = mail.get_body(preferencelist=("plain",)).get_content()
        assert f"{portal.url}/enterprise/products/{product_id}" in text
    assert "销售收入（元）：2500000.00" in updated.get_body(preferencelist=("plain",)).get_content()

    # --- cancellation: a reason, then a confirmation ------------------------------------------------------
    enterprise.goto(product_url)
    enterprise.get_by_role("button", name="下一步：确认注销").click()  # no reason: the API names the field
    expect(enterprise.locator("#f-reason")).to_have_attribute("aria-invalid", "true")
    enterprise.fill("#f-reason", "产品已退市")
    enterprise.get_by_role("button", name="下一步：确认注销").click()
    expect(enterprise.locator("h1")).to_have_text("确认注销备案")
    expect(enterprise.locator("#cancel-reason")).to_have_text("产品已退市")
    expect(enterprise.locator("#product-status")).to_have_count(0)
    enterprise.get_by_role("button", name="确认注销").click()
    expect(enterprise.locator(".flash-success")).to_contain_text("备案已注销")
    expect(enterprise.locator("#product-status")).to_have_text(re.compile("注销"))
    expect(enterprise.locator("#annual-update")).to_have_count(0)
