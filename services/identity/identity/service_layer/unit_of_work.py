"""identity's unit of work: one transaction over its repositories, its outbox and its audit log.

    with uow:
        organisation = uow.organisations.get(organisation_id)
        ...
        uow.publish("identity.organisation.registered", data, aggregate_id=organisation.id)

`adapters.repository.PeeweeIdentityUnitOfWork` is the real one; the unit tests use a fake in memory.
"""

from __future__ import annotations

import abc

from identity.service_layer.repositories import (
    AccountRepository,
    ChangeRequestRepository,
    DecisionRepository,
    DocumentRepository,
    OrganisationRepository,
    PasswordSetupRepository,
    PortApplicationRepository,
    RefreshTokenRepository,
    SignInGuardRepository,
)
from platform_shared.unit_of_work import UnitOfWork


class IdentityUnitOfWork(UnitOfWork, abc.ABC):
    organisations: OrganisationRepository
    accounts: AccountRepository
    documents: DocumentRepository
    decisions: DecisionRepository
    change_requests: ChangeRequestRepository
    # Signing in: refresh tokens, one-time password links, failed sign-ins per e-mail address.
    refresh_tokens: RefreshTokenRepository
    password_setups: PasswordSetupRepository
    sign_in_guard: SignInGuardRepository
    port_applications: PortApplicationRepository
