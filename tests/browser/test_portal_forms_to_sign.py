"""The forms a filer signs, in the browser, in Chinese and English: an enterprise downloads its
commitment letter from its organisation page, a provincial office the application form
prefilled with what it typed on the apply page, and anyone reads the operation manual (its
pages, their screenshots, the one PDF) from the header. Every PDF is read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from playwright.sync_api import Page, expect

from tests.browser.people import new_email, new_uscc, register
from tests.support.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]
CHAPTERS = {"zh": ("企业与机构", "审核人员", "省级知识产权局", "运营人员"),
            "en": ("Enterprises and institutions", "Reviewers", "Provincial IP offices", "Operators")}


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def in_language(portal, visitor, language: str) -> Page:
    context = visitor("zh-CN" if language == "zh" else "en-GB")
    context.add_cookies([{"name": "lang", "value": language, "url": portal.url}])
    return context.new_page()


def beijing_today() -> str:
    today = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()
    return f"{today.year}年{today.month}月{today.day}日"


@pytest.mark.parametrize(("language", "link"), [("zh", "下载预填的诚信承诺书（PDF）"),
                                                ("en", "Download the commitment letter, prefilled (PDF)")])
def test_an_enterprise_downloads_its_commitment_letter_next_to_the_upload(portal, visitor, language, link):
    page = in_language(portal, visitor, language)
    uscc, address = new_uscc(), new_email("letter")
    name = f"承诺书浏览器测试{uscc[-6:]}有限公司"
    register(page, name, uscc, address)
    page.click("main form button[type=submit]")
    expect(page.locator("#organisation-status")).to_be_visible()

    letter = page.locator("#commitment-letter")
    expect(letter).to_have_text(link)
    # Offered where the letter is uploaded: in the documents' section, above its upload form.
    expect(page.locator("section[aria-labelledby=documents-title] #commitment-letter")).to_have_count(1)
    if language == "zh":
        portal.screenshot(page, "organisation-commitment-letter")
    with page.expect_download() as download:
        letter.click()
    assert download.value.suggested_filename == f"commitment-letter-{uscc}.pdf"
    text = text_of(download.value.path().read_bytes())
    for value in ("诚信承诺书", name, uscc, "赵明路", beijing_today(), "法定代表人（签字）", "单位公章"):
        assert value in text, value

    # The welcome mail leads to the same page, and to the manual's chapter for enterprises.
    welcome = wait_until(lambda: portal.mails_to(address), 20, f"the welcome mail to {address}", portal.server.tail)
    body = welcome[0].get_body(preferencelist=("plain",)).get_content()
    assert f"{portal.url}/enterprise" in body and f"{portal.url}/manual/enterprise" in body
    page.goto(f"{portal.url}/manual/enterprise")
    expect(page.locator("#manual-chapter")).to_contain_text(link)


@pytest.mark.parametrize(("language", "button"), [("zh", "下载预填的申请表（PDF）"),
                                                  ("en", "Download the application form, prefilled (PDF)")])
def test_an_office_downloads_the_application_form_prefilled_with_what_it_typed(portal, visitor, language, button):
    page = in_language(portal, visitor, language)
    page.goto("/province-port/apply")
    # Nothing typed yet: the page says what the form needs, in the page's language.
    page.get_by_role("button", name=button).click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).not_to_contain_text("Missing data")
    page.goto("/province-port/apply")  # afresh: the manual's picture shows the form, not these errors
    page.select_option("#f-province_code", "620000")
    page.fill("#f-office_name", "甘肃省知识产权局")
    page.fill("#f-contact-name", "马丽")
    page.fill("#f-contact-title", "副处长")
    page.fill("#f-contact-phone", "0931-8888888")
    page.fill("#f-contact-email", "mali@example.cn")
    if language == "zh":
        portal.screenshot(page, "port-apply-prefilled")
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    text = text_of(download.value.path().read_bytes())
    for value in ("附件3", "申请单位", "所属省级行政区", "联系人", "职务", "联系电话", "电子邮箱",
                  "甘肃省知识产权局", "甘肃省", "马丽", "副处长", "0931-8888888", "mali@example.cn"):
        assert value in text, value
    # The application itself was not sent: the page is still the form, filled in.
    expect(page.locator("#f-office_name")).to_have_value("甘肃省知识产权局")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_manual_opens_from_the_header_with_its_screenshots_and_as_one_pdf(portal, visitor, language):
    page = in_language(portal, visitor, language)
    page.goto("/")
    page.click("#nav-manual")
    expect(page.locator("h1")).to_have_text("操作手册" if language == "zh" else "Operation manual")
    expect(page.locator("footer a[href='/manual']")).to_have_count(1)
    contents = page.locator("#manual-contents li")
    expect(contents).to_have_count(4)
    for chapter in CHAPTERS[language]:
        expect(page.locator("#manual-contents")).to_contain_text(chapter)

    for index, chapter in enumerate(CHAPTERS[language]):
        page.goto("/manual")
        page.locator("#manual-contents li a").nth(index).click()
        expect(page.locator("#manual-chapter h1")).to_have_text(chapter)
        images = page.locator("#manual-chapter img")
        for position in range(images.count()):
            images.nth(position).scroll_into_view_if_needed()
            # Loaded, not a broken picture.
            assert images.nth(position).evaluate("i => i.complete && i.naturalWidth") == 1000
    if language == "zh":
        page.goto("/manual/enterprise")
        expect(page.locator("#manual-chapter")).to_contain_text("下载预填的诚信承诺书（PDF）")

    answer = page.request.get(f"{portal.url}/manual.pdf")
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(answer.body()))
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    for chapter in CHAPTERS[language]:
        assert "".join(chapter.split()) in text, chapter
    assert sum(len(p.images) for p in reader.pages) >= 10
