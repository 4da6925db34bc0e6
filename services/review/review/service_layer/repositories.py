"""review's repositories as the handlers see them: each a small protocol, implemented on peewee
in `adapters` and on dictionaries in the unit tests.

A repository hands out and takes the domain's objects; what a store must do atomically (take a
claim only if it is free, insert or update a year's figures) is one method, so that it stays as
strong as the store can make it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from platform_shared.figures import YearFigures
from platform_shared.pages import Page, PageRequest
from platform_shared.quotas import Usage
from review.domain.filed_products import FiledProduct
from review.domain.objections import Objection, ObjectionEvidence
from review.domain.round_results import ResultTally, RoundBenchmark, RoundResult
from review.domain.rounds import RecognitionRound
from review.domain.tasks import HistoryEntry, ReviewTask, TaskDecision


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks a list shows; None means any."""

    kind: str | None = None
    state: str | None = None
    subject_id: str | None = None
    claimed_by: str | None = None


class TaskRepository(Protocol):
    def add(self, task: ReviewTask) -> None: ...

    def get(self, task_id: str) -> ReviewTask | None: ...

    def get_for_change(self, task_id: str) -> ReviewTask | None:
        """`get`, holding the task's row until the transaction ends: of two concurrent changes
        (two clients of one reviewer deciding at once) the second waits and then sees the first's."""

    def save(self, task: ReviewTask) -> None:
        """Write the task's state and claim (what a handler changes)."""

    def claim(self, task_id: str, reviewer_id: str, now: dt.datetime, until: dt.datetime) -> bool:
        """Take the task for `reviewer_id` until `until` if it is claimable by them at `now`
        (`ReviewTask.claimable_by`), in one conditional write; whether it was taken. Of two
        concurrent claims exactly one wins."""

    def latest(self, kind: str, subject_id: str) -> ReviewTask | None:
        """The newest task of this subject."""

    def pending(self, kind: str, subject_id: str) -> list[ReviewTask]: ...

    def of_case(self, case_id: str) -> list[ReviewTask]:
        """Every task of a case, oldest first."""

    def page(self, which: TaskFilter, request: PageRequest) -> Page[ReviewTask]:
        """Oldest first."""

    def waiting(self) -> dict[str, tuple[int, dt.datetime]]:
        """Per kind with pending tasks: how many, and when the oldest was made."""


class DecisionRepository(Protocol):
    def add(self, decision: TaskDecision) -> None: ...

    def get(self, task_id: str) -> TaskDecision | None: ...

    def save(self, decision: TaskDecision) -> None: ...

    def remove(self, task_id: str) -> None: ...


class HistoryRepository(Protocol):
    def add(self, entry: HistoryEntry) -> None: ...

    def of_task(self, task_id: str) -> list[HistoryEntry]:
        """In the order it happened."""


class FiledProductRepository(Protocol):
    def get(self, product_id: str) -> FiledProduct | None: ...

    def add(self, product: FiledProduct) -> None: ...

    def save(self, product: FiledProduct) -> None: ...

    def year_version(self, product_id: str, year: int) -> int | None:
        """The version of the event that gave the year's figures kept, if any."""

    def keep_year(self, product_id: str, figures: YearFigures, version: int) -> None:
        """Insert or replace the year's figures."""

    def opt_in_version(self, product_id: str, year: int) -> int | None: ...

    def keep_opt_in(self, product_id: str, year: int, opt_in: bool, version: int) -> None:
        """Insert or replace the product's choice for `year`."""

    def add_recognition(self, product_id: str, year: int, round_id: str) -> None:
        """Filing recognised the product for `year` (once; a repeat changes nothing)."""

    def opted_in(self, year: int, industry_codes: Iterable[str]) -> list[FiledProduct]:
        """The products of these fields whose newest choice is to take part in `year`'s recognition."""

    def on_record(self, industry_codes: Iterable[str]) -> list[FiledProduct]:
        """Every product on record (filed or recognised) in these fields."""

    def figures_of(self, product_ids: Sequence[str], year: int) -> dict[str, YearFigures]: ...

    def recognised_years(self, product_ids: Sequence[str]) -> dict[str, set[int]]: ...

    def ids_of(self, organisation_id: str) -> list[str]:
        """The products review knows of the organisation (any status)."""


class RoundRepository(Protocol):
    def add(self, found: RecognitionRound) -> None:
        """A second round under way for the same year is a `DuplicateRecord`."""

    def get(self, round_id: str, *, for_update: bool = False) -> RecognitionRound | None:
        """`for_update`: the round's row stays locked until the transaction ends (where the
        store can lock a row; SQLite's write lock serialises writers anyway)."""

    def save(self, found: RecognitionRound) -> None:
        """A second round under way for the same year is a `DuplicateRecord`."""

    def under_way(self, year: int) -> RecognitionRound | None:
        """The year's round that is open, evaluated or published, if any."""

    def page(self, state: str | None, year: int | None, request: PageRequest) -> Page[RecognitionRound]:
        """Newest first."""


class ResultRepository(Protocol):
    """An evaluation's benchmarks and results, per round."""

    def replace(self, round_id: str, benchmarks: Sequence[RoundBenchmark], results: Sequence[RoundResult]) -> None:
        """The round's benchmarks and results are these now (an evaluation replaces the previous)."""

    def benchmarks(self, round_id: str) -> list[RoundBenchmark]:
        """Per field, in the configuration's order."""

    def of_round(self, round_id: str) -> list[RoundResult]:
        """Per field, the proposed first."""

    def get(self, round_id: str, product_id: str) -> RoundResult | None: ...

    def standing(self, round_id: str) -> list[RoundResult]:
        """On the list: proposed, and not taken off by an upheld objection; per field and organisation."""

    def recognised(self, round_id: str) -> list[RoundResult]:
        """Recognised at finalisation; per field and organisation."""

    def tally(self, round_id: str) -> ResultTally: ...

    def take_off_list(self, round_id: str, product_id: str, objection_id: str) -> None:
        """An upheld objection takes the product off the list (unless one did already)."""

    def mark_recognised(self, round_id: str, product_ids: Sequence[str]) -> None: ...


class ObjectionRepository(Protocol):
    def add(self, objection: Objection) -> None: ...

    def get(self, round_id: str, objection_id: str) -> Objection | None: ...

    def save(self, objection: Objection) -> None: ...

    def of_round(self, round_id: str) -> list[Objection]:
        """In the order they were raised."""

    def pending_count(self, round_id: str) -> int: ...

    def pending_of(self, round_id: str, owner: str) -> int:
        """The round's undecided objections that count against `owner` (an `Owner.key`)."""

    def raised_by_owner(self, owner: str, limit: int) -> list[Objection]:
        """The objections of `owner` (an `Owner.key`) in every round, newest first."""

    def about(self, product_ids: Sequence[str], limit: int) -> list[Objection]:
        """The objections to these products in every round, newest first."""


class EvidenceRepository(Protocol):
    def add(self, evidence: ObjectionEvidence) -> None: ...

    def get(self, objection_id: str, evidence_id: str) -> ObjectionEvidence | None: ...

    def of_objection(self, objection_id: str) -> list[ObjectionEvidence]:
        """In the order they were uploaded."""

    def count(self, objection_id: str) -> int: ...

    def usage(self, round_id: str, owner: str) -> Usage:
        """The evidence files (and bytes) of the round's objections that count against `owner`."""
