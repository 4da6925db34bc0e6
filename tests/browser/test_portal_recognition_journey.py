"""A recognition round in a real browser (Debian's Chromium driven by Playwright), against the
platform as the README starts it: two enterprises file a product each and take part in next
year's recognition; the operator opens a round over their field, is told which benchmarks cannot
be derived (too few products) and gives them per field on the round page, evaluates (one product
falls short of the dependence benchmark) and publishes; the other organisation reads the public
notice and objects to the listed product with two evidence files; the owner reads the objection
(never who raised it); the operator downloads the evidence and upholds it; finalisation waits for
the notice to end; the owner reads the outcome — and each mail arrives in the sink: the notice
(to the owner, and to the organisation not proposed with the indicator that fell short), the
objection, its decision (to the objector and the owner), the outcome.

Two steps are not a person's: taking part in the recognition is asked through filing's API with
the filer's own sign-in (its page is another part of the work), and the end of the notice is
brought forward in review's database (as the API tests move review's clock): a notice must end
after the day it starts, and nobody waits a day.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    PDF,
    PNG,
    assert_every_control_labelled,
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
from tests.support.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
TODAY = dt.date.today()
YEAR = TODAY.year + 1  # judged on this year's figures; filing takes opt-ins for this year and the next
FIELD = "06"  # no other browser test files a product in it
INDICATORS = ("economic_benefit", "protection_strength", "value_contribution", "dependence")


def verified_enterprise(enterprise: Page, reviewer: Page, name: str) -> str:
    """An organisation registered, documented and verified through the pages; its address."""
    address = new_email("recognition")
    register(enterprise, name, new_uscc(), address)
    enterprise.click("form button[type=submit]")
    expect(enterprise.locator(".flash-success")).to_contain_text("注册成功")
    upload(enterprise, "business_license", "营业执照.pdf", PDF, "application/pdf")
    upload(enterprise, "integrity_commitment", "诚信承诺书.png", PNG, "image/png")
    enterprise.click("section[aria-labelledby=verification-title] button[type=submit]")
    expect(enterprise.locator(".flash-success")).to_contain_text("已提交实名认证申请")
    claim_and_open(reviewer, name)
    decide(reviewer, "approve")
    reload_until(enterprise, "/enterprise", "#organisation-status", "已认证")
    return address


def file_and_opt_in(portal, context, page: Page, reviewer: Page, name: str, model: str, patent: str, *,
                    ip_investment: str) -> str:
    """A product filed through the pages (the reviewer approves it) with the last full year's and
    this year's figures, opted in to `YEAR`'s recognition with the filer's own sign-in; its id."""
    page.goto("/enterprise/products/new")
    page.fill("#f-name", name)
    page.fill("#f-brand", "巡天")
    page.fill("#f-model", model)
    page.select_option("#f-industry_code", FIELD)
    page.fill("#f-economic_data-0-year", str(TODAY.year - 1))  # the last full year, which filing asks for
    page.fill("#f-economic_data-0-sales_revenue", "5000000.00")
    page.fill("#f-economic_data-0-sales_volume", "100")
    page.fill("#f-economic_data-1-year", str(TODAY.year))  # the data year the round judges
    page.fill("#f-economic_data-1-sales_revenue", "8000000.00")
    page.fill("#f-economic_data-1-sales_volume", "120")
    page.fill("#f-economic_data-1-ip_investment", ip_investment)
    page.fill("#f-patents-0-number", patent)
    page.select_option("#f-patents-0-relation", "owner")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".flash-success")).to_contain_text("已提交审核")
    product_url = page.url
    claim_and_open(reviewer, model)
    confirm_unverified_patents(reviewer)
    decide(reviewer, "approve")
    reload_until(page, product_url, "#product-status", "已备案")
    product_id = product_url.rstrip("/").rsplit("/", 1)[1]
    access = portal.session_of(context)["auth"]["access"]
    opted = requests.put(f"{portal.url}/api/v1/filing/products/{product_id}/recognition-opt-in",
                         json={"year": YEAR, "opt_in": True}, headers={"Authorization": f"Bearer {access}"},
                         timeout=10)
    assert opted.status_code == 200, opted.text
    return product_id


