"""Revealing a legal representative's full ID number to the staff who must check it.

The number is kept encrypted and shown masked everywhere; a reviewer checking an organisation
against its licence may need it whole. Then, and only then: reviewers while the organisation
awaits their decision (`pending_review`), operators at any time; each reveal is written to the
audit log (`organisation.id_number.revealed`, actor and time) before the number is returned: if
the entry cannot be written, the number is not given.
"""

from __future__ import annotations

from identity.domain.verification import AWAITING_DECISION
from identity.service_layer.dependencies import IdNumberCipher
from identity.service_layer.organisations import visible_organisation
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, Forbidden
from platform_shared.principal import Principal


def reveal_id_number(organisation_id: str, principal: Principal, uow: IdentityUnitOfWork,
                     cipher: IdNumberCipher) -> str:
    """The full ID number of the organisation's legal representative, audited.

    `Forbidden` for anyone but reviewers and operators (members see their own number masked
    too: they typed it); `NotFound` for an unknown organisation; `Conflict` for a reviewer when
    the organisation is not awaiting a verification decision (nothing to check it for).
    """
    if not principal.is_staff:
        raise Forbidden("Only reviewers and operators may see a full ID number.", slug="forbidden")
    organisation = visible_organisation(principal, organisation_id, uow)
    if principal.role == "reviewer" and organisation.status != AWAITING_DECISION:
        raise Conflict("The organisation is not awaiting a verification decision; its ID number is shown "
                       "masked.", slug="not-under-review")
    number = cipher.decrypt(organisation.legal_representative_id_encrypted)
    with uow:
        uow.audit("organisation.id_number.revealed", "organisation", organisation.id,
                  {"masked": organisation.legal_representative_id_masked})
    return number
