"""The filing certificate (备案证明): the PDF a product owner downloads once a product is filed.

One A4 page (more when a product declares many patents or has very long names): the filing
number, the product and its owner, the declared patents, and a QR code of the public
verification URL, so whoever is shown a printed certificate can check it is genuine.

The PDF embeds (a subset of) a CJK TrueType font when the machine has one; otherwise it uses
reportlab's built-in STSong-Light CID font, which is not embedded and which PDF readers replace
with a font of their own (fine on screen, unreliable in print and for archiving).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from filing.domain.certificates import CertificateContent, CertificatePatent
from platform_shared.labels import PATENT_KIND, PATENT_RELATION, label

log = logging.getLogger(__name__)

__all__ = ["CertificateContent", "CertificateFont", "CertificatePatent", "PdfCertificates", "render_certificate"]

TITLE = "专利产品备案证明"
TITLE_EN = "Patent Product Filing Certificate"
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
# A font that maps none of these renders the certificate as boxes: refuse it when configured.
_PROBE_CHARACTERS = "专利备案证明"


_fonts: dict[tuple[str, int], CertificateFont] = {}
_fonts_lock = threading.Lock()
_fallback_warned = False


@dataclass(frozen=True)
class CertificateFont:
    """The CJK font a certificate is set in: its registered reportlab name, and whether it is embedded."""

    name: str
    embedded: bool
    path: str | None = None

    @classmethod
    def find(cls, configured: str | None) -> CertificateFont:
        """The configured font (`path` or `path#index` of a .ttc subfont), else a known Debian one.

        A configured font that cannot be used raises ValueError: an operator who names a font
        wants that font, not a silent substitute. Without one, the first known font installed
        is used, and failing all, the non-embedded STSong-Light (with a warning, once).
        """
        if configured:
            path, index = _split_subfont(configured)
            if not os.path.isfile(path):
                raise ValueError(f"certificate font {path!r} does not exist (or is not a file)")
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


def _register_truetype(path: str, index: int) -> CertificateFont:
    key = (os.path.realpath(path), index)
    with _fonts_lock:
        if key in _fonts:
            return _fonts[key]
        # reportlab's font registry is global: a name unique to the file keeps two fonts with the
        # same file name in different directories apart.
        stem = os.path.splitext(os.path.basename(key[0]))[0]
        digest = hashlib.sha1(f"{key[0]}#{index}".encode(), usedforsecurity=False).hexdigest()[:8]
        name = f"Certificate-{stem}-{index}-{digest}"
        try:
            ttfont = TTFont(name, key[0], subfontIndex=index)
        except (TTFError, OSError, ValueError, IndexError, KeyError) as exc:
            raise ValueError(f"certificate font {path!r} (subfont {index}) is not a usable TrueType font: {exc}") \
                from exc
        char_to_glyph = ttfont.face.charToGlyph
        if not all(ord(char) in char_to_glyph for char in _PROBE_CHARACTERS):
            raise ValueError(f"certificate font {path!r} (subfont {index}) has no Chinese characters")
        pdfmetrics.registerFont(ttfont)
        font = CertificateFont(name=name, embedded=True, path=key[0])
        _fonts[key] = font
        return font


def _register_fallback() -> CertificateFont:
    global _fallback_warned
    with _fonts_lock:
        if not _fallback_warned:
            _fallback_warned = True
            log.warning(
                "no CJK TrueType font found (looked for %s); certificates use the built-in %s, which is not "
                "embedded and is replaced by whatever the PDF reader has: install the Debian package "
                "fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or configure a .ttf/.ttc font",
                ", ".join(path for path, _, _ in KNOWN_FONTS), FALLBACK_FONT)
        if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return CertificateFont(name=FALLBACK_FONT, embedded=False, path=None)


# --- rendering ---------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 36 * mm
QR_SIZE = 40 * mm
# Keep each QR module at least this big, so that dense codes (long URLs) still scan once printed.
QR_MIN_MODULE = 0.5 * mm
QR_MAX_SIZE = 80 * mm

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#8c1c13")  # the red of official seals, for the rules only
GRID = colors.HexColor("#b0b0b0")
HEADER_FILL = colors.HexColor("#f0ece4")


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    title_en: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    section: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    url: ParagraphStyle
    note: ParagraphStyle


def _styles(font_name: str) -> _Styles:
    # wordWrap="CJK" lets lines break between any two characters: Chinese has no spaces, and
    # neither have URLs or long model numbers.
    base = ParagraphStyle("certificate", fontName=font_name, fontSize=10.5, leading=15, textColor=INK,
                          wordWrap="CJK")
    return _Styles(
        title=ParagraphStyle("title", parent=base, fontSize=24, leading=32, alignment=TA_CENTER),
        title_en=ParagraphStyle("title_en", parent=base, fontSize=11, leading=15, alignment=TA_CENTER,
                                textColor=MUTED),
        label=ParagraphStyle("label", parent=base, textColor=MUTED),
        value=base,
        section=ParagraphStyle("section", parent=base, fontSize=13, leading=18, spaceBefore=6, spaceAfter=6),
        cell=ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
        cell_head=ParagraphStyle("cell_head", parent=base, fontSize=9.5, leading=13),
        url=ParagraphStyle("url", parent=base, fontSize=8, leading=11, alignment=TA_CENTER, textColor=MUTED),
        note=ParagraphStyle("note", parent=base, fontSize=9.5, leading=14, alignment=TA_CENTER),
    )


def _text(value: str) -> str:
    """User text as Paragraph markup that shows it literally (names like `<b>A&B</b>` exist)."""
    return escape(value) if value.strip() else EMPTY


def _date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


class _QrCode(Flowable):  # type: ignore[misc]  # reportlab is untyped: Flowable is Any
    """The QR code of the verification URL, itself a link to it."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.widget = _qr_widget(url)
        modules = self.widget.qr.getModuleCount() + 2 * self.widget.barBorder
        self.size = min(max(QR_SIZE, modules * QR_MIN_MODULE), QR_MAX_SIZE)
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        # The modules drawn as squares straight on the canvas: reportlab's drawing renderer would
        # set its default font (Helvetica, unembedded) on the page for a picture without text.
        qr, border = self.widget.qr, self.widget.barBorder
        count = qr.getModuleCount()
        cell = self.size / (count + 2 * border)
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        for row in range(count):
            for column in range(count):
                if qr.isDark(row, column):
                    self.canv.rect((column + border) * cell, (count - 1 - row + border) * cell, cell, cell,
                                   stroke=0, fill=1)
        self.canv.restoreState()
        self.canv.linkURL(self.url, (0, 0, self.size, self.size), relative=1, thickness=0)


