"""How long what a registration, an invitation or a port application holds stays held, as plain
rules (issue 17's squatting remedies).

- An unverified registration holds its USCC for `HoldBounds.unverified_days` (30 by default,
  `IDENTITY_UNVERIFIED_HOLD_DAYS`) while it has not asked for verification; its contact and
  accounts are warned `warn_days` before, then it lapses and the USCC is free again. Asking for
  verification (and anything after it) ends the clock: reviewers then hold the question. One an
  operator reinstated after a suspension is on the clock again from its reinstatement.
- An invitation no one accepted holds its address for `invitation_days` (7); after that a
  registration (or a new invitation) by the address's owner takes the address.
- A pending province-port application holds its province for `port_pending_days` (14); an older
  pending one no longer blocks a new application (it is then `expired`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REGISTERED = "registered"
LAPSED = "lapsed"
SUSPENDED = "suspended"
# Statuses whose registration no longer holds its USCC (the database's partial unique index
# spells the same list).
RELEASED = (LAPSED, SUSPENDED)
# Every status in which a registration holds its USCC (identity's state machine).
HOLDING = (REGISTERED, "pending_review", "verified", "rejected")
# The password hashes an account made for someone else has until its holder sets one.
UNSET_PASSWORDS = ("", "!unset")


@dataclass(frozen=True)
class HoldBounds:
    unverified_days: int = 30
    warn_days: int = 7
    invitation_days: int = 7
    port_pending_days: int = 14

    def __post_init__(self) -> None:
        if min(self.unverified_days, self.invitation_days, self.port_pending_days) < 1:
            raise ValueError("every bound is a day or more")
        if not 0 <= self.warn_days < self.unverified_days:
            raise ValueError("the warning comes before the hold ends")


def clock_start(registered_at: dt.datetime, reinstated_at: dt.datetime | None) -> dt.datetime:
    """Since when a registration's hold runs: its registration, or its reinstatement after a
    suspension (an operator found it rightful: it gets the whole bound again)."""
    return registered_at if reinstated_at is None else max(registered_at, reinstated_at)


def lapses_at(registered_at: dt.datetime, bounds: HoldBounds) -> dt.datetime:
    """When an unverified registration made at `registered_at` releases its USCC."""
    return registered_at + dt.timedelta(days=bounds.unverified_days)


def hold_state(status: str, registered_at: dt.datetime, now: dt.datetime, bounds: HoldBounds) -> str:
    """`held` (nothing to do), `warn` (tell it the hold ends soon) or `lapse` (release it).

    Only a `registered` organisation (it never asked for verification) is on the clock."""
    if status != REGISTERED:
        return "held"
    ends = lapses_at(registered_at, bounds)
    if now >= ends:
        return "lapse"
    if now >= ends - dt.timedelta(days=bounds.warn_days):
        return "warn"
    return "held"


def invitation_yields(password_hash: str, active: bool, created_at: dt.datetime, now: dt.datetime,
                      bounds: HoldBounds) -> bool:
    """Whether an account made by an invitation gives its address up: never accepted (no password
    of its own, inactive) and older than the bound."""
    return (not active and password_hash in UNSET_PASSWORDS
            and now - created_at >= dt.timedelta(days=bounds.invitation_days))


def port_application_blocks(submitted_at: dt.datetime, now: dt.datetime, bounds: HoldBounds) -> bool:
    """Whether a pending application still holds its province."""
    return now - submitted_at < dt.timedelta(days=bounds.port_pending_days)
