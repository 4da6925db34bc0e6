"""Recognition's evaluation as plain rules (review.domain.indicators, review.domain.recognition):
the shipped indicator configuration, each indicator from a product's data, the formal check, and
one industry field evaluated end to end with every benchmark and the proposed list worked out by
hand in the comments."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from platform_shared.patents.verdict import PatentVerdict
from review.domain.indicator_configuration import DEFAULT_FILE, load_indicator_set
from review.domain.indicators import ConfigurationRefused, IndicatorSet, ProductPatent, compute, rounded, variables_of
from review.domain.recognition import FiledProductFacts, RoundTerms, evaluate_field, formal_check

pytestmark = pytest.mark.unit

V1 = load_indicator_set(DEFAULT_FILE)
TERMS = RoundTerms(year=2031, cut_off=dt.date(2031, 3, 31))  # data year 2030
VALID = PatentVerdict(True)
LAPSED = PatentVerdict(False, "The patent P-lapsed has lapsed (终止) according to the file registry.")


def patent(number: str, kind: str = "invention", relation: str = "owner") -> ProductPatent:
    return ProductPatent(number, kind, relation)


def product(product_id: str, revenue: str, ip: str | None, patents: list[ProductPatent], *, field: str = "05",
            status: str = "filed", filed_on: dt.date = dt.date(2030, 6, 1), volume: int = 100,
            recognised: frozenset[int] = frozenset()) -> FiledProductFacts:
    figures = {"sales_revenue": Decimal(revenue), "sales_volume": Decimal(volume), "export_revenue": None,
               "profit": None, "ip_investment": None if ip is None else Decimal(ip)}
    return FiledProductFacts(product_id, field, status, filed_on, figures, tuple(patents), recognised)


def verdicts_for(*products: FiledProductFacts, lapsed: tuple[str, ...] = ()) -> dict[str, PatentVerdict]:
    return {p.number: (LAPSED if p.number in lapsed else VALID) for f in products for p in f.patents}


# --- the configuration ---------------------------------------------------------------------------

def test_the_shipped_configuration_states_the_four_criteria_with_versioned_formulas():
    assert V1.version == "v1"
    assert [(i.code, i.name) for i in V1.indicators] == [
        ("economic_benefit", "经济效益"), ("protection_strength", "专利保护强度"),
        ("value_contribution", "专利价值贡献"), ("dependence", "产品竞争力对专利依赖度")]
    assert V1.get("value_contribution").formula.text == "sales_revenue / protection_strength"
    assert V1.get("dependence").formula.text == "ip_investment / sales_revenue"
    assert all(i.benchmark.describe(7) == "P50 of 7 products" for i in V1.indicators)


def _document(**indicator) -> dict:
    entry = {"code": "x", "name": "某指标", "formula": "sales_revenue", "decimals": 2,
             "benchmark": {"statistic": "percentile", "percentile": 50}, **indicator}
    return {"version": "test", "indicators": [entry]}


@pytest.mark.parametrize(("indicator", "message"), [
    ({"formula": "open('/etc/passwd')"}, "formula refused"),
    ({"formula": "later_one * 2"}, "unknown variable 'later_one'"),  # only earlier indicators are known
    ({"formula": "x + 1"}, "unknown variable 'x'"),  # not itself either
    ({"code": "sales_revenue"}, "must be a new name"),
    ({"code": "not an identifier"}, "must be a new name"),
    ({"name": ""}, "name"),
    ({"decimals": 9}, "decimals"),
    ({"benchmark": {"statistic": "mean"}}, "benchmark"),
    ({"benchmark": {"statistic": "percentile", "percentile": 120}}, "percentile"),
])
def test_a_configuration_that_breaks_a_rule_is_refused_naming_the_indicator(indicator, message):
    with pytest.raises(ConfigurationRefused, match=message):
        IndicatorSet.from_document(_document(**indicator))


def test_a_configuration_without_version_or_indicators_is_refused(tmp_path):
    with pytest.raises(ConfigurationRefused, match="version"):
        IndicatorSet.from_document({"indicators": _document()["indicators"]})
    with pytest.raises(ConfigurationRefused, match="indicators"):
        IndicatorSet.from_document({"version": "v9", "indicators": []})
    broken = tmp_path / "indicators.json"
    broken.write_text("[1, 2", "utf-8")
    with pytest.raises(ConfigurationRefused, match="indicators.json"):
        load_indicator_set(broken)


# --- indicators of one product -------------------------------------------------------------------

def test_indicators_from_a_products_figures_and_its_valid_patents():
    patents = [patent("P1"), patent("P2", relation="licensee"), patent("P3", "utility_model"),
               patent("P4", "design", "licensee")]
    facts = product("a", "10000000.00", "500000.00", patents)
    verdicts = {"P1": VALID, "P2": VALID, "P3": LAPSED, "P4": VALID}
    values = compute(V1, variables_of(facts.figures, [p for p in patents if verdicts[p.number].valid]))
    # economic benefit = sales revenue
    assert values["economic_benefit"].value == Decimal("10000000.00")
    # protection strength = 3 × (1 owned + 0.5 × 1 licensed invention) + (utility model P3 lapsed: 0)
    #                       + (0 + 0.5 × 1 licensed design) = 4.5 + 0.5 = 5.0
    assert values["protection_strength"].value == Decimal("5.0")
    # value contribution = 10,000,000 / 5 = 2,000,000.00
    assert values["value_contribution"].value == Decimal("2000000.00")
    # dependence = 500,000 / 10,000,000 = 0.05, shown with 6 decimals
    assert values["dependence"].value == Decimal("0.050000")
    assert str(values["dependence"].value) == "0.050000"


def test_an_indicator_that_divides_by_zero_is_undefined_with_its_reason():
    facts = product("a", "0.00", "100.00", [patent("P1")])
    values = compute(V1, variables_of(facts.figures, []))  # no valid patent: strength 0
    assert values["protection_strength"].value == Decimal("0.0")
    assert values["value_contribution"].value is None
    assert "division by zero: protection_strength is 0" in values["value_contribution"].reason
    assert "division by zero: sales_revenue is 0" in values["dependence"].reason


def test_values_are_rounded_half_away_from_zero_exactly():
    from fractions import Fraction

    assert rounded(Fraction(1, 3), 2) == Decimal("0.33")
    assert rounded(Fraction(2, 3), 2) == Decimal("0.67")
    assert rounded(Fraction(5, 1000), 2) == Decimal("0.01")
    assert rounded(Fraction(-5, 1000), 2) == Decimal("-0.01")
    assert str(rounded(Fraction(-1, 1000), 2)) == "0.00"
    assert str(rounded(Fraction(20_000_000, 13) * 2, 2)) == "3076923.08"  # 20,000,000 / 6.5


# --- the formal check ----------------------------------------------------------------------------

def test_a_complete_product_filed_on_the_cut_off_passes_the_formal_check():
    facts = product("a", "1.00", "1.00", [patent("P1")], filed_on=TERMS.cut_off)
    assert formal_check(facts, TERMS, verdicts_for(facts)) == ()


@pytest.mark.parametrize(("changes", "check", "words"), [
    ({"status": "cancelled"}, "status", "cancelled"),
    ({"status": "revoked"}, "status", "revoked"),
    ({"filed_on": dt.date(2031, 4, 1)}, "filed_on", "after the cut-off 2031-03-31"),
    ({"ip": None}, "figures", "the figures of 2030 lack ip_investment"),
    ({"recognised": frozenset({2031})}, "recognised", "already recognised for 2031"),
])
def test_each_failure_of_the_formal_check_is_named(changes, check, words):
    arguments = {"revenue": "1.00", "ip": "1.00", "patents": [patent("P1")], **changes}
    facts = product("a", **arguments)
    [reason] = formal_check(facts, TERMS, verdicts_for(facts))
    assert reason.check == check and words in reason.message


def test_no_figures_of_the_data_year_and_no_valid_patent_fail_the_formal_check():
    facts = FiledProductFacts("a", "05", "filed", dt.date(2030, 1, 1), None, (patent("P-lapsed"),))
    reasons = formal_check(facts, TERMS, verdicts_for(facts, lapsed=("P-lapsed",)))
    assert [r.check for r in reasons] == ["figures", "patents"]
    assert "sales_revenue, sales_volume, ip_investment" in reasons[0].message
    assert "has lapsed" in reasons[1].message


# --- one field, worked out by hand ---------------------------------------------------------------
#
# Field 05, data year 2030. Products on record with figures of 2030 (the population):
#   A  revenue 10,000,000  ip 1,000,000  invention + utility model owned    strength 3+1 = 4.0
#      value 10,000,000/4 = 2,500,000.00                                    dependence 0.100000
#   B  revenue  6,000,000  ip   600,000  invention owned                    strength 3.0
#      value 2,000,000.00                                                   dependence 0.100000
#   C  revenue 20,000,000  ip 1,600,000  2 inventions owned + design licensed  strength 6 + 0.5 = 6.5
#      value 20,000,000/6.5 = 3,076,923.08                                  dependence 0.080000
#   D  revenue  8,000,000  ip   400,000  invention licensed + 2 utility models owned  strength 1.5 + 2 = 3.5
#      value 8,000,000/3.5 = 2,285,714.29                                   dependence 0.050000
#   E  revenue 12,000,000  ip 1,200,000  invention owned + utility model licensed  strength 3 + 0.5 = 3.5
#      value 3,428,571.43                                                   dependence 0.100000  (did not opt in)
#   G  revenue  9,000,000  ip   450,000  its one invention lapsed           strength 0.0
#      value undefined (÷ 0)                                                dependence 0.050000
#   F  cancelled: not on record, in no statistic (its huge figures would move every benchmark).
#
# Derived benchmarks, P50 with h = (n − 1) × 0.5:
#   economic benefit     6M 8M 9M 10M 12M 20M (n 6, h 2.5): 9M + 0.5 × 1M      = 9,500,000.00
#   protection strength  0 3 3.5 3.5 4 6.5   (n 6, h 2.5): 3.5 + 0.5 × 0      = 3.5
#   value contribution   2,000,000.00 2,285,714.29 2,500,000.00 3,076,923.08 3,428,571.43
#                        (n 5, G undefined, h 2): the middle one              = 2,500,000.00
#   dependence           0.05 0.05 0.08 0.1 0.1 0.1 (n 6, h 2.5): 0.08 + 0.5 × 0.02 = 0.090000
#
# Opted in: A B C D F G. F fails the formal check (cancelled), G too (no valid patent).
#   A  9.5M ≤ 10M, 3.5 ≤ 4.0, 2.5M ≤ 2.5M (equal reaches), 0.09 ≤ 0.1      → PROPOSED
#   B  6M < 9.5M, 3.0 < 3.5, 2.0M < 2.5M; 0.1 reaches                      → not: three indicators
#   C  20M, 6.5, 3.08M reach; 0.08 < 0.09                                  → not: dependence only
#   D  8M < 9.5M; 3.5 reaches (equal); 2.29M < 2.5M; 0.05 < 0.09           → not: three indicators

A = product("A", "10000000.00", "1000000.00", [patent("A1"), patent("A2", "utility_model")])
B = product("B", "6000000.00", "600000.00", [patent("B1")])
C = product("C", "20000000.00", "1600000.00", [patent("C1"), patent("C2"), patent("C3", "design", "licensee")])
D = product("D", "8000000.00", "400000.00", [patent("D1", relation="licensee"), patent("D2", "utility_model"),
                                             patent("D3", "utility_model")])
E = product("E", "12000000.00", "1200000.00", [patent("E1"), patent("E2", "utility_model", "licensee")])
G = product("G", "9000000.00", "450000.00", [patent("G1")])
F = product("F", "100000000.00", "90000000.00", [patent("F1")], status="cancelled")
POPULATION = [A, B, C, D, E, G, F]
CANDIDATES = [A, B, C, D, F, G]
VERDICTS = verdicts_for(*POPULATION, lapsed=("G1",))


def _evaluate(given: dict[str, Decimal] | None = None):
    return evaluate_field("05", V1, TERMS, CANDIDATES, POPULATION, given or {}, VERDICTS)


def test_derived_benchmarks_are_the_fields_p50_over_every_product_on_record():
    evaluation = _evaluate()
    assert [(b.indicator, str(b.value), b.source, b.statistic) for b in evaluation.benchmarks] == [
        ("economic_benefit", "9500000.00", "derived", "P50 of 6 products"),
        ("protection_strength", "3.5", "derived", "P50 of 6 products"),
        ("value_contribution", "2500000.00", "derived", "P50 of 5 products"),
        ("dependence", "0.090000", "derived", "P50 of 6 products"),
    ]


def test_the_proposed_list_and_why_each_other_product_is_not_on_it():
    results = {r.product_id: r for r in _evaluate().results}
    assert sorted(results) == ["A", "B", "C", "D", "F", "G"]  # E did not opt in
    assert [p for p, r in results.items() if r.proposed] == ["A"]
    assert [s.code for s in results["B"].shortfalls] == ["economic_benefit", "protection_strength",
                                                         "value_contribution"]
    assert [s.code for s in results["D"].shortfalls] == ["economic_benefit", "value_contribution", "dependence"]
    [short] = results["C"].shortfalls
    assert (short.code, str(short.value), str(short.benchmark)) == ("dependence", "0.080000", "0.090000")
    assert short.note == "产品竞争力对专利依赖度 (dependence) 0.080000 is below the benchmark 0.090000"
    assert [r.check for r in results["F"].formal_reasons] == ["status"] and results["F"].indicators == ()
    assert [r.check for r in results["G"].formal_reasons] == ["patents"]


def test_a_product_just_under_a_given_benchmark_is_not_proposed_and_that_indicator_is_named():
    # A's revenue is 10,000,000.00: given 10,000,000.01 it falls short by one fen, on that alone.
    results = {r.product_id: r for r in _evaluate({"economic_benefit": Decimal("10000000.01")}).results}
    assert not results["A"].proposed
    [short] = results["A"].shortfalls
    assert (short.code, str(short.value), str(short.benchmark)) == ("economic_benefit", "10000000.00",
                                                                     "10000000.01")
    assert "below the benchmark 10000000.01" in short.note


def test_given_benchmarks_replace_derived_ones_indicator_by_indicator():
    # Given: economic benefit 7,000,000.00 and dependence 0.08; strength and value stay derived.
    #   A  reaches all four as before                                 → proposed
    #   C  20M ≥ 7M, 6.5, 3.08M, 0.08 ≥ 0.08 (equal reaches)          → proposed now
    #   D  8M ≥ 7M, 3.5, but 2,285,714.29 < 2,500,000.00, 0.05 < 0.08  → not: value and dependence
    evaluation = _evaluate({"economic_benefit": Decimal("7000000.00"), "dependence": Decimal("0.08")})
    assert [(b.indicator, str(b.value), b.source, b.statistic) for b in evaluation.benchmarks] == [
        ("economic_benefit", "7000000.00", "given", "given by the operator"),
        ("protection_strength", "3.5", "derived", "P50 of 6 products"),
        ("value_contribution", "2500000.00", "derived", "P50 of 5 products"),
        ("dependence", "0.080000", "given", "given by the operator"),
    ]
    results = {r.product_id: r for r in evaluation.results}
    assert [p for p, r in results.items() if r.proposed] == ["A", "C"]
    assert [s.code for s in results["D"].shortfalls] == ["value_contribution", "dependence"]


def test_a_field_without_any_value_has_no_benchmark_and_no_product_reaches_it():
    lonely = product("L", "1.00", "1.00", [patent("L1")], field="06")
    evaluation = evaluate_field("06", V1, TERMS, [lonely], [], {}, verdicts_for(lonely))
    assert all(b.value is None and b.statistic == "no product of the field has a value"
               for b in evaluation.benchmarks)
    [result] = evaluation.results
    assert not result.proposed and len(result.shortfalls) == 4
    assert "has no benchmark" in result.shortfalls[0].note


def test_the_shipped_file_is_the_one_the_readme_describes():
    document = json.loads(DEFAULT_FILE.read_text("utf-8"))
    assert document["version"] == V1.version
    assert "3 * (invention_owned + 0.5 * invention_licensed)" in V1.get("protection_strength").formula.text
