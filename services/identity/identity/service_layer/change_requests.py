"""A verified organisation's change request: its admin asks to change what the registry vouches
for (its name, its legal representative), with the business licence that shows it; the platform
checks the new data against the registry (never trusting what was typed), and a reviewer decides
it like a verification (`review.decision.made`, kind `org_change`: `decisions`).

While the request waits the organisation stays `verified` and working; one request at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from identity.domain import organisation_changes as rules
from identity.domain.commands import RequestChange
from identity.domain.identifiers import mask_id_number
from identity.domain.model import ChangeRequest, Organisation
from identity.domain.verification import Claim
from identity.service_layer.dependencies import IdNumberCipher, Registry
from identity.service_layer.organisation_changes import _is_admin, _refusal
from identity.service_layer.organisations import own_organisation, visible_organisation
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from identity.service_layer.verification import check_with_registry
from platform_shared.audit import Actor
from platform_shared.errors import Conflict, RuleBroken
from platform_shared.events.envelope import Envelope
from platform_shared.principal import Principal

log = logging.getLogger(__name__)


def _before(organisation: Organisation, cipher: IdNumberCipher) -> dict[str, Any]:
    return {"name": organisation.name, "legal_representative.name": organisation.legal_representative_name,
            "legal_representative.id_number": cipher.decrypt(organisation.legal_representative_id_encrypted)}


def _documents(command: RequestChange, organisation: Organisation, uow: IdentityUnitOfWork) -> list[dict[str, Any]]:
    found = []
    for document_id in dict.fromkeys(command.document_ids):
        document = uow.documents.get(organisation.id, document_id)
        if document is None:
            raise RuleBroken({"document_ids": [f"No document {document_id} of this organisation."]},
                             "A document named is not this organisation's.")
        found.append({"id": document.id, "kind": document.kind, "sha256": document.file.sha256,
                      "media_type": document.file.media_type})
    try:
        rules.check_change_documents([d["kind"] for d in found])
    except rules.ChangeRefused as refused:
        raise RuleBroken({"document_ids": [str(refused)]}, str(refused), slug=refused.slug) from None
    return found


def handle_request_change(command: RequestChange, uow: IdentityUnitOfWork, registry: Registry,
                          cipher: IdNumberCipher) -> ChangeRequest:
    """Check the new data against the registry and queue the request for review
    (`identity.organisation.change_requested`). 403 for a member who is not the admin; 409 unless
    verified, or with a request pending (`change-request-pending`); 422 naming what is wrong."""
    organisation = own_organisation(command.principal, command.organisation_id, uow)
    try:
        rules.check_may_request_change(organisation.status, _is_admin(command.principal, uow),
                                       uow.change_requests.pending_of(organisation.id) is not None)
    except rules.ChangeRefused as refused:
        raise _refusal(refused) from None
    before = _before(organisation, cipher)
    wanted = {name: value for name, value in (
        ("name", command.name), ("legal_representative.name", command.legal_representative_name),
        ("legal_representative.id_number", command.legal_representative_id_number)) if value is not None}
    changes = rules.field_changes(before, wanted)
    if not changes:
        raise RuleBroken({"name": ["Nothing differs from the organisation's data."]},
                         "Nothing differs from the organisation's data.", slug="nothing-to-change")
    documents = _documents(command, organisation, uow)
    after = {**before, **wanted}
    claim = Claim(uscc=organisation.uscc, name=after["name"],
                  legal_representative_name=after["legal_representative.name"],
                  legal_representative_id_number=after["legal_representative.id_number"])
    check_with_registry(claim, registry, organisation.id)
    masked = {"before": organisation.legal_representative_id_masked,
              "after": mask_id_number(after["legal_representative.id_number"])}
    now = dt.datetime.now(dt.UTC)
    request = ChangeRequest(
        id=str(uuid.uuid4()), organisation_id=organisation.id, requested_by=command.principal.account_id,
        name=after["name"], legal_representative_name=after["legal_representative.name"],
        legal_representative_id_encrypted=cipher.encrypt(after["legal_representative.id_number"]),
        legal_representative_id_masked=masked["after"], changes=rules.mask_changes(changes, masked),
        document_ids=[d["id"] for d in documents], requested_at=now.replace(tzinfo=None))
    with uow:
        if not uow.change_requests.add(request):
            raise Conflict("A change request of this organisation awaits the reviewers' decision already; one at "
                           "a time.", slug="change-request-pending")
        uow.publish("identity.organisation.change_requested", {
            "request_id": request.id, "organisation_id": organisation.id, "name": organisation.name,
            "uscc": organisation.uscc, "kind": organisation.kind, "province_code": organisation.province_code,
            "changes": request.changes, "documents": documents, "requested_at": now.isoformat()},
            aggregate_id=request.id)
        uow.audit("organisation.change_requested", "organisation", organisation.id,
                  {"request_id": request.id, "fields": [c["field"] for c in request.changes]})
    return request


def request_view(request: ChangeRequest) -> dict[str, Any]:
    return {"id": request.id, "status": request.status, "changes": request.changes,
            "document_ids": request.document_ids, "requested_at": request.requested_at,
            "decided_at": request.decided_at, "reasons": request.reasons}


def latest_change_request(organisation_id: str, principal: Principal, uow: IdentityUnitOfWork) -> dict[str, Any]:
    """The organisation's newest change request (pending, or the last decided), for its members and staff."""
    organisation = visible_organisation(principal, organisation_id, uow)
    latest = uow.change_requests.latest_of(organisation.id)
    return {"latest": None if latest is None else request_view(latest)}


