"""The evaluation indicators of recognition as versioned configuration, and their values.

The standard (T/PPAC 402-2022, succeeded by GB/T 46961-2025) names its criteria — economic
benefit, patent protection strength, patent value contribution, dependence of the product's
competitiveness on patents — but its figures are not public here. So each criterion is an
indicator whose formula is data (`review/data/indicators-v1.json`): a document with a
`version` and, per indicator, its `code`, Chinese `name`, `formula` over the variables below
(or over indicators listed before it), the `decimals` its value is shown and compared with,
and its `benchmark` rule (`{"statistic": "percentile", "percentile": 50}`). A new edition of
the standard is a new document, not new code.

Variables a formula may read, from a product's filed data of the data year (year − 1):
`sales_revenue`, `sales_volume`, `export_revenue`, `profit`, `ip_investment` (yuan; a figure
not given has no value), and the counts of its declared patents valid at the cut-off by kind
and holding: `invention_owned`, `invention_licensed`, `utility_model_owned`, … ,
`design_licensed`, and `valid_patents` (all of them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from review.domain.expressions import Formula, FormulaRefused, Undefined

FIGURES = ("sales_revenue", "sales_volume", "export_revenue", "profit", "ip_investment")
PATENT_KINDS = ("invention", "utility_model", "design")
HOLDINGS = {"owner": "owned", "licensee": "licensed"}
PATENT_COUNTS = tuple(f"{kind}_{holding}" for kind in PATENT_KINDS for holding in HOLDINGS.values())
VARIABLES = (*FIGURES, *PATENT_COUNTS, "valid_patents")
STATISTICS = ("percentile",)
MAX_DECIMALS = 6


class ConfigurationRefused(ValueError):
    """The indicator document is not usable; the message names the indicator and the problem."""


@dataclass(frozen=True)
class BenchmarkRule:
    """How a benchmark is derived from a field's values when the operator gives none."""

    statistic: str
    percentile: Fraction

    def describe(self, sample_size: int) -> str:
        return f"P{_plain(self.percentile)} of {sample_size} products"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    name_en: str
    formula: Formula
    decimals: int
    unit: str
    benchmark: BenchmarkRule


@dataclass(frozen=True)
class IndicatorSet:
    version: str
    title: str
    indicators: tuple[Indicator, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def get(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> IndicatorSet:
        """Read and check a configuration document (parsed JSON); `ConfigurationRefused` otherwise."""
        if not isinstance(document, Mapping):
            raise ConfigurationRefused("the document is not a JSON object")
        version = document.get("version")
        if not isinstance(version, str) or not version.strip():
            raise ConfigurationRefused("the document needs a `version` (text)")
        entries = document.get("indicators")
        if not isinstance(entries, list) or not entries:
            raise ConfigurationRefused("the document needs a non-empty list `indicators`")
        known = set(VARIABLES)
        indicators = []
        for position, entry in enumerate(entries):
            indicator = _indicator(entry, position, known)
            # A later indicator may use an earlier one (value contribution per protection strength).
            known.add(indicator.code)
            indicators.append(indicator)
        return cls(version.strip(), str(document.get("title", "")), tuple(indicators))


def _indicator(entry: Any, position: int, known: set[str]) -> Indicator:
    where = f"indicator {position + 1}"
    if not isinstance(entry, Mapping):
        raise ConfigurationRefused(f"{where} is not an object")
    code = entry.get("code")
    if not isinstance(code, str) or not code.isidentifier() or code in known or code in ("min", "max"):
        raise ConfigurationRefused(f"{where}: `code` must be a new name (letters, digits, _), not {code!r}")
    where = f"indicator {code}"
    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise ConfigurationRefused(f"{where}: `name` (its Chinese name) is missing")
    decimals = entry.get("decimals", 2)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= MAX_DECIMALS:
        raise ConfigurationRefused(f"{where}: `decimals` is a whole number from 0 to {MAX_DECIMALS}")
    try:
        formula = Formula.parse(entry.get("formula"), known)
    except FormulaRefused as exc:
        raise ConfigurationRefused(f"{where}: formula refused: {exc}") from None
    return Indicator(code=code, name=entry["name"].strip(), name_en=str(entry.get("name_en", code)),
                     formula=formula, decimals=decimals, unit=str(entry.get("unit", "")),
                     benchmark=_rule(entry.get("benchmark"), where))


def _rule(rule: Any, where: str) -> BenchmarkRule:
    if not isinstance(rule, Mapping) or rule.get("statistic") not in STATISTICS:
        raise ConfigurationRefused(f"{where}: `benchmark` must be {{\"statistic\": \"percentile\", \"percentile\": p}}")
    p = rule.get("percentile")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 100:
        raise ConfigurationRefused(f"{where}: the benchmark's `percentile` is a number from 0 to 100")
    return BenchmarkRule("percentile", Fraction(repr(p)) if isinstance(p, float) else Fraction(p))


@dataclass(frozen=True)
class ProductPatent:
    number: str
    kind: str
    relation: str


def variables_of(figures: Mapping[str, Decimal | None] | None, valid_patents: Iterable[ProductPatent]
                 ) -> dict[str, Fraction | None]:
    """What a formula may read about one product: its data year's figures and its valid patents."""
    given = {name: None if figures is None else figures.get(name) for name in FIGURES}
    values: dict[str, Fraction | None] = {name: None if value is None else Fraction(value)
                                          for name, value in given.items()}
    counts = dict.fromkeys(PATENT_COUNTS, 0)
    for patent in valid_patents:
        counts[f"{patent.kind}_{HOLDINGS[patent.relation]}"] += 1
    values.update({name: Fraction(count) for name, count in counts.items()})
    values["valid_patents"] = Fraction(sum(counts.values()))
    return values


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's value as shown and compared (rounded to its decimals), or why it has none."""

    value: Decimal | None
    reason: str | None = None


def compute(indicators: IndicatorSet, variables: Mapping[str, Fraction | None]) -> dict[str, IndicatorValue]:
    """Every indicator's value for one product, in the configuration's order."""
    known: dict[str, Fraction | None] = dict(variables)
    values: dict[str, IndicatorValue] = {}
    for indicator in indicators.indicators:
        try:
            exact = indicator.formula.evaluate(known)
        except Undefined as exc:
            known[indicator.code] = None
            values[indicator.code] = IndicatorValue(None, f"{indicator.name} ({indicator.code}) is undefined: "
                                                          f"{exc.reason}")
            continue
        # Later formulas read the exact value; the value shown and compared is rounded.
        known[indicator.code] = exact
        values[indicator.code] = IndicatorValue(rounded(exact, indicator.decimals))
    return values


def rounded(value: Fraction | Decimal, decimals: int) -> Decimal:
    """`value` to `decimals` places, halves away from zero, exactly (no float on the way)."""
    scaled = Fraction(value) * 10**decimals
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    # Built from its digits: no decimal context (and its precision) is involved.
    return Decimal((1 if scaled < 0 and whole else 0, tuple(int(d) for d in str(whole)), -decimals))


def _plain(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(rounded(value, MAX_DECIMALS).normalize())
