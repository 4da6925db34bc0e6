"""identity's things as plain data: organisations, their accounts and documents, the tokens an
account holds, and the reviewers' decisions identity applied. Times are naive UTC, as stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from platform_shared.attachments import StoredFile

REGISTERED = "registered"


@dataclass
class Organisation:
    id: str
    name: str
    uscc: str
    kind: str
    province_code: str
    city_code: str | None
    address: str
    legal_representative_name: str
    # Encrypted at rest (Fernet); only ever shown masked.
    legal_representative_id_encrypted: str
    legal_representative_id_masked: str
    contact_name: str
    contact_phone: str
    contact_email: str
    registered_at: dt.datetime
    status: str = REGISTERED
    version: int = 1
    # When its contact heard that an unverified registration's hold ends soon, and when it
    # released its USCC (lapsed, suspended): see `domain.holds`.
    hold_warned_at: dt.datetime | None = None
    released_at: dt.datetime | None = None
    # The status it was suspended from, and when an operator last reinstated it (an unverified
    # registration's hold runs again from then: `domain.holds`).
    suspended_from: str | None = None
    reinstated_at: dt.datetime | None = None


@dataclass
class Account:
    id: str
    email: str
    password_hash: str
    role: str
    created_at: dt.datetime
    organisation_id: str | None = None
    province_code: str | None = None
    # Whether its holder has set a password (an invited account is pending until then).
    active: bool = True
    # The organisation's admin: deactivates and reactivates its members (its registrant at first).
    organisation_admin: bool = False
    # Set while an operator or the organisation's admin has deactivated the account.
    deactivated_at: dt.datetime | None = None

    @property
    def deactivated(self) -> bool:
        return self.deactivated_at is not None

    @property
    def can_sign_in(self) -> bool:
        return self.active and not self.deactivated

    @property
    def status(self) -> str:
        """`deactivated`, `pending` (no password set yet) or `active`."""
        if self.deactivated:
            return "deactivated"
        return "active" if self.active else "pending"


@dataclass
class RefreshToken:
    """One refresh token, kept only as its SHA-256; each use replaces it by a new one of the same
    family, and a second use of a spent token revokes the family (it was stolen)."""

    id: str
    account_id: str
    family_id: str
    token_hash: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


@dataclass
class PasswordSetup:
    """A one-time permission to set an account's password, kept only as the SHA-256 of the token
    that the mail carries."""

    id: str
    account_id: str
    token_hash: str
    purpose: str
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None = None

    def usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and self.expires_at > now


@dataclass(frozen=True)
class Document:
    """One of an organisation's documents: its kind and the stored file."""

    id: str
    organisation_id: str
    kind: str
    file: StoredFile


@dataclass(frozen=True)
class OrganisationDecision:
    """A reviewer's decision on an organisation, as identity applied it (one per review task)."""

    id: str
    organisation_id: str
    task_id: str
    outcome: str
    reviewer_id: str
    decided_at: dt.datetime
    applied_at: dt.datetime
    event_id: str
    reasons: list[dict[str, Any]] = field(default_factory=list)




@dataclass
class ChangeRequest:
    """A verified organisation's request to change what the registry vouches for (its name, its
    legal representative), decided by a reviewer: `pending` → `approved` or `rejected`. The new ID
    number is kept encrypted like the organisation's; `changes` lists each field before and after
    (ID numbers masked) as the reviewer and the mails show them."""

    id: str
    organisation_id: str
    requested_by: str
    name: str
    legal_representative_name: str
    legal_representative_id_encrypted: str
    legal_representative_id_masked: str
    changes: list[dict[str, Any]]
    document_ids: list[str]
    requested_at: dt.datetime
    status: str = "pending"
    task_id: str | None = None
    decided_at: dt.datetime | None = None
    reasons: list[dict[str, Any]] = field(default_factory=list)
