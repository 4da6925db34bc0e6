"""The patent registry's answer about one patent, as the rules of filing and review read it.

`valid` and `reason` say whether the patent is granted and in force; `record` is the rest of what
the register holds — holders, dates, recorded licences — or None where a registry tells nothing
more. Within a record, `holders` or `licences` None means "this registry does not know", which
is not the same as "none recorded" (an empty tuple): the rules mark the first unverified and
refuse on the second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RegisteredHolder:
    """A patentee as the register names it; `uscc` where the register gives one."""

    name: str
    uscc: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "uscc": self.uscc}


@dataclass(frozen=True)
class RecordedLicence:
    """A licence contract recorded with the patent office (专利实施许可合同备案): which patent,
    from whom to whom, and for how long (a missing end: open-ended, a missing start: from the
    record)."""

    record_no: str
    number: str
    licensor: str
    licensee: str
    licensee_uscc: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None

    def runs_on(self, day: dt.date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)

    def as_dict(self) -> dict[str, Any]:
        return {"record_no": self.record_no, "licensor": self.licensor, "licensee": self.licensee,
                "licensee_uscc": self.licensee_uscc,
                "starts_on": self.starts_on.isoformat() if self.starts_on else None,
                "ends_on": self.ends_on.isoformat() if self.ends_on else None}


@dataclass(frozen=True)
class RegisterRecord:
    """What one registry holds about a patent beyond "valid or not"."""

    registry: str
    status: str
    holders: tuple[RegisteredHolder, ...] | None = None  # None: this registry knows no holders
    granted_on: dt.date | None = None
    expires_on: dt.date | None = None  # expiry, or the day it lapsed
    licences: tuple[RecordedLicence, ...] | None = None  # None: this registry has no licence data

    def as_dict(self) -> dict[str, Any]:
        return {"registry": self.registry, "status": self.status,
                "holders": [h.as_dict() for h in self.holders] if self.holders is not None else None,
                "granted_on": self.granted_on.isoformat() if self.granted_on else None,
                "expires_on": self.expires_on.isoformat() if self.expires_on else None,
                "knows_licences": self.licences is not None}


@dataclass(frozen=True)
class PatentVerdict:
    """The patent registry's answer: valid (granted, in force) or not, and why not; `record` the
    register's other facts (not compared: two answers agree on validity whatever else they say)."""

    valid: bool
    reason: str | None = None
    record: RegisterRecord | None = field(default=None, compare=False)
