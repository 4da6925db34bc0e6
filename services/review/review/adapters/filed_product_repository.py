"""review's view of filed products on peewee: the products, their figures per year (whole fen),
their recognition opt-ins per year and the recognitions filing applied.

A year's figures and a year's opt-in are written with one upsert each, so two events of the same
product and year never leave two rows; which of them is newer the handler decides before.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import peewee

from platform_shared.figures import YearFigures
from review.adapters import recognition_tables as tables
from review.domain.filed_products import FiledProduct
from review.domain.indicators import ProductPatent
from review.domain.recognition import ON_RECORD

Product = tables.FiledProduct
Year = tables.FiledProductYear
OptIn = tables.FiledProductOptIn
Recognition = tables.FiledProductRecognition
# Products per query of their years: a field may hold thousands of products.
CHUNK = 500


def _product(row: Product) -> FiledProduct:
    patents = None if row.patents is None else tuple(
        ProductPatent(p["number"], p["kind"], p["relation"]) for p in json.loads(row.patents))
    return FiledProduct(
        product_id=row.product_id, status=row.status, aggregate_version=row.aggregate_version,
        organisation_id=row.organisation_id, organisation_name=row.organisation_name,
        province_code=row.province_code, name=row.name, brand=row.brand, model=row.model,
        industry_code=row.industry_code, filing_number=row.filing_number, filed_at=row.filed_at, patents=patents,
        edition=row.edition)


def _columns(product: FiledProduct) -> dict[str, object]:
    patents = None if product.patents is None else json.dumps(
        [{"number": p.number, "kind": p.kind, "relation": p.relation} for p in product.patents], ensure_ascii=False)
    return {"status": product.status, "aggregate_version": product.aggregate_version,
            "organisation_id": product.organisation_id, "organisation_name": product.organisation_name,
            "province_code": product.province_code, "name": product.name, "brand": product.brand,
            "model": product.model, "industry_code": product.industry_code, "filing_number": product.filing_number,
            "filed_at": product.filed_at, "patents": patents, "edition": product.edition}


def _figures(row: Year) -> YearFigures:
    return YearFigures(year=row.year, sales_revenue_fen=row.sales_revenue_fen, sales_volume=row.sales_volume,
                       export_revenue_fen=row.export_revenue_fen, profit_fen=row.profit_fen,
                       ip_investment_fen=row.ip_investment_fen)


class PeeweeFiledProductRepository:
    def get(self, product_id: str) -> FiledProduct | None:
        row = Product.get_or_none(Product.product_id == product_id)
        return None if row is None else _product(row)

    def add(self, product: FiledProduct) -> None:
        Product.insert(product_id=product.product_id, **_columns(product)).execute()

    def save(self, product: FiledProduct) -> None:
        Product.update(**_columns(product)).where(Product.product_id == product.product_id).execute()

    def year_version(self, product_id: str, year: int) -> int | None:
        row = Year.get_or_none((Year.product_id == product_id) & (Year.year == year))
        return None if row is None else row.aggregate_version

    def keep_year(self, product_id: str, figures: YearFigures, version: int) -> None:
        values = {Year.sales_revenue_fen: figures.sales_revenue_fen, Year.sales_volume: figures.sales_volume,
                  Year.export_revenue_fen: figures.export_revenue_fen, Year.profit_fen: figures.profit_fen,
                  Year.ip_investment_fen: figures.ip_investment_fen, Year.aggregate_version: version}
        Year.insert({Year.product_id: product_id, Year.year: figures.year, **values}).on_conflict(
            conflict_target=[Year.product_id, Year.year], update=values).execute()

    def opt_in_version(self, product_id: str, year: int) -> int | None:
        row = OptIn.get_or_none((OptIn.product_id == product_id) & (OptIn.year == year))
        return None if row is None else row.aggregate_version

    def keep_opt_in(self, product_id: str, year: int, opt_in: bool, version: int) -> None:
        OptIn.insert(product_id=product_id, year=year, opt_in=opt_in, aggregate_version=version).on_conflict(
            conflict_target=[OptIn.product_id, OptIn.year],
            update={OptIn.opt_in: opt_in, OptIn.aggregate_version: version}).execute()

    def add_recognition(self, product_id: str, year: int, round_id: str) -> None:
        Recognition.insert(product_id=product_id, year=year, round_id=round_id).on_conflict_ignore().execute()

    def opted_in(self, year: int, industry_codes: Iterable[str]) -> list[FiledProduct]:
        return [_product(row) for row in Product.select().join(OptIn, on=(OptIn.product_id == Product.product_id))
                .where((OptIn.year == year) & OptIn.opt_in & Product.industry_code.in_(list(industry_codes)))
                .order_by(Product.product_id)]

    def on_record(self, industry_codes: Iterable[str]) -> list[FiledProduct]:
        return [_product(row) for row in Product.select()
                .where(Product.industry_code.in_(list(industry_codes)) & Product.status.in_(sorted(ON_RECORD)))
                .order_by(Product.product_id)]

    def figures_of(self, product_ids: Sequence[str], year: int) -> dict[str, YearFigures]:
        return {row.product_id: _figures(row) for chunk in peewee.chunked(product_ids, CHUNK)
                for row in Year.select().where(Year.product_id.in_(chunk) & (Year.year == year))}

    def recognised_years(self, product_ids: Sequence[str]) -> dict[str, set[int]]:
        years: dict[str, set[int]] = {}
        for chunk in peewee.chunked(product_ids, CHUNK):
            for row in Recognition.select().where(Recognition.product_id.in_(chunk)):
                years.setdefault(row.product_id, set()).add(row.year)
        return years

    def ids_of(self, organisation_id: str) -> list[str]:
        return [row.product_id for row in Product.select(Product.product_id)
                .where(Product.organisation_id == organisation_id).order_by(Product.product_id)]
