"""Cells of the files the platform writes for people to open in Excel (CSV and XLSX), safe and
typed: text an enterprise typed stays text, numbers are numbers, dates are dates.

A value starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to a
spreadsheet (CSV injection, OWASP): in CSV it is written with a leading apostrophe, which Excel
shows as text; in XLSX text is always written as a string cell, never parsed (xlsxwriter's
`write()` turns `=…` into a live formula unless told not to). No xlsxwriter import here: the
worksheet is whatever the caller's xlsxwriter gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Options of every xlsxwriter Workbook the platform makes: no string is ever read as a formula,
# number or URL, whichever write method a later change uses.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def csv_text(value: object) -> str:
    """A CSV field that a spreadsheet shows as the text it is, never runs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(values: Iterable[object]) -> list[str]:
    return [csv_text(value) for value in values]


def write_cell(sheet: Any, row: int, column: int, value: object, date_format: Any) -> None:
    """One XLSX cell by its type: a string cell for text (whatever it starts with), a number
    for numbers and money (Decimal), a date for dates (with `date_format`), blank for None."""
    if value is None or value == "":
        sheet.write_blank(row, column, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value))
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), date_format)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), date_format)
    else:
        sheet.write_string(row, column, str(value))


def write_cells(sheet: Any, row: int, values: Sequence[object], date_format: Any) -> None:
    for column, value in enumerate(values):
        write_cell(sheet, row, column, value, date_format)
