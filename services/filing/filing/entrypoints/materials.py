"""A product's proof materials over HTTP: members upload and remove them while the product is
being prepared; members, reviewers and operators list and download them.

Downloads are attachments that a browser never renders inline (`platform_shared.web.attachments`).
"""

from __future__ import annotations

from flask import Response, g

from filing.adapters.orm import AuditLog
from filing.entrypoints import schemas
from filing.service_layer.access import is_staff, visible_product
from filing.service_layer.declarations import material_url, materials_of
from filing.service_layer.materials import UploadMaterial, material_of, remove_material, upload_material
from platform_shared.uploads import DOCUMENT_TYPES, MULTIPART_ALLOWANCE
from platform_shared.web.access import current_principal, requires
from platform_shared.web.app import accepts
from platform_shared.web.attachments import stored_attachment
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime

blp = Blueprint("filing-materials", __name__, url_prefix="/api/v1/filing",
                description="A product's proof materials: patent certificates, licences, sales proof, photos")
BEARER = [{"bearerAuth": []}]
READERS = ("enterprise", "reviewer", "operator")
_BINARY = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD_DOC = {"200": {"description": "The material's bytes, as uploaded",
                        "content": dict.fromkeys(DOCUMENT_TYPES, _BINARY)}}
problems = blp.problems


def _upload_body_limit() -> int:
    return current_runtime().components["material_max_bytes"] + MULTIPART_ALLOWANCE


def material_out(material) -> dict:
    return {"id": material.id, "kind": material.kind, "media_type": material.media_type, "size": material.size,
            "sha256": material.sha256, "original_name": material.original_name,
            "uploaded_at": material.uploaded_at, "url": material_url(material)}


@blp.route("/products/<uuid_text:product_id>/materials", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.MaterialForm, location="form", content_type="multipart/form-data")
@blp.response(201, schemas.MaterialOut)
@problems(401, 403, 404, 409)
@accepts("multipart/form-data", max_bytes=_upload_body_limit)
def upload(form: dict, product_id: str) -> dict:
    """Upload a proof material: `kind` and `file` (PDF, JPEG or PNG by its content; 415
    otherwise, 413 over the size limit; nothing is stored then) (its members, while the
    product is a draft or returned; 409 otherwise)."""
    runtime = current_runtime()
    file = form["file"]
    command = UploadMaterial(product_id=product_id, kind=form["kind"], content=file.stream,
                             original_name=file.filename)
    material = upload_material(command, current_principal(), runtime.unit_of_work(g.request_id),
                               runtime.components["material_store"], runtime.components["material_max_bytes"])
    return material_out(material)


@blp.route("/products/<uuid_text:product_id>/materials", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*READERS)
@blp.response(200, schemas.MaterialPage)
@problems(401, 403, 404)
def list_materials(product_id: str) -> dict:
    """The product's materials, oldest first (its members, reviewers, operators)."""
    principal = current_principal()
    product = visible_product(principal, product_id)
    materials = materials_of(product)
    if is_staff(principal):
        audit_request(AuditLog, "material.list", "product", product.id, {"materials": [m.id for m in materials]})
    return {"items": [material_out(m) for m in materials], "total": len(materials)}


@blp.route("/products/<uuid_text:product_id>/materials/<uuid_text:material_id>", methods=["GET"])
@blp.doc(security=BEARER, responses=DOWNLOAD_DOC)
@requires(*READERS)
@problems(401, 403, 404)
def download(product_id: str, material_id: str) -> Response:
    """The material itself, as an attachment (its members, reviewers, operators)."""
    principal = current_principal()
    material = material_of(principal, product_id, material_id)
    if is_staff(principal):
        audit_request(AuditLog, "material.read", "material", material.id,
                      {"product_id": product_id, "kind": material.kind, "sha256": material.sha256})
    return stored_attachment(current_runtime().components["material_store"], material.sha256, material.media_type,
                             f"{material.kind}-{material.id}")


@blp.route("/products/<uuid_text:product_id>/materials/<uuid_text:material_id>", methods=["DELETE"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.response(204)
@problems(401, 403, 404, 409)
def remove(product_id: str, material_id: str) -> None:
    """Remove a material from a draft or returned product (its members; 409 otherwise)."""
    remove_material(current_principal(), product_id, material_id, current_runtime().unit_of_work(g.request_id))
