"""Recognition rounds on peewee: the rounds (locked for an action on PostgreSQL), what their
evaluation left (benchmarks and results), objections and their evidence files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

import peewee

from platform_shared.attachments import StoredFile
from platform_shared.database import is_postgres
from platform_shared.pages import Page, PageRequest
from platform_shared.peewee_queries import delete_from, select_page, stored_usage
from platform_shared.quotas import Usage
from review.adapters import recognition_tables as tables
from review.adapters.orm import database
from review.domain.objections import Objection, ObjectionEvidence
from review.domain.recognition import Reason
from review.domain.round_results import ResultMarks, ResultTally, RoundBenchmark, RoundResult, ShownIndicator
from review.domain.rounds import RecognitionRound

Round = tables.RecognitionRound
Benchmark = tables.RoundBenchmark
Result = tables.RoundResult
ObjectionRow = tables.Objection
Evidence = tables.ObjectionEvidence
# Results per INSERT: a field may hold thousands of products.
CHUNK = 200


def _round(row: tables.RecognitionRound) -> RecognitionRound:
    return RecognitionRound(
        id=row.id, year=row.year, cut_off=row.cut_off, industry_codes=tuple(json.loads(row.industry_codes)),
        created_by=row.created_by, created_at=row.created_at, state=row.state, version=row.version,
        config_version=row.config_version, evaluated_at=row.evaluated_at, notice_ends_on=row.notice_ends_on,
        published_at=row.published_at, finalised_at=row.finalised_at, closed_at=row.closed_at,
        close_reason=row.close_reason)


class PeeweeRoundRepository:
    def add(self, found: RecognitionRound) -> None:
        Round.insert(id=found.id, created_by=found.created_by, created_at=found.created_at, **self._changing(found)) \
            .execute()

    def get(self, round_id: str, *, for_update: bool = False) -> RecognitionRound | None:
        query = Round.select().where(Round.id == round_id)
        if for_update and is_postgres(database):
            query = query.for_update()
        row: tables.RecognitionRound | None = query.first()
        return None if row is None else _round(row)

    def save(self, found: RecognitionRound) -> None:
        Round.update(**self._changing(found)).where(Round.id == found.id).execute()

    @staticmethod
    def _changing(found: RecognitionRound) -> dict[str, object]:
        return {"year": found.year, "cut_off": found.cut_off, "industry_codes": json.dumps(list(found.industry_codes)),
                "state": found.state, "version": found.version, "config_version": found.config_version,
                "evaluated_at": found.evaluated_at, "notice_ends_on": found.notice_ends_on,
                "published_at": found.published_at, "finalised_at": found.finalised_at,
                "closed_at": found.closed_at, "close_reason": found.close_reason,
                "year_under_way": found.year if found.under_way else None}

    def under_way(self, year: int) -> RecognitionRound | None:
        row: tables.RecognitionRound | None = Round.select().where(Round.year_under_way == year).first()
        return None if row is None else _round(row)

    def page(self, state: str | None, year: int | None, request: PageRequest) -> Page[RecognitionRound]:
        selection = Round.select()
        if state:
            selection = selection.where(Round.state == state)
        if year:
            selection = selection.where(Round.year == year)
        return select_page(selection, request, Round.created_at.desc(), Round.id).map(_round)


def _result(row: tables.RoundResult) -> RoundResult:
    return RoundResult(
        round_id=row.round_id, product_id=row.product_id, industry_code=row.industry_code, name=row.name,
        brand=row.brand, model=row.model, organisation_name=row.organisation_name, province_code=row.province_code,
        formal_reasons=tuple(Reason(**r) for r in json.loads(row.formal_reasons)),
        indicators=tuple(ShownIndicator(**i) for i in json.loads(row.indicators)), proposed=row.proposed,
        removed_by=row.removed_by, recognised=row.recognised)


def _result_row(result: RoundResult) -> dict[str, object]:
    return {**asdict(result), "formal_reasons": json.dumps([asdict(r) for r in result.formal_reasons],
                                                           ensure_ascii=False),
            "indicators": json.dumps([asdict(i) for i in result.indicators], ensure_ascii=False)}


def _results(selection: peewee.ModelSelect[tables.RoundResult]) -> list[RoundResult]:
    return [_result(row) for row in selection]


class PeeweeResultRepository:
    def replace(self, round_id: str, benchmarks: Sequence[RoundBenchmark], results: Sequence[RoundResult]) -> None:
        delete_from(Benchmark).where(Benchmark.round_id == round_id).execute()
        delete_from(Result).where(Result.round_id == round_id).execute()
        if benchmarks:
            Benchmark.insert_many([asdict(b) for b in benchmarks]).execute()
        for chunk in peewee.chunked([_result_row(r) for r in results], CHUNK):
            Result.insert_many(chunk).execute()

    def benchmarks(self, round_id: str) -> list[RoundBenchmark]:
        return [RoundBenchmark(b.round_id, b.industry_code, b.indicator, b.indicator_name, b.position, b.value,
                               b.source, b.statistic, b.sample_size)
                for b in Benchmark.select().where(Benchmark.round_id == round_id)
                .order_by(Benchmark.industry_code, Benchmark.position)]

    def of_round(self, round_id: str) -> list[RoundResult]:
        return _results(Result.select().where(Result.round_id == round_id)
                        .order_by(Result.industry_code, Result.proposed.desc(), Result.product_id))

    def get(self, round_id: str, product_id: str) -> RoundResult | None:
        row = Result.get_or_none((Result.round_id == round_id) & (Result.product_id == product_id))
        return None if row is None else _result(row)

    def standing(self, round_id: str) -> list[RoundResult]:
        return _results(Result.select().where((Result.round_id == round_id) & Result.proposed
                                              & Result.removed_by.is_null())
                        .order_by(Result.industry_code, Result.organisation_name, Result.product_id))

    def recognised(self, round_id: str) -> list[RoundResult]:
        return _results(Result.select().where((Result.round_id == round_id) & Result.recognised)
                        .order_by(Result.industry_code, Result.organisation_name, Result.product_id))

    def tally(self, round_id: str) -> ResultTally:
        # Four columns only: a round's list of rounds should not read every product's indicators.
        return ResultTally.of(
            ResultMarks(bool(json.loads(r.formal_reasons)), r.proposed, r.removed_by, r.recognised)
            for r in Result.select(Result.proposed, Result.removed_by, Result.formal_reasons, Result.recognised)
            .where(Result.round_id == round_id))

    def take_off_list(self, round_id: str, product_id: str, objection_id: str) -> None:
        Result.update(removed_by=objection_id).where(
            (Result.round_id == round_id) & (Result.product_id == product_id) & Result.removed_by.is_null()).execute()

    def mark_recognised(self, round_id: str, product_ids: Sequence[str]) -> None:
        Result.update(recognised=True).where((Result.round_id == round_id) & Result.product_id.in_(list(product_ids))) \
            .execute()


def _objection(row: tables.Objection) -> Objection:
    return Objection(id=row.id, round_id=row.round_id, product_id=row.product_id, reasons=row.reasons,
                     raised_by=row.raised_by, raised_by_role=row.raised_by_role, raised_at=row.raised_at,
                     state=row.state, decision_reason=row.decision_reason, decided_by=row.decided_by,
                     decided_at=row.decided_at, owner=row.owner)


class PeeweeObjectionRepository:
    def add(self, objection: Objection) -> None:
        ObjectionRow.insert(**asdict(objection)).execute()

    def get(self, round_id: str, objection_id: str) -> Objection | None:
        row = ObjectionRow.get_or_none((ObjectionRow.id == objection_id) & (ObjectionRow.round_id == round_id))
        return None if row is None else _objection(row)

    def save(self, objection: Objection) -> None:
        ObjectionRow.update(state=objection.state, decision_reason=objection.decision_reason,
                            decided_by=objection.decided_by, decided_at=objection.decided_at) \
            .where(ObjectionRow.id == objection.id).execute()

    def of_round(self, round_id: str) -> list[Objection]:
        return [_objection(row) for row in ObjectionRow.select().where(ObjectionRow.round_id == round_id)
                .order_by(ObjectionRow.raised_at, ObjectionRow.id)]

    def pending_count(self, round_id: str) -> int:
        return ObjectionRow.select().where((ObjectionRow.round_id == round_id)
                                           & (ObjectionRow.state == "pending")).count()

    def pending_of(self, round_id: str, owner: str) -> int:
        return int(ObjectionRow.select().where((ObjectionRow.round_id == round_id) & (ObjectionRow.owner == owner)
                                               & (ObjectionRow.state == "pending")).count())

    def raised_by_owner(self, owner: str, limit: int) -> list[Objection]:
        return [_objection(row) for row in ObjectionRow.select().where(ObjectionRow.owner == owner)
                .order_by(ObjectionRow.raised_at.desc(), ObjectionRow.id).limit(limit)]

    def about(self, product_ids: Sequence[str], limit: int) -> list[Objection]:
        if not product_ids:
            return []
        return [_objection(row) for row in ObjectionRow.select()
                .where(ObjectionRow.product_id.in_(list(product_ids)))
                .order_by(ObjectionRow.raised_at.desc(), ObjectionRow.id).limit(limit)]


def _evidence(row: tables.ObjectionEvidence) -> ObjectionEvidence:
    return ObjectionEvidence(id=row.id, objection_id=row.objection_id, file=StoredFile(
        sha256=row.sha256, media_type=row.media_type, size=row.size, original_name=row.original_name,
        uploaded_by=row.uploaded_by, uploaded_at=row.uploaded_at))


class PeeweeEvidenceRepository:
    def add(self, evidence: ObjectionEvidence) -> None:
        Evidence.insert(id=evidence.id, objection_id=evidence.objection_id, **asdict(evidence.file)).execute()

    def get(self, objection_id: str, evidence_id: str) -> ObjectionEvidence | None:
        row = Evidence.get_or_none((Evidence.id == evidence_id) & (Evidence.objection_id == objection_id))
        return None if row is None else _evidence(row)

    def of_objection(self, objection_id: str) -> list[ObjectionEvidence]:
        return [_evidence(row) for row in Evidence.select().where(Evidence.objection_id == objection_id)
                .order_by(Evidence.uploaded_at, Evidence.id)]

    def count(self, objection_id: str) -> int:
        return Evidence.select().where(Evidence.objection_id == objection_id).count()

    def usage(self, round_id: str, owner: str) -> Usage:
        theirs = Evidence.select().join(ObjectionRow, on=(Evidence.objection_id == ObjectionRow.id)).where(
            (ObjectionRow.round_id == round_id) & (ObjectionRow.owner == owner))
        return stored_usage(theirs, Evidence.size)
