"""Re-checks of a filed product's patents against the register, as plain rules.

A filing stands on its patents (notice, attachment 1, 备案条件 (一)2 and (二)1) for as long as it
is on record, not only on the day it was submitted. So every declared patent is asked again —
monthly, when an annual update is submitted — under the rules of submission: the register still
holds it valid, and the organisation is still among its holders (as `owner`) or holds a recorded
licence that still runs (as `licensee`). Where the register cannot tell (no holders, no licence
data), the patent still counts, as it did at submission.

A patent found lapsed, invalidated, expired, off the register or held by someone else marks the
product **at risk** with a deadline (found + grace period). A product at risk whose deadline has
passed with no patent left that holds is **suspended**; a later re-check that finds every
declared patent holding again lifts the mark and the suspension. An expiry the register dates
within `EXPIRY_NOTICE_DAYS` is announced once, in advance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from filing.domain.rules import REFUSED, OrganisationNames, PatentClaim, check_against_register
from platform_shared.patents.verdict import PatentVerdict

# What went wrong with a patent that held when it was filed.
PROBLEMS = ("lapsed", "invalidated", "expired", "not_in_force", "not_in_register", "holder_changed",
            "licence_ended")
# How the register's status words map to a problem (anything else not valid: `not_in_force`).
_PROBLEM_OF_STATUS = {"lapsed": "lapsed", "invalidated": "invalidated", "expired": "expired"}

# The check key of an expiry announced in advance (kept with the checks, but not one of them).
NOTICE_PREFIX = "expiry-notice:"

DEFAULT_GRACE_DAYS = 90
EXPIRY_NOTICE_DAYS = 90


@dataclass(frozen=True)
class PatentStanding:
    """One declared patent as the register has it now: `problem` None while it still holds."""

    number: str
    problem: str | None
    status: str | None = None
    holders: tuple[str, ...] | None = None
    expires_on: dt.date | None = None

    @property
    def holds(self) -> bool:
        return self.problem is None

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "problem": self.problem, "status": self.status,
                "holders": list(self.holders) if self.holders is not None else None,
                "expires_on": self.expires_on.isoformat() if self.expires_on else None}


def recheck_patent(claim: PatentClaim, verdict: PatentVerdict, organisation: OrganisationNames,
                   today: dt.date) -> PatentStanding:
    """How a declared patent stands today, by the rules it was submitted under."""
    record = verdict.record
    status = record.status if record else None
    holders = tuple(h.name for h in record.holders) if record and record.holders is not None else None
    expires_on = record.expires_on if record else None

    def standing(problem: str | None) -> PatentStanding:
        return PatentStanding(claim.number, problem, status, holders, expires_on)

    if not verdict.valid:
        if record is None:
            return standing("not_in_register")
        return standing(_PROBLEM_OF_STATUS.get(record.status, "not_in_force"))
    if expires_on is not None and expires_on < today:
        return standing("expired")  # the term ran out though the register's status was not updated yet
    check = check_against_register(0, claim, record, organisation, today)
    if check.outcome == REFUSED:
        return standing("licence_ended" if claim.relation == "licensee" else "holder_changed")
    return standing(None)


def expiry_notice_due(standing: PatentStanding, today: dt.date, lead_days: int = EXPIRY_NOTICE_DAYS) -> bool:
    """Whether a patent that holds expires within `lead_days` (announced once, before it does)."""
    return (standing.holds and standing.expires_on is not None
            and today <= standing.expires_on <= today + dt.timedelta(days=lead_days))


@dataclass(frozen=True)
class RiskMark:
    """What a product carries because of its patents: at risk since, the deadline, suspended since."""

    at_risk_since: dt.datetime | None = None
    deadline: dt.date | None = None
    suspended_at: dt.datetime | None = None


@dataclass(frozen=True)
class Assessment:
    """The outcome of a re-check for the product: the problems newly found (to announce), the
    mark it carries now, and whether it was suspended or its mark lifted by this check."""

    newly_found: list[PatentStanding] = field(default_factory=list)
    mark: RiskMark = RiskMark()
    suspended: bool = False
    cleared: bool = False
    suspension_lifted: bool = False


def assess(standings: Sequence[PatentStanding], previous: Mapping[str, str | None], mark: RiskMark,
           now: dt.datetime, grace_days: int = DEFAULT_GRACE_DAYS) -> Assessment:
    """The product's mark after a re-check: `standings` are its patents now, `previous` each
    patent's problem at the check before (absent: never checked).

    A problem is announced when it differs from the one known before (a month that finds the
    same lapse again says nothing). The deadline is set when the product becomes at risk and
    kept while it stays so; past it, with no patent left that holds, the product is suspended.
    """
    today = now.date()
    newly_found = [s for s in standings if s.problem is not None and previous.get(s.number) != s.problem]
    at_risk = any(not s.holds for s in standings)
    if not at_risk:
        was_marked = mark.at_risk_since is not None or mark.suspended_at is not None
        return Assessment(mark=RiskMark(), cleared=was_marked, suspension_lifted=mark.suspended_at is not None)
    since = mark.at_risk_since or now
    deadline = mark.deadline or today + dt.timedelta(days=grace_days)
    none_holds = not any(s.holds for s in standings)
    suspend = mark.suspended_at is None and none_holds and today > deadline
    suspended_at = now if suspend else mark.suspended_at
    # A suspended product one of whose patents holds again is lifted even while another is still lost.
    lifted = mark.suspended_at is not None and not none_holds
    return Assessment(newly_found=newly_found, mark=RiskMark(since, deadline, None if lifted else suspended_at),
                      suspended=suspend, suspension_lifted=lifted)


@dataclass(frozen=True)
class PatentRecheck:
    """One check of one declared patent, kept: one per product, patent and `check_key`
    (`monthly:2027-01`, `annual-update:2027`, `expiry-notice:2027-03-01`)."""

    product_id: str
    check_key: str
    checked_at: dt.datetime
    standing: PatentStanding
