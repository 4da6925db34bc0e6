"""Asking for real-name verification: documents present, registry agrees, then the review.

The registry is asked outside any transaction (it may be a remote service); the status then
changes only if the organisation is still the version that was checked, together with the
`identity.organisation.verification_requested` event (outbox) that makes review open a task.
"""

from __future__ import annotations

import datetime as dt
import logging

from identity.adapters.id_cipher import IdNumberCipher
from identity.adapters.orm import Organisation
from identity.adapters.registry import Registry, RegistryUnavailable
from identity.domain.verification import (
    AWAITING_DECISION,
    MAY_REQUEST_VERIFICATION,
    Claim,
    VerificationRefused,
    check_may_request,
    missing_documents,
)
from identity.service_layer.documents import current_documents
from identity.service_layer.organisations import own_organisation
from platform_shared.auth.tokens import Principal
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def request_verification(organisation_id: str, principal: Principal, uow: UnitOfWork, registry: Registry,
                         cipher: IdNumberCipher) -> Organisation:
    """Check the organisation's claim and queue it for review (status `pending_review`).

    409 unless `registered` or `rejected`; 422 naming the missing documents or the fields the
    registry disagrees with; 503 when the registry cannot answer. Nothing changes on failure.
    """
    organisation = own_organisation(principal, organisation_id)
    try:
        check_may_request(organisation.status)
    except VerificationRefused as exc:
        raise Problem(409, exc.detail, slug="verification-not-allowed") from None
    documents = current_documents(organisation.id)
    missing = missing_documents(documents)
    if missing:
        raise Problem(422, "Upload the mandatory documents first: "
                      + ", ".join(key.split(".", 1)[1] for key in missing) + ".",
                      slug="documents-missing", errors=missing)
    claim = Claim(uscc=organisation.uscc, name=organisation.name,
                  legal_representative_name=organisation.legal_representative_name,
                  legal_representative_id_number=cipher.decrypt(organisation.legal_representative_id_encrypted))
    try:
        reasons = registry.check(claim)
    except RegistryUnavailable as exc:
        log.warning("registry %s unavailable for organisation %s: %s", registry.name, organisation.id, exc)
        raise Problem(503, "The registry cannot be reached now; try again later.", slug="registry-unavailable",
                      headers={"Retry-After": str(RETRY_AFTER_SECONDS)}) from None
    if reasons:
        raise Problem(422, f"The {registry.name} registry check failed: " + ", ".join(sorted(reasons)) + ".",
                      slug="real-name-check-failed", errors=reasons)
    now = dt.datetime.now(dt.UTC)
    version = organisation.version + 1
    with uow:
        updated = (Organisation.update(status=AWAITING_DECISION, version=version)
                   .where((Organisation.id == organisation.id) & (Organisation.version == organisation.version)
                          & Organisation.status.in_(MAY_REQUEST_VERIFICATION)).execute())
        if updated != 1:
            raise Problem(409, "The organisation changed while it was being checked; ask again.",
                          slug="organisation-changed")
        uow.publish("identity.organisation.verification_requested", {
            "organisation_id": organisation.id, "name": organisation.name, "uscc": organisation.uscc,
            "kind": organisation.kind, "province_code": organisation.province_code,
            "documents": [{"id": d.id, "kind": d.kind, "sha256": d.sha256, "media_type": d.media_type}
                          for d in documents.values()],
            "requested_at": now.isoformat(),
        }, aggregate_id=organisation.id, aggregate_version=version)
    return Organisation.get_by_id(organisation.id)
