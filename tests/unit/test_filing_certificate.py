"""filing's certificate PDF (filing.adapters.certificate): its text, font, QR code and layout.

The PDFs are read back the way a reader would: text with pypdf, the page as pixels with
pypdfium2, the QR code with zxing-cpp.
"""

from __future__ import annotations

import datetime
import io

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from filing.adapters.certificate import CertificateContent, CertificateFont, CertificatePatent, render_certificate

pytestmark = pytest.mark.unit

URL = "https://beian.example.cn/verify/BA-2026-44-000123"


def content(**overrides) -> CertificateContent:
    fields = {
        "filing_number": "BA-2026-44-000123",
        "product_name": "智能手机",
        "brand": "华为 HUAWEI",
        "model": "Mate 70 Pro",
        "variants": ("雅川青 12GB+512GB", "曜石黑 12GB+256GB"),
        "industry": "01 信息通信技术制造业",
        "organisation_name": "华为技术有限公司",
        "organisation_uscc": "914403001922038216",
        "patents": (
            CertificatePatent("202010566088.9", "invention", "一种图像处理方法及电子设备", "owner"),
            CertificatePatent("202320123456.7", "utility_model", "", "licensee"),
        ),
        "filed_on": datetime.date(2026, 11, 28),
        "verification_url": URL,
    }
    fields.update(overrides)
    return CertificateContent(**fields)


@pytest.fixture(scope="module")
def font() -> CertificateFont:
    return CertificateFont.find(None)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    """The text without whitespace, so that values wrapped over several lines read as one."""
    return "".join(text.split())


def page_image(pdf: bytes, index: int = 0, scale: float = 3) -> Image.Image:
    return pdfium.PdfDocument(pdf)[index].render(scale=scale).to_pil()


def test_the_certificate_says_what_was_filed_by_whom(font):
    pdf = render_certificate(content(), font)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    for expected in ["专利产品备案证明", "BA-2026-44-000123", "智能手机", "华为 HUAWEI", "Mate 70 Pro",
                     "雅川青 12GB+512GB、曜石黑 12GB+256GB", "01 信息通信技术制造业", "华为技术有限公司",
                     "914403001922038216", "2026年11月28日", "202010566088.9", "202320123456.7", "发明", "实用新型",
                     "专利权人", "被许可人", "一种图像处理方法及电子设备", "扫码或访问上述地址核验本备案的真实性"]:
        assert expected in text
    assert reader.metadata.title == "专利产品备案证明 BA-2026-44-000123"
    assert reader.metadata.author == "专利产品备案平台"


def test_without_a_uscc_or_variants_their_lines_say_so(font):
    text = text_of(render_certificate(content(organisation_uscc=None, variants=()), font))

    assert "统一社会信用代码" not in text
    assert "规格/型号变体\n—" in text


def test_the_cjk_font_is_embedded(font):
    if not font.embedded:
        pytest.skip("no Debian CJK TrueType font on this machine (install fonts-wqy-microhei)")
    page = pypdf.PdfReader(io.BytesIO(render_certificate(content(), font))).pages[0]

    embedded = [f.get_object() for f in page["/Resources"]["/Font"].values()
                if "/FontFile2" in f.get_object().get("/FontDescriptor", {})]
    assert embedded, "no TrueType font file in the page's fonts"
    if "wqy-microhei" in (font.path or ""):
        assert any("WenQuanYi" in f["/BaseFont"] for f in embedded)


def test_every_font_of_the_certificate_is_embedded_none_left_to_the_reader(font):
    """As `pdffonts` would list them: no Helvetica or other base font the reader must supply
    (reportlab starts canvases and table cells in Helvetica unless told otherwise)."""
    if not font.embedded:
        pytest.skip("no Debian CJK TrueType font on this machine (install fonts-wqy-microhei)")
    reader = pypdf.PdfReader(io.BytesIO(render_certificate(content(), font)))
    fonts = [f.get_object() for page in reader.pages for f in page["/Resources"]["/Font"].values()]
    assert fonts
    for listed in fonts:
        descriptor = listed.get("/FontDescriptor") or listed["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")), \
            f"{listed['/BaseFont']} is not embedded"


def test_the_qr_code_scans_as_the_verification_url_which_is_also_a_link(font):
    pdf = render_certificate(content(), font)

    codes = zxingcpp.read_barcodes(page_image(pdf))
    assert [(code.format, code.text) for code in codes] == [(zxingcpp.BarcodeFormat.QRCode, URL)]
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    links = [(a["/A"]["/URI"], [float(v) for v in a["/Rect"]]) for a in (ref.get_object() for ref in page["/Annots"])
             if a["/Subtype"] == "/Link"]
    # The QR code itself is a link: a square one.
    assert any(uri == URL and abs((x1 - x0) - (y1 - y0)) < 1 and x1 - x0 > 50 for uri, (x0, y0, x1, y1) in links)
    assert URL in page.extract_text()


def test_markup_in_user_text_is_shown_literally(font):
    pdf = render_certificate(content(model="<b>A&B</b>", product_name="<i>手机</i> & <font size=40>x</font>",
                                     patents=(CertificatePatent("202010566088.9", "design", "<br/>&amp;", "owner"),)),
                             font)

    text = text_of(pdf)
    assert "<b>A&B</b>" in text
    assert "<i>手机</i> & <font size=40>x</font>" in text
    assert "<br/>&amp;" in text


def test_forty_patents_and_a_long_name_continue_on_further_pages_inside_the_page(font):
    kinds = ("invention", "utility_model", "design")
    patents = tuple(CertificatePatent(f"2020{index:08d}.{index % 10}", kinds[index % 3], "一种专利名称" * (index % 6),
                                      "owner") for index in range(40))
    name = ("超长产品名称" * 50)[:300]
    long_url = URL + "?" + "ref=certificate&" * 20
    pdf = render_certificate(content(product_name=name, patents=patents, verification_url=long_url), font)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = text_of(pdf)
    for patent in patents:
        assert patent.number in text
    assert name in squeezed(text)
    assert long_url in squeezed(text)
    codes = zxingcpp.read_barcodes(page_image(pdf, len(reader.pages) - 1))
    assert [code.text for code in codes] == [long_url]
    # Nothing is drawn between the paper's edge and the certificate's outer frame (10 mm in).
    for index in range(len(reader.pages)):
        image = page_image(pdf, index, scale=1).convert("L")
        width, height = image.size
        border = int(9 / 25.4 * 72)
        for box in [(0, 0, border, height), (width - border, 0, width, height), (0, 0, width, border),
                    (0, height - border, width, height)]:
            assert image.crop(box).getextrema()[0] > 240, f"something drawn outside the frame on page {index + 1}"


@pytest.mark.parametrize("where", ["product name", "patent title"])
def test_a_value_longer_than_a_page_continues_on_the_next_one(font, where):
    huge = "巨" * 4000
    if where == "product name":
        pdf = render_certificate(content(product_name=huge), font)
    else:
        pdf = render_certificate(content(patents=(CertificatePatent("202010566088.9", "invention", huge, "owner"),)),
                                 font)

    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 2
    # Split over pages (each starting with its footer's text), every character is still there.
    assert text_of(pdf).count("巨") == 4000


def test_an_unknown_patent_kind_or_relation_is_shown_as_given(font):
    text = text_of(render_certificate(content(patents=(CertificatePatent("202010566088.9", "plant", "", "agent"),)),
                                      font))

    assert "plant" in text and "agent" in text
