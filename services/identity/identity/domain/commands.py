"""What people (and the platform's start) ask identity to do, one command per change of state.
Each is built by an entrypoint from a validated body and handled in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from platform_shared.principal import Principal

# --- organisations --------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterOrganisation:
    name: str
    uscc: str
    kind: str
    province_code: str
    city_code: str | None
    address: str
    legal_representative_name: str
    legal_representative_id_number: str
    contact_name: str
    contact_phone: str
    contact_email: str
    account_email: str
    account_password: str


@dataclass(frozen=True)
class CorrectOrganisation:
    """New values of the fields a member may correct; None leaves a field as it is. `fields`
    names what the body carried (for the audit log)."""

    organisation_id: str
    principal: Principal
    name: str | None = None
    address: str | None = None
    city_code: str | None = None
    clear_city_code: bool = False
    legal_representative_name: str | None = None
    legal_representative_id_number: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestVerification:
    organisation_id: str
    principal: Principal


@dataclass(frozen=True)
class UploadDocument:
    organisation_id: str
    kind: str
    content: BinaryIO
    original_name: str | None
    principal: Principal


# --- accounts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteStaff:
    email: str
    role: str
    province_code: str | None
    principal: Principal


@dataclass(frozen=True)
class InviteMember:
    organisation_id: str
    email: str
    principal: Principal


@dataclass(frozen=True)
class SetPassword:
    """Set the password of a one-time link's account (whoever holds the link)."""

    token: str
    password: str


@dataclass(frozen=True)
class RequestPasswordReset:
    """Mail a one-time link to set a new password to the account of `email`, if there is one."""

    email: str


@dataclass(frozen=True)
class ChangePassword:
    """The signed-in person changes their password, knowing the current one."""

    principal: Principal
    current_password: str
    new_password: str


@dataclass(frozen=True)
class BootstrapOperator:
    """The first operator of a new installation (`IDENTITY_BOOTSTRAP_OPERATOR`)."""

    email: str
    password: str


# --- tokens ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    email: str
    password: str
    address: str


@dataclass(frozen=True)
class RefreshTokens:
    refresh_token: str


# --- provincial ports -----------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyForPort:
    province_code: str
    office_name: str
    contact_name: str
    contact_title: str
    contact_phone: str
    contact_email: str
    form: BinaryIO


@dataclass(frozen=True)
class DecideApplication:
    application_id: str
    outcome: str
    reason: str | None
    decided_by: str


@dataclass(frozen=True)
class DeactivateAccount:
    """An operator (staff) or an organisation's admin (its members) deactivates an account."""

    account_id: str
    reason: str
    principal: Principal


@dataclass(frozen=True)
class ReactivateAccount:
    """An operator (staff) or an organisation's admin (its members) reactivates an account."""

    account_id: str
    reason: str
    principal: Principal


@dataclass(frozen=True)
class ChangeOrganisationAdmin:
    """An organisation's admin (or an operator) makes one of its accounts an admin, or no longer one."""

    account_id: str
    admin: bool
    principal: Principal


@dataclass(frozen=True)
class OpenDispute:
    """An operator disputes who holds a USCC: the holder is suspended and the USCC released."""

    uscc: str
    reason: str
    principal: Principal


@dataclass(frozen=True)
class ChangeContact:
    """A verified organisation's admin changes its contact, address or city at once; None leaves
    a field as it is (`clear_city_code`: no city any more)."""

    organisation_id: str
    principal: Principal
    address: str | None = None
    city_code: str | None = None
    clear_city_code: bool = False
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True)
class SuspendOrganisation:
    """An operator suspends an organisation directly (not by a dispute on its USCC)."""

    organisation_id: str
    reason: str
    principal: Principal


@dataclass(frozen=True)
class ReinstateOrganisation:
    """An operator reinstates a suspended organisation."""

    organisation_id: str
    reason: str
    principal: Principal


@dataclass(frozen=True)
class RequestChange:
    """A verified organisation's admin asks to change its name or legal representative; None
    leaves a field as it is. `document_ids`: the organisation's documents the request brings."""

    organisation_id: str
    principal: Principal
    document_ids: tuple[str, ...]
    name: str | None = None
    legal_representative_name: str | None = None
    legal_representative_id_number: str | None = None