def mail_to(portal, address: str, subject_part: str):
    """The newest mail to `address` whose subject says `subject_part`, once it arrived."""

    def arrived():
        found = [m for m in portal.mails_to(address) if subject_part in str(m["Subject"])]
        return found[-1] if found else None

    return wait_until(arrived, 20, f"a mail to {address} about {subject_part}", portal.server.tail)


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_round_is_opened_evaluated_published_objected_to_decided_and_finalised(portal, visitor):
    owner_context, objector_context = visitor(), visitor()
    operator, reviewer, owner, objector = (visitor().new_page(), visitor().new_page(), owner_context.new_page(),
                                           objector_context.new_page())

    # --- a reviewer, and two verified organisations -------------------------------------------------------
    sign_in(operator, *OPERATOR)
    reviewer_email = new_email("reviewer")
    create_staff(operator, reviewer_email, "reviewer")
    set_password_from_mail(portal, reviewer, reviewer_email)
    sign_in(reviewer, reviewer_email)
    tag = new_uscc()[-4:]
    owner_name, objector_name = f"认定产品{tag}科技有限公司", f"异议方{tag}科技有限公司"
    owner_email = verified_enterprise(owner, reviewer, owner_name)
    objector_email = verified_enterprise(objector, reviewer, objector_name)

    # --- each files a product with this year's figures and takes part in next year's round; the objector's
    # invests too little in IP to reach the dependence benchmark the operator will give ---------------------
    model = f"RC-{new_uscc()[-6:]}"
    product_id = file_and_opt_in(portal, owner_context, owner, reviewer, "智能巡检机器人", model, "ZL201911050262.8",
                                 ip_investment="800000.00")
    short_model = f"SF-{new_uscc()[-6:]}"
    file_and_opt_in(portal, objector_context, objector, reviewer, "管道检测仪", short_model, "ZL201710601862.3",
                    ip_investment="100000.00")

    # --- the operator opens the round over the product's field ---------------------------------------------
    operator.goto("/operator/rounds")
    operator.fill("#f-year", str(YEAR))
    operator.fill("#f-cut_off", (TODAY + dt.timedelta(days=1)).isoformat())
    operator.check(f"#f-fields-{FIELD}")
    operator.get_by_role("button", name="开启").click()
    expect(operator.locator(".flash-success")).to_contain_text("认定轮次已开启")
    expect(operator.locator("#round-state")).to_have_text("已开启")
    round_url = operator.url
    round_id = round_url.rstrip("/").rsplit("/", 1)[1]
    assert_every_control_labelled(operator)

    # --- evaluated without benchmarks: one product cannot give a field's benchmark, so each is asked for ------
    def asked_for_benchmarks() -> bool:
        operator.goto(round_url)
        operator.locator("#evaluate-round button[type=submit]").click()
        return operator.locator("#error-summary").count() > 0  # review heard of the opt-in

    wait_until(asked_for_benchmarks, 30, "review hearing of the opt-in", portal.server.tail, interval=0.5)
    expect(operator.locator("#error-summary")).to_contain_text("经济效益")
    expect(operator.locator(f"#f-benchmarks-{FIELD}-economic_benefit")).to_be_visible()
    portal.screenshot(operator, "round-benchmarks-asked")
    for indicator, value in zip(INDICATORS, ("1.00", "1.0", "1.00", "0.05"), strict=True):
        operator.fill(f"#f-benchmarks-{FIELD}-{indicator}", value)
    operator.locator("#evaluate-round button[type=submit]").click()
    expect(operator.locator(".flash-success")).to_contain_text("评价已完成")
    expect(operator.locator("#round-state")).to_have_text("已评价")
    expect(operator.locator("#benchmarks")).to_contain_text("运营人员给定")
    row = operator.locator("#results tbody tr", has_text=model)
    expect(row.locator("td").nth(3)).to_have_text("是")
    short = operator.locator("#results tbody tr", has_text=short_model)
    expect(short.locator("td").nth(3)).to_have_text("否")
    expect(short.locator("td").nth(4)).to_contain_text("dependence")
    expect(operator.locator(f"#f-benchmarks-{FIELD}-economic_benefit")).to_have_value("1.00")

    # --- and publishes the notice --------------------------------------------------------------------------
    ends = TODAY + dt.timedelta(days=7)
    operator.fill("#f-notice_ends_on", ends.isoformat())
    operator.get_by_role("button", name="开始公示").click()
    expect(operator.locator(".flash-success")).to_contain_text("公示已开始")
    expect(operator.locator("#round-state")).to_have_text("公示中")
    notice = mail_to(portal, owner_email, f"{YEAR}年度专利密集型产品认定公示")
    assert f"{portal.url}/notices/{round_id}" in body(notice) and model in body(notice)
    assert ends.isoformat() in body(notice) and "列入拟认定名单的产品" in body(notice)
    assert short_model not in body(notice)
    # The organisation that took part and was not proposed hears which indicator fell short.
    not_proposed = mail_to(portal, objector_email, f"{YEAR}年度专利密集型产品认定公示")
    assert re.search(rf"管道检测仪 {short_model}：产品竞争力对专利依赖度 0\.0125\d*，基准 0\.05", body(not_proposed)), \
        body(not_proposed)
    assert f"{portal.url}/notices/{round_id}" in body(not_proposed) and model not in body(not_proposed)

    # --- another organisation reads the notice and objects, with two evidence files ------------------------
    objector.goto("/notices")
    objector.locator("#notices a", has_text=f"{YEAR} 年度认定公示").first.click()
    expect(objector.locator("#notice-state")).to_contain_text("公示中")
    expect(objector.locator("#notice-products")).to_contain_text(owner_name)
    objector.get_by_role("link", name="对智能巡检机器人提出异议").click()
    expect(objector.locator("#f-product_id")).to_have_value(product_id)
    reasons = "该产品的核心专利已转让他人，权属存在争议"
    objector.fill("#f-reasons", reasons)
    objector.set_input_files("#f-evidence", files=[
        {"name": "转让合同.pdf", "mimeType": "application/pdf", "buffer": PDF},
        {"name": "登记簿截图.png", "mimeType": "image/png", "buffer": PNG}])
    assert_every_control_labelled(objector)
    portal.screenshot(objector, "objection-form")
    objector.get_by_role("button", name="提交异议").click()
    expect(objector.locator(".flash-success")).to_contain_text("附证据 2 个")
    mine = objector.locator("#raised tbody tr", has_text=model)
    expect(mine).to_contain_text(reasons)
    expect(mine).to_contain_text("待决定")
    expect(mine).to_contain_text("证据 2 个")

    # --- the owner hears of it and reads it, without who raised it --------------------------------------------
    raised = mail_to(portal, owner_email, "公示产品收到异议")
    assert reasons in body(raised) and f"{portal.url}/objections" in body(raised)
    assert objector_name not in body(raised) and objector_email not in body(raised)
    owner.goto("/objections")
    received = owner.locator("#received tbody tr", has_text=model)
    expect(received).to_contain_text(reasons)
    expect(received).to_contain_text("待决定")
    expect(owner.locator("main")).not_to_contain_text(objector_name)
    portal.screenshot(owner, "objections-received")

    # --- the operator downloads the evidence and upholds the objection ---------------------------------------
    operator.goto(round_url)
    expect(operator.locator("#pending-objections")).to_contain_text("1")
    section = operator.locator("section.objection", has_text=reasons)
    with operator.expect_download() as evidence:
        section.get_by_role("link", name="转让合同.pdf").click()
    assert evidence.value.path().read_bytes() == PDF
    section.get_by_label("异议成立：将产品移出名单").check()
    section.get_by_label("处理理由").fill("经核实，专利已于公示前转让，权属争议属实")
    assert_every_control_labelled(operator)
    portal.screenshot(operator, "round-objection")
    section.get_by_role("button", name="提交处理结果").click()
    expect(operator.locator(".flash-success")).to_contain_text("异议已处理")
    expect(operator.locator("section.objection", has_text=reasons)).to_contain_text("异议成立")
    removed = operator.locator("#results tbody tr", has_text=model).locator("td").nth(3)
    expect(removed).to_have_text("因异议成立移出名单")
    to_objector = mail_to(portal, objector_email, "您提出的异议成立")
    assert "经核实，专利已于公示前转让" in body(to_objector) and f"{portal.url}/objections" in body(to_objector)
    to_owner = mail_to(portal, owner_email, "公示产品的异议处理结果")
    assert "异议成立，该产品已移出拟认定名单" in body(to_owner) and objector_name not in body(to_owner)
    objector.goto("/objections")
    expect(objector.locator("#raised tbody tr", has_text=model)).to_contain_text("经核实，专利已于公示前转让")

    # --- finalisation waits for the notice to end; then the round is final ------------------------------------
    operator.get_by_role("button", name="完成认定").click()
    expect(operator.locator("#error-summary")).to_be_visible()
    with sqlite3.connect(portal.data_dir / "review.db") as db:  # the notice ended yesterday
        db.execute("UPDATE recognition_round SET notice_ends_on = ? WHERE id = ?",
                   ((TODAY - dt.timedelta(days=1)).isoformat(), round_id))
    operator.goto(round_url)
    operator.get_by_role("button", name="完成认定").click()
    expect(operator.locator(".flash-success")).to_contain_text("认定已完成")
    expect(operator.locator("#round-state")).to_have_text("已完成")

    # --- the owner reads the outcome -------------------------------------------------------------------------
    final = mail_to(portal, owner_email, f"{YEAR}年度专利密集型产品认定结果")
    assert re.search(rf"智能巡检机器人 {model}：公示期间的异议经核实成立", body(final)), body(final)
    assert f"{portal.url}/notices/{round_id}" in body(final)
    not_recognised = mail_to(portal, objector_email, f"{YEAR}年度专利密集型产品认定结果")
    assert f"管道检测仪 {short_model}：指标未达到所在产业领域的评价基准" in body(not_recognised)
    owner.goto(f"/notices/{round_id}")
    expect(owner.locator("#notice-state")).to_contain_text("已完成")
    expect(owner.locator("#notice-products")).not_to_contain_text(model)
    owner.goto("/objections")
    expect(owner.locator("#received tbody tr", has_text=model)).to_contain_text("异议成立")
    portal.screenshot(owner, "objections-outcome")
    owner.goto("/language/en?next=/objections")  # and in English
    expect(owner.locator("#received-title")).to_have_text("Objections to your products")
    expect(owner.locator("#received tbody tr", has_text=model)).to_contain_text("Upheld")
    owner.goto(f"/notices/{round_id}")
    expect(owner.locator("#notice-state")).to_contain_text("Finalised")
    expect(owner.locator("#notice-products")).to_contain_text("No product is listed.")
