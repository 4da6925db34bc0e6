"""Rows of a large sheet written straight into xlsxwriter's constant-memory row file.

xlsxwriter's path for one cell (`write_string` → the row's cell table → `_write_cell` → the
escaping, attribute by attribute) costs some 10 µs of Python; the export of 100,000 products of
15 columns spent most of its 8 s there. `FastRows` writes each row's XML in one piece into the
worksheet's row file — the XML xlsxwriter writes: inline strings escaped the same way, numbers,
dates as serial numbers with the date format — and records the rows' extent on the worksheet.

Typed text stays text: every `str` is a string cell, escaped, never a formula; and never raw XML
either (xlsxwriter writes a string that starts with `<r>` and ends with `</r>` unescaped, as rich
text: here it is text like any other).

It leans on xlsxwriter's constant_memory internals (pinned in reporting's pyproject): while rows
are written the worksheet's `fh` is its row file, `_write_single_row` flushes the row xlsxwriter
still holds, `_check_dimensions` records the extent and `previous_row` the last row written.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xlsxwriter.utility import xl_col_to_name

# What needs escaping in a cell's text: XML's own characters, control characters (as Excel's
# _xHHHH_), a literal _xHHHH_ (its underscore escaped, so it reads back as typed), non-characters.
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
# A cell holds at most 32,767 UTF-16 units (xlsxwriter truncates longer text the same way).
_MAX_UNITS = 32767


def cell_text(value: str) -> str:
    """`value` as the text of an inline string cell, escaped as xlsxwriter escapes it."""
    if len(value) > _MAX_UNITS // 2:
        value = value.encode("utf-16-le")[: _MAX_UNITS * 2].decode("utf-16-le", errors="ignore")
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    value = _LITERAL_ESCAPE.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", value)
    value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_EPOCH = dt.datetime(1899, 12, 31)  # noqa: DTZ001 - Excel counts naive days


@functools.lru_cache(maxsize=65536)
def _serial(moment: dt.datetime) -> str:
    """A moment as Excel's serial number in the 1900 date system (as xlsxwriter counts it: from
    1899-12-31, and a day more from March 1900 on, for Excel's 29 February 1900)."""
    delta = moment - _EPOCH
    days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    if days > 59:
        days += 1
    return f"{days:.16G}"


_HALF = _MAX_UNITS // 2


class FastRows:
    """Appends rows to a constant_memory worksheet from `first_row` (zero-based) on; `close()`
    when done, before the workbook closes. Each cell by its type, as `spreadsheets.write_cell`
    writes it: None and "" leave the cell out, text is a string cell, bool a boolean, a number
    (int, float, Decimal) a number with the column's format if one is given, a date a date."""

    def __init__(self, sheet: Any, first_row: int, date_format: Any,
                 number_formats: Sequence[Any | None] = ()) -> None:
        sheet._write_single_row(first_row)  # what xlsxwriter still holds (the headings) goes first
        self._sheet = sheet
        self._file = sheet.fh
        self._row = first_row
        self._widest = -1
        self._date = f' s="{date_format._get_xf_index()}"'
        self._number = [f' s="{f._get_xf_index()}"' if f is not None else "" for f in number_formats]
        self._letters: list[str] = []

    def write(self, cells: Sequence[object]) -> None:
        """The next row."""
        number = str(self._row + 1)
        parts = [f'<row r="{number}">']
        styles, letters = self._number, self._letters
        while len(letters) < len(cells):
            letters.append(str(xl_col_to_name(len(letters))))
        for column, value in enumerate(cells):
            if value is None or value == "":
                continue
            ref = letters[column] + number
            kind = type(value)
            if kind is str:
                text: str = value  # type: ignore[assignment]
                if len(text) > _HALF or _NEEDS_ESCAPE.search(text) is not None:
                    text = cell_text(text)
                if text[0].isspace() or text[-1].isspace():
                    parts.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
                else:
                    parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
            elif kind is bool:
                parts.append(f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>')
            elif isinstance(value, int | float | Decimal):
                amount = float(value)
                if not math.isfinite(amount):
                    continue
                style = styles[column] if column < len(styles) else ""
                parts.append(f"<c r=\"{ref}\"{style}><v>{amount:.16G}</v></c>")
            elif isinstance(value, dt.datetime):
                parts.append(f'<c r="{ref}"{self._date}><v>{_serial(value.replace(tzinfo=None))}</v></c>')
            elif isinstance(value, dt.date):
                parts.append(f'<c r="{ref}"{self._date}><v>{_serial(dt.datetime.combine(value, dt.time()))}</v></c>')
            else:
                parts.append(self._text(ref, str(value)))
            if column > self._widest:
                self._widest = column
        parts.append("</row>")
        self._file.write("".join(parts))
        self._row += 1

    @staticmethod
    def _text(ref: str, value: str) -> str:
        text = cell_text(value)
        preserve = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f'<c r="{ref}" t="inlineStr"><is><t{preserve}>{text}</t></is></c>'

    def close(self) -> None:
        """Record the rows' extent on the worksheet (its dimension, and where xlsxwriter goes on)."""
        last = self._row - 1
        if self._widest >= 0:
            self._sheet._check_dimensions(last, self._widest)
            self._sheet._check_dimensions(last, 0)
        self._sheet.previous_row = max(self._sheet.previous_row, last)
