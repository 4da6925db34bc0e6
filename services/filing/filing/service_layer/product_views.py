"""What filing shows of products (the read side): lists and one product with its declaration,
materials, decisions and recognitions. Reads by reviewers and operators are recorded in the audit
log: a product's economic data is confidential to its organisation and the platform's staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from filing.domain.materials import Material
from filing.domain.products import Product
from filing.service_layer.access import is_staff, visible_product
from filing.service_layer.declarations import economic_data_of, patents_of
from filing.service_layer.repositories import ProductFilter
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.industries import classification
from platform_shared.pages import PageRequest
from platform_shared.principal import Principal, require_province


def summary_out(product: Product, recognised: bool) -> dict[str, Any]:
    return {"id": product.id, "organisation_id": product.organisation_id, "status": product.status,
            "name": product.name, "brand": product.brand, "model": product.model,
            "industry_code": product.industry_code, "filing_number": product.filing_number,
            "recognised": recognised, "version": product.version, "updated_at": product.updated_at,
            "patent_risk": risk_out(product)}


def risk_out(product: Product) -> dict[str, Any] | None:
    """What the re-checks of its patents marked on a product on record (None: nothing)."""
    if product.at_risk_since is None and product.suspended_at is None:
        return None
    return {"since": product.at_risk_since, "deadline": product.patent_deadline,
            "suspended": product.suspended, "suspended_at": product.suspended_at}


def lost_patents(product: Product, uow: FilingUnitOfWork) -> list[dict[str, Any]]:
    """The declared patents the newest re-check found lost, with what the register says."""
    latest = uow.rechecks.latest(product.id)
    declared = [p.number for p in uow.patents.of_product(product.id)]
    lost = [latest[n] for n in declared if n in latest and not latest[n].standing.holds]
    return [{"number": c.standing.number, "problem": c.standing.problem, "status": c.standing.status,
             "holders": list(c.standing.holders) if c.standing.holders is not None else None,
             "expires_on": c.standing.expires_on, "checked_at": c.checked_at} for c in lost]


def material_out(material: Material) -> dict[str, Any]:
    return {"id": material.id, "kind": material.kind, "media_type": material.file.media_type,
            "size": material.file.size, "sha256": material.file.sha256, "original_name": material.file.original_name,
            "uploaded_at": material.file.uploaded_at, "url": material.url}


def status_out(product: Product) -> dict[str, Any]:
    return {"id": product.id, "status": product.status, "version": product.version}


def product_out(product: Product, uow: FilingUnitOfWork) -> dict[str, Any]:
    years = uow.recognitions.years_of(product.id)
    decision = product.last_decision
    return {
        **summary_out(product, recognised=bool(years) or product.status == "recognised"),
        "industry_name": classification().name_of(product.industry_code),
        "description": product.description, "launched_on": product.launched_on,
        "variants": list(product.variants), "economic_data": economic_data_of(uow, product),
        "patents": patents_of(uow, product),
        "materials": [material_out(m) for m in uow.materials.of_product(product.id)],
        "submissions": product.submissions, "submitted_at": product.submitted_at, "filed_at": product.filed_at,
        "recognised_years": years,
        "recognition_opt_ins": [{"year": o.year, "opt_in": o.opt_in, "decided_at": o.decided_at}
                                for o in uow.opt_ins.of_product(product.id)],
        "last_decision": decision and {**decision, "decided_at": dt.datetime.fromisoformat(decision["decided_at"])},
        "closing_reason": product.closing_reason, "created_at": product.created_at,
        "lost_patents": lost_patents(product, uow) if risk_out(product) else [],
        "edition": product.edition, "amended_at": product.amended_at,
    }


def filter_for(principal: Principal, *, organisation_id: str | None = None, status: str | None = None,
               industry_code: str | None = None, text: str | None = None) -> ProductFilter:
    """What the caller may list: its organisation's products, or all (or one organisation's) for staff."""
    owner = (organisation_id or None) if is_staff(principal) else (principal.organisation_id or "")
    return ProductFilter(organisation_id=owner, status=status or None,
                         industry_code=industry_code or None, text=text.strip() if text else None)


def list_products(principal: Principal, which: ProductFilter, request: PageRequest,
                  uow: FilingUnitOfWork) -> dict[str, Any]:
    """Newest change first; a list by staff is recorded in the audit log."""
    with uow:
        page = uow.products.page(which, request)
        if is_staff(principal):
            uow.audit("product.list", "product", None, {"products": [p.id for p in page.items]})
        items = [summary_out(p, p.status == "recognised" or bool(uow.recognitions.years_of(p.id)))
                 for p in page.items]
        return {"items": items, "total": page.total}


def read_product(product_id: str, principal: Principal, uow: FilingUnitOfWork) -> dict[str, Any]:
    """One product (its organisation's members, reviewers, operators); a read by staff is recorded."""
    with uow:
        product = visible_product(principal, product_id, uow)
        if is_staff(principal):
            uow.audit("product.read", "product", product.id, {"organisation_id": product.organisation_id})
        return product_out(product, uow)


def product_of(product: Product, uow: FilingUnitOfWork) -> dict[str, Any]:
    """A product a handler returned, as the API shows it."""
    with uow:
        return product_out(product, uow)


def products_at_risk(principal: Principal, province_code: str | None, request: PageRequest,
                     uow: FilingUnitOfWork) -> dict[str, Any]:
    """Products on record whose patents a re-check found lost (suspended ones included), in the
    caller's scope: every province for operators (or the one asked for), a province admin's own."""
    if principal.role == "province_admin":
        require_province(principal, province_code or principal.province_code)
        province_code = principal.province_code
    with uow:
        page = uow.products.page(ProductFilter(at_risk=True, province_code=province_code or None), request)
        uow.audit("product.list_at_risk", "product", None, {"products": [p.id for p in page.items]})
        items = []
        for product in page.items:
            organisation = uow.organisations.get(product.organisation_id)
            items.append({**summary_out(product, product.status == "recognised"),
                          "organisation_name": organisation.name if organisation else "",
                          "province_code": product.province_code, "lost_patents": lost_patents(product, uow)})
        return {"items": items, "total": page.total}
