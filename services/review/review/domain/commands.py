"""What people ask review to do, one command per change of state: the reviewers' work on tasks,
the operators' running of recognition rounds, and objections during a public notice. Each is
built by an entrypoint from a validated body and handled in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

from platform_shared.principal import Principal
from review.domain.tasks import DecisionReason

# --- the reviewers' queue -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimTask:
    """Take the task for a while, or renew one's own claim."""

    task_id: str
    principal: Principal


@dataclass(frozen=True)
class ReleaseTask:
    task_id: str
    principal: Principal


@dataclass(frozen=True)
class ReassignTask:
    """An operator gives a pending task to a reviewer."""

    task_id: str
    reviewer_id: str
    principal: Principal


@dataclass(frozen=True)
class DecideTask:
    """The holder's decision, with reasons per field unless approving."""

    task_id: str
    outcome: str
    reasons: tuple[DecisionReason, ...]
    principal: Principal


@dataclass(frozen=True)
class ConfirmPatent:
    """The holder confirms a patent the register could not verify (the `index`-th declared), with
    a note of what it was checked against."""

    task_id: str
    index: int
    note: str
    principal: Principal


@dataclass(frozen=True)
class ConfirmRejection:
    """A second reviewer confirms a proposed rejection, or sends it back (`confirm` false)."""

    task_id: str
    confirm: bool
    comment: str | None
    principal: Principal


# --- recognition rounds -------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRound:
    year: int
    cut_off: dt.date
    industry_codes: tuple[str, ...]
    principal: Principal


@dataclass(frozen=True)
class EvaluateRound:
    """`benchmarks` the operator gives, {field: {indicator: decimal text}}; the rest are derived."""

    round_id: str
    benchmarks: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class PublishRound:
    round_id: str
    notice_ends_on: dt.date


@dataclass(frozen=True)
class FinaliseRound:
    round_id: str


@dataclass(frozen=True)
class CloseRound:
    round_id: str
    reason: str


# --- objections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaiseObjection:
    round_id: str
    product_id: str
    reasons: str
    principal: Principal


@dataclass(frozen=True)
class AddEvidence:
    """A file for the caller's own objection; `original_name` is the uploader's, kept as metadata."""

    round_id: str
    objection_id: str
    content: BinaryIO
    original_name: str | None
    principal: Principal


@dataclass(frozen=True)
class DecideObjection:
    round_id: str
    objection_id: str
    upheld: bool
    reason: str
    principal: Principal
