"""The provincial management port over HTTP: offices get the form prefilled and apply, operators
read and decide.

Each view translates a request into a call of `identity.service_layer.province_ports`.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from identity.domain.commands import ApplyForPort, DecideApplication
from identity.domain.province_ports import FORM_MEDIA_TYPES, PortApplication
from identity.entrypoints import province_ports_schemas as schemas
from identity.entrypoints.documents import document_max_bytes
from identity.service_layer import forms, province_ports
from identity.service_layer.dependencies import IdentityDependencies
from identity.service_layer.repositories import PortFilter
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.pages import PageRequest
from platform_shared.regions import province_name
from platform_shared.web.access import current_principal
from platform_shared.web.attachments import download_doc, generated_pdf, pdf_doc, stored_attachment, upload_body_limit
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.rate_limited import RateLimit
from platform_shared.web.routes import ANYONE, endpoint

blp = Blueprint("identity-province-ports", __name__, url_prefix="/api/v1/identity",
                description="Provincial management ports: applications of provincial IP offices")
OPERATORS = ("operator",)
APPLICATIONS = "/province-port-applications"
APPLICATION = APPLICATIONS + "/<string:application_id>"


def _dependencies() -> IdentityDependencies:
    return current_dependencies(IdentityDependencies)


def _out(application: PortApplication) -> dict[str, Any]:
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


# The signed form is a document like the organisations' (IDENTITY_DOCUMENT_MAX_BYTES, 10 MB).
@endpoint(blp, APPLICATIONS, "POST", roles=ANYONE, form=schemas.PortApplicationForm,
          rate_limit=RateLimit("province_port_application", "10/hour"),
          response=(201, schemas.PortApplicationCreated), problems=(409, 413, 415),
          max_bytes=upload_body_limit(document_max_bytes))
def apply(body: dict[str, Any]) -> dict[str, Any]:
    """A provincial IP office applies for its province's management port (anyone).

    One multipart form: the fields, and the signed application form as the file `form`
    (PDF, JPEG or PNG by its content, at most 10 MB by default). 409 when the province already has a
    port or a pending application younger than IDENTITY_PORT_PENDING_DAYS (14; an older one is
    then `expired`). Rate-limited per client address (RATE_LIMIT_PROVINCE_PORT_APPLICATION).
    """
    dependencies = _dependencies()
    command = ApplyForPort(
        province_code=body["province_code"], office_name=body["office_name"].strip(),
        contact_name=body["contact_name"].strip(), contact_title=body["contact_title"].strip(),
        contact_phone=body["contact_phone"].strip(), contact_email=body["contact_email"], form=body["form"].stream)
    application = province_ports.handle_apply_for_port(command, current_uow(IdentityUnitOfWork),
                                                       dependencies.document_store, dependencies.document_max_bytes,
                                                       dependencies.holds)
    return {"id": application.id, "status": application.status}


@endpoint(blp, APPLICATIONS, "GET", roles=OPERATORS, query=schemas.PortApplicationQuery,
          response=(200, schemas.PortApplicationPage), problems=(401, 403))
def list_applications(query: dict[str, Any]) -> dict[str, Any]:
    """Applications for provincial ports, oldest first; filter by `status`, `province_code` (operators)."""
    which = PortFilter(status=query["status"], province_code=query["province_code"])
    page = province_ports.applications(which, PageRequest.of(query), current_uow(IdentityUnitOfWork))
    return page.map(_out).as_dict()


@endpoint(blp, APPLICATION, "GET", roles=OPERATORS, response=(200, schemas.PortApplicationOut),
          problems=(401, 403, 404))
def get_application(application_id: str) -> dict[str, Any]:
    """One application with its contact, form and decision (operators)."""
    return _out(province_ports.application_of(application_id, current_uow(IdentityUnitOfWork)))


@endpoint(blp, APPLICATION + "/form", "GET", roles=OPERATORS, response=None, problems=(401, 403, 404),
          doc={"responses": download_doc("The signed application form as the office sent it", FORM_MEDIA_TYPES)})
def get_form(application_id: str) -> Response:
    """The signed application form of an application (operators); each read is audited."""
    store = _dependencies().document_store
    application = province_ports.form_to_download(application_id, current_uow(IdentityUnitOfWork), store)
    return stored_attachment(store, application.form_sha256, application.form_media_type,
                             f"province-port-{application.id}")


@endpoint(blp, APPLICATION + "/decision", "POST", roles=OPERATORS, body=schemas.PortDecisionSchema,
          response=(200, schemas.PortApplicationOut), problems=(401, 403, 404, 409, 415))
def decide(body: dict[str, Any], application_id: str) -> dict[str, Any]:
    """Approve, reject or dismiss an application (operators). Approval creates the province admin
    account and mails its holder a one-time link to set their password; a rejection and a
    dismissal (an application that is not genuine or no longer pursued) need a `reason`, which
    the applicant's contact is mailed; either frees the province.
    409 when already decided or when an account with the contact's e-mail exists."""
    command = DecideApplication(application_id=application_id, outcome=body["outcome"], reason=body["reason"],
                                decided_by=current_principal().account_id)
    application = province_ports.handle_decide_application(command, current_uow(IdentityUnitOfWork),
                                                           _dependencies().public_url)
    return _out(application)


# Anyone may ask (the office has no account yet), and rendering a PDF costs far more than a
# read: counted per client address like the application itself.
@endpoint(blp, "/province-port-application-form.pdf", "GET", roles=ANYONE, query=schemas.PortFormQuery,
          rate_limit=RateLimit("form_generation", "60/hour"), response=None, problems=(422,),
          doc={"responses": pdf_doc("The province-port application form (attachment 3), prefilled")})
def application_form(query: dict[str, Any]) -> Response:
    """The province-port application form (attachment 3) as PDF, prefilled with the province,
    the office and what it typed of its contact, to print, sign, stamp and upload with the
    application (anyone; rate-limited per address)."""
    pdf = forms.port_application_form(query["province_code"], query["office_name"], query["contact_name"],
                                      query["contact_title"], query["contact_phone"], query["contact_email"],
                                      _dependencies().forms)
    return generated_pdf(pdf, f"province-port-application-{query['province_code']}.pdf")
