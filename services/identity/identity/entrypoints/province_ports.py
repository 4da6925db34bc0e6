"""The provincial management port over HTTP: offices apply, operators read and decide.

Each view translates a request into a call of `identity.service_layer.province_ports`.
"""

from __future__ import annotations

from flask import Response, g

from identity.adapters.orm import AuditLog
from identity.adapters.province_ports import ProvincePortApplication
from identity.domain.province_ports import FORM_MEDIA_TYPES
from identity.entrypoints import province_port_schemas as schemas
from identity.service_layer.province_ports import (
    ApplyForPort,
    DecideApplication,
    apply_for_port,
    decide_application,
)
from platform_shared.regions import province_name
from platform_shared.uploads import EXTENSIONS, MULTIPART_ALLOWANCE, ContentNotFound
from platform_shared.web.access import current_principal, requires
from platform_shared.web.app import accepts
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.pagination import page_of
from platform_shared.web.problems import Problem

blp = Blueprint("identity-province-ports", __name__, url_prefix="/api/v1/identity",
                description="Provincial management ports: applications of provincial IP offices")
BEARER = [{"bearerAuth": []}]


problems = blp.problems


def _body_limit() -> int:
    # The signed form is a document like the organisations' (IDENTITY_DOCUMENT_MAX_BYTES, 10 MB).
    return current_runtime().components["document_max_bytes"] + MULTIPART_ALLOWANCE


def _audit(action: str, subject_type: str, subject_id: str, detail: dict) -> None:
    audit_request(AuditLog, action, subject_type, subject_id, detail)


def _out(application: ProvincePortApplication) -> dict:
    return {
        "id": application.id, "province_code": application.province_code,
        "province_name": province_name(application.province_code), "office_name": application.office_name,
        "contact": {"name": application.contact_name, "title": application.contact_title,
                    "phone": application.contact_phone, "email": application.contact_email},
        "form": {"media_type": application.form_media_type, "size": application.form_size,
                 "sha256": application.form_sha256},
        "status": application.status, "reason": application.reason,
        "submitted_at": application.submitted_at, "decided_at": application.decided_at,
        "decided_by": application.decided_by, "account_id": application.account_id,
    }


def _application(application_id: str) -> ProvincePortApplication:
    application = ProvincePortApplication.get_or_none(ProvincePortApplication.id == application_id)
    if application is None:
        raise Problem(404, "No such province port application.", slug="not-found")
    return application


@blp.route("/province-port-applications", methods=["POST"])
@accepts("multipart/form-data", max_bytes=_body_limit)
@blp.arguments(schemas.PortApplicationForm, location="form", content_type="multipart/form-data")
@blp.response(201, schemas.PortApplicationCreated)
@problems(409, 413, 415)
def apply(body: dict) -> dict:
    """A provincial IP office applies for its province's management port (anyone).

    One multipart form: the fields, and the signed application form as the file `form`
    (PDF, JPEG or PNG by its content, at most 10 MB by default). 409 when the province already has a
    port or a pending application.
    """
    runtime = current_runtime()
    command = ApplyForPort(
        province_code=body["province_code"], office_name=body["office_name"].strip(),
        contact_name=body["contact_name"].strip(), contact_title=body["contact_title"].strip(),
        contact_phone=body["contact_phone"].strip(), contact_email=body["contact_email"], form=body["form"].stream)
    application = apply_for_port(command, runtime.unit_of_work(g.request_id), runtime.components["document_store"],
                                 runtime.components["document_max_bytes"], _audit)
    return {"id": application.id, "status": application.status}


@blp.route("/province-port-applications", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(schemas.PortApplicationQuery, location="query")
@blp.response(200, schemas.PortApplicationPage)
@problems(401, 403)
@requires("operator")
def list_applications(query: dict) -> dict:
    """Applications for provincial ports, oldest first; filter by `status`, `province_code` (operators)."""
    selection = ProvincePortApplication.select()
    if query["status"]:
        selection = selection.where(ProvincePortApplication.status == query["status"])
    if query["province_code"]:
        selection = selection.where(ProvincePortApplication.province_code == query["province_code"])
    page = page_of(selection, query, ProvincePortApplication.submitted_at, ProvincePortApplication.id)
    return {"items": [_out(a) for a in page["items"]], "total": page["total"]}


@blp.route("/province-port-applications/<string:application_id>", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, schemas.PortApplicationOut)
@problems(401, 403, 404)
@requires("operator")
def get_application(application_id: str) -> dict:
    """One application with its contact, form and decision (operators)."""
    return _out(_application(application_id))


@blp.route("/province-port-applications/<string:application_id>/form", methods=["GET"])
@blp.doc(security=BEARER, responses={"200": {
    "description": "The signed application form as the office sent it",
    "content": {media_type: {"schema": {"type": "string", "format": "binary"}} for media_type in FORM_MEDIA_TYPES}}})
@problems(401, 403, 404)
@requires("operator")
def get_form(application_id: str) -> Response:
    """The signed application form of an application (operators); each read is audited."""
    runtime = current_runtime()
    application = _application(application_id)
    try:
        with runtime.components["document_store"].open(application.form_sha256) as stored:
            data = stored.read()
    except ContentNotFound:
        raise Problem(404, "The form of this application is missing from the file store.",
                      slug="not-found") from None
    with runtime.database.atomic():
        _audit("province_port.form_read", "province_port_application", application.id, {})
    extension = EXTENSIONS[application.form_media_type]
    return Response(data, mimetype=application.form_media_type, headers={
        "Content-Disposition": f'attachment; filename="province-port-{application.id}.{extension}"'})


@blp.route("/province-port-applications/<string:application_id>/decision", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(schemas.PortDecisionSchema)
@blp.response(200, schemas.PortApplicationOut)
@problems(401, 403, 404, 409, 415)
@requires("operator")
def decide(body: dict, application_id: str) -> dict:
    """Approve or reject an application (operators). Approval creates the province admin account
    and mails its holder a one-time link to set their password; a rejection needs a `reason`.
    409 when already decided or when an account with the contact's e-mail exists."""
    runtime = current_runtime()
    command = DecideApplication(application_id=application_id, outcome=body["outcome"], reason=body["reason"],
                                decided_by=current_principal().account_id)
    base_url = runtime.components["public_url"]
    application = decide_application(command, runtime.unit_of_work(g.request_id), base_url, _audit)
    return _out(application)
