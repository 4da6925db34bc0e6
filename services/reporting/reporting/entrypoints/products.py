"""The product list of a province (or the nation) over HTTP: a page of it, or all of it as a file."""

from __future__ import annotations

from typing import Any

from flask import Response

from platform_shared.pages import PageRequest
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint
from reporting.domain.product_list import ProductFilter
from reporting.domain.queries import ExportProducts, ListProducts
from reporting.domain.scope import READERS
from reporting.entrypoints.downloads import BINARY, download_response
from reporting.entrypoints.products_schemas import ExportQuery, ProductPage, ProductQuery
from reporting.service_layer.dependencies import ReportingDependencies
from reporting.service_layer.downloads import XLSX
from reporting.service_layer.product_list import export_products, products_page
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

blp = ServiceBlueprint("products", __name__)
EXPORT_DOC = {"200": {"description": "The product list as a file", "content": {XLSX: BINARY, "text/csv": BINARY}}}


def product_filter(query: dict[str, Any]) -> ProductFilter:
    return ProductFilter(status=query["status"], industry_code=query["industry_code"], city_code=query["city_code"],
                         text=query["q"])


@endpoint(blp, "/products", "GET", roles=READERS, query=ProductQuery, response=(200, ProductPage),
          problems=(401, 403))
def list_products(query: dict[str, Any]) -> dict[str, Any]:
    """Filed and recognised products of the scope with organisation, field and filing number;
    declared revenue by year for operators only. Every read is audited."""
    page = products_page(ListProducts(current_principal(), query["province"], product_filter(query),
                                      PageRequest.of(query)), current_uow(ReportingUnitOfWork))
    return page.as_dict()


@endpoint(blp, "/products/export", "GET", roles=READERS, query=ExportQuery, response=None, problems=(401, 403),
          doc={"responses": EXPORT_DOC})
def export(query: dict[str, Any]) -> Response:
    """The whole product list of the scope (filters as the list) as `xlsx` (default) or `csv`,
    words not codes, each product with its economic figures of `year` (the last full year by
    default; a province admin gets its own province's only); the XLSX with a chart of the year's
    sales revenue by industry field. Audited with the scope, year and number of products."""
    asked = ExportProducts(current_principal(), query["province"], product_filter(query), query["format"],
                           query["year"])
    dependencies = current_dependencies(ReportingDependencies)
    return download_response(export_products(asked, current_uow(ReportingUnitOfWork), dependencies.report_files,
                                             dependencies.industries))