def _qr_widget(url: str) -> QrCodeWidget:
    # Level M survives a smudged print; only a URL too long for it falls back to level L.
    last_error: Exception | None = None
    for level in ("M", "L"):
        widget = QrCodeWidget(url, barLevel=level, barBorder=4)
        try:
            widget.qr.make()
        except Exception as exc:  # noqa: BLE001 - the encoder signals an overflow with a bare Exception
            last_error = exc
            continue
        return widget
    raise ValueError(f"the verification URL ({len(url)} characters) is too long for a QR code") from last_error


def _details(content: CertificateContent, styles: _Styles) -> Table:
    rows: list[tuple[str, str]] = [
        ("备案号", escape(content.filing_number)),
        ("产品名称", _text(content.product_name)),
        ("品牌", _text(content.brand)),
        ("型号", _text(content.model)),
        ("规格/型号变体", "、".join(escape(v) for v in content.variants if v.strip()) or EMPTY),
        ("所属产业领域", _text(content.industry)),
        ("备案主体", _text(content.organisation_name)),
    ]
    if content.organisation_uscc:
        rows.append(("统一社会信用代码", escape(content.organisation_uscc)))
    rows.append(("备案日期", _date(content.filed_on)))
    data = [[Paragraph(label, styles.label), Paragraph(value, styles.value)] for label, value in rows]
    # splitInRow: a value too long for what is left of the page continues on the next one
    # instead of failing the layout.
    table = Table(data, colWidths=[LABEL_WIDTH, FRAME_WIDTH - LABEL_WIDTH], hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
        # A table's cells start in Helvetica (reportlab's default), which would be listed unembedded.
        ("FONTNAME", (0, 0), (-1, -1), styles.value.fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, GRID),
    ]))
    return table


