"""An amendment (变更) of a filed product, as the enterprise and a reviewer live it in the portal,
in Chinese: on the filed product's page (version 1) "申请变更" opens the amendment; a new variant
and a newly granted patent are added (a mistyped patent number named at its field first); the
amendment is submitted while the product stays filed as it was; a reviewer sees each field before
and after, confirms the patents and approves; the product is at version 2 with the same filing
number, the certificate and the public verification say so, and the organisation is mailed."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import OPERATOR
from tests.browser.people import (
    PDF,
    assert_every_control_labelled,
    claim_and_open,
    confirm_unverified_patents,
    create_staff,
    decide,
    file_a_product,
    new_email,
    reload_until,
    set_password_from_mail,
    sign_in,
)
from tests.support.processes import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
NEW_PATENT = "202010566088.9"


def test_amend_review_approve_and_the_certificate_says_version_2(portal, visitor):
    enterprise, product_url, address, _model = file_a_product(portal, visitor, OPERATOR)
    number = enterprise.locator("#filing-number").inner_text().strip()

    # --- the enterprise opens an amendment of its filed product ---------------------------------------
    enterprise.goto(product_url)
    expect(enterprise.locator("#product-edition")).to_contain_text("第1版")
    enterprise.locator("#amend").click()
    expect(enterprise.locator(".flash-success")).to_contain_text("已创建变更申请")
    expect(enterprise.locator("#amendment-status")).to_have_text("草稿")
    amendment_url = enterprise.url
    assert_every_control_labelled(enterprise)
    enterprise.fill("#f-variants", "标准版\n高配版")
    enterprise.fill("#f-patents-1-number", "2020105660889")  # no dot, no check character: named at its field
    enterprise.locator("#submit-amendment").click()
    expect(enterprise.locator("#error-summary")).to_be_visible()
    expect(enterprise.locator("#f-patents-1-number")).to_have_attribute("aria-invalid", "true")
    expect(enterprise.locator("#f-variants")).to_have_value("标准版\n高配版")  # what was typed stays
    enterprise.fill("#f-patents-1-number", f"ZL{NEW_PATENT}")
    # The new patent's certificate, uploaded to the amendment (what was typed is saved first).
    enterprise.select_option("#f-material-kind", "patent_certificate")
    enterprise.set_input_files("#f-material-file", files=[{"name": "新专利证书.pdf", "mimeType": "application/pdf",
                                                            "buffer": PDF}])
    enterprise.get_by_role("button", name="上传材料").click()
    expect(enterprise.locator(".flash-success")).to_be_visible()
    expect(enterprise.locator("section[aria-labelledby=materials-title]")).to_contain_text("新专利证书.pdf")
    expect(enterprise.locator("#f-patents-1-number")).to_have_value(NEW_PATENT)  # saved, normalised
    enterprise.locator("#submit-amendment").click()
    expect(enterprise.locator(".flash-success")).to_contain_text("变更申请已提交审核")
    expect(enterprise.locator("#amendment-status")).to_have_text("审核中")
    portal.screenshot(enterprise, "amendment-submitted")

    # The product stays filed as it was, and says an amendment is under review.
    enterprise.goto(product_url)
    expect(enterprise.locator("#product-status")).to_contain_text("已备案")
    expect(enterprise.locator("#product-edition")).to_contain_text("第1版")
    expect(enterprise.locator("#amendment")).to_contain_text("审核中")
    expect(enterprise.locator("#amend")).to_have_count(0)  # one open amendment at a time

    # --- a reviewer sees before and after, confirms the patents, approves -----------------------------
    operator, reviewer = visitor().new_page(), visitor().new_page()
    sign_in(operator, *OPERATOR)
    reviewer_email = new_email("amendreviewer")
    create_staff(operator, reviewer_email, "reviewer")
    set_password_from_mail(portal, reviewer, reviewer_email)
    sign_in(reviewer, reviewer_email)
    claim_and_open(reviewer, number)
    expect(reviewer.locator("h1")).to_contain_text("备案变更审核")
    changes = reviewer.locator("#amendment-changes")
    expect(changes).to_contain_text("高配版")
    expect(changes).to_contain_text(NEW_PATENT)
    expect(changes).to_contain_text("专利证书")  # the material added, by its kind
    portal.screenshot(reviewer, "amendment-review")
    confirm_unverified_patents(reviewer)
    decide(reviewer, "approve")

    # --- version 2: the same number, the new state, on the certificate and the public verification ----
    reload_until(enterprise, product_url, "#product-edition", "第2版")
    expect(enterprise.locator("#filing-number")).to_have_text(number)
    expect(enterprise.locator("#f-variants")).to_have_value("标准版\n高配版")
    enterprise.goto(amendment_url)
    expect(enterprise.locator("#amendment-status")).to_have_text("已批准")
    pdf = enterprise.request.get(product_url.rstrip("/") + "/certificate")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "version 2" in text and number in text and NEW_PATENT in text
    visitor_page = visitor().new_page()
    visitor_page.goto(f"/verify?number={number}")
    expect(visitor_page.locator("#filing-edition")).to_contain_text("第2版")
    expect(visitor_page.locator("#verify-result")).to_contain_text("备案真实有效")

    def approved_mail():
        return next((m for m in portal.mails_to(address) if "备案变更已批准" in " ".join(str(m["Subject"]).split())),
                    None)

    mail = wait_until(approved_mail, 20, "the mail of the approved amendment", portal.server.tail)
    assert re.search(r"第2版", str(mail["Subject"])) and number in str(mail["Subject"])
