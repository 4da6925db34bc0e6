"""filing's HTTP API for amendments (变更) of a filed product: its members open one, change it,
upload materials to it, submit it to review and withdraw it; members, reviewers and operators
read them. The product stays filed as approved until review approves the amendment."""

from __future__ import annotations

from typing import Any

from filing.domain.commands import (
    ChangeAmendment,
    OpenAmendment,
    RemoveMaterial,
    SubmitAmendment,
    UploadMaterial,
    WithdrawAmendment,
)
from filing.entrypoints import amendments_schemas as schemas
from filing.entrypoints import materials_schemas
from filing.service_layer import amendments, materials
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.product_views import material_out
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.attachments import upload_body_limit
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint

blp = Blueprint("filing-amendments", __name__, url_prefix="/api/v1/filing",
                description="Amendments (变更) of a filed product: variants, patents, materials")
READERS = ("enterprise", "reviewer", "operator")
AMENDMENTS = "/products/<uuid_text:product_id>/amendments"
AMENDMENT = AMENDMENTS + "/<uuid_text:amendment_id>"


def _dependencies() -> FilingDependencies:
    return current_dependencies(FilingDependencies)


def _out(amendment_id: str, product_id: str) -> dict[str, Any]:
    return amendments.amendment_read(product_id, amendment_id, current_principal(), current_uow(FilingUnitOfWork))


@endpoint(blp, AMENDMENTS, "POST", roles=("enterprise",), body=schemas.AmendmentIn,
          response=(201, schemas.AmendmentOut), problems=(401, 403, 404, 409))
def open_amendment(body: dict[str, Any], product_id: str) -> dict[str, Any]:
    """Open an amendment of a filed (or recognised) product of your organisation: it starts as the
    product is and takes the `variants` and `patents` given (each a whole list). 409
    `product-not-amendable` unless the product is on record, `amendment-open` while it has an
    open one (the problem's `existing` names it)."""
    amendment = amendments.handle_open(OpenAmendment(product_id, body, current_principal()),
                                       current_uow(FilingUnitOfWork))
    return _out(amendment.id, product_id)


@endpoint(blp, AMENDMENTS, "GET", roles=READERS, response=(200, schemas.AmendmentList), problems=(401, 403, 404))
def list_amendments(product_id: str) -> dict[str, Any]:
    """The product's amendments, newest first (its members, reviewers, operators)."""
    found = amendments.amendments_of(product_id, current_principal(), current_uow(FilingUnitOfWork))
    return {"items": found, "total": len(found)}


@endpoint(blp, AMENDMENT, "GET", roles=READERS, response=(200, schemas.AmendmentOut), problems=(401, 403, 404))
def read_amendment(product_id: str, amendment_id: str) -> dict[str, Any]:
    """One amendment with the lists before and after (its members, reviewers, operators)."""
    return _out(amendment_id, product_id)


@endpoint(blp, AMENDMENT, "PATCH", roles=("enterprise",), body=schemas.AmendmentChange,
          response=(200, schemas.AmendmentOut), problems=(401, 403, 404, 409))
def change_amendment(body: dict[str, Any], product_id: str, amendment_id: str) -> dict[str, Any]:
    """Change a draft or returned amendment (its members): each list given replaces the amended one."""
    amendments.handle_change(ChangeAmendment(product_id, amendment_id, body, current_principal()),
                             current_uow(FilingUnitOfWork))
    return _out(amendment_id, product_id)


@endpoint(blp, AMENDMENT + "/submission", "POST", roles=("enterprise",), response=(202, schemas.AmendmentOut),
          problems=(401, 403, 404, 409, 422, 503))
def submit_amendment(product_id: str, amendment_id: str) -> dict[str, Any]:
    """Submit the amendment to review (its members), checked exactly as a submission is: 422
    naming each field that breaks a rule (`patents.0.number` for a patent the register does
    not hold valid or not for this organisation, …); 409 unless a draft or returned; 503 when
    the patent registry cannot answer."""
    dependencies = _dependencies()
    amendments.handle_submit(SubmitAmendment(product_id, amendment_id, current_principal()),
                             current_uow(FilingUnitOfWork), dependencies.patent_registry, dependencies.today())
    return _out(amendment_id, product_id)


@endpoint(blp, AMENDMENT + "/withdrawal", "POST", roles=("enterprise",), response=(200, schemas.AmendmentOut),
          problems=(401, 403, 404, 409))
def withdraw_amendment(product_id: str, amendment_id: str) -> dict[str, Any]:
    """Withdraw an open amendment (its members): closed, its materials removed, the product as it is."""
    amendments.handle_withdraw(WithdrawAmendment(product_id, amendment_id, current_principal()),
                               current_uow(FilingUnitOfWork))
    return _out(amendment_id, product_id)


@endpoint(blp, AMENDMENT + "/materials", "POST", roles=("enterprise",), form=materials_schemas.MaterialForm,
          response=(201, materials_schemas.MaterialOut), problems=(401, 403, 404, 409),
          max_bytes=upload_body_limit(lambda: _dependencies().material_max_bytes))
def upload_material(form: dict[str, Any], product_id: str, amendment_id: str) -> dict[str, Any]:
    """Upload a proof material to a draft or returned amendment (its members), as to a draft
    product (415, 413, 409 `quota-exceeded` alike); the product's own once the amendment is
    approved. It downloads from the product's materials path."""
    dependencies = _dependencies()
    file = form["file"]
    command = UploadMaterial(product_id, form["kind"], file.stream, file.filename, current_principal(),
                             amendment_id=amendment_id)
    material = materials.handle_upload(command, current_uow(FilingUnitOfWork), dependencies.material_store,
                                       dependencies.material_max_bytes, quota=dependencies.material_quota)
    return material_out(material)


@endpoint(blp, AMENDMENT + "/materials/<uuid_text:material_id>", "DELETE", roles=("enterprise",), response=204,
          problems=(401, 403, 404, 409))
def remove_material(product_id: str, amendment_id: str, material_id: str) -> None:
    """Remove a material uploaded to a draft or returned amendment (its members)."""
    materials.handle_remove(RemoveMaterial(product_id, material_id, current_principal(), amendment_id=amendment_id),
                            current_uow(FilingUnitOfWork))
