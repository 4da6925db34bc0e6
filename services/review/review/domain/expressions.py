"""Formulas of the recognition indicators: arithmetic over named variables, read with Python's
`ast` and computed exactly with fractions — never with `eval`.

    formula = Formula.parse("sales_revenue / protection_strength", known={"sales_revenue", ...})
    formula.evaluate({"sales_revenue": Fraction(10_000_000), "protection_strength": Fraction(4)})

Allowed: numbers, variable names, `+ - * /`, a leading minus, parentheses, `min(a, b, …)` and
`max(a, b, …)`. Everything else — attributes, subscripts, comparisons, other calls, strings,
`**`, `//`, `%`, unknown names — is refused when the formula is read (`FormulaRefused`), so a
configuration file can name arithmetic but never run code. Dividing by zero or a variable
without a value makes the result undefined (`Undefined`, with the reason), not an error.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

MAX_LENGTH = 1000
FUNCTIONS = frozenset({"min", "max"})
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaRefused(ValueError):
    """The text is not a formula this evaluator takes; the message says what is not allowed."""


class Undefined(ArithmeticError):
    """The formula has no value for these variables (division by zero, a missing figure)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Formula:
    """A checked formula; `names` are the variables it reads."""

    text: str
    names: frozenset[str]
    _tree: ast.Expression = field(compare=False, repr=False)

    @classmethod
    def parse(cls, text: object, known: Iterable[str]) -> Formula:
        """`text` as read from a configuration document: anything but a formula is refused."""
        if not isinstance(text, str) or not text.strip():
            raise FormulaRefused("a formula must be a non-empty text")
        if len(text) > MAX_LENGTH:
            raise FormulaRefused(f"a formula has at most {MAX_LENGTH} characters")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise FormulaRefused(f"not an arithmetic expression: {exc.msg}") from None
        names: set[str] = set()
        _check(tree.body, frozenset(known), names)
        return cls(text.strip(), frozenset(names), tree)

    def evaluate(self, variables: Mapping[str, Fraction | None]) -> Fraction:
        """The exact value; `Undefined` when a variable has no value or a divisor is zero."""
        return _value(self._tree.body, variables)


def _check(node: ast.AST, known: frozenset[str], names: set[str]) -> None:
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, known, names)
        _check(node.right, known, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, known, names)
    elif isinstance(node, ast.Constant):
        # bool is an int to Python, but `True` in a formula is a mistake, not the number 1.
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise FormulaRefused(f"{node.value!r} is not a number")
        if isinstance(node.value, float) and not math.isfinite(node.value):
            raise FormulaRefused(f"{ast.unparse(node)} is too large a number")
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise FormulaRefused(f"{node.id} must be called: {node.id}(a, b)")
        if node.id not in known:
            raise FormulaRefused(f"unknown variable {node.id!r}; known: {', '.join(sorted(known))}")
        names.add(node.id)
    elif isinstance(node, ast.Call):
        function = node.func.id if isinstance(node.func, ast.Name) else None
        if function not in FUNCTIONS:
            raise FormulaRefused(f"only min(…) and max(…) may be called, not {ast.unparse(node.func)}")
        if node.keywords or len(node.args) < 2 or any(isinstance(a, ast.Starred) for a in node.args):
            raise FormulaRefused(f"{function} takes two or more values: {function}(a, b)")
        for argument in node.args:
            _check(argument, known, names)
    else:
        raise FormulaRefused(f"{ast.unparse(node)!r} is not allowed: only numbers, variables, + - * /, "
                             "parentheses, min and max")


def _value(node: ast.AST, variables: Mapping[str, Fraction | None]) -> Fraction:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        # repr() of a float is its shortest decimal form: 0.1 is 1/10, not the binary neighbour.
        return Fraction(repr(node.value)) if isinstance(node.value, float) else Fraction(node.value)
    if isinstance(node, ast.Name):
        value = variables.get(node.id)
        if value is None:
            raise Undefined(f"{node.id} is not given")
        return Fraction(value)
    if isinstance(node, ast.UnaryOp):
        operand = _value(node.operand, variables)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        values = [_value(a, variables) for a in node.args]
        return min(values) if node.func.id == "min" else max(values)
    if not isinstance(node, ast.BinOp):
        # `parse` refused everything else: this is a tree it did not check.
        raise FormulaRefused(f"{ast.unparse(node)!r} is not allowed")
    left, right = _value(node.left, variables), _value(node.right, variables)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    if right == 0:
        raise Undefined(f"division by zero: {ast.unparse(node.right)} is 0")
    return left / right
