"""The platform's PDF kit (platform_shared.pdf): which CJK font documents are set in, and the
fallback when the machine has none. The documents themselves are tested by their services."""

from __future__ import annotations

import io
import logging

import pypdf
import pytest
from reportlab.platypus import Paragraph, SimpleDocTemplate

from platform_shared import pdf
from platform_shared.pdf import PdfFont

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def font() -> PdfFont:
    return PdfFont.find(None)


def one_paragraph(font: PdfFont, words: str) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, initialFontName=font.name).build([Paragraph(words, pdf.base_style(font.name))])
    return buffer.getvalue()


def test_a_missing_configured_font_is_an_error_naming_it():
    with pytest.raises(ValueError, match="/nonexistent.ttf"):
        PdfFont.find("/nonexistent.ttf")


def test_a_configured_file_that_is_no_font_is_an_error_naming_it(tmp_path):
    path = tmp_path / "font.ttf"
    path.write_bytes(b"not a font at all" * 100)

    with pytest.raises(ValueError, match="font.ttf"):
        PdfFont.find(str(path))


def test_finding_the_same_font_twice_gives_the_same_font(font):
    again = PdfFont.find(None)

    assert again == font
    if font.path:
        assert PdfFont.find(font.path) == font
        assert PdfFont.find(f"{font.path}#0") == font


def test_without_a_cjk_font_the_builtin_one_is_used_with_one_warning(monkeypatch, caplog):
    monkeypatch.setattr(pdf, "KNOWN_FONTS", (("/nonexistent/wqy-microhei.ttc", 0, "fonts-wqy-microhei"),))
    monkeypatch.setattr(pdf, "_fallback_warned", False)

    with caplog.at_level(logging.WARNING, logger=pdf.__name__):
        first = PdfFont.find(None)
        second = PdfFont.find(None)

    assert first == second
    assert (first.name, first.embedded) == ("STSong-Light", False)
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "fonts-wqy-microhei" in warnings[0]
    text = pypdf.PdfReader(io.BytesIO(one_paragraph(first, "华为技术有限公司"))).pages[0].extract_text()
    assert "华为技术有限公司" in text


def test_the_fallback_font_is_not_used_when_a_debian_font_exists(font):
    if not font.embedded:
        pytest.skip("no Debian CJK TrueType font on this machine")
    assert font.name != "STSong-Light"
    assert font.path in [path for path, _, _ in pdf.KNOWN_FONTS]


def test_user_text_is_shown_literally_and_empty_text_as_a_dash():
    assert pdf.text("<b>A&B</b>") == "&lt;b&gt;A&amp;B&lt;/b&gt;"
    assert pdf.text("  ") == pdf.EMPTY
