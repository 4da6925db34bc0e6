"""A year's economic figures of a product: money in whole fen inside, decimal yuan strings at
the edges (API bodies and events), never a float."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from platform_shared.money import to_fen, to_yuan

MONEY_FIGURES = ("sales_revenue", "export_revenue", "profit", "ip_investment")


@dataclass(frozen=True)
class YearFigures:
    """Sales revenue and volume are always given; exports, profit and IP investment may be unknown."""

    year: int
    sales_revenue_fen: int
    sales_volume: int
    export_revenue_fen: int | None = None
    profit_fen: int | None = None
    ip_investment_fen: int | None = None

    @classmethod
    def from_yuan(cls, figures: Mapping[str, Any], year: int | None = None) -> YearFigures:
        """From validated input or an event's payload (`sales_revenue` etc. as yuan strings)."""
        sales_revenue = to_fen(figures["sales_revenue"])
        if sales_revenue is None:
            raise ValueError("a year's figures need the sales revenue")
        return cls(year=int(figures["year"] if year is None else year), sales_revenue_fen=sales_revenue,
                   sales_volume=int(figures["sales_volume"]),
                   export_revenue_fen=to_fen(figures.get("export_revenue")),
                   profit_fen=to_fen(figures.get("profit")), ip_investment_fen=to_fen(figures.get("ip_investment")))

    def as_yuan(self) -> dict[str, Any]:
        """As the API and the events say it: `{"year": 2025, "sales_revenue": "123.45", …}`."""
        return {"year": self.year, "sales_revenue": to_yuan(self.sales_revenue_fen), "sales_volume": self.sales_volume,
                "export_revenue": to_yuan(self.export_revenue_fen), "profit": to_yuan(self.profit_fen),
                "ip_investment": to_yuan(self.ip_investment_fen)}
