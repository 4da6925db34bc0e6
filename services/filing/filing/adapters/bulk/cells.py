"""One row of a bulk file into a draft: each cell as the text it shows (numbers as the user typed
them, dates as ISO), lists split, patents parsed; a wrong value is kept for the schema to name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from filing.domain.bulk import COLUMNS, ECONOMIC_FIELDS

_LIST_SEPARATORS = re.compile(r"[;；\r\n]")
_RELATIONS = {
    "owner": "owner", "自有": "owner", "权利人": "owner", "专利权人": "owner",
    "licensee": "licensee", "被许可": "licensee", "被许可人": "licensee", "许可": "licensee",
}
_INTEGER = re.compile(r"^[+-]?\d+$")
# Excel writes a number with a thousands format into CSV as it shows it: "1,234,567.89".
_GROUPED_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
# Forms Excel and people write dates in; Chinese Excel saves a date cell to CSV as "2024/5/1".
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_CENT = Decimal("0.01")



def draft_of(cells: dict[str, Any]) -> dict[str, Any]:
    draft: dict[str, Any] = {}
    economic: dict[str, Any] = {}
    for column in COLUMNS:
        if column.key == "patents":
            continue  # after economic_data, in the schema's order
        converted = _CONVERTERS[column.key](cells.get(column.key))
        if column.key in ECONOMIC_FIELDS:
            if converted is not None:
                economic[ECONOMIC_FIELDS[column.key]] = converted
        elif converted is not None:
            draft[column.key] = converted  # variants is a list, possibly empty: always kept
    # One row declares at most one year.
    draft["economic_data"] = [economic] if economic else []
    draft["patents"] = _patents(cells.get("patents"))
    return draft


def cell_text(value: Any) -> str | None:
    """A cell as the text it shows, stripped; None when it shows nothing."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _plain_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip() or None


def _plain_number(value: float) -> str:
    # repr is the shortest text that reads back as the same float: what the user typed, not
    # the binary approximation Excel stores ("1234567.8899999999"). Decimal avoids "1e+16".
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _industry_code(value: Any) -> str | None:
    # Codes are two digits; a cell not formatted as text turns "01" into the number 1.
    if _is_number(value) and float(value).is_integer():
        return f"{int(value):02d}"
    return cell_text(value)


def _date(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = cell_text(value)
    match = _DATE.match(text) if text is not None else None
    if match is None:
        return text  # the schema names what is wrong with it
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return text


def _list(value: Any) -> list[str]:
    text = cell_text(value)
    if text is None:
        return []
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def _year(value: Any) -> int | str | None:
    if _is_number(value) and float(value).is_integer():
        return int(value)
    text = cell_text(value)
    if text is not None and _INTEGER.match(text):
        return int(text)
    return text


def _money(value: Any) -> str | None:
    if isinstance(value, float) and not value.is_integer() and value == value and abs(value) != float("inf"):
        amount = Decimal(repr(value))
        exponent = amount.as_tuple().exponent  # an int: the amount is finite
        if isinstance(exponent, int) and exponent < -2:
            # Float arithmetic in the sheet (=A1*0.13) leaves digits no one meant: whole fen.
            amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
        return format(amount, "f")
    text = cell_text(value)
    if text is not None and _GROUPED_NUMBER.match(text):
        return text.replace(",", "")
    return text


def _count(value: Any) -> int | str | None:
    if _is_number(value) and float(value).is_integer():
        return int(value)
    text = cell_text(value)
    if text is None or _is_number(value):
        return text
    plain = text.replace(",", "") if _GROUPED_NUMBER.match(text) else text
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return text
    if number.is_finite() and number == number.to_integral_value():
        return int(number)
    return text


def _patents(value: Any) -> list[dict[str, Any]]:
    patents = []
    for entry in _list(value):
        number, relation, record, title, holder = ([part.strip() for part in
                                                    entry.replace("｜", "|").split("|", 4)] + [""] * 4)[:5]
        patents.append({
            "number": number,  # even when empty: the schema then names the entry
            "relation": _RELATIONS.get(relation.lower(), relation) if relation else "owner",
            "license_record_no": record or None,
            "title": title,
            "holder": holder,
            "dispute": False,
        })
    return patents


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "name": cell_text,
    "brand": cell_text,
    "model": cell_text,
    "industry_code": _industry_code,
    "description": cell_text,
    "launched_on": _date,
    "variants": _list,
    "economic_year": _year,
    "sales_revenue": _money,
    "sales_volume": _count,
    "export_revenue": _money,
    "profit": _money,
    "ip_investment": _money,
    "patents": _patents,
}
