"""Filing numbers: readable, unique, never reused.

`BA-2026-44-000123`: 备案 (BA), the year of filing, the first two digits of the province's
code, and the province's sequence in that year. Sequences only go up and a number stays with
its product when the product is cancelled or revoked, so a number is never given twice.
"""

from __future__ import annotations

import re

PREFIX = "BA"
_PATTERN = re.compile(rf"^{PREFIX}-(\d{{4}})-(\d{{2}})-(\d{{6,}})$")


def format_filing_number(year: int, province_code: str, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequences start at 1")
    return f"{PREFIX}-{year:04d}-{province_code[:2]}-{sequence:06d}"


def normalise_filing_number(text: str) -> str | None:
    """The number as stored, from how someone typed it (case, spaces); None if it cannot be one."""
    candidate = "".join((text or "").split()).upper()
    return candidate if _PATTERN.match(candidate) else None
