"""The export's fast rows (reporting.adapters.xlsx_rows) write what xlsxwriter's own cells would:
the same values, types and formats read back, hostile text as text (never a formula, never XML)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from platform_shared.spreadsheets import WORKBOOK_OPTIONS, write_cells
from reporting.adapters.xlsx_rows import FastRows

pytestmark = pytest.mark.unit

ROWS: list[list[object]] = [
    ["=HYPERLINK(\"http://evil.example\")", "+1+cmd|' /C calc'!A0", "@SUM(1,1)", "\t=1+1", "\r=1+1", "-2+3"],
    ["<r><t>rich</t></r>", "a & b < c > d", "_x0041_ literal", "ctl\x01\x1f", " padded ", "华为 Mate 70"],
    [None, "", True, False, 0, -12345678901],
    [1.5, Decimal("123456789.50"), 98765432.1, dt.date(2026, 11, 5), dt.datetime(2025, 1, 2, 3, 4, 5), "末"],
    [dt.date(1900, 1, 2), dt.date(1900, 3, 1), "x" * 40000, 7, None, "\ufffe"],
]


def _book(fast: bool) -> bytes:
    sink = io.BytesIO()
    book = xlsxwriter.Workbook(sink, {"constant_memory": True, **WORKBOOK_OPTIONS})
    sheet = book.add_worksheet("s")
    sheet.write_row(0, 0, ["a", "b", "c", "d", "e", "f"], book.add_format({"bold": True}))
    date, money = book.add_format({"num_format": "yyyy-mm-dd"}), book.add_format({"num_format": "#,##0.00"})
    if fast:
        rows = FastRows(sheet, 1, date, [None, money])
        for cells in ROWS:
            rows.write(cells)
        rows.close()
    else:
        for number, cells in enumerate(ROWS, start=1):
            write_cells(sheet, number, cells, date)
            value = cells[1]
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                sheet.write_number(number, 1, float(value), money)
    sheet.set_column(0, 5, 16)
    book.close()
    return sink.getvalue()


def _read(content: bytes) -> list[list[tuple[object, str, str]]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["s"]
    return [[(cell.value, cell.data_type, cell.number_format) for cell in row] for row in sheet.iter_rows()]


def test_fast_rows_read_back_as_xlsxwriters_cells_do():
    fast, plain = _read(_book(fast=True)), _read(_book(fast=False))
    # But one: xlsxwriter writes a string wrapped in <r>…</r> unescaped, as rich text (the typed
    # markup becomes the cell's XML); the fast rows keep it the text it was.
    assert plain[2][0][0] == "rich" and fast[2][0][0] == "<r><t>rich</t></r>"
    plain[2][0] = fast[2][0]
    assert fast == plain
    with zipfile.ZipFile(io.BytesIO(_book(fast=True))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<r><t>rich" not in sheet and '<dimension ref="A1:F6"/>' in sheet


def test_text_stays_text():
    values = _read(_book(fast=True))
    assert values[1][0] == ("=HYPERLINK(\"http://evil.example\")", "s", "General")
    assert values[2][0] == ("<r><t>rich</t></r>", "s", "General")
    assert values[1][3] == ("\t=1+1", "s", "General")
