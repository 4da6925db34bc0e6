"""Yuan as decimal strings at the edges, whole fen inside: exact arithmetic, no floats."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def to_fen(amount: str | None) -> int | None:
    """`"12345.6"` → 1234560; None stays None. The amount was validated as yuan with ≤ 2 decimals."""
    if amount is None:
        return None
    try:
        value = Decimal(amount)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of yuan: {amount!r}") from exc
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"more than two decimals: {amount!r}")
    return int(fen)


def to_yuan(fen: int | None) -> str | None:
    """1234560 → `"12345.60"`."""
    if fen is None:
        return None
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