def _patents(patents: tuple[CertificatePatent, ...], styles: _Styles) -> Flowable:
    if not patents:
        return Paragraph("（未声明专利）", styles.value)
    widths = [12 * mm, 38 * mm, 20 * mm, 20 * mm]
    widths.append(FRAME_WIDTH - sum(widths))
    head = [Paragraph(text, styles.cell_head) for text in ("序号", "专利号/申请号", "专利类型", "权利关系", "专利名称")]
    data: list[list[Flowable]] = [head]
    for position, patent in enumerate(patents, start=1):
        data.append([
            Paragraph(str(position), styles.cell),
            Paragraph(escape(patent.number), styles.cell),
            # An unknown kind or relation is shown as given rather than failing the whole certificate.
            Paragraph(escape(label(PATENT_KIND, patent.kind)), styles.cell),
            Paragraph(escape(label(PATENT_RELATION, patent.relation)), styles.cell),
            Paragraph(_text(patent.title), styles.cell),
        ])
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _verification(url: str, styles: _Styles) -> Flowable:
    href = escape(url, {'"': "&quot;"})
    return KeepTogether([
        Spacer(1, 8 * mm),
        _QrCode(url),
        Spacer(1, 2 * mm),
        Paragraph(f'<link href="{href}">{escape(url)}</link>', styles.url),
        Spacer(1, 2 * mm),
        Paragraph("扫码或访问上述地址核验本备案的真实性", styles.note),
    ])


def _page_decorations(content: CertificateContent, font_name: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        # A double frame, as printed certificates have, inside the margins.
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1.2)
        canvas.rect(10 * mm, 10 * mm, PAGE_WIDTH - 20 * mm, PAGE_HEIGHT - 20 * mm)
        canvas.setLineWidth(0.4)
        canvas.rect(12 * mm, 12 * mm, PAGE_WIDTH - 24 * mm, PAGE_HEIGHT - 24 * mm)
        # Every page names its filing number, so a loose second page still says what it belongs to.
        canvas.setFont(font_name, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 14.5 * mm, f"{AUTHOR}　备案号 {content.filing_number}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 14.5 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    return decorate


class _Rule(Flowable):  # type: ignore[misc]  # reportlab is untyped: Flowable is Any
    """The double rule under the title."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, 3

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(1.2)
        self.canv.line(0, 3, self.width, 3)
        self.canv.setLineWidth(0.4)
        self.canv.line(0, 0, self.width, 0)


def render_certificate(content: CertificateContent, font: CertificateFont) -> bytes:
    """The certificate of a filed product as PDF bytes (A4, one page unless the content needs more)."""
    styles = _styles(font.name)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + 2 * mm,
        title=f"{TITLE} {content.filing_number}", author=AUTHOR, subject=TITLE_EN, creator=AUTHOR,
        # reportlab's canvas starts every page in Helvetica, which would then be listed in the
        # page's fonts unembedded: start it in the certificate's own (embedded) font instead.
        initialFontName=font.name,
    )
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        Paragraph(TITLE, styles.title),
        Paragraph(TITLE_EN, styles.title_en),
        Spacer(1, 4 * mm),
        _Rule(),
        Spacer(1, 5 * mm),
        _details(content, styles),
        Spacer(1, 6 * mm),
        Paragraph("声明专利", styles.section),
        _patents(content.patents, styles),
        _verification(content.verification_url, styles),
    ]
    decorate = _page_decorations(content, font.name)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


@dataclass(frozen=True)
class PdfCertificates:
    """The certificate renderer filing's handlers are given: PDF in `font`."""

    font: CertificateFont

    def render(self, content: CertificateContent) -> bytes:
        return render_certificate(content, self.font)
