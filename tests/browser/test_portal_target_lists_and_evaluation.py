"""Target lists and the year-end evaluation in the portal: the operator uploads a list as a
file (a bad row named by its row first, then an XLSX taken), reads the national evaluation —
live for this year, frozen with its date once `close-year` has run, with the live figures a
link away; a province admin uploads the province's own list (another province's organisation
refused), sees who on it has not filed by name, and reads the province's evaluation only."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    assert_every_control_labelled,
    create_staff,
    new_email,
    new_uscc,
    set_password_from_mail,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
YEAR = dt.date.today().year
CLOSED = YEAR - 2  # closed by hand here (the runner closes only last year, by itself)


def xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def upload_list(page, name: str, title: str, filename: str, content: bytes) -> None:
    page.fill("#f-name", name)
    page.fill("#f-title", title)
    page.set_input_files("#f-file", files=[{"name": filename, "mimeType": "application/octet-stream",
                                            "buffer": content}])
    page.click("#target-list-form button[type=submit]")


def test_the_operator_uploads_a_target_list_and_reads_the_evaluation_frozen_and_live(portal, visitor):
    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    operator.goto("/operator")
    operator.click("#target-lists-link")
    expect(operator.locator("h1")).to_have_text("目标名单")
    assert_every_control_labelled(operator)

    listed, never = new_uscc(), new_uscc()
    bad = f"统一社会信用代码,名称\n{listed},甲公司\n91440300MA5000000X,坏代码\n".encode()
    upload_list(operator, "advantage-gd", "国家知识产权优势企业（广东）", "名单.csv", bad)
    expect(operator.locator("#error-summary")).to_be_visible()
    expect(operator.locator("#file-errors tbody tr")).to_have_count(1)
    expect(operator.locator("#file-errors tbody tr td").first).to_have_text("3")  # the spreadsheet's row
    upload_list(operator, "advantage-gd", "国家知识产权优势企业（广东）", "名单.pdf", b"%PDF-1.7\n%%EOF\n")
    expect(operator.locator("#error-summary")).to_contain_text("XLSX 或 CSV")
    upload_list(operator, "advantage-gd", "国家知识产权优势企业（广东）", "名单.xlsx",
                xlsx([["统一社会信用代码", "名称"], [listed, "广东甲科技有限公司"], [never, "广东乙科技有限公司"]]))
    expect(operator.locator(".flash-success")).to_contain_text("名单 国家知识产权优势企业（广东） 已采用，共 2 家组织")
    expect(operator.locator("#target-lists")).to_contain_text("advantage-gd")
    portal.screenshot(operator, "operator-target-lists")

    # --- the year-end evaluation: live this year; a closed year frozen, with its date --------------
    operator.goto("/operator")
    operator.click("#evaluation-link")
    expect(operator.locator("h1")).to_contain_text(f"{YEAR} 年终评价")
    expect(operator.locator("#evaluation-state")).to_contain_text(f"{YEAR} 年度尚未封存")
    expect(operator.locator("#evaluation tbody tr")).to_have_count(32)
    expect(operator.locator("#evaluation")).to_contain_text("国家知识产权优势企业（广东）：已备案 0 / 共 2 家")
    assert_every_control_labelled(operator)
    closed = portal.close_year(CLOSED)
    assert closed.returncode == 0, closed.stderr
    assert f"{CLOSED}: evaluation frozen" in closed.stderr
    operator.select_option("#f-year", str(CLOSED))
    operator.click("main form.filters button[type=submit]")
    expect(operator.locator("#evaluation-state")).to_contain_text(f"{CLOSED} 年度已于")
    expect(operator.locator("#evaluation-state")).to_contain_text("封存：以下为封存时的数据，不再变化")
    portal.screenshot(operator, "operator-evaluation")
    operator.click("#evaluation-other")
    expect(operator.locator("#evaluation-state")).to_contain_text("此处显示的是当前实时数据")
    operator.goto("/language/en")
    operator.goto(f"/province/evaluation?year={CLOSED}")
    expect(operator.locator("h1")).to_contain_text(f"Year-end evaluation {CLOSED}")
    expect(operator.locator("#evaluation-state")).to_contain_text(f"The year {CLOSED} was closed on")


def test_a_province_admin_uploads_the_provinces_own_list_and_reads_its_evaluation(portal, visitor):
    operator, admin = visitor().new_page(), visitor().new_page()
    sign_in(operator, *OPERATOR)
    address = new_email("guangdong-lists")
    create_staff(operator, address, "province_admin", "440000")
    set_password_from_mail(portal, admin, address)
    sign_in(admin, address)

    admin.goto("/province")
    admin.click("#province-target-lists-link")
    expect(admin.locator("#province-name")).to_have_text("广东省")
    assert_every_control_labelled(admin)
    beijing = "91110108MA0" + new_uscc()[11:17]
    from stdnum.cn import uscc as stdnum_uscc

    beijing += stdnum_uscc.calc_check_digit(beijing)
    own = new_uscc()
    upload_list(admin, "srdi-gd", "广东省专精特新中小企业", "名单.csv",
                f"{own},广东丙科技有限公司\n{beijing},北京某公司\n".encode())
    expect(admin.locator("#error-summary")).to_contain_text("本省名单只能包含本省的组织")
    upload_list(admin, "srdi-gd", "广东省专精特新中小企业", "名单.csv", f"{own},广东丙科技有限公司\n".encode())
    expect(admin.locator(".flash-success")).to_contain_text("共 1 家组织")
    section = admin.locator("section[aria-labelledby=coverage-title]")
    expect(section).to_contain_text("广东省专精特新中小企业（srdi-gd）")
    expect(section.locator("table.not-filed").last).to_contain_text("广东丙科技有限公司")
    portal.screenshot(admin, "province-target-lists")

    admin.goto("/province")
    admin.click("#evaluation-link")
    expect(admin.locator("#evaluation tbody tr")).to_have_count(1)
    expect(admin.locator("#evaluation tbody tr th")).to_have_text("广东省")
    expect(admin.locator("#evaluation")).to_contain_text("广东省专精特新中小企业：已备案 0 / 共 1 家")
    expect(admin.locator("#f-province")).to_have_count(0)  # an admin reads their own province only
    assert admin.goto("/province/evaluation?province=110000&year=2021").status == 200
    expect(admin.locator("#evaluation tbody tr th")).to_have_text("广东省")


def test_an_operator_revokes_a_filing_with_a_reason_and_the_owner_is_mailed(portal, visitor):
    from tests.browser.people import file_a_product, reload_until
    from tests.browser.test_portal_annual_update import mail_about

    enterprise, product_url, address, model = file_a_product(portal, visitor, OPERATOR)
    enterprise.goto(product_url)
    number = enterprise.locator("#filing-number").text_content().strip()
    operator = visitor().new_page()
    sign_in(operator, *OPERATOR)
    reload_until(operator, "/province?province=440000", "#province-products", number)
    operator.get_by_role("link", name=f"撤销 {number}").click()
    expect(operator.locator("h1")).to_have_text("撤销备案")
    expect(operator.locator("#revocation-product")).to_contain_text(model)
    assert_every_control_labelled(operator)
    operator.get_by_role("button", name="下一步：确认撤销").click()  # no reason: the API names the field
    expect(operator.locator("#error-summary")).to_be_visible()
    expect(operator.locator("#f-reason")).to_have_attribute("aria-invalid", "true")
    operator.fill("#f-reason", "该产品涉及专利权属纠纷，经核实备案依据不成立。")
    operator.get_by_role("button", name="下一步：确认撤销").click()
    expect(operator.locator("#revocation-confirm")).to_contain_text(f"备案号 {number}")
    expect(operator.locator("#confirm-reason")).to_have_text("该产品涉及专利权属纠纷，经核实备案依据不成立。")
    portal.screenshot(operator, "operator-revocation")
    operator.click("#revocation-confirm-button")
    expect(operator.locator(".flash-success")).to_contain_text(f"备案 {number} 已撤销")
    expect(operator.locator("#product-status")).to_contain_text("已撤销")
    expect(operator.locator("#closing-reason")).to_contain_text("专利权属纠纷")
    expect(operator.locator("#revocation-form")).to_have_count(0)
    mail = mail_about(portal, address, "产品备案已被撤销")
    assert number in str(mail["Subject"])
