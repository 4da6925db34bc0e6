"""review's unit of work in memory, for the unit tests of its handlers.

Each fake repository keeps the domain's objects in dictionaries and hands out copies, as a
database would: a handler that changes an object without saving it changes nothing. What the
real repositories do in one statement (a conditional claim, an upsert, a unique key) the fakes do
under the same rules, so a handler cannot tell them apart.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from platform_shared.errors import DuplicateRecord
from platform_shared.events.envelope import Envelope
from platform_shared.figures import YearFigures
from platform_shared.moments import utcnow
from platform_shared.pages import Page, PageRequest, page_in_memory
from platform_shared.patents.registry import RegistryUnavailable
from platform_shared.patents.verdict import PatentVerdict
from platform_shared.quotas import Usage
from review.domain.filed_products import FiledProduct
from review.domain.objections import Objection, ObjectionEvidence
from review.domain.recognition import ON_RECORD
from review.domain.round_results import ResultTally, RoundBenchmark, RoundResult
from review.domain.rounds import RecognitionRound
from review.domain.tasks import PENDING, HistoryEntry, ReviewTask, TaskDecision
from review.service_layer.repositories import TaskFilter
from review.service_layer.unit_of_work import ReviewUnitOfWork
from tests.support.fakes import FakeRepository, FakeUnitOfWork

T = TypeVar("T")


def _copy(item: T) -> T:
    return copy.deepcopy(item)


def _copies(items: Iterable[T]) -> list[T]:
    return [copy.deepcopy(item) for item in items]


class FakeTaskRepository(FakeRepository[ReviewTask]):
    def add(self, task: ReviewTask) -> None:
        # The table's keys: the task's id, and the event it was made from.
        if task.id in self.items or any(t.source_event_id == task.source_event_id for t in self):
            raise DuplicateRecord(f"task {task.id} from event {task.source_event_id} exists")
        self.items[task.id] = _copy(task)

    def get(self, task_id: str) -> ReviewTask | None:
        return _copy(self.items.get(task_id))

    def get_for_change(self, task_id: str) -> ReviewTask | None:
        return self.get(task_id)

    def save(self, task: ReviewTask) -> None:
        self.items[task.id] = _copy(task)

    def claim(self, task_id: str, reviewer_id: str, now: dt.datetime, until: dt.datetime) -> bool:
        task = self.items.get(task_id)
        if task is None or not task.claimable_by(reviewer_id, now):
            return False
        task.state, task.claimed_by, task.claimed_at, task.claim_expires_at = "claimed", reviewer_id, now, until
        return True

    def _of(self, kind: str, subject_id: str) -> list[ReviewTask]:
        return sorted((t for t in self if t.kind == kind and t.subject_id == subject_id),
                      key=lambda t: (t.created_at, t.id))

    def latest(self, kind: str, subject_id: str) -> ReviewTask | None:
        tasks = self._of(kind, subject_id)
        return _copy(tasks[-1]) if tasks else None

    def pending(self, kind: str, subject_id: str) -> list[ReviewTask]:
        return _copies(t for t in self._of(kind, subject_id) if t.state in PENDING)

    def of_case(self, case_id: str) -> list[ReviewTask]:
        return _copies(sorted((t for t in self if t.case_id == case_id), key=lambda t: (t.created_at, t.id)))

    def page(self, which: TaskFilter, request: PageRequest) -> Page[ReviewTask]:
        wanted = {name: value for name, value in vars(which).items() if value}
        chosen = [t for t in self if all(getattr(t, name) == value for name, value in wanted.items())]
        return page_in_memory(_copies(sorted(chosen, key=lambda t: (t.created_at, t.id))), request)

    def waiting(self) -> dict[str, tuple[int, dt.datetime]]:
        waiting: dict[str, tuple[int, dt.datetime]] = {}
        for task in self:
            if task.state in PENDING:
                count, oldest = waiting.get(task.kind, (0, task.created_at))
                waiting[task.kind] = (count + 1, min(oldest, task.created_at))
        return waiting


class FakeDecisionRepository(FakeRepository[TaskDecision]):
    def add(self, decision: TaskDecision) -> None:
        if decision.task_id in self.items:
            raise DuplicateRecord(f"task {decision.task_id} has a decision")
        self.items[decision.task_id] = _copy(decision)

    def get(self, task_id: str) -> TaskDecision | None:
        return _copy(self.items.get(task_id))

    def save(self, decision: TaskDecision) -> None:
        self.items[decision.task_id] = _copy(decision)

    def remove(self, task_id: str) -> None:
        self.items.pop(task_id, None)


class FakeHistoryRepository(FakeRepository[HistoryEntry]):
    def add(self, entry: HistoryEntry) -> None:
        self.items[len(self.items)] = _copy(entry)

    def of_task(self, task_id: str) -> list[HistoryEntry]:
        return _copies(e for e in self if e.task_id == task_id)

    def actions(self, task_id: str) -> list[str]:
        return [e.action for e in self if e.task_id == task_id]


class FakeFiledProductRepository(FakeRepository[FiledProduct]):
    def __init__(self) -> None:
        super().__init__()
        self.years: dict[tuple[str, int], tuple[YearFigures, int]] = {}
        self.opt_ins: dict[tuple[str, int], tuple[bool, int]] = {}
        self.recognitions: dict[tuple[str, int], str] = {}

    def get(self, product_id: str) -> FiledProduct | None:
        return _copy(self.items.get(product_id))

    def ids_of(self, organisation_id: str) -> list[str]:
        return sorted(p.product_id for p in self if p.organisation_id == organisation_id)

    def add(self, product: FiledProduct) -> None:
        if product.product_id in self.items:
            raise DuplicateRecord(f"product {product.product_id} exists")
        self.items[product.product_id] = _copy(product)

    def save(self, product: FiledProduct) -> None:
        self.items[product.product_id] = _copy(product)

    def year_version(self, product_id: str, year: int) -> int | None:
        kept = self.years.get((product_id, year))
        return None if kept is None else kept[1]

    def keep_year(self, product_id: str, figures: YearFigures, version: int) -> None:
        self.years[(product_id, figures.year)] = (figures, version)

    def opt_in_version(self, product_id: str, year: int) -> int | None:
        kept = self.opt_ins.get((product_id, year))
        return None if kept is None else kept[1]

    def keep_opt_in(self, product_id: str, year: int, opt_in: bool, version: int) -> None:
        self.opt_ins[(product_id, year)] = (opt_in, version)

    def add_recognition(self, product_id: str, year: int, round_id: str) -> None:
        self.recognitions.setdefault((product_id, year), round_id)

    def opted_in(self, year: int, industry_codes: Iterable[str]) -> list[FiledProduct]:
        codes = set(industry_codes)
        return _copies(sorted((p for p in self if p.industry_code in codes
                               and self.opt_ins.get((p.product_id, year), (False, 0))[0]),
                              key=lambda p: p.product_id))

    def on_record(self, industry_codes: Iterable[str]) -> list[FiledProduct]:
        codes = set(industry_codes)
        return _copies(sorted((p for p in self if p.industry_code in codes and p.status in ON_RECORD),
                              key=lambda p: p.product_id))

    def figures_of(self, product_ids: Sequence[str], year: int) -> dict[str, YearFigures]:
        return {pid: self.years[(pid, year)][0] for pid in product_ids if (pid, year) in self.years}

    def recognised_years(self, product_ids: Sequence[str]) -> dict[str, set[int]]:
        years: dict[str, set[int]] = {}
        for product_id, year in self.recognitions:
            if product_id in product_ids:
                years.setdefault(product_id, set()).add(year)
        return years


class FakeRoundRepository(FakeRepository[RecognitionRound]):
    """Rounds by id; a second round under way for a year is refused like the unique column."""

    def _check_year(self, found: RecognitionRound) -> None:
        other = self.under_way(found.year)
        if found.under_way and other is not None and other.id != found.id:
            raise DuplicateRecord(f"a round of {found.year} is under way")

    def add(self, found: RecognitionRound) -> None:
        self._check_year(found)
        self.items[found.id] = _copy(found)

    def under_way(self, year: int) -> RecognitionRound | None:
        return next((_copy(r) for r in self if r.year == year and r.under_way), None)

    def get(self, round_id: str, *, for_update: bool = False) -> RecognitionRound | None:
        return _copy(self.items.get(round_id))

    def save(self, found: RecognitionRound) -> None:
        self._check_year(found)
        self.items[found.id] = _copy(found)

    def page(self, state: str | None, year: int | None, request: PageRequest) -> Page[RecognitionRound]:
        chosen = [r for r in self if (not state or r.state == state) and (not year or r.year == year)]
        chosen.sort(key=lambda r: r.id)
        chosen.sort(key=lambda r: r.created_at, reverse=True)
        return page_in_memory(_copies(chosen), request)


class FakeResultRepository(FakeRepository[RoundResult]):
    """Results by (round, product); benchmarks by round."""

    def __init__(self) -> None:
        super().__init__()
        self.benchmarks_by_round: dict[str, list[RoundBenchmark]] = {}

    def replace(self, round_id: str, benchmarks: Sequence[RoundBenchmark], results: Sequence[RoundResult]) -> None:
        self.items = {key: r for key, r in self.items.items() if key[0] != round_id}
        self.items.update({(round_id, r.product_id): _copy(r) for r in results})
        self.benchmarks_by_round[round_id] = list(benchmarks)

    def benchmarks(self, round_id: str) -> list[RoundBenchmark]:
        return sorted(self.benchmarks_by_round.get(round_id, []), key=lambda b: (b.industry_code, b.position))

    def _of(self, round_id: str) -> list[RoundResult]:
        return [r for r in self if r.round_id == round_id]

    def of_round(self, round_id: str) -> list[RoundResult]:
        return _copies(sorted(self._of(round_id), key=lambda r: (r.industry_code, not r.proposed, r.product_id)))

    def get(self, round_id: str, product_id: str) -> RoundResult | None:
        return _copy(self.items.get((round_id, product_id)))

    def _listed(self, results: Iterable[RoundResult]) -> list[RoundResult]:
        return _copies(sorted(results, key=lambda r: (r.industry_code, r.organisation_name, r.product_id)))

    def standing(self, round_id: str) -> list[RoundResult]:
        return self._listed(r for r in self._of(round_id) if r.on_list)

    def recognised(self, round_id: str) -> list[RoundResult]:
        return self._listed(r for r in self._of(round_id) if r.recognised)

    def tally(self, round_id: str) -> ResultTally:
        return ResultTally.of(r.marks for r in self._of(round_id))

    def take_off_list(self, round_id: str, product_id: str, objection_id: str) -> None:
        result = self.items.get((round_id, product_id))
        if result is not None and result.removed_by is None:
            result.removed_by = objection_id

    def mark_recognised(self, round_id: str, product_ids: Sequence[str]) -> None:
        for product_id in product_ids:
            self.items[(round_id, product_id)].recognised = True


class FakeObjectionRepository(FakeRepository[Objection]):
    def add(self, objection: Objection) -> None:
        self.items[objection.id] = _copy(objection)

    def get(self, round_id: str, objection_id: str) -> Objection | None:
        objection = self.items.get(objection_id)
        return _copy(objection) if objection is not None and objection.round_id == round_id else None

    def save(self, objection: Objection) -> None:
        self.items[objection.id] = _copy(objection)

    def of_round(self, round_id: str) -> list[Objection]:
        return _copies(sorted((o for o in self if o.round_id == round_id), key=lambda o: (o.raised_at, o.id)))

    def pending_count(self, round_id: str) -> int:
        return sum(1 for o in self if o.round_id == round_id and o.state == "pending")

    def pending_of(self, round_id: str, owner: str) -> int:
        return sum(1 for o in self if o.round_id == round_id and o.owner == owner and o.state == "pending")

    def _newest(self, objections: Iterable[Objection], limit: int) -> list[Objection]:
        return _copies(sorted(objections, key=lambda o: (o.raised_at, o.id), reverse=True)[:limit])

    def raised_by_owner(self, owner: str, limit: int) -> list[Objection]:
        return self._newest((o for o in self if o.owner == owner), limit)

    def about(self, product_ids: Sequence[str], limit: int) -> list[Objection]:
        return self._newest((o for o in self if o.product_id in set(product_ids)), limit)


class FakeEvidenceRepository(FakeRepository[ObjectionEvidence]):
    def __init__(self, objection_of: Callable[[str], Objection | None]) -> None:
        super().__init__()
        self._objection_of = objection_of  # the tables' join

    def usage(self, round_id: str, owner: str) -> Usage:
        theirs = [e for e in self if (o := self._objection_of(e.objection_id)) is not None
                  and o.round_id == round_id and o.owner == owner]
        return Usage(files=len(theirs), bytes=sum(e.file.size for e in theirs))

    def add(self, evidence: ObjectionEvidence) -> None:
        self.items[evidence.id] = evidence

    def get(self, objection_id: str, evidence_id: str) -> ObjectionEvidence | None:
        evidence = self.items.get(evidence_id)
        return evidence if evidence is not None and evidence.objection_id == objection_id else None

    def of_objection(self, objection_id: str) -> list[ObjectionEvidence]:
        return sorted((e for e in self if e.objection_id == objection_id), key=lambda e: (e.file.uploaded_at, e.id))

    def count(self, objection_id: str) -> int:
        return len(self.of_objection(objection_id))


class FakeReviewUnitOfWork(FakeUnitOfWork, ReviewUnitOfWork):
    def __init__(self, **context: Any) -> None:
        super().__init__(producer="review", **context)
        self.tasks = FakeTaskRepository()
        self.decisions = FakeDecisionRepository()
        self.history = FakeHistoryRepository()
        self.filed_products = FakeFiledProductRepository()
        self.rounds = FakeRoundRepository()
        self.results = FakeResultRepository()
        self.objections = FakeObjectionRepository()
        self.evidence = FakeEvidenceRepository(lambda objection_id: self.objections.items.get(objection_id))


def round_in(uow: ReviewUnitOfWork, state: str = "open", **changes: Any) -> RecognitionRound:
    """A round of 2031 over field 05 in `state`, stored."""
    found = RecognitionRound(id=str(uuid.uuid4()), year=2031, cut_off=dt.date(2031, 3, 31), industry_codes=("05",),
                             created_by="olga", created_at=utcnow(), state=state)
    for name, value in changes.items():
        setattr(found, name, value)
    uow.rounds.add(found)
    return found


def result_of(found: RecognitionRound, name: str, *, proposed: bool = True, removed_by: str | None = None
              ) -> RoundResult:
    """A product's result in `found` (passed the formal check; proposed unless said otherwise)."""
    return RoundResult(round_id=found.id, product_id=str(uuid.uuid4()), industry_code="05", name=name, brand="测试",
                       model=f"M-{name}", organisation_name=f"{name}公司", province_code="440000", formal_reasons=(),
                       indicators=(), proposed=proposed, removed_by=removed_by)


def deliver(event: Envelope, handler: Callable[[Envelope, ReviewUnitOfWork], None], uow: ReviewUnitOfWork) -> None:
    """`event` handled as the consumer does it: in one block of the unit of work."""
    with uow:
        handler(event, uow)


class FakePatentRegistry:
    """Every patent valid unless named lapsed; `down` makes it unreachable (and counts the asks)."""

    name = "fake"

    def __init__(self, lapsed: Iterable[str] = (), down: bool = False) -> None:
        self.lapsed = set(lapsed)
        self.down = down
        self.asked: list[str] = []

    def check(self, number: str) -> PatentVerdict:
        self.asked.append(number)
        if self.down:
            raise RegistryUnavailable("the fake registry is down")
        if number in self.lapsed:
            return PatentVerdict(False, f"The patent {number} has lapsed (终止) according to the fake registry.")
        return PatentVerdict(True)
