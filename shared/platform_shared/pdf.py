"""The platform's PDF kit: the embedded CJK font, escaping, dates and a base style, for every
document the services render with reportlab (filing certificates, identity's forms, the portal's
operation manual).

Only packages that declare reportlab import this module (filing, identity, portal): the library
itself does not depend on it, so the services that never render a PDF do not carry it.

A document embeds (a subset of) a CJK TrueType font when the machine has one; otherwise it uses
reportlab's built-in STSong-Light CID font, which is not embedded and which PDF readers replace
with a font of their own (fine on screen, unreliable in print and for archiving).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from typing import IO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

log = logging.getLogger(__name__)

AUTHOR = "专利产品备案平台"

# Debian's CJK TrueType fonts, most suitable first, with the package that installs each.
# (fonts-noto-cjk is not here: its .ttc files have PostScript outlines, which reportlab cannot embed.)
KNOWN_FONTS: tuple[tuple[str, int, str], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "fonts-wqy-microhei"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming"),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "fonts-arphic-ukai"),
)
FALLBACK_FONT = "STSong-Light"
EMPTY = "—"
# A font that maps none of these renders a document as boxes: refuse it when configured.
_PROBE_CHARACTERS = "专利备案证明"

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#8c1c13")  # the red of official seals, for rules and frames only
GRID = colors.HexColor("#b0b0b0")
HEADER_FILL = colors.HexColor("#f0ece4")

_fonts: dict[tuple[str, int], PdfFont] = {}
_fonts_lock = threading.Lock()
_fallback_warned = False


@dataclass(frozen=True)
class PdfFont:
    """The CJK font a document is set in: its registered reportlab name, and whether it is embedded."""

    name: str
    embedded: bool
    path: str | None = None

    @classmethod
    def find(cls, configured: str | None) -> PdfFont:
        """The configured font (`path` or `path#index` of a .ttc subfont), else a known Debian one.

        A configured font that cannot be used raises ValueError: an operator who names a font
        wants that font, not a silent substitute. Without one, the first known font installed
        is used, and failing all, the non-embedded STSong-Light (with a warning, once).
        """
        if configured:
            path, index = _split_subfont(configured)
            if not os.path.isfile(path):
                raise ValueError(f"PDF font {path!r} does not exist (or is not a file)")
            return _register_truetype(path, index)
        for path, index, package in KNOWN_FONTS:
            if not os.path.isfile(path):
                continue
            try:
                return _register_truetype(path, index)
            except ValueError as exc:
                # A broken install of one font should not stop us from trying the next.
                log.warning("skipping the CJK font of %s: %s", package, exc)
        return _register_fallback()


def _split_subfont(configured: str) -> tuple[str, int]:
    path, sep, index = configured.rpartition("#")
    # Only a trailing "#<digits>" selects a subfont; any other "#" belongs to the file name.
    if sep and path and index.isdigit():
        return path, int(index)
    return configured, 0


def _register_truetype(path: str, index: int) -> PdfFont:
    key = (os.path.realpath(path), index)
    with _fonts_lock:
        if key in _fonts:
            return _fonts[key]
        # reportlab's font registry is global: a name unique to the file keeps two fonts with the
        # same file name in different directories apart.
        stem = os.path.splitext(os.path.basename(key[0]))[0]
        digest = hashlib.sha1(f"{key[0]}#{index}".encode(), usedforsecurity=False).hexdigest()[:8]
        name = f"Platform-{stem}-{index}-{digest}"
        try:
            ttfont = TTFont(name, key[0], subfontIndex=index)
        except (TTFError, OSError, ValueError, IndexError, KeyError) as exc:
            raise ValueError(f"PDF font {path!r} (subfont {index}) is not a usable TrueType font: {exc}") from exc
        char_to_glyph = ttfont.face.charToGlyph
        if not all(ord(char) in char_to_glyph for char in _PROBE_CHARACTERS):
            raise ValueError(f"PDF font {path!r} (subfont {index}) has no Chinese characters")
        pdfmetrics.registerFont(ttfont)
        font = PdfFont(name=name, embedded=True, path=key[0])
        _fonts[key] = font
        return font


def _register_fallback() -> PdfFont:
    global _fallback_warned
    with _fonts_lock:
        if not _fallback_warned:
            _fallback_warned = True
            log.warning(
                "no CJK TrueType font found (looked for %s); PDFs use the built-in %s, which is not "
                "embedded and is replaced by whatever the PDF reader has: install the Debian package "
                "fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or configure a .ttf/.ttc font",
                ", ".join(path for path, _, _ in KNOWN_FONTS), FALLBACK_FONT)
        if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return PdfFont(name=FALLBACK_FONT, embedded=False, path=None)


def a4_document(sink: IO[bytes], font: PdfFont, *, margin: float, title: str, subject: str | None = None,
                bottom_margin: float | None = None) -> SimpleDocTemplate:
    """An A4 document of the platform (its author, `title`, `subject`) written to `sink`."""
    return SimpleDocTemplate(
        sink, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin if bottom_margin is None else bottom_margin,
        title=title, subject=subject, author=AUTHOR, creator=AUTHOR,
        # reportlab's canvas starts every page in Helvetica, which would then be listed in the
        # page's fonts unembedded: start it in the document's own (embedded) font instead.
        initialFontName=font.name)


def base_style(font_name: str) -> ParagraphStyle:
    """Body text in the document's font. wordWrap="CJK" lets lines break between any two
    characters: Chinese has no spaces, and neither have URLs or long model numbers."""
    return ParagraphStyle("platform", fontName=font_name, fontSize=10.5, leading=15, textColor=INK, wordWrap="CJK")


def text(value: str) -> str:
    """User text as Paragraph markup that shows it literally (names like `<b>A&B</b>` exist)."""
    return escape(value) if value.strip() else EMPTY


def chinese_date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def label_table(rows: list[list[object]], widths: list[float], font_name: str) -> Table:
    """Label/value rows under thin rules; a value too long for the page continues on the next."""
    table = Table(rows, colWidths=widths, hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
        # A table's cells start in Helvetica (reportlab's default), which would be listed unembedded.
        ("FONTNAME", (0, 0), (-1, -1), font_name),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, GRID),
    ]))
    return table
