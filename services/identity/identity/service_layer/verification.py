"""Asking for real-name verification: documents present, registry agrees, then the review.

The registry is asked outside any transaction (it may be a remote service); the status then
changes only if the organisation is still the version that was checked, together with the
`identity.organisation.verification_requested` event (outbox) that makes review open a task.
"""

from __future__ import annotations

import datetime as dt
import logging

from identity.domain.commands import RequestVerification
from identity.domain.model import Organisation
from identity.domain.verification import (
    AWAITING_DECISION,
    MAY_REQUEST_VERIFICATION,
    Claim,
    VerificationRefused,
    check_may_request,
    missing_documents,
)
from identity.service_layer.dependencies import IdNumberCipher, Registry
from identity.service_layer.organisations import own_organisation
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, NotFound, RuleBroken, Unavailable
from platform_shared.registries import RegistryUnavailable

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def handle_request_verification(command: RequestVerification, uow: IdentityUnitOfWork, registry: Registry,
                                cipher: IdNumberCipher) -> Organisation:
    """Check the organisation's claim and queue it for review (status `pending_review`).

    `Conflict` unless `registered` or `rejected`; `RuleBroken` naming the missing documents or the
    fields the registry disagrees with; `Unavailable` when the registry cannot answer. Nothing
    changes on failure.
    """
    organisation = own_organisation(command.principal, command.organisation_id, uow)
    try:
        check_may_request(organisation.status)
    except VerificationRefused as exc:
        raise Conflict(exc.detail, slug="verification-not-allowed") from None
    documents = uow.documents.current(organisation.id)
    missing = missing_documents(documents)
    if missing:
        raise RuleBroken(missing, "Upload the mandatory documents first: "
                         + ", ".join(key.split(".", 1)[1] for key in missing) + ".", slug="documents-missing")
    claim = Claim(uscc=organisation.uscc, name=organisation.name,
                  legal_representative_name=organisation.legal_representative_name,
                  legal_representative_id_number=cipher.decrypt(organisation.legal_representative_id_encrypted))
    check_with_registry(claim, registry, organisation.id)
    now = dt.datetime.now(dt.UTC)
    with uow:
        if not uow.organisations.change(organisation.id, organisation.version, MAY_REQUEST_VERIFICATION,
                                        {"status": AWAITING_DECISION}):
            raise Conflict("The organisation changed while it was being checked; ask again.",
                           slug="organisation-changed")
        uow.publish("identity.organisation.verification_requested", {
            "organisation_id": organisation.id, "name": organisation.name, "uscc": organisation.uscc,
            "kind": organisation.kind, "province_code": organisation.province_code,
            "city_code": organisation.city_code, "address": organisation.address,
            "legal_representative": {"name": organisation.legal_representative_name,
                                     "id_number_masked": organisation.legal_representative_id_masked},
            "contact": {"name": organisation.contact_name, "phone": organisation.contact_phone,
                        "email": organisation.contact_email},
            "documents": [{"id": d.id, "kind": d.kind, "sha256": d.file.sha256, "media_type": d.file.media_type}
                          for d in documents.values()],
            "requested_at": now.isoformat(),
        }, aggregate_id=organisation.id, aggregate_version=organisation.version + 1)
    changed = uow.organisations.get(organisation.id)
    if changed is None:
        raise NotFound("No such organisation.", slug="organisation-not-found")
    return changed


def check_with_registry(claim: Claim, registry: Registry, organisation_id: str) -> None:
    """`RuleBroken` naming the fields the registry disagrees with (`real-name-check-failed`);
    `Unavailable` when it cannot answer. Asked outside any transaction (it may be remote)."""
    try:
        reasons = registry.check(claim)
    except RegistryUnavailable as exc:
        log.warning("registry %s unavailable for organisation %s: %s", registry.name, organisation_id, exc)
        raise Unavailable("The registry cannot be reached now; try again later.", slug="registry-unavailable",
                          retry_after=RETRY_AFTER_SECONDS) from None
    if reasons:
        raise RuleBroken(reasons, f"The {registry.name} registry check failed: " + ", ".join(sorted(reasons)) + ".",
                         slug="real-name-check-failed")
