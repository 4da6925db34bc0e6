"""The list of filed and recognised products of a scope, one page at a time or whole as a file
(XLSX or CSV), with what the caller's role may see (`domain.product_list`). Every read is
audited; an export with what it contained (scope, year, number of products, format)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from platform_shared.industries import IndustryClassification
from platform_shared.money import to_yuan
from platform_shared.pages import Page
from reporting.domain.product_list import export_carries_figures, last_full_year, sees_product_figures
from reporting.domain.products import Product
from reporting.domain.queries import ExportProducts, ListProducts
from reporting.domain.scope import scope_name, scope_of
from reporting.service_layer.dependencies import ReportFiles
from reporting.service_layer.downloads import MEDIA_TYPES, Download
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def products_page(query: ListProducts, uow: ReportingUnitOfWork) -> Page[dict[str, Any]]:
    """One page of the scope's products; declared revenue by year for operators only."""
    province = scope_of(query.principal, query.province)
    with uow:
        page = uow.products.page(province, query.filter, query.page)
        uow.audit("products.list", "province", scope_name(province),
                  {"products": [product.product_id for product in page.items]})
    with_figures = sees_product_figures(query.principal)
    return page.map(lambda product: product_row(product, with_figures))


def export_products(query: ExportProducts, uow: ReportingUnitOfWork, files: ReportFiles,
                    industries: IndustryClassification, today: dt.date | None = None) -> Download:
    """The whole product list of the scope as `xlsx` or `csv`, each product with its economic
    figures of one year (`query.year`, or the last full year before `today`) for the callers
    `export_carries_figures` names. A CSV is written as it is sent (constant memory)."""
    province = scope_of(query.principal, query.province)
    year = query.year or last_full_year(today or dt.datetime.now(dt.UTC).date())
    with_figures = export_carries_figures(query.principal)
    with uow:
        # Counted in the transaction that audits it: the entry says how many products left.
        count = uow.products.count(province, query.filter)
        uow.audit("products.export", "province", scope_name(province),
                  {"format": query.file_format, "province": scope_name(province), "year": year, "products": count,
                   "figures": with_figures})
    figures_year = year if with_figures else None
    rows = (export_row(product, figures_year) for product in uow.products.each(province, query.filter))
    name = f"products-{scope_name(province)}.{query.file_format}"
    names = {code: field.name for code, field in industries.fields.items()}
    if query.file_format == "csv":
        return Download(name, MEDIA_TYPES["csv"], files.products_csv(rows, names, figures_year))
    sink = io.BytesIO()
    files.products_xlsx(rows, sink, names, figures_year)
    return Download(name, MEDIA_TYPES["xlsx"], sink.getvalue())


def export_row(product: Product, year: int | None) -> dict[str, Any]:
    """A product as the export writes it: as the list shows it (without the revenue by year),
    and with `year`'s figures in fen (none when the year is None or not declared)."""
    row = product_row(product, with_figures=False)
    declared = product.facts.figures.get(year) if year is not None else None
    row["figures"] = declared
    return row


def product_row(product: Product, with_figures: bool) -> dict[str, Any]:
    """A product as the list shows it (and the export writes it)."""
    facts = product.facts
    return {"product_id": product.product_id, "name": product.name, "brand": product.brand, "model": product.model,
            "organisation_name": product.organisation_name, "industry_code": facts.industry_code,
            "province_code": facts.province_code, "city_code": facts.city_code,
            "filing_number": product.filing_number,
            "filed_on": product.filed_at.date() if product.filed_at else None, "status": facts.status,
            "recognised": facts.recognised, "suspended": facts.suspended,
            "declared_revenue_by_year": ({str(year): to_yuan(fen) for year, fen in sorted(facts.revenue_fen.items())}
                                         if with_figures else None)}
