"""An organisation over HTTP: reading it, correcting it, asking for real-name verification.

Each view translates a request into a call of `identity.service_layer`; who may call it is
checked before its body is read, so a stranger learns nothing from validation errors.
"""

from __future__ import annotations

from flask import g

from identity.adapters.orm import AuditLog, Organisation
from identity.domain.identifiers import check_id_number
from identity.entrypoints import organisation_schemas as schemas
from identity.service_layer.organisations import (
    CorrectOrganisation,
    correct_organisation,
    is_staff,
    latest_rejection,
    visible_organisation,
)
from identity.service_layer.verification import request_verification
from platform_shared.web.access import current_principal, requires
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime

blp = Blueprint("identity-organisations", __name__, url_prefix="/api/v1/identity",
                description="An organisation: its data, corrections and real-name verification")
BEARER = [{"bearerAuth": []}]


def organisation_out(organisation: Organisation) -> dict:
    rejection = latest_rejection(organisation)
    return {
        "id": organisation.id, "name": organisation.name, "uscc": organisation.uscc, "kind": organisation.kind,
        "province_code": organisation.province_code, "city_code": organisation.city_code,
        "address": organisation.address,
        "legal_representative": {"name": organisation.legal_representative_name,
                                 "id_number": organisation.legal_representative_id_masked},
        "contact": {"name": organisation.contact_name, "phone": organisation.contact_phone,
                    "email": organisation.contact_email},
        "status": organisation.status, "version": organisation.version,
        "registered_at": organisation.registered_at,
        "last_rejection": None if rejection is None else {
            "reasons": rejection.reasons, "rejected_at": rejection.rejected_at},
    }


@blp.route("/organisations/<organisation_id>", methods=["GET"])
@blp.doc(security=BEARER)
@requires("enterprise", "reviewer", "operator")
@blp.response(200, schemas.OrganisationOut)
def read_organisation(organisation_id: str) -> dict:
    """The organisation, its status and the newest rejection's reasons; ID numbers masked
    (its members, reviewers, operators; 404 for anyone else)."""
    principal = current_principal()
    organisation = visible_organisation(principal, organisation_id)
    if is_staff(principal):
        audit_request(AuditLog, "organisation.read", "organisation", organisation.id)
    return organisation_out(organisation)


@blp.route("/organisations/<organisation_id>", methods=["PATCH"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.OrganisationCorrection)
@blp.response(200, schemas.OrganisationOut)
def correct(body: dict, organisation_id: str) -> dict:
    """Correct the name, address, city, legal representative or contact, checked as at
    registration (its members; only while `registered` or `rejected`, 409 otherwise)."""
    runtime = current_runtime()
    representative = body.get("legal_representative") or {}
    contact = body.get("contact") or {}
    command = CorrectOrganisation(
        organisation_id=organisation_id, name=body.get("name"), address=body.get("address"),
        city_code=body.get("city_code"), clear_city_code="city_code" in body and body["city_code"] is None,
        legal_representative_name=representative.get("name"),
        legal_representative_id_number=check_id_number(representative["id_number"]) if representative else None,
        contact_name=contact.get("name"), contact_phone=contact.get("phone"), contact_email=contact.get("email"))
    organisation = correct_organisation(command, current_principal(), runtime.unit_of_work(g.request_id),
                                        runtime.components["id_cipher"])
    audit_request(AuditLog, "organisation.corrected", "organisation", organisation.id,
                  {"fields": sorted(body)})
    return organisation_out(organisation)


@blp.route("/organisations/<organisation_id>/verification", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.response(202, schemas.VerificationOut)
def ask_for_verification(organisation_id: str) -> dict:
    """Run the real-name check and queue the organisation for review: 202 `pending_review`;
    422 naming missing documents or what the registry disagrees with; 409 unless `registered`
    or `rejected`; 503 when the registry cannot be reached (its members)."""
    runtime = current_runtime()
    organisation = request_verification(
        organisation_id, current_principal(), runtime.unit_of_work(g.request_id),
        runtime.components["registry"], runtime.components["id_cipher"])
    return {"status": organisation.status}
