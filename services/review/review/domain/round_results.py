"""What an evaluation leaves on a round: each field's benchmarks and each opted-in product's
result, as stored and shown — values and benchmarks as the decimal strings they are compared
and shown as, the product as it was known when the round was evaluated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from review.domain.filed_products import FiledProduct
from review.domain.indicators import IndicatorSet
from review.domain.recognition import FieldEvaluation, Reason


@dataclass(frozen=True)
class RoundBenchmark:
    round_id: str
    industry_code: str
    indicator: str
    indicator_name: str
    position: int
    value: str | None  # None when no product of the field has a value
    source: str  # "given" or "derived"
    statistic: str
    sample_size: int | None


@dataclass(frozen=True)
class ShownIndicator:
    code: str
    name: str
    value: str | None
    benchmark: str | None
    reached: bool
    note: str | None


@dataclass(frozen=True)
class ResultMarks:
    """What the round's counts are made of."""

    failed_formal_check: bool
    proposed: bool
    removed_by: str | None
    recognised: bool


@dataclass(frozen=True)
class ResultTally:
    opted_in: int = 0
    failed_formal_check: int = 0
    proposed: int = 0
    on_list: int = 0
    recognised: int = 0

    @classmethod
    def of(cls, marks: Iterable[ResultMarks]) -> ResultTally:
        every = list(marks)
        return cls(opted_in=len(every), failed_formal_check=sum(1 for m in every if m.failed_formal_check),
                   proposed=sum(1 for m in every if m.proposed),
                   on_list=sum(1 for m in every if m.proposed and m.removed_by is None),
                   recognised=sum(1 for m in every if m.recognised))


@dataclass
class RoundResult:
    """One opted-in product's result in a round, with what the public list shows of it."""

    round_id: str
    product_id: str
    industry_code: str
    name: str
    brand: str
    model: str
    organisation_name: str
    province_code: str | None
    formal_reasons: tuple[Reason, ...]
    indicators: tuple[ShownIndicator, ...]
    proposed: bool
    removed_by: str | None = None  # the upheld objection that took it off the list
    recognised: bool = False

    @property
    def on_list(self) -> bool:
        return self.proposed and self.removed_by is None

    @property
    def marks(self) -> ResultMarks:
        return ResultMarks(bool(self.formal_reasons), self.proposed, self.removed_by, self.recognised)

    def why(self) -> list[str]:
        """Why it was or was not proposed."""
        if self.formal_reasons:
            return [f"formal check: {r.message}" for r in self.formal_reasons]
        if not self.proposed:
            return [i.note or "" for i in self.indicators if not i.reached]
        return ["every indicator reaches its field's benchmark"]


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)


def benchmarks_of(round_id: str, evaluation: FieldEvaluation, indicators: IndicatorSet) -> list[RoundBenchmark]:
    return [RoundBenchmark(round_id, evaluation.industry_code, b.indicator, indicators.get(b.indicator).name,
                           position, _text(b.value), b.source, b.statistic, b.sample_size)
            for position, b in enumerate(evaluation.benchmarks)]


def results_of(round_id: str, evaluation: FieldEvaluation, indicators: IndicatorSet,
               products: Mapping[str, FiledProduct]) -> list[RoundResult]:
    results = []
    for result in evaluation.results:
        product = products[result.product_id]
        results.append(RoundResult(
            round_id=round_id, product_id=product.product_id, industry_code=product.industry_code,
            name=product.name, brand=product.brand, model=product.model,
            organisation_name=product.organisation_name, province_code=product.province_code,
            formal_reasons=result.formal_reasons,
            indicators=tuple(ShownIndicator(i.code, indicators.get(i.code).name, _text(i.value), _text(i.benchmark),
                                            i.reached, i.note) for i in result.indicators),
            proposed=result.proposed))
    return results
