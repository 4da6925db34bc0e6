"""identity's repositories as the handlers see them: each a small protocol, implemented on peewee
in `adapters.repository` and on dictionaries in the unit tests.

What a store must do atomically (change an organisation only if it is still the version that was
read, spend a one-time token once, count a failed sign-in under concurrency) is one method, so
that it stays as strong as the store can make it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from identity.domain.model import (
    Account,
    ChangeRequest,
    Document,
    Organisation,
    OrganisationDecision,
    PasswordSetup,
    RefreshToken,
)
from identity.domain.organisation_search import OrganisationFilter
from identity.domain.province_ports import PortApplication
from identity.domain.sign_in_guard import FailedSignIns, LockoutPolicy
from platform_shared.pages import Page, PageRequest
from platform_shared.quotas import Usage


class OrganisationRepository(Protocol):
    def add(self, organisation: Organisation) -> None:
        """`DuplicateRecord` (at the latest when the unit of work ends) if the USCC is registered."""

    def get(self, organisation_id: str) -> Organisation | None: ...

    def exists(self, organisation_id: str) -> bool: ...

    def uscc_taken(self, uscc: str) -> bool:
        """Whether a registration holds the USCC (a lapsed or suspended one released it)."""

    def holder_of(self, uscc: str) -> Organisation | None:
        """The registration that holds the USCC, if any."""

    def on_the_clock(self, status: str, registered_before: dt.datetime) -> list[Organisation]:
        """Organisations in `status` registered at or before the moment, oldest first."""

    def lock(self, organisation_id: str) -> None:
        """Hold the organisation's row until the transaction ends (what is counted against its
        quotas stays so until the insert commits)."""

    def change(self, organisation_id: str, version: int, statuses: Collection[str],
               changes: Mapping[str, Any]) -> bool:
        """Apply `changes` (field -> value) and raise the version by one, if the organisation is
        still at `version` and in one of `statuses`: one conditional write; whether it applied."""

    def search(self, which: OrganisationFilter, request: PageRequest) -> Page[Organisation]:
        """Those `which` admits, newest registration first."""


class AccountRepository(Protocol):
    def add(self, account: Account) -> None:
        """`DuplicateRecord` (at the latest when the unit of work ends) if the e-mail has an account."""

    def get(self, account_id: str) -> Account | None: ...

    def by_email(self, email: str) -> Account | None: ...

    def email_taken(self, email: str) -> bool: ...

    def save(self, account: Account) -> None:
        """Write the password hash, whether the account is active, when it was deactivated and
        whether it is its organisation's admin."""

    def of_organisation(self, organisation_id: str, request: PageRequest) -> Page[Account]:
        """Oldest first."""

    def lock(self, account_id: str) -> None:
        """Hold the account's row until the transaction ends."""

    def active_admins(self, organisation_id: str) -> int:
        """How many admins of the organisation are not deactivated."""

    def staff(self, request: PageRequest) -> Page[Account]:
        """Reviewers, operators and province admins, oldest first."""
    def forget(self, account_id: str) -> None:
        """Delete an account that never signed in (an invitation that lapsed) and its one-time links."""


class RefreshTokenRepository(Protocol):
    def add(self, token: RefreshToken) -> None: ...

    def by_hash(self, token_hash: str) -> RefreshToken | None: ...

    def spend(self, token_id: str, now: dt.datetime) -> bool:
        """Mark the token used if it was not: of two concurrent uses exactly one succeeds."""

    def revoke_account(self, account_id: str, now: dt.datetime) -> int:
        """Revoke every refresh token of the account (every sign-in of it ends); how many."""

    def revoke_family(self, family_id: str, now: dt.datetime) -> None:
        """Revoke every token of the family not revoked yet."""


class PasswordSetupRepository(Protocol):
    def add(self, setup: PasswordSetup) -> None: ...

    def by_hash(self, token_hash: str) -> PasswordSetup | None: ...

    def spend(self, setup_id: str, now: dt.datetime) -> bool:
        """Mark the link used if it was not: of two concurrent uses exactly one succeeds."""

    def void_unused(self, account_id: str, now: dt.datetime) -> None:
        """Every unused link of the account stops working."""


@dataclass(frozen=True)
class DocumentFilter:
    organisation_id: str
    kind: str | None = None


class DocumentRepository(Protocol):
    def add(self, document: Document) -> None: ...

    def get(self, organisation_id: str, document_id: str) -> Document | None: ...

    def page(self, which: DocumentFilter, request: PageRequest) -> Page[Document]:
        """Newest first."""

    def usage(self, organisation_id: str) -> Usage:
        """How many documents the organisation keeps, and their bytes."""

    def current(self, organisation_id: str) -> dict[str, Document]:
        """The newest document of each kind the organisation uploaded."""


class DecisionRepository(Protocol):
    def add(self, decision: OrganisationDecision) -> None:
        """`DuplicateRecord` (at the latest when the unit of work ends) if the task was decided."""

    def task_decided(self, task_id: str) -> bool: ...

    def latest_rejection(self, organisation_id: str) -> OrganisationDecision | None:
        """The newest rejection of the organisation, if it was ever rejected."""


class SignInGuardRepository(Protocol):
    """Failed sign-ins per e-mail address (the rule: `domain.sign_in_guard`)."""

    def failures(self, email: str) -> FailedSignIns | None:
        """The recorded failures of `email` (None when there are none)."""

    def record_failure(self, email: str, policy: LockoutPolicy, now: dt.datetime) -> FailedSignIns:
        """Count one wrong password for `email`, so that concurrent failures all count; the state after it."""

    def clear(self, email: str) -> None:
        """Forget the failures of `email` (it signed in successfully)."""


@dataclass(frozen=True)
class PortFilter:
    status: str | None = None
    province_code: str | None = None


class PortApplicationRepository(Protocol):
    def add(self, application: PortApplication) -> None:
        """`DuplicateRecord` (at the latest when the unit of work ends) if the province is held."""

    def get(self, application_id: str) -> PortApplication | None: ...

    def pending_of(self, province_code: str) -> list[PortApplication]:
        """The province's `submitted` applications, oldest first."""

    def province_held(self, province_code: str, statuses: Collection[str]) -> bool:
        """Whether an application for the province is in one of `statuses`."""

    def decide(self, application: PortApplication, expected_status: str) -> bool:
        """Write the application's decision if it is still in `expected_status`: one conditional
        write, of two concurrent decisions exactly one succeeds; whether it applied."""

    def save(self, application: PortApplication) -> None:
        """Write the account an approval created."""

    def page(self, which: PortFilter, request: PageRequest) -> Page[PortApplication]:
        """Oldest first."""


class ChangeRequestRepository(Protocol):
    def add(self, request: ChangeRequest) -> bool:
        """Keep a new pending request; False when the organisation has one pending already (one
        statement: of two concurrent requests exactly one is kept)."""

    def pending_of(self, organisation_id: str) -> ChangeRequest | None: ...

    def latest_of(self, organisation_id: str) -> ChangeRequest | None:
        """The newest request, whatever its status."""

    def decide(self, request_id: str, status: str, task_id: str, decided_at: dt.datetime,
               reasons: list[dict[str, Any]]) -> bool:
        """Write the decision if the request is still pending; whether it applied."""