CHANGE_KIND = "org_change"


def on_change_decided(event: Envelope, uow: IdentityUnitOfWork) -> None:
    """A reviewer decided a change request (`review.decision.made`, kind `org_change`,
    subject: the organisation): approved, the organisation's data change (version up) and
    `identity.organisation.changed` is published; rejected, the reasons are kept and
    `identity.organisation.change_rejected` is published. An approval reaching an organisation
    that is no longer verified (suspended meanwhile) cannot apply: the request is rejected so.
    A decision that fits no pending request is logged and acknowledged without effect."""
    data = event.data
    organisation_id, task_id = data["subject_id"], data["task_id"]
    request = uow.change_requests.pending_of(organisation_id)
    organisation = uow.organisations.get(organisation_id)
    status = rules.STATUS_AFTER_DECISION.get(data["outcome"])
    if request is None or organisation is None or status is None:
        log.warning("decision %s of task %s on organisation %s ignored: no pending change request fits it",
                    event.id, task_id, organisation_id)
        return
    now = dt.datetime.now(dt.UTC)
    reasons = [{"field": r["field"], "message": r["message"]} for r in data.get("reasons") or []]
    actor = Actor(account_id=data["reviewer_id"], role="reviewer", request_id=event.correlation_id)
    if status == rules.APPROVED and not uow.organisations.change(
            organisation.id, organisation.version, (rules.VERIFIED,), {
                "name": request.name, "legal_representative_name": request.legal_representative_name,
                "legal_representative_id_encrypted": request.legal_representative_id_encrypted,
                "legal_representative_id_masked": request.legal_representative_id_masked}):
        status, reasons = rules.REJECTED, [{"field": "status", "message": (
            f"The organisation is {organisation.status} now: the approved change could not apply.")}]
    uow.change_requests.decide(request.id, status, task_id, now.replace(tzinfo=None), reasons)
    if status == rules.APPROVED:
        uow.publish("identity.organisation.changed", {
            "organisation_id": organisation.id, "request_id": request.id, "name": request.name,
            "previous_name": organisation.name, "uscc": organisation.uscc, "kind": organisation.kind,
            "province_code": organisation.province_code, "changes": request.changes,
            "changed_at": now.isoformat()}, aggregate_id=organisation.id, aggregate_version=organisation.version + 1)
    else:
        uow.publish("identity.organisation.change_rejected", {
            "organisation_id": organisation.id, "request_id": request.id, "name": organisation.name,
            "uscc": organisation.uscc, "province_code": organisation.province_code, "changes": request.changes,
            "reasons": reasons, "rejected_at": now.isoformat()}, aggregate_id=request.id)
    uow.audit(f"organisation.change_{status}", "organisation", organisation.id,
              {"request_id": request.id, "task_id": task_id, "event_id": event.id, "reasons": reasons}, actor=actor)
