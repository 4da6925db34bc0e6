"""filing's HTTP API for products: drafts, changes, submission, withdrawal, reading, and what
follows filing (annual update, opt-in, cancellation and revocation).

Reads by reviewers and operators are written to the audit log: a product's economic data is
confidential to its organisation and the platform's staff.
"""

from __future__ import annotations

from typing import Any

from filing.domain.commands import (
    ChangeDraft,
    CloseFiling,
    CreateDraft,
    DeleteDraft,
    OptIn,
    SubmitProduct,
    UpdateAnnualData,
    WithdrawProduct,
)
from filing.entrypoints import products_schemas as schemas
from filing.service_layer import after_filing, drafts, patent_rechecks, product_views, submission
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.pages import PageRequest
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint

blp = Blueprint("filing", __name__, url_prefix="/api/v1/filing", description="Products and filings")
READERS = ("enterprise", "reviewer", "operator")
PRODUCT = "/products/<uuid_text:product_id>"


def _dependencies() -> FilingDependencies:
    return current_dependencies(FilingDependencies)


@endpoint(blp, "/products", "POST", roles=("enterprise",), body=schemas.ProductDraft,
          response=(201, schemas.Created), problems=(401, 403, 409))
def create(body: dict[str, Any]) -> dict[str, Any]:
    """Create a draft product of your organisation (members of a verified organisation).

    One model is one product: variants (colours, sizes, configurations) are a list on it. 409
    when your organisation already has this brand and model (the problem's `existing` points
    to it) or the product is filed or under review on the platform, or (`quota-exceeded`) when
    your organisation has as many drafts as its quota allows.
    """
    product = drafts.handle_create(CreateDraft(body, current_principal()), current_uow(FilingUnitOfWork),
                                   quota=_dependencies().draft_quota)
    return {"id": product.id, "status": product.status}


@endpoint(blp, "/products", "GET", roles=READERS, query=schemas.ProductQuery, response=(200, schemas.ProductPage),
          problems=(401, 403))
def list_products(query: dict[str, Any]) -> dict[str, Any]:
    """Products, newest change first: your organisation's (enterprise) or all (reviewers, operators).

    Filter by `status`, `industry_code`, `q` (name, brand, model or filing number).
    """
    principal = current_principal()
    which = product_views.filter_for(principal, organisation_id=query["organisation_id"], status=query["status"],
                                     industry_code=query["industry_code"], text=query["q"])
    return product_views.list_products(principal, which, PageRequest.of(query), current_uow(FilingUnitOfWork))


@endpoint(blp, "/products-at-risk", "GET", roles=("operator", "province_admin"), query=schemas.AtRiskQuery,
          response=(200, schemas.AtRiskPage), problems=(401, 403))
def products_at_risk(query: dict[str, Any]) -> dict[str, Any]:
    """Filed products whose patents the re-checks found lost — at risk, or suspended past the
    deadline — with the patents lost and what the register says (operators: every province, or
    `province_code`; a province admin: its own province only, 403 for another)."""
    return product_views.products_at_risk(current_principal(), query["province_code"], PageRequest.of(query),
                                          current_uow(FilingUnitOfWork))


@endpoint(blp, PRODUCT, "GET", roles=READERS, response=(200, schemas.ProductOut), problems=(401, 403, 404))
def read(product_id: str) -> dict[str, Any]:
    """One product with its declaration, status, filing number once filed, and review's newest
    decision (its organisation's members, reviewers, operators)."""
    return product_views.read_product(product_id, current_principal(), current_uow(FilingUnitOfWork))


@endpoint(blp, PRODUCT, "PATCH", roles=("enterprise",), body=schemas.ProductChange,
          response=(200, schemas.ProductOut), problems=(401, 403, 404, 409))
def change(body: dict[str, Any], product_id: str) -> dict[str, Any]:
    """Change a draft or returned product (its members): the fields given replace the stored
    ones; 409 in any other status."""
    uow = current_uow(FilingUnitOfWork)
    product = drafts.handle_change(ChangeDraft(product_id, body, current_principal()), uow)
    return product_views.product_of(product, uow)


