"""The formula evaluator of the recognition indicators (review.domain.expressions): what it takes,
what it refuses when a configuration is read, and when a value is undefined."""

from __future__ import annotations

from fractions import Fraction

import pytest

from review.domain.expressions import Formula, FormulaRefused, Undefined

pytestmark = pytest.mark.unit

KNOWN = {"a", "b", "c", "sales_revenue", "protection_strength"}


def value(text: str, **variables) -> Fraction:
    return Formula.parse(text, KNOWN).evaluate({k: Fraction(v) for k, v in variables.items()})


@pytest.mark.parametrize(("text", "variables", "expected"), [
    ("a", {"a": 7}, Fraction(7)),
    ("a + b * c", {"a": 1, "b": 2, "c": 3}, Fraction(7)),  # precedence: 1 + (2 × 3)
    ("(a + b) * c", {"a": 1, "b": 2, "c": 3}, Fraction(9)),
    ("a - b - c", {"a": 10, "b": 3, "c": 2}, Fraction(5)),  # left to right: (10 − 3) − 2
    ("a / b", {"a": 1, "b": 3}, Fraction(1, 3)),  # exact, not 0.333…
    ("-a + +b", {"a": 2, "b": 5}, Fraction(3)),
    ("0.1 + 0.2", {}, Fraction(3, 10)),  # decimal literals are exact: no 0.30000000000000004
    ("1e3 * a", {"a": 2}, Fraction(2000)),
    ("min(a, b) + max(a, b, 10)", {"a": 4, "b": 9}, Fraction(14)),  # 4 + 10
    ("3 * (a + 0.5 * b) + (c + 0.5 * 0)", {"a": 1, "b": 1, "c": 1}, Fraction(11, 2)),  # 3 × 1.5 + 1
    ("sales_revenue / protection_strength", {"sales_revenue": 10_000_000, "protection_strength": 4},
     Fraction(2_500_000)),
])
def test_arithmetic_over_named_variables_is_exact(text, variables, expected):
    assert value(text, **variables) == expected


def test_the_names_a_formula_reads_are_known_after_reading_it():
    assert Formula.parse("min(a, b) / (c + 1)", KNOWN).names == {"a", "b", "c"}


@pytest.mark.parametrize("text", [
    "__import__('os').system('true')",
    "a.real",
    "a[0]",
    "a ** 2",
    "a // 2",
    "a % 2",
    "a if b else c",
    "a < b",
    "a and b",
    "'text'",
    "True",
    "None",
    "1j",
    "lambda: 1",
    "[a, b]",
    "(a for a in b)",
    "abs(a)",
    "min",
    "min(a)",
    "min(*a)",
    "max(a, b, key=c)",
    "a.b(c)",
    "unknown + 1",
    "d",
    "",
    "   ",
    "a +",
    "a; b",
    "1e400",
    "a" * 1001,
])
def test_anything_but_numbers_names_arithmetic_and_min_max_is_refused_when_read(text):
    with pytest.raises(FormulaRefused):
        Formula.parse(text, KNOWN)


def test_an_unknown_variable_is_named_with_the_known_ones():
    with pytest.raises(FormulaRefused, match="unknown variable 'revenue'.*sales_revenue"):
        Formula.parse("revenue / a", KNOWN)


def test_division_by_zero_is_undefined_and_names_the_divisor():
    formula = Formula.parse("sales_revenue / (a - b)", KNOWN)
    with pytest.raises(Undefined) as caught:
        formula.evaluate({"sales_revenue": Fraction(5), "a": Fraction(2), "b": Fraction(2)})
    assert caught.value.reason == "division by zero: a - b is 0"


def test_a_variable_without_a_value_is_undefined_and_named():
    with pytest.raises(Undefined) as caught:
        Formula.parse("a + b", KNOWN).evaluate({"a": Fraction(1), "b": None})
    assert caught.value.reason == "b is not given"
