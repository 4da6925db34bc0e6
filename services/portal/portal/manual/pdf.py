"""The operation manual as one PDF (reportlab, the platform's embedded CJK font): a title page
with the contents, then a chapter per role, each step with its screenshot."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from PIL import Image as PilImage
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from platform_shared.pdf import AUTHOR, GRID, MUTED, PdfFont, a4_document, base_style
from portal.manual import SCREENSHOTS, Manual, Step

MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
# A screenshot at most this tall on the page: a full-page capture of a long form is cut to its
# top by the screenshot script already; this keeps a tall one from taking a page of its own.
IMAGE_MAX_HEIGHT = 120 * mm


def _styles(font_name: str) -> dict[str, ParagraphStyle]:
    base = base_style(font_name)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=24, leading=32, alignment=TA_CENTER, spaceAfter=6),
        "lead": ParagraphStyle("lead", parent=base, fontSize=11, leading=17, textColor=MUTED, spaceAfter=10),
        "contents": ParagraphStyle("contents", parent=base, fontSize=12, leading=20, leftIndent=8 * mm),
        "chapter": ParagraphStyle("chapter", parent=base, fontSize=18, leading=24, spaceAfter=6),
        "step": ParagraphStyle("step", parent=base, fontSize=12.5, leading=18, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", parent=base, fontSize=10.5, leading=16, spaceAfter=4),
    }


def _screenshot(name: str) -> Flowable:
    path = SCREENSHOTS / name
    with PilImage.open(path) as picture:
        width, height = picture.size
    scale = min(FRAME_WIDTH / width, IMAGE_MAX_HEIGHT / height)
    image = Image(str(path), width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def _step(manual: Manual, number: int, step: Step, styles: dict[str, ParagraphStyle]) -> Flowable:
    title = f"{manual.step_label.format(number=number)}　{escape(step.title)}"
    parts: list[Flowable] = [Paragraph(title, styles["step"]), Paragraph(escape(step.text), styles["body"])]
    if step.image:
        parts += [Spacer(1, 2 * mm), _screenshot(step.image)]
    return KeepTogether(parts)


def render_manual(manual: Manual, font: PdfFont) -> bytes:
    """The whole manual in its language, as PDF bytes."""
    styles = _styles(font.name)
    story: list[Flowable] = [Spacer(1, 30 * mm), Paragraph(escape(manual.title), styles["title"]),
                             Paragraph(AUTHOR, ParagraphStyle("author", parent=styles["lead"], alignment=TA_CENTER)),
                             Spacer(1, 10 * mm), Paragraph(escape(manual.lead), styles["lead"]),
                             Paragraph(escape(manual.contents), styles["step"])]
    story += [Paragraph(f"{number}. {escape(chapter.title)}", styles["contents"])
              for number, chapter in enumerate(manual.chapters, start=1)]
    for number, chapter in enumerate(manual.chapters, start=1):
        story += [PageBreak(), Paragraph(f"{number}. {escape(chapter.title)}", styles["chapter"]),
                  Paragraph(escape(chapter.lead), styles["lead"])]
        story += [_step(manual, position, step, styles) for position, step in enumerate(chapter.steps, start=1)]

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.line(MARGIN, 12 * mm, A4[0] - MARGIN, 12 * mm)
        canvas.setFont(font.name, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 8 * mm, f"{AUTHOR} · {manual.title}")
        canvas.drawRightString(A4[0] - MARGIN, 8 * mm, str(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    a4_document(buffer, font, margin=MARGIN, title=f"{manual.title} — {AUTHOR}").build(
        story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
