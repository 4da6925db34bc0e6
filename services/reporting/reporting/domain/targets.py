"""Target lists: organisations (by USCC) that should have filed, and how many have.

An entry's province is the one its USCC was registered in (characters 3–8 are the GB/T 2260
code of the registering authority), unless the list gives one.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from platform_shared.regions import province_of


@dataclass(frozen=True)
class Coverage:
    total: int
    filed: int

    @property
    def rate(self) -> float:
        return round(self.filed / self.total, 4) if self.total else 0.0


def valid_uscc(text: str) -> str:
    """The code, upper-cased, or ValueError naming the check that failed."""
    code = (text or "").strip().upper()
    try:
        return stdnum_uscc.validate(code)
    except ValidationError as exc:
        raise ValueError(f"{code or '(empty)'} is not a valid 统一社会信用代码: {exc.message}") from None


def province_of_uscc(code: str) -> str | None:
    return province_of(code[2:8])
