"""identity's forms as PDF (identity.adapters.forms), read back as a reader would (pypdf): the
commitment letter says who commits to what and where to sign and stamp; the province-port
application form carries attachment 3's fields, prefilled; both embed every font they use."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from identity.adapters.forms import render_commitment_letter, render_port_application_form
from identity.domain.forms import COMMITMENTS, PORT_FORM_LABELS, CommitmentLetter, PortApplicationFormContent
from platform_shared.pdf import PdfFont

pytestmark = pytest.mark.unit

LETTER = CommitmentLetter(organisation_name="华为技术有限公司", uscc="914403001922038216",
                          legal_representative_name="赵明路", dated=dt.date(2026, 12, 8))
FORM = PortApplicationFormContent(province_name="西藏自治区", office_name="西藏自治区知识产权局",
                                  contact_name="次仁多吉", contact_title="处长", contact_phone="0891-6833333",
                                  contact_email="ciren@example.cn")


@pytest.fixture(scope="module")
def font() -> PdfFont:
    return PdfFont.find(None)


def squeezed_text(pdf: bytes) -> str:
    """The text without whitespace, so that values wrapped over several lines read as one."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def assert_every_font_embedded(pdf: bytes) -> None:
    """As `pdffonts` would list them: no Helvetica or other font left to the reader."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts
    for listed in fonts:
        descriptor = listed.get("/FontDescriptor") or listed["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")), \
            f"{listed['/BaseFont']} is not embedded"


def test_the_commitment_letter_names_the_organisation_its_code_representative_and_date(font):
    pdf = render_commitment_letter(LETTER, font)
    text = squeezed_text(pdf)

    assert pdf.startswith(b"%PDF-") and len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "诚信承诺书" in text
    for value in ("华为技术有限公司", "914403001922038216", "赵明路", "2026年12月8日"):
        assert value in text, value
    # Every commitment, in full, and the places to sign and stamp.
    for commitment in COMMITMENTS:
        assert "".join(commitment.split()) in text
    assert "法定代表人（签字）" in text and "单位公章" in text


def test_the_port_application_form_has_attachment_3s_fields_filled_for_the_office(font):
    pdf = render_port_application_form(FORM, font)
    text = squeezed_text(pdf)

    assert "附件3" in text and "省级管理端口" in text
    for label in PORT_FORM_LABELS:
        assert label in text, label
    for value in ("西藏自治区知识产权局", "西藏自治区", "次仁多吉", "处长", "0891-6833333", "ciren@example.cn"):
        assert value in text, value
    assert "负责人（签字）" in text and "单位公章" in text


def test_a_form_without_a_contact_leaves_its_lines_blank(font):
    text = squeezed_text(render_port_application_form(
        PortApplicationFormContent(province_name="青海省", office_name="青海省知识产权局"), font))

    assert "青海省知识产权局" in text and "联系人" in text and "次仁多吉" not in text


@pytest.mark.parametrize("render", [lambda font: render_commitment_letter(LETTER, font),
                                    lambda font: render_port_application_form(FORM, font)])
def test_every_font_of_the_forms_is_embedded(font, render):
    if not font.embedded:
        pytest.skip("no Debian CJK TrueType font on this machine (install fonts-wqy-microhei)")
    assert_every_font_embedded(render(font))


def test_markup_in_typed_names_is_shown_literally(font):
    letter = CommitmentLetter(organisation_name="<b>A&B</b>科技有限公司", uscc="914403001922038216",
                              legal_representative_name="<i>张</i>", dated=dt.date(2026, 1, 2))
    text = squeezed_text(render_commitment_letter(letter, font))
    form = squeezed_text(render_port_application_form(
        PortApplicationFormContent(province_name="青海省", office_name="<font size=40>局</font>"), font))

    assert "<b>A&B</b>科技有限公司" in text and "<i>张</i>" in text and "2026年1月2日" in text
    assert "<fontsize=40>局</font>" in form
