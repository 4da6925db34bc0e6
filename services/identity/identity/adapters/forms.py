"""identity's forms as PDF (reportlab, in the platform's embedded CJK font): the commitment
letter an organisation's legal representative signs and stamps, and the province-port
application form (attachment 3) a provincial IP office signs and stamps.

Both are A4, one page, with ruled lines to sign on and a box where the seal goes; what they say
is `identity.domain.forms`'.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from identity.domain.forms import (
    COMMITMENT_TITLE,
    COMMITMENT_TITLE_EN,
    COMMITMENTS,
    PORT_FORM_LABELS,
    PORT_FORM_REQUEST,
    PORT_FORM_TITLE,
    PORT_FORM_TITLE_EN,
    CommitmentLetter,
    PortApplicationFormContent,
)
from platform_shared.pdf import GRID, MUTED, RULE, PdfFont, a4_document, base_style, chinese_date, label_table, text

MARGIN = 22 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
LABEL_WIDTH = 40 * mm
STAMP_SIZE = 42 * mm  # an official round seal is 42 mm across (4.2 cm is the usual size)
BLANK = "_" * 18  # a line to write on by hand


class _StampBox(Flowable):  # type: ignore[misc]  # reportlab is untyped: Flowable is Any
    """A dashed square where the seal goes, labelled, at the right of the frame."""

    def __init__(self, label: str, font_name: str) -> None:
        super().__init__()
        self.label, self.font_name = label, font_name
        self.hAlign = "RIGHT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return STAMP_SIZE, STAMP_SIZE

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.setStrokeColor(RULE)
        self.canv.setDash(3, 2)
        self.canv.rect(0, 0, STAMP_SIZE, STAMP_SIZE)
        self.canv.setFillColor(MUTED)
        self.canv.setFont(self.font_name, 9)
        self.canv.drawCentredString(STAMP_SIZE / 2, STAMP_SIZE / 2 - 3, self.label)
        self.canv.restoreState()


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    title_en: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    body: ParagraphStyle


def _styles(font_name: str) -> _Styles:
    base = base_style(font_name)
    return _Styles(
        title=ParagraphStyle("title", parent=base, fontSize=22, leading=30, alignment=TA_CENTER),
        title_en=ParagraphStyle("title_en", parent=base, fontSize=10, leading=14, alignment=TA_CENTER,
                                textColor=MUTED),
        label=ParagraphStyle("label", parent=base, textColor=MUTED),
        value=base,
        body=ParagraphStyle("body", parent=base, fontSize=11.5, leading=20, firstLineIndent=23, spaceAfter=4),
    )


def _signature_lines(rows: list[str], styles: _Styles, width: float) -> Table:
    table = Table([[Paragraph(row, styles.value)] for row in rows], colWidths=[width], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.value.fontName),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 9)]))
    return table


def _sign_and_stamp(rows: list[str], stamp_label: str, styles: _Styles, width: float = FRAME_WIDTH) -> Table:
    """The signature lines at the left, the seal's box at the right, in `width`."""
    lines = width - STAMP_SIZE - 8 * mm
    table = Table([[_signature_lines(rows, styles, lines - 2 * mm), _StampBox(stamp_label, styles.value.fontName)]],
                  colWidths=[lines, STAMP_SIZE + 8 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.value.fontName),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def render_commitment_letter(letter: CommitmentLetter, font: PdfFont) -> bytes:
    """The organisation's commitment letter: who commits, what, and where to sign and stamp."""
    styles = _styles(font.name)
    details = [[Paragraph(label, styles.label), Paragraph(value, styles.value)] for label, value in (
        ("单位名称", text(letter.organisation_name)),
        ("统一社会信用代码", escape(letter.uscc)),
        ("法定代表人", text(letter.legal_representative_name)),
    )]
    story: list[Flowable] = [
        Paragraph(COMMITMENT_TITLE, styles.title), Paragraph(COMMITMENT_TITLE_EN, styles.title_en),
        Spacer(1, 8 * mm),
        label_table(details, [LABEL_WIDTH, FRAME_WIDTH - LABEL_WIDTH], font.name),
        Spacer(1, 6 * mm),
        Paragraph(f"{text(letter.organisation_name)}（以下简称本单位）在专利产品备案平台办理专利产品备案，郑重承诺如下：",
                  styles.body),
        *[Paragraph(f"{number}. {escape(commitment)}", styles.body)
          for number, commitment in enumerate(COMMITMENTS, start=1)],
        Paragraph("本承诺书经法定代表人签字并加盖单位公章后，扫描或拍照上传至平台。", styles.body),
        Spacer(1, 10 * mm),
        _sign_and_stamp([f"承诺单位：{text(letter.organisation_name)}",
                         f"法定代表人（签字）：{BLANK}",
                         f"日期：{chinese_date(letter.dated)}"], "单位公章", styles),
    ]
    buffer = io.BytesIO()
    a4_document(buffer, font, margin=MARGIN, title=f"{COMMITMENT_TITLE} {letter.organisation_name}",
                subject=COMMITMENT_TITLE_EN).build(story)
    return buffer.getvalue()


def render_port_application_form(content: PortApplicationFormContent, font: PdfFont) -> bytes:
    """The province-port application form, its fields filled with what the office typed."""
    styles = _styles(font.name)
    rows = [[Paragraph(label, styles.label), Paragraph(escape(value) if value else "", styles.value)]
            for label, value in zip(PORT_FORM_LABELS, content.values(), strict=True)]
    rows.append([Paragraph("申请事项", styles.label), Paragraph(PORT_FORM_REQUEST, styles.value)])
    rows.append([Paragraph("申请单位意见", styles.label),
                 _sign_and_stamp([f"负责人（签字）：{BLANK}", "日期：________年____月____日"], "单位公章", styles,
                                 FRAME_WIDTH - LABEL_WIDTH - 12)])
    table = Table(rows, colWidths=[LABEL_WIDTH, FRAME_WIDTH - LABEL_WIDTH], hAlign="LEFT",
                  rowHeights=[12 * mm] * len(PORT_FORM_LABELS) + [None, None])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font.name),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("TOPPADDING", (0, -1), (-1, -1), 8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    story: list[Flowable] = [
        Paragraph("附件3", styles.label), Spacer(1, 2 * mm),
        Paragraph(PORT_FORM_TITLE, ParagraphStyle("form-title", parent=styles.title, fontSize=17, leading=24)),
        Paragraph(PORT_FORM_TITLE_EN, styles.title_en), Spacer(1, 8 * mm), table, Spacer(1, 6 * mm),
        Paragraph("填写、签字并加盖单位公章后，在平台的省级管理端口申请页面随申请一并上传（PDF、JPEG 或 PNG）。",
                  styles.label),
    ]
    buffer = io.BytesIO()
    a4_document(buffer, font, margin=MARGIN, title=f"{PORT_FORM_TITLE} {content.office_name}",
                subject=PORT_FORM_TITLE_EN).build(story)
    return buffer.getvalue()


@dataclass(frozen=True)
class PdfForms:
    """The form renderer identity's handlers are given: PDF in `font`."""

    font: PdfFont

    def commitment_letter(self, letter: CommitmentLetter) -> bytes:
        return render_commitment_letter(letter, self.font)

    def port_application_form(self, content: PortApplicationFormContent) -> bytes:
        return render_port_application_form(content, self.font)
