"""What the people of the tests do in the portal, step by step, as a person would: through the
pages (labels, buttons), never through the API."""

from __future__ import annotations

import re
import secrets
import time
import uuid

from playwright.sync_api import Page, expect
from stdnum.cn import uscc as stdnum_uscc

PASSWORD = "correct horse battery staple"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def new_uscc() -> str:
    body = "91440300MA5" + "".join(secrets.choice(USCC_ALPHABET) for _ in range(6))
    return body + stdnum_uscc.calc_check_digit(body)


def new_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.cn"


def sign_in(page: Page, address: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("#f-email", address)
    page.fill("#f-password", password)
    page.click("form button[type=submit]")
    expect(page.locator("header .who")).to_contain_text(address)


def set_password_from_mail(portal, page: Page, address: str, password: str = PASSWORD, shot: str | None = None):
    """Open the mailed one-time link (the token travels in its #fragment) and choose a password."""
    link = portal.password_link(address)
    assert link.startswith(portal.url + "/password-setup#"), link
    page.goto(link)
    expect(page.locator("#f-token")).not_to_have_value("")  # filled from the fragment by the page
    assert "#" not in page.url  # and taken out of the address bar
    page.fill("#f-password", password)
    page.fill("#f-password_again", password)
    if shot:
        portal.screenshot(page, shot)
    page.click("#password-setup-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("密码已设置")


def create_staff(page: Page, address: str, role: str, province: str | None = None) -> None:
    page.goto("/operator/staff")
    page.fill("#f-email", address)
    page.select_option("#f-role", role)
    if province:
        page.select_option("#f-province_code", province)
    page.click("form.narrow button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text(address)
    expect(page.locator("#staff-list")).to_contain_text(address)


def register(page: Page, name: str, uscc: str, address: str) -> None:
    page.goto("/register")
    page.fill("#f-name", name)
    page.fill("#f-uscc", uscc)
    page.select_option("#f-kind", "enterprise")
    page.select_option("#f-province_code", "440000")
    page.fill("#f-city_code", "440300")
    page.fill("#f-address", "深圳市南山区科技园")
    page.fill("#f-legal_representative-name", "赵明路")
    page.fill("#f-legal_representative-id_number", "11010519491231002X")
    page.fill("#f-contact-name", "张三")
    page.fill("#f-contact-phone", "13800138000")
    page.fill("#f-contact-email", address)
    page.fill("#f-account-email", address)
    page.fill("#f-account-password", PASSWORD)


def upload(page: Page, kind: str, filename: str, content: bytes, media_type: str) -> None:
    page.select_option("#f-document-kind", kind)
    page.set_input_files("#f-file", files=[{"name": filename, "mimeType": media_type, "buffer": content}])
    page.click("form.upload button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()


def reload_until(page: Page, url: str, selector: str, text: str, seconds: float = 20) -> None:
    """Reload `url` until `selector` shows `text` (the services learn of each other by events)."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(url)
        if text in (page.locator(selector).first.text_content(timeout=5_000) or ""):
            return
        if time.monotonic() > deadline:
            expect(page.locator(selector).first).to_contain_text(text, timeout=1)
        time.sleep(0.3)


def claim_and_open(page: Page, title_part: str) -> None:
    """In the queue (open tasks, oldest first), claim the task whose title names `title_part`."""
    reload_until(page, "/review?state=open", "#queue tbody", title_part)
    row = page.locator("#queue tbody tr", has_text=title_part).first
    expect(row.locator("td").nth(3)).to_have_text(re.compile(r"\d+ 分钟"))  # its age
    row.get_by_role("button", name=re.compile("领取")).click()
    expect(page.locator(".flash-success")).to_contain_text("已领取")
    expect(page.locator("#task-state")).to_contain_text("已领取")


def decide(page: Page, outcome: str, reasons: list[tuple[str, str]] = ()) -> None:
    page.check(f"#f-outcome-{outcome}")
    for index, (path, message) in enumerate(reasons):
        page.select_option(f"#f-reasons-{index}-field", path)
        page.fill(f"#f-reasons-{index}-message", message)
    page.check("#f-checked")  # the confirmation step: checked item by item
    page.click("section[aria-labelledby=decide-title] form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("审核决定已提交")
    expect(page.locator("#task-state")).to_contain_text("已决定")


def confirm_unverified_patents(page: Page, note: str = "已对照专利证书核对") -> None:
    """Confirm each patent the register could not verify (all of them on the embedded default's
    checksum registry, which knows no holders), as a reviewer must before approving."""
    while page.locator("form.patent-confirm").count():
        form = page.locator("form.patent-confirm").first
        form.locator("textarea").fill(note)
        form.get_by_role("button", name="确认该专利").click()
        expect(page.locator(".flash-success")).to_contain_text("已确认该专利")


def assert_every_control_labelled(page: Page) -> None:
    """Every visible form control has a <label for> (or an aria-label) and the page its language."""
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll(
        'main input:not([type=hidden]), main select, main textarea'))
        .filter(el => !(el.id && document.querySelector('label[for="' + el.id + '"]'))
                      && !el.getAttribute('aria-label'))
        .map(el => el.name || el.outerHTML.slice(0, 80))""")
    assert unlabelled == [], f"controls without a label on {page.url}: {unlabelled}"
    assert page.locator("html").get_attribute("lang") in ("zh-CN", "en")


def file_a_product(portal, visitor, operator_credentials: tuple[str, str]) -> tuple[Page, str, str, str]:
    """An organisation registered, verified and with one product filed, through the pages: a new
    reviewer (made by the operator) approves both. Returns the enterprise's page (signed in), the
    product's URL, the enterprise's address and the product's model."""
    import datetime as dt

    operator, reviewer, enterprise = (visitor().new_page() for _ in range(3))
    sign_in(operator, *operator_credentials)
    reviewer_email = new_email("reviewer")
    create_staff(operator, reviewer_email, "reviewer")
    set_password_from_mail(portal, reviewer, reviewer_email)
    sign_in(reviewer, reviewer_email)

    name = f"深圳年度更新{new_uscc()[-4:]}科技有限公司"
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
    reload_until(enterprise, "/enterprise", "#organisation-status", "已认证")

    model = f"AU-{new_uscc()[-6:]}"
    enterprise.goto("/enterprise/products/new")
    enterprise.fill("#f-name", "数控机床")
    enterprise.fill("#f-brand", "华中")
    enterprise.fill("#f-model", model)
    enterprise.select_option("#f-industry_code", "03")
    enterprise.fill("#f-economic_data-0-year", str(dt.date.today().year - 1))
    enterprise.fill("#f-economic_data-0-sales_revenue", "1000000.00")
    enterprise.fill("#f-economic_data-0-sales_volume", "10")
    enterprise.fill("#f-patents-0-number", "ZL201911050262.8")
    enterprise.select_option("#f-patents-0-relation", "owner")
    enterprise.get_by_role("button", name="提交审核").click()
    expect(enterprise.locator("#product-status")).to_have_text("审核中")
    product_url = enterprise.url
    claim_and_open(reviewer, model)
    confirm_unverified_patents(reviewer)
    decide(reviewer, "approve")
    reload_until(enterprise, product_url, "#product-status", "已备案")
    for page in (operator, reviewer):
        page.close()
    return enterprise, product_url, address, model
