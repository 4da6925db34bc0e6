"""A product's declaration as stored rows and as data: writing the validated API input into
the product and its child rows, and reading it back for responses and events."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from filing.adapters.orm import EconomicYear, Material, OrganisationView, PatentDeclaration, Product
from filing.domain.product_identity import model_key, normalise_variants
from platform_shared.money import to_fen, to_yuan

MATERIALS_PATH = "/api/v1/filing/products/{product_id}/materials/{material_id}"
SCALARS = ("name", "brand", "model", "industry_code", "description", "launched_on")



def apply_declaration(product: Product, declaration: Mapping[str, Any], now: dt.datetime) -> None:
    """Set what `declaration` gives (a validated draft or a partial change) on the product's row
    and replace the lists it gives; the caller saves within its transaction."""
    for field in SCALARS:
        if field in declaration:
            setattr(product, field, declaration[field])
    product.model_key = model_key(product.brand, product.model)
    if "variants" in declaration:
        product.variants = json.dumps(normalise_variants(declaration["variants"]), ensure_ascii=False)
    product.updated_at = now


def replace_lists(product: Product, declaration: Mapping[str, Any], now: dt.datetime) -> None:
    """Write the economic data and patents the declaration gives (after the product row exists)."""
    if "economic_data" in declaration:
        EconomicYear.delete().where(EconomicYear.product == product.id).execute()
        rows = [economic_row(product.id, year, now) for year in declaration["economic_data"]]
        if rows:
            EconomicYear.insert_many(rows).execute()
    if "patents" in declaration:
        PatentDeclaration.delete().where(PatentDeclaration.product == product.id).execute()
        rows = [{"product": product.id, "position": index, "number": p["number"], "kind": p["kind"],
                 "title": p.get("title") or "", "holder": p.get("holder") or "", "relation": p["relation"],
                 "license_record_no": p.get("license_record_no"), "dispute": bool(p.get("dispute"))}
                for index, p in enumerate(declaration["patents"])]
        if rows:
            PatentDeclaration.insert_many(rows).execute()


def economic_row(product_id: str, year: Mapping[str, Any], now: dt.datetime) -> dict:
    return {"product": product_id, "year": year["year"], "sales_revenue_fen": to_fen(year["sales_revenue"]),
            "sales_volume": year["sales_volume"], "export_revenue_fen": to_fen(year.get("export_revenue")),
            "profit_fen": to_fen(year.get("profit")), "ip_investment_fen": to_fen(year.get("ip_investment")),
            "updated_at": now}


def economic_data_of(product: Product) -> list[dict]:
    years = EconomicYear.select().where(EconomicYear.product == product.id).order_by(EconomicYear.year)
    return [economic_out(y) for y in years]


def economic_out(year: EconomicYear) -> dict:
    return {"year": year.year, "sales_revenue": to_yuan(year.sales_revenue_fen), "sales_volume": year.sales_volume,
            "export_revenue": to_yuan(year.export_revenue_fen), "profit": to_yuan(year.profit_fen),
            "ip_investment": to_yuan(year.ip_investment_fen)}


def patents_of(product: Product) -> list[dict]:
    patents = (PatentDeclaration.select().where(PatentDeclaration.product == product.id)
               .order_by(PatentDeclaration.position))
    return [{"number": p.number, "kind": p.kind, "title": p.title, "holder": p.holder, "relation": p.relation,
             "license_record_no": p.license_record_no, "dispute": p.dispute} for p in patents]


def materials_of(product: Product) -> list[Material]:
    return list(Material.select().where(Material.product == product.id)
                .order_by(Material.uploaded_at, Material.id))


def material_url(material: Material) -> str:
    return MATERIALS_PATH.format(product_id=material.product_id, material_id=material.id)


def variants_of(product: Product) -> list[str]:
    return json.loads(product.variants or "[]")


def identity_of(product: Product, organisation: OrganisationView | None) -> dict:
    """Who and what the product is, as every filing event says it."""
    return {"product_id": product.id, "organisation_id": product.organisation_id,
            "organisation_name": organisation.name if organisation else "",
            "province_code": product.province_code or (organisation.province_code if organisation else None),
            "name": product.name, "brand": product.brand, "model": product.model,
            "industry_code": product.industry_code}


def declaration_of(product: Product, organisation: OrganisationView | None) -> dict:
    """The whole declaration, as `submitted` and `filed` carry it."""
    patents = [{k: v for k, v in p.items() if k != "dispute"} for p in patents_of(product)]
    return {
        **identity_of(product, organisation),
        "description": product.description, "variants": variants_of(product),
        "launched_on": product.launched_on.isoformat() if product.launched_on else None,
        "economic_data": economic_data_of(product), "patents": patents,
        "materials": [{"id": m.id, "kind": m.kind, "media_type": m.media_type, "sha256": m.sha256,
                       "size": m.size, "url": material_url(m)} for m in materials_of(product)],
    }
