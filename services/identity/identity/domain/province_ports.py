"""The provincial management port: a provincial IP office's application and its decision.

Plain rules, no I/O. A province-level region (the 31 provinces and the XPCC, 660000) has at
most one port: while one application is `submitted` (pending) or `approved`, no other
application for the same region is taken. A rejected application is final; the office may
apply again with a new one. An operator decides each application once: `approve`, `reject`
with a reason the office is told, or `dismiss` with a reason (not a decision on the office's
merits: an application that is not genuine or no longer pursued, so the province is free).

A pending application holds its province only while it is younger than a bound
(`holds.HoldBounds.port_pending_days`, 14 days): a new application for the province then marks
the old one `expired`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
DISMISSED = "dismissed"
EXPIRED = "expired"
STATUSES = (SUBMITTED, APPROVED, REJECTED, DISMISSED, EXPIRED)
# An application in one of these holds its province: a second one is a conflict.
HOLDS_THE_PROVINCE = (SUBMITTED, APPROVED)
OUTCOMES = {"approve": APPROVED, "reject": REJECTED, "dismiss": DISMISSED}

# What a signed application form may be, recognised by its bytes.
FORM_MEDIA_TYPES = ("application/pdf", "image/jpeg", "image/png")


class DecisionRefused(Exception):
    """A decision that the application's state or the rules do not allow.

    `conflict` is True when the application's state is the reason (it was decided already),
    False when the decision itself is incomplete (a rejection without a reason).
    """

    def __init__(self, message: str, *, conflict: bool, field: str | None = None):
        super().__init__(message)
        self.conflict = conflict
        self.field = field


@dataclass(frozen=True)
class Decision:
    outcome: str
    reason: str | None

    @property
    def status(self) -> str:
        return OUTCOMES[self.outcome]


def decide(current_status: str, outcome: str, reason: str | None) -> Decision:
    """The decision on an application now in `current_status`, or `DecisionRefused`."""
    if outcome not in OUTCOMES:
        raise DecisionRefused(f"The outcome must be one of {', '.join(OUTCOMES)}.", conflict=False,
                              field="outcome")
    if current_status != SUBMITTED:
        raise DecisionRefused(f"This application was already decided ({current_status}).", conflict=True)
    reason = (reason or "").strip() or None
    if outcome == "reject" and reason is None:
        raise DecisionRefused("A rejection needs a reason the office can act on.", conflict=False,
                              field="reason")
    if outcome == "dismiss" and reason is None:
        raise DecisionRefused("A dismissal needs a reason the applicant is told.", conflict=False,
                              field="reason")
    return Decision(outcome, reason)


@dataclass
class PortApplication:
    """A provincial IP office's application for its province's port, with its decision.

    The signed form is in the file store under its SHA-256, never under the sender's file name;
    `account_id` is the province admin account an approval created."""

    id: str
    province_code: str
    office_name: str
    contact_name: str
    contact_title: str
    contact_phone: str
    contact_email: str
    form_sha256: str
    form_media_type: str
    form_size: int
    submitted_at: dt.datetime
    status: str = SUBMITTED
    reason: str | None = None
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    account_id: str | None = None
