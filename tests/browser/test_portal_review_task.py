"""What the reviewer must see of an organisation, in a real browser, in Chinese and in English:
the data to check against the licence (legal representative, the ID number masked until revealed
— and the reveal audited by identity —, address, contact, the USCC's category beside the declared
kind), the documents shown inside the page, the confirmation step before a final decision, what
changed since a rejection (with its reasons beside), and the page on a 390-px wide phone."""

from __future__ import annotations

import struct
import zlib

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    PDF,
    claim_and_open,
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

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
MASKED, FULL = "110105********002X", "11010519491231002X"


def png(red: int) -> bytes:
    """A real 2x2 PNG (a browser decodes it: naturalWidth 2), of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([red, 0, 0]) * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def fits_390(page: Page) -> None:
    """At 390 CSS pixels wide nothing makes the page scroll sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide at a 390-px viewport"
    page.set_viewport_size({"width": 1280, "height": 900})


def check_row(page: Page, path: str):
    return page.locator(f"#check-{path.replace('.', '-')}")


def test_the_reviewer_checks_an_organisation_against_its_licence_and_sees_what_changed(portal, visitor):
    operator, enterprise = visitor().new_page(), visitor().new_page()
    reviewer_context = visitor()
    reviewer = reviewer_context.new_page()
    sign_in(operator, *OPERATOR)
    reviewer_email = new_email("checker")
    create_staff(operator, reviewer_email, "reviewer")
    set_password_from_mail(portal, reviewer, reviewer_email)
    sign_in(reviewer, reviewer_email)

    # --- an enterprise registers, uploads a licence (an image) and a commitment (a PDF), asks ----------
    name = f"深圳核对测试{new_uscc()[-4:]}科技有限公司"
    uscc, email = new_uscc(), new_email("checked")
    register(enterprise, name, uscc, email)
    enterprise.click("form button[type=submit]")
    expect(enterprise.locator(".flash-success")).to_contain_text("注册成功")
    upload(enterprise, "business_license", "营业执照.png", png(200), "image/png")
    upload(enterprise, "integrity_commitment", "诚信承诺书.pdf", PDF, "application/pdf")
    enterprise.click("section[aria-labelledby=verification-title] button[type=submit]")
    expect(enterprise.locator("#organisation-status")).to_have_text("审核中")

    # --- the reviewer sees what to check, in words ----------------------------------------------------
    claim_and_open(reviewer, name)
    task_url = reviewer.url
    expect(reviewer.locator("#snapshot-title")).to_have_text("核对事项（对照营业执照）")
    expect(check_row(reviewer, "legal_representative.name")).to_contain_text("赵明路")
    expect(check_row(reviewer, "legal_representative.id_number")).to_contain_text(MASKED)
    expect(check_row(reviewer, "address")).to_contain_text("深圳市南山区科技园")
    expect(check_row(reviewer, "contact.name")).to_contain_text("张三")
    expect(check_row(reviewer, "contact.phone")).to_contain_text("13800138000")
    expect(check_row(reviewer, "contact.email")).to_contain_text(email)
    expect(check_row(reviewer, "province_code")).to_contain_text("广东省")
    expect(check_row(reviewer, "uscc")).to_contain_text("代码类别：企业（91）")
    expect(check_row(reviewer, "kind")).to_contain_text("企业")
    expect(check_row(reviewer, "kind")).to_contain_text("与代码类别企业（91）相符")
    expect(reviewer.locator("#check-kind .flag")).to_have_count(0)
    # No digests, ids or media types where words belong.
    page_text = reviewer.locator("main").inner_text()
    assert "sha256" not in page_text and "image/png" not in page_text and FULL not in page_text

    # --- the documents are shown in the page ---------------------------------------------------------
    licence = reviewer.locator("img.document-view[alt=营业执照]")
    expect(licence).to_be_visible()
    assert reviewer.evaluate("img => img.complete && img.naturalWidth", licence.element_handle()) == 2
    pdf_link = reviewer.locator("li.document", has_text="诚信承诺书").locator("a.view-inline")
    expect(pdf_link).to_have_attribute("target", "_blank")
    shown = reviewer_context.request.get(portal.url + pdf_link.get_attribute("href"))
    assert shown.status == 200 and shown.body() == PDF
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline")
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in shown.headers["content-security-policy"]
    image = reviewer_context.request.get(portal.url + licence.get_attribute("src"))
    assert image.headers["content-security-policy"].startswith("sandbox")
    portal.screenshot(reviewer, "review-organisation-what-to-check")

    # --- the full ID number on request (identity audits it) -------------------------------------------
    reviewer.get_by_role("button", name="显示完整号码").click()
    expect(check_row(reviewer, "legal_representative.id_number")).to_contain_text(FULL)
    expect(check_row(reviewer, "legal_representative.id_number")).to_contain_text("已记入审计日志")
    reviewer.goto(task_url)  # it is not kept: the next page shows the masked number again
    expect(check_row(reviewer, "legal_representative.id_number")).not_to_contain_text(FULL)

    # --- the page fits a phone ------------------------------------------------------------------------
    fits_390(reviewer)

    # --- a rejection is not sent before the reviewer ticks that everything was checked ----------------
    reason = "营业执照扫描件不清晰，请重新上传"
    reviewer.check("#f-outcome-reject")
    reviewer.select_option("#f-reasons-0-field", "documents.business_license")
    reviewer.fill("#f-reasons-0-message", reason)
    reviewer.click("section[aria-labelledby=decide-title] form button[type=submit]")
    expect(reviewer.locator("#error-summary")).to_contain_text("请先勾选")
    expect(reviewer.locator("#f-checked")).to_have_attribute("aria-invalid", "true")
    expect(reviewer.locator("#task-state")).to_contain_text("已领取")
    expect(reviewer.locator("#f-outcome-reject")).to_be_checked()  # what was chosen is kept
    portal.screenshot(reviewer, "review-confirmation-required")
    decide(reviewer, "reject", [("documents.business_license", reason)])

    # --- the enterprise uploads a new licence and asks again; the reviewer sees what changed ---------
    reload_until(enterprise, "/enterprise", "#organisation-status", "未通过")
    upload(enterprise, "business_license", "营业执照-清晰.png", png(20), "image/png")
    enterprise.click("section[aria-labelledby=verification-title] button[type=submit]")
    expect(enterprise.locator("#organisation-status")).to_have_text("审核中")
    claim_and_open(reviewer, name)
    changes = reviewer.locator("#changes")
    expect(reviewer.locator("#changes-title")).to_have_text("与上次审核时相比的修改")
    expect(reviewer.locator("section.changes")).to_contain_text("上次审核结论：不予通过")
    changed = changes.locator("tbody tr")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("营业执照")
    expect(changed).to_contain_text("原文件")
    expect(changed).to_contain_text("新文件")
    expect(changed).to_contain_text(reason)  # the reason given beside what it asked to change
    portal.screenshot(reviewer, "review-changes-since-rejection")
    fits_390(reviewer)

    # --- the same page in English -------------------------------------------------------------------
    reviewer_context.add_cookies([{"name": "lang", "value": "en", "url": portal.url}])
    reviewer.reload()
    expect(reviewer.locator("html")).to_have_attribute("lang", "en")
    expect(reviewer.locator("#snapshot-title")).to_have_text("What to check (against the business licence)")
    expect(check_row(reviewer, "uscc")).to_contain_text("Code category: enterprise (91)")
    expect(check_row(reviewer, "kind")).to_contain_text("fits the code's category enterprise (91)")
    expect(check_row(reviewer, "legal_representative.id_number")).to_contain_text(MASKED)
    expect(check_row(reviewer, "legal_representative.name")).to_contain_text("赵明路")
    expect(reviewer.locator("#changes-title")).to_have_text("Changed since the previous review")
    expect(changed).to_contain_text("new file")
    expect(reviewer.get_by_label("I have checked the submission")).not_to_be_checked()
    reviewer.get_by_role("button", name="Reveal the full number").click()
    expect(check_row(reviewer, "legal_representative.id_number")).to_contain_text(FULL)
    fits_390(reviewer)
    portal.screenshot(reviewer, "review-task-english")
    reviewer.check("#f-outcome-approve")
    reviewer.click("section[aria-labelledby=decide-title] form button[type=submit]")
    expect(reviewer.locator("#error-summary")).to_contain_text("Tick")
    reviewer.check("#f-outcome-approve")
    reviewer.check("#f-checked")
    reviewer.click("section[aria-labelledby=decide-title] form button[type=submit]")
    expect(reviewer.locator(".flash-success")).to_be_visible()
    reload_until(enterprise, "/enterprise", "#organisation-status", "已认证")
