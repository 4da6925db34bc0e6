"""What a person asks reporting to read: one query per question, each with who asks
(`principal`) and the province asked for (None: the nation, or a province admin's own).

Which province a caller may read is a rule (`scope`); reads of single products, reports and
coverage are audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from platform_shared.pages import PageRequest
from platform_shared.principal import Principal
from reporting.domain.product_list import ProductFilter


@dataclass(frozen=True)
class ReadSummary:
    principal: Principal
    province: str | None


@dataclass(frozen=True)
class ListProducts:
    principal: Principal
    province: str | None
    filter: ProductFilter
    page: PageRequest


@dataclass(frozen=True)
class ExportProducts:
    principal: Principal
    province: str | None
    filter: ProductFilter
    file_format: str  # xlsx or csv
    year: int | None = None  # the figures' year; None: the last full year


@dataclass(frozen=True)
class ListMonthlyReports:
    principal: Principal
    province: str | None


@dataclass(frozen=True)
class ReadMonthlyReport:
    principal: Principal
    province: str | None
    month: str
    file_format: str  # json, csv or xlsx


@dataclass(frozen=True)
class ReadCoverage:
    principal: Principal
    province: str | None
    list_name: str | None


@dataclass(frozen=True)
class ReadEvaluation:
    principal: Principal
    province: str | None
    year: int
    live: bool = False  # the figures as they stand now, even once the year is closed
