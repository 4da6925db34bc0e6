"""Recognition of patent-intensive products (专利密集型产品认定), the evaluation of one round:
the formal check (形式审查) of each opted-in product, then per industry field the benchmarks
(评价基准) of the indicators and each product's values against them (分产业认定).

A round of `year` judges the figures of `year − 1` (the data year). A product passes the
formal check when it was filed on or before the cut-off, is still on record (not cancelled or
revoked), was not recognised for that year already, has the data year's sales revenue, sales
volume and IP investment, and at least one of its declared patents is valid per the patent
registry. It is PROPOSED when it passed and every indicator reaches (≥) its field's benchmark.

A benchmark is GIVEN by the operator or DERIVED: the configured statistic (a percentile) of the
indicator over every product on record in the field with figures of the data year — not only
the opted-in ones, which is what "set from the accumulated data" asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from platform_shared.patents.verdict import PatentVerdict
from review.domain.indicators import IndicatorSet, IndicatorValue, ProductPatent, compute, rounded, variables_of
from review.domain.statistics import percentile

REQUIRED_FIGURES = ("sales_revenue", "sales_volume", "ip_investment")
ON_RECORD = frozenset({"filed", "recognised"})


@dataclass(frozen=True)
class RoundTerms:
    year: int
    cut_off: dt.date

    @property
    def data_year(self) -> int:
        return self.year - 1


@dataclass(frozen=True)
class FiledProductFacts:
    """What review knows of a filed product from filing's events, for one data year."""

    product_id: str
    industry_code: str
    status: str
    filed_on: dt.date | None
    figures: Mapping[str, Decimal | None] | None  # the data year's; None if it has none
    patents: tuple[ProductPatent, ...]
    recognised_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Reason:
    check: str
    message: str


def valid_patents(product: FiledProductFacts, verdicts: Mapping[str, PatentVerdict]) -> list[ProductPatent]:
    return [p for p in product.patents if verdicts[p.number].valid]


def formal_check(product: FiledProductFacts, terms: RoundTerms,
                 verdicts: Mapping[str, PatentVerdict]) -> tuple[Reason, ...]:
    """Why the product fails the formal check; empty when it passes."""
    reasons = []
    if product.status not in ON_RECORD:
        reasons.append(Reason("status", f"the product is {product.status}: no longer on record"))
    if product.filed_on is None or product.filed_on > terms.cut_off:
        when = product.filed_on.isoformat() if product.filed_on else "never"
        reasons.append(Reason("filed_on", f"filed {when}, after the cut-off {terms.cut_off.isoformat()}"))
    if terms.year in product.recognised_years:
        reasons.append(Reason("recognised", f"already recognised for {terms.year}"))
    missing = [name for name in REQUIRED_FIGURES if product.figures is None or product.figures.get(name) is None]
    if missing:
        reasons.append(Reason("figures", f"the figures of {terms.data_year} lack {', '.join(missing)}"))
    if not valid_patents(product, verdicts):
        why = "; ".join(verdicts[p.number].reason or p.number for p in product.patents) or "none is declared"
        reasons.append(Reason("patents", f"no declared patent is valid at the cut-off ({why})"))
    return tuple(reasons)


@dataclass(frozen=True)
class Benchmark:
    indicator: str
    value: Decimal | None
    source: str  # "given" or "derived"
    statistic: str
    sample_size: int | None


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    value: Decimal | None
    benchmark: Decimal | None
    reached: bool
    note: str | None = None


@dataclass(frozen=True)
class ProductResult:
    product_id: str
    industry_code: str
    formal_reasons: tuple[Reason, ...]
    indicators: tuple[IndicatorResult, ...] = ()

    @property
    def formal_passed(self) -> bool:
        return not self.formal_reasons

    @property
    def proposed(self) -> bool:
        return self.formal_passed and all(i.reached for i in self.indicators)

    @property
    def shortfalls(self) -> tuple[IndicatorResult, ...]:
        return tuple(i for i in self.indicators if not i.reached)


@dataclass(frozen=True)
class FieldEvaluation:
    industry_code: str
    benchmarks: tuple[Benchmark, ...]
    results: tuple[ProductResult, ...]


def indicator_values(product: FiledProductFacts, indicators: IndicatorSet,
                     verdicts: Mapping[str, PatentVerdict]) -> dict[str, IndicatorValue]:
    return compute(indicators, variables_of(product.figures, valid_patents(product, verdicts)))


