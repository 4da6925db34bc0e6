"""The filing certificate (备案证明): the PDF a product owner downloads once a product is filed.

One A4 page (more when a product declares many patents or has very long names): the filing
number, the product and its owner, the declared patents, and a QR code of the public
verification URL, so whoever is shown a printed certificate can check it is genuine.

The font, its embedding and its fallback are `platform_shared.pdf`'s.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from filing.domain.certificates import CertificateContent, CertificatePatent, edition_words
from platform_shared.labels import PATENT_KIND, PATENT_RELATION, label
from platform_shared.pdf import (
    AUTHOR,
    EMPTY,
    GRID,
    HEADER_FILL,
    MUTED,
    RULE,
    PdfFont,
    a4_document,
    base_style,
    chinese_date,
    label_table,
)
from platform_shared.pdf import text as _text

__all__ = ["CertificateContent", "CertificateFont", "CertificatePatent", "PdfCertificates", "render_certificate"]

TITLE = "专利产品备案证明"
TITLE_EN = "Patent Product Filing Certificate"


# The font kit is the platform's (identity's forms and the portal's manual use it too); the
# certificate's name for it stays, for the service's composition and its tests.
CertificateFont = PdfFont


# --- rendering ---------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 36 * mm
QR_SIZE = 40 * mm
# Keep each QR module at least this big, so that dense codes (long URLs) still scan once printed.
QR_MIN_MODULE = 0.5 * mm
QR_MAX_SIZE = 80 * mm



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
    base = base_style(font_name)
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
    rows.append(("备案日期", chinese_date(content.filed_on)))
    rows.append(("版本", escape(edition_words(content.edition, content.amended_on))))
    data = [[Paragraph(label, styles.label), Paragraph(value, styles.value)] for label, value in rows]
    return label_table(data, [LABEL_WIDTH, FRAME_WIDTH - LABEL_WIDTH], styles.value.fontName)


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
    doc = a4_document(buffer, font, margin=MARGIN, bottom_margin=MARGIN + 2 * mm,
                      title=f"{TITLE} {content.filing_number}", subject=TITLE_EN)
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
