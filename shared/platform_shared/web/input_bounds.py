"""Bounds on what a request may make a service parse, checked before any schema sees it, so that
hostile input ends in a 400 problem naming what is wrong instead of the catch-all 500.

- JSON bodies: nesting at most `MAX_JSON_DEPTH` deep (Python's parser recurses: a body of 100,000
  `[` raises RecursionError), number literals at most `MAX_NUMBER_CHARS` long (a 5,000-digit
  integer raises ValueError in `int()`, `1e999999` is infinity), no `NaN`/`Infinity` (not JSON).
- Query strings: UTF-8 only (werkzeug would quietly turn undecodable bytes into U+FFFD and
  search for that), no control characters in names or values (nothing the platform takes has
  one, and a NUL reaches the database driver, which refuses it with an error of its own).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import NoReturn
from urllib.parse import unquote_to_bytes

MAX_JSON_DEPTH = 32
MAX_NUMBER_CHARS = 64


class UnboundedInput(ValueError):
    """Input past a bound: `field` is what to name in the problem, `message` what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _number(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(literal: str) -> int | float:
        if len(literal) > MAX_NUMBER_CHARS:
            raise UnboundedInput("body", f"a number of {len(literal)} characters; at most {MAX_NUMBER_CHARS}")
        value = kind(literal)
        if isinstance(value, float) and not math.isfinite(value):
            raise UnboundedInput("body", f"the number {literal[:20]} is out of range")
        return value

    return parse


def _not_json(constant: str) -> NoReturn:
    raise UnboundedInput("body", f"{constant} is not a JSON number")


def _depth(value: object) -> int:
    """How deeply `value` nests lists and objects (without recursing)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            children: Iterable[object] = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def check_json_body(data: bytes) -> None:
    """`UnboundedInput` when the body nests too deeply or carries a number past the bounds; a body
    that is not JSON at all is left to the schema layer, which says so."""
    try:
        parsed = json.loads(data, parse_int=_number(int), parse_float=_number(float), parse_constant=_not_json)
    except RecursionError:
        raise UnboundedInput("body", f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return
    except UnboundedInput:
        raise
    except ValueError:  # int() past Python's own digit limit, though the length bound comes first
        raise UnboundedInput("body", "a number is out of range") from None
    if _depth(parsed) > MAX_JSON_DEPTH:
        raise UnboundedInput("body", f"nested deeper than {MAX_JSON_DEPTH} levels")


def _control(text: str) -> bool:
    return any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text)


def check_query(pairs: Iterable[tuple[str, str]]) -> None:
    """`UnboundedInput` naming the first parameter whose name or value has a control character."""
    for name, value in pairs:
        if _control(name) or _control(value):
            shown = "".join(c if not _control(c) else "?" for c in name)[:64]
            raise UnboundedInput(shown, "control characters are not allowed here")


def check_query_encoding(raw: bytes) -> None:
    """`UnboundedInput` naming the first parameter whose percent-decoded name or value is not UTF-8."""
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        decoded_name = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")
        try:
            unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8")
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            shown = "".join(c if not _control(c) and c != "\ufffd" else "?" for c in decoded_name)[:64]
            raise UnboundedInput(shown or "query", "the text is not UTF-8") from None


# What the OpenAPI documents say of every free-text query parameter, so that clients (and the
# schemathesis fuzzing) know control characters are refused (JSON Schema's ECMA-262 regex).
QUERY_TEXT_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"


def document_query_text(parameter: dict[str, object]) -> None:
    """Add `QUERY_TEXT_PATTERN` to a query parameter's string schema (or its array's items)
    unless the schema already bounds its text (enum, format, pattern)."""
    if parameter.get("in") != "query" or not isinstance(parameter.get("schema"), dict):
        return
    schema: dict[str, object] = parameter["schema"]  # type: ignore[assignment]
    items = schema.get("items")
    target = items if schema.get("type") == "array" and isinstance(items, dict) else schema
    if target.get("type") == "string" and not {"enum", "format", "pattern"} & set(target):
        target["pattern"] = QUERY_TEXT_PATTERN