def benchmarks_of(indicators: IndicatorSet, population: Iterable[Mapping[str, IndicatorValue]],
                  given: Mapping[str, Decimal], minimum: int = 1) -> tuple[Benchmark, ...]:
    """Each indicator's benchmark: the operator's value, or the statistic of the field's values
    when at least `minimum` products have one (a median of one product is that product)."""
    population = list(population)
    benchmarks = []
    for indicator in indicators.indicators:
        if indicator.code in given:
            benchmarks.append(Benchmark(indicator.code, rounded(given[indicator.code], indicator.decimals), "given",
                                        "given by the operator", None))
            continue
        sample = [value for v in population if (value := v[indicator.code].value) is not None]
        if not sample:
            benchmarks.append(Benchmark(indicator.code, None, "derived", "no product of the field has a value", 0))
            continue
        if len(sample) < minimum:
            benchmarks.append(Benchmark(indicator.code, None, "derived",
                                        f"only {len(sample)} product(s) of the field have a value, fewer than the "
                                        f"{minimum} a derived benchmark needs", len(sample)))
            continue
        value = rounded(percentile(sample, indicator.benchmark.percentile), indicator.decimals)
        benchmarks.append(Benchmark(indicator.code, value, "derived", indicator.benchmark.describe(len(sample)),
                                    len(sample)))
    return tuple(benchmarks)


def judge(indicators: IndicatorSet, values: Mapping[str, IndicatorValue],
          benchmarks: Sequence[Benchmark]) -> tuple[IndicatorResult, ...]:
    """Each indicator's value against its benchmark, with why it fell short."""
    results = []
    for indicator, benchmark in zip(indicators.indicators, benchmarks, strict=True):
        value = values[indicator.code]
        label = f"{indicator.name} ({indicator.code})"
        if value.value is None:
            results.append(IndicatorResult(indicator.code, None, benchmark.value, False, value.reason))
        elif benchmark.value is None:
            results.append(IndicatorResult(indicator.code, value.value, None, False,
                                           f"{label} has no benchmark: {benchmark.statistic}"))
        elif value.value < benchmark.value:
            results.append(IndicatorResult(indicator.code, value.value, benchmark.value, False,
                                           f"{label} {value.value} is below the benchmark {benchmark.value}"))
        else:
            results.append(IndicatorResult(indicator.code, value.value, benchmark.value, True))
    return tuple(results)


def evaluate_field(industry_code: str, indicators: IndicatorSet, terms: RoundTerms,
                   candidates: Iterable[FiledProductFacts], population: Iterable[FiledProductFacts],
                   given: Mapping[str, Decimal], verdicts: Mapping[str, PatentVerdict],
                   minimum: int = 1) -> FieldEvaluation:
    """The field's benchmarks (derived ones from at least `minimum` products) and each
    opted-in product's result.

    `candidates` are the field's products opted in to the round; `population` every product on
    record in the field (derived benchmarks are its statistics over those with figures of the
    data year). `verdicts` answer for every declared patent of both.
    """
    sample = [indicator_values(p, indicators, verdicts) for p in population
              if p.industry_code == industry_code and p.status in ON_RECORD and p.figures is not None]
    benchmarks = benchmarks_of(indicators, sample, given, minimum)
    results = []
    for product in sorted(candidates, key=lambda p: p.product_id):
        reasons = formal_check(product, terms, verdicts)
        if reasons:
            results.append(ProductResult(product.product_id, industry_code, reasons))
            continue
        values = indicator_values(product, indicators, verdicts)
        results.append(ProductResult(product.product_id, industry_code, (), judge(indicators, values, benchmarks)))
    return FieldEvaluation(industry_code, benchmarks, tuple(results))


def missing_benchmarks(evaluation: FieldEvaluation) -> dict[str, list[str]]:
    """`benchmarks.<field>.<indicator>` → why, for each benchmark the field's products need
    (one of them passed the formal check) that could not be derived: the operator gives those."""
    if not any(result.formal_passed for result in evaluation.results):
        return {}
    return {f"benchmarks.{evaluation.industry_code}.{b.indicator}": [f"{b.statistic}: give this benchmark"]
            for b in evaluation.benchmarks if b.value is None}