@endpoint(blp, PRODUCT, "DELETE", roles=("enterprise",), response=204, problems=(401, 403, 404, 409))
def delete(product_id: str) -> None:
    """Delete a draft that was never submitted (its members); 409 otherwise."""
    drafts.handle_delete(DeleteDraft(product_id, current_principal()), current_uow(FilingUnitOfWork))


@endpoint(blp, PRODUCT + "/submission", "POST", roles=("enterprise",), response=(202, schemas.StatusOut),
          problems=(401, 403, 404, 409, 422, 503))
def submit(product_id: str) -> dict[str, Any]:
    """Submit for review (its members): the rules are checked first.

    422 naming each field that breaks a rule (no valid patent, a disputed patent, a licensee
    without the licence record number, no economic data of the last full year, organisation
    not verified); 409 when the product is not a draft or returned, or the same product is
    filed or under review already; 503 when the patent registry cannot answer.
    """
    dependencies = _dependencies()
    product = submission.handle_submit(SubmitProduct(product_id, current_principal()), current_uow(FilingUnitOfWork),
                                       dependencies.patent_registry, dependencies.today())
    return product_views.status_out(product)


@endpoint(blp, PRODUCT + "/withdrawal", "POST", roles=("enterprise",), response=(200, schemas.StatusOut),
          problems=(401, 403, 404, 409))
def withdraw(product_id: str) -> dict[str, Any]:
    """Take a submission back before its decision (or a returned product out of review): a
    draft again (its members); 409 otherwise."""
    command = WithdrawProduct(product_id, current_principal())
    product = submission.handle_withdraw(command, current_uow(FilingUnitOfWork))
    return product_views.status_out(product)


@endpoint(blp, PRODUCT + "/annual-data/<int:year>", "PUT", roles=("enterprise",), body=schemas.Figures,
          response=(200, schemas.AnnualDataOut), problems=(401, 403, 404, 409, 422))
def annual_data(body: dict[str, Any], product_id: str, year: int) -> dict[str, Any]:
    """The previous year's figures of a filed product, in the annual update window (its members).

    409 outside the window (the message gives it) or when the product is not filed; 422 for
    any year but the previous one. The product's patents are re-checked against the register
    then (once per year's update; if the registry cannot answer, the monthly re-check will).
    """
    dependencies = _dependencies()
    command = UpdateAnnualData(product_id, year, body, current_principal())
    uow = current_uow(FilingUnitOfWork)
    data = after_filing.handle_annual_data(command, uow, dependencies.annual_update_window, dependencies.today())
    patent_rechecks.recheck_on_annual_update(product_id, year, uow, dependencies)
    return data


@endpoint(blp, PRODUCT + "/recognition-opt-in", "PUT", roles=("enterprise",), body=schemas.OptInIn,
          response=(200, schemas.OptInOut), problems=(401, 403, 404, 409, 422))
def recognition_opt_in(body: dict[str, Any], product_id: str) -> dict[str, Any]:
    """Take part (or not) in a year's recognition of patent-intensive products, for a filed
    product (its members)."""
    command = OptIn(product_id, body["year"], body["opt_in"], current_principal())
    choice = after_filing.handle_opt_in(command, current_uow(FilingUnitOfWork), _dependencies().today())
    return {"year": choice.year, "opt_in": choice.opt_in, "decided_at": choice.decided_at}


@endpoint(blp, PRODUCT + "/cancellation", "POST", roles=("enterprise", "operator"), body=schemas.ClosingIn,
          response=(200, schemas.StatusOut), problems=(401, 403, 404, 409))
def cancel(body: dict[str, Any], product_id: str) -> dict[str, Any]:
    """End a filed product's filing with a reason: `cancelled` by its organisation's members
    (it left the market, its patents lapsed), `revoked` by an operator (e.g. a patent dispute
    arose). The filing number stays with it and is never given again. 409 unless filed."""
    command = CloseFiling(product_id, body["reason"], current_principal())
    product = after_filing.handle_close(command, current_uow(FilingUnitOfWork))
    return product_views.status_out(product)
