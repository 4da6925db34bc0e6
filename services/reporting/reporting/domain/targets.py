"""Target lists: organisations (by USCC) that should have filed, and how many have.

An entry's province is the one its USCC was registered in (characters 3–8 are the GB/T 2260
code of the registering authority), unless the list gives one. A list is taken whole or not
at all: every bad entry is named.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from platform_shared.errors import NotFound, RuleBroken
from platform_shared.regions import province_of

LIST_NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"
# The largest target list file an operator uploads (8 MiB: 100,000 rows of USCC and name fit).
MAX_FILE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class TargetEntry:
    """One organisation of an uploaded list, as given."""

    uscc: str
    name: str = ""
    province_code: str | None = None


@dataclass(frozen=True)
class TargetMember:
    """One organisation of a stored list: its checked USCC and its province."""

    uscc: str
    name: str
    province_code: str


@dataclass(frozen=True)
class TargetList:
    name: str
    title: str
    uploaded_by: str
    uploaded_at: dt.datetime


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
        return str(stdnum_uscc.validate(code))
    except ValidationError as exc:
        reason = getattr(exc, "message", str(exc))  # each kind of failure names itself (`InvalidChecksum`...)
        raise ValueError(f"{code or '(empty)'} is not a valid 统一社会信用代码: {reason}") from None


def province_of_uscc(code: str) -> str | None:
    return province_of(code[2:8])


def check_list_name(name: str) -> None:
    """`NotFound` for a name no list can have (the name is the list's address)."""
    if not re.match(LIST_NAME, name):
        raise NotFound("A list name is lower-case letters, digits, '-' and '_'.", slug="no-such-list")


def members_of(entries: Sequence[TargetEntry]) -> list[TargetMember]:
    """The list's members; `RuleBroken` naming each bad entry (`organisations.<index>.<field>`)."""
    errors: dict[str, list[str]] = {}
    members: dict[str, TargetMember] = {}
    for index, entry in enumerate(entries):
        try:
            code = valid_uscc(entry.uscc)
        except ValueError as exc:
            errors[f"organisations.{index}.uscc"] = [str(exc)]
            continue
        province = entry.province_code or province_of_uscc(code)
        if province is None:
            errors[f"organisations.{index}.province_code"] = [
                f"{code}: its registration code names no province of the platform; give province_code"]
            continue
        if code in members:
            errors[f"organisations.{index}.uscc"] = [f"{code} is listed twice"]
            continue
        members[code] = TargetMember(uscc=code, name=entry.name or "", province_code=province)
    if errors:
        raise RuleBroken(errors, f"{len(errors)} entries of the list cannot be taken; nothing was changed.",
                         slug="target-list-invalid")
    return list(members.values())


def outside_scope(province_code: str | None, members: Sequence[TargetMember],
                  existing: Sequence[TargetMember]) -> list[str]:
    """The USCCs a province admin of `province_code` may not list (None: an operator, who may
    list any): a province's own list holds its own organisations only, and a list already
    holding another province's organisations (a national list) is not the province's to replace."""
    if province_code is None:
        return []
    return sorted({m.uscc for m in [*members, *existing] if m.province_code != province_code})
