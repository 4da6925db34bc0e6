"""The header row of a bulk file: which template column each of its columns is (by key, label or
both, whatever the case, spacing and parentheses), refusing a header that makes every row
meaningless."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from openpyxl.utils import get_column_letter

from filing.adapters.bulk.cells import cell_text
from filing.domain.bulk import COLUMN_BY_KEY, COLUMNS, BulkFileRefused, Column


def _normalise_heading(text: str) -> str:
    folded = re.sub(r"\s+", "", text.replace("\ufeff", "")).lower()
    return folded.replace("(", "（").replace(")", "）")


def _aliases() -> dict[str, Column]:
    aliases: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (column.key, column.label, column.heading):
            normalised = _normalise_heading(name)
            if aliases.get(normalised, column) is not column:
                raise AssertionError(f"the column name {name!r} is ambiguous")
            aliases[normalised] = column
    return aliases


_ALIASES = _aliases()


# --- reading -------------------------------------------------------------------------------


def column_letter(index: int) -> str:
    # A CSV row can be wider than a sheet (XFD, 16384 columns), where letters run out.
    return get_column_letter(index + 1) if index < 16384 else f"number {index + 1}"


def header_of(values: Sequence[Any]) -> list[Column | None]:
    header: list[Column | None] = []
    unknown: list[str] = []
    seen: dict[str, list[str]] = {}
    for index, value in enumerate(values):
        letter = column_letter(index)
        text = cell_text(value)
        column = _ALIASES.get(_normalise_heading(text)) if text is not None else None
        if text is not None and column is None:
            shown = text if len(text) <= 40 else text[:40] + "…"
            unknown.append(f"\"{shown}\" (column {letter})")
        if column is not None:
            seen.setdefault(column.key, []).append(letter)
        header.append(column)
    problems = []
    if unknown:
        listed = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        problems.append(f"The header row has columns the template does not know: {listed}.")
        named = [value for value in values if cell_text(value) is not None]
        if len(named) == 1 and any(mark in str(named[0]) for mark in (";", "\t", "；")):
            problems.append("Columns must be separated by commas.")
    duplicated = [f"{COLUMN_BY_KEY[key].heading} (columns {' and '.join(letters)})"
                  for key, letters in seen.items() if len(letters) > 1]
    if duplicated:
        problems.append(f"The header row names a column more than once: {', '.join(duplicated)}.")
    missing = [column.heading for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        problems.append(f"The header row lacks the required columns {', '.join(missing)}.")
    if problems:
        problems.append("Use the column names of the template (its 说明 sheet lists them).")
        raise BulkFileRefused(" ".join(problems), code="columns")
    return header
