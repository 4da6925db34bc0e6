"""The list of filed and recognised products of a scope, one page at a time or whole as a file
(XLSX or CSV), with what the caller's role may see. Every read is audited."""

from __future__ import annotations

import io
from typing import Any

from platform_shared.industries import IndustryClassification
from platform_shared.money import to_yuan
from platform_shared.pages import Page
from reporting.domain.product_list import sees_product_figures
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
                    industries: IndustryClassification) -> Download:
    """The whole product list of the scope as `xlsx` or `csv`: product identity only, no
    figures of single products. A CSV is written as it is sent (constant memory)."""
    province = scope_of(query.principal, query.province)
    with uow:
        uow.audit("products.export", "province", scope_name(province), {"format": query.file_format})
    rows = (product_row(product, with_figures=False) for product in uow.products.each(province, query.filter))
    name = f"products-{scope_name(province)}.{query.file_format}"
    names = {code: field.name for code, field in industries.fields.items()}
    if query.file_format == "csv":
        return Download(name, MEDIA_TYPES["csv"], files.products_csv(rows, names))
    sink = io.BytesIO()
    files.products_xlsx(rows, sink, names)
    return Download(name, MEDIA_TYPES["xlsx"], sink.getvalue())


def product_row(product: Product, with_figures: bool) -> dict[str, Any]:
    """A product as the list shows it (and the export writes it)."""
    facts = product.facts
    return {"product_id": product.product_id, "name": product.name, "brand": product.brand, "model": product.model,
            "organisation_name": product.organisation_name, "industry_code": facts.industry_code,
            "province_code": facts.province_code, "city_code": facts.city_code,
            "filing_number": product.filing_number,
            "filed_on": product.filed_at.date() if product.filed_at else None, "status": facts.status,
            "recognised": facts.recognised,
            "declared_revenue_by_year": ({str(year): to_yuan(fen) for year, fen in sorted(facts.revenue_fen.items())}
                                         if with_figures else None)}
