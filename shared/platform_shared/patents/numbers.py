"""Chinese patent application numbers (ZC 0006-2003): reading the written forms, the check
character, and the kind of patent the number says.

Since 2003-10-01 a number is 12 digits — year (4), type (1), serial (7) — then `.` and a check
character; before, 8 digits — year (2), type (1), serial (5). The check is the digits times
2,3,4,5,6,7,8,9,2,3,4,5 (old: 2..9) summed mod 11, 10 written `X`. It proves a number is
well-formed, not that the patent is valid: that is the patent registry's answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

KIND_OF_TYPE_DIGIT = {
    "1": "invention",
    "2": "utility_model",
    "3": "design",
    "8": "invention",      # a PCT application for an invention entering the national phase
    "9": "utility_model",  # a PCT application for a utility model entering the national phase
}
KIND_NAMES_ZH = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}
_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
# ZL (granted) or CN prefix; spaces only between year, type and serial; none around the dot.
# ASCII: \d would also match digits NFKC leaves alone (Devanagari, Arabic-Indic…), giving a non-ASCII "normal form".
_NEW = re.compile(r"^(?:ZL|CN)?\s*(\d{4})\s?([12389])\s?(\d{7})\.([0-9X])$", re.ASCII)
_OLD = re.compile(r"^(?:ZL|CN)?\s*(\d{2})\s?([12389])\s?(\d{5})\.([0-9X])$", re.ASCII)


class InvalidPatentNumber(ValueError):
    """Not a well-formed Chinese patent application number; the message says why."""


@dataclass(frozen=True)
class PatentNumber:
    """A patent application number in its normal form, `202010566088.9` or `95115608.X`."""

    digits: str
    check: str

    @property
    def text(self) -> str:
        return f"{self.digits}.{self.check}"

    @property
    def kind(self) -> str:
        type_digit = self.digits[4] if len(self.digits) == 12 else self.digits[2]
        return KIND_OF_TYPE_DIGIT[type_digit]

    def __str__(self) -> str:
        return self.text


def check_character(digits: str) -> str:
    """The check character of 12 (since 2003) or 8 (before) digits."""
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False)) % 11
    return "X" if total == 10 else str(total)


def parse_patent_number(written: str) -> PatentNumber:
    """The number in normal form, from how people write it (`ZL 2020 1 0566088.9`, `CN…`, …)."""
    text = unicodedata.normalize("NFKC", written or "").strip().upper()
    match = _NEW.match(text) or _OLD.match(text)
    if match is None:
        raise InvalidPatentNumber(
            "not a patent application number: 12 digits (year, type, serial), a dot and a check "
            "character, like 202010566088.9 or ZL202010566088.9 (before 2003: 8 digits, like 95115608.X)")
    *parts, check = match.groups()
    digits = "".join(parts)
    if len(digits) == 12 and not 1985 <= int(digits[:4]) <= 2099:
        raise InvalidPatentNumber(f"the year {digits[:4]} of the number is not a patent year")
    expected = check_character(digits)
    if check != expected:
        raise InvalidPatentNumber(f"the check character is {check}, but the digits {digits} give {expected}: "
                                  "the number is mistyped")
    return PatentNumber(digits, check)
