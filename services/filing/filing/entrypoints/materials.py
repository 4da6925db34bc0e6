"""A product's proof materials over HTTP: members upload and remove them while the product is
being prepared; members, reviewers and operators list and download them.

Downloads are attachments that a browser never renders inline (`platform_shared.web.attachments`).
"""

from __future__ import annotations

from typing import Any

from flask import Response

from filing.domain.commands import RemoveMaterial, UploadMaterial
from filing.entrypoints import materials_schemas as schemas
from filing.service_layer import materials
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.product_views import material_out
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.attachments import download_doc, stored_attachment, upload_body_limit
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint

blp = Blueprint("filing-materials", __name__, url_prefix="/api/v1/filing",
                description="A product's proof materials: patent certificates, licences, sales proof, photos")
READERS = ("enterprise", "reviewer", "operator")
MATERIALS = "/products/<uuid_text:product_id>/materials"


def _dependencies() -> FilingDependencies:
    return current_dependencies(FilingDependencies)


@endpoint(blp, MATERIALS, "POST", roles=("enterprise",), form=schemas.MaterialForm,
          response=(201, schemas.MaterialOut), problems=(401, 403, 404, 409),
          max_bytes=upload_body_limit(lambda: _dependencies().material_max_bytes))
def upload(form: dict[str, Any], product_id: str) -> dict[str, Any]:
    """Upload a proof material: `kind` and `file` (PDF, JPEG or PNG by its content; 415
    otherwise, 413 over the size limit; nothing is stored then) (its members, while the
    product is a draft or returned; 409 otherwise, and 409 `quota-exceeded` when the organisation
    keeps as many materials or bytes as its quota allows)."""
    dependencies = _dependencies()
    file = form["file"]
    command = UploadMaterial(product_id, form["kind"], file.stream, file.filename, current_principal())
    material = materials.handle_upload(command, current_uow(FilingUnitOfWork), dependencies.material_store,
                                       dependencies.material_max_bytes, quota=dependencies.material_quota)
    return material_out(material)


@endpoint(blp, MATERIALS, "GET", roles=READERS, response=(200, schemas.MaterialPage), problems=(401, 403, 404))
def list_materials(product_id: str) -> dict[str, Any]:
    """The product's materials, oldest first (its members, reviewers, operators)."""
    found = materials.materials_of(product_id, current_principal(), current_uow(FilingUnitOfWork))
    return {"items": [material_out(m) for m in found], "total": len(found)}


@endpoint(blp, MATERIALS + "/<uuid_text:material_id>", "GET", roles=READERS, response=None,
          problems=(401, 403, 404), doc={"responses": download_doc("The material's bytes, as uploaded")})
def download(product_id: str, material_id: str) -> Response:
    """The material itself, as an attachment (its members, reviewers, operators)."""
    material = materials.material_of(product_id, material_id, current_principal(), current_uow(FilingUnitOfWork))
    return stored_attachment(_dependencies().material_store, material.file.sha256, material.file.media_type,
                             f"{material.kind}-{material.id}")


@endpoint(blp, MATERIALS + "/<uuid_text:material_id>", "DELETE", roles=("enterprise",), response=204,
          problems=(401, 403, 404, 409))
def remove(product_id: str, material_id: str) -> None:
    """Remove a material from a draft or returned product (its members; 409 otherwise)."""
    materials.handle_remove(RemoveMaterial(product_id, material_id, current_principal()), current_uow(FilingUnitOfWork))
