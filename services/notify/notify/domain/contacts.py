"""notify's local view of who is who, as the rules see it: organisations with their addresses,
accounts with their roles, learnt from identity's events (notify never asks identity).

`contacts_learned` and `accounts_learned` say what an event adds to that view; a `ContactBook`
answers the rules from it (and from the preferences accounts gave notify).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from notify.domain.incoming import IncomingEvent

# The language of every mail to an address whose account chose none (or that holds no account).
DEFAULT_LANGUAGE = "zh"


@dataclass(frozen=True)
class ContactFact:
    """Something an identity event tells about who speaks for an organisation."""

    organisation_id: str
    email: str
    source: str  # `contact`, `account` (the first account) or `member` (an invited colleague)
    organisation_name: str | None = None
    contact_name: str | None = None

    @property
    def names_organisation(self) -> bool:
        """It tells the organisation's name and contact (a registration does; an invitation does not)."""
        return self.source != "member" and self.organisation_name is not None


@dataclass(frozen=True)
class KnownOrganisation:
    """An organisation as notify's local view of contacts knows it."""

    organisation_id: str
    name: str
    contact_name: str
    contact_emails: tuple[str, ...]
    account_emails: tuple[str, ...]


@dataclass(frozen=True)
class AccountFact:
    """Something an identity event tells about an account: whose address it is, its role."""

    account_id: str
    email: str
    role: str
    organisation_id: str | None = None
    province_code: str | None = None


class ContactBook(Protocol):
    """notify's local view of who is who, as the rules ask it."""

    def organisation(self, organisation_id: str) -> KnownOrganisation | None: ...

    def account(self, account_id: str) -> AccountFact | None:
        """The account as identity's events told of it (its address), if notify heard of it."""
        ...

    def language_of(self, email: str) -> str:
        """The language the account holding `email` chose; `zh` for any other address."""
        ...

    def reviewers_for_new_tasks(self) -> list[str]:
        """The addresses of the reviewers who asked to be mailed of new review tasks."""
        ...

    def province_admins(self, province_code: str) -> list[str]:
        """The addresses of the province admins of `province_code`."""
        ...


class NoContacts:
    """A contact book that knows nobody (for rules that need none); a base for test books."""

    def organisation(self, organisation_id: str) -> KnownOrganisation | None:
        return None

    def account(self, account_id: str) -> AccountFact | None:
        return None

    def language_of(self, email: str) -> str:
        return DEFAULT_LANGUAGE

    def reviewers_for_new_tasks(self) -> list[str]:
        return []

    def province_admins(self, province_code: str) -> list[str]:
        return []


def contacts_learned(event: IncomingEvent) -> list[ContactFact]:
    """What `event` adds to the local view of contacts (identity's events only)."""
    data = event.data
    if event.type == "identity.organisation.registered":
        name, contact_name = data["name"], data["contact"]["name"]
        return [ContactFact(data["organisation_id"], data["contact"]["email"].lower(), "contact",
                            organisation_name=name, contact_name=contact_name),
                ContactFact(data["organisation_id"], data["account_email"].lower(), "account",
                            organisation_name=name, contact_name=contact_name)]
    if event.type == "identity.account.invited" and data.get("organisation_id"):
        return [ContactFact(data["organisation_id"], data["email"].lower(), "member",
                            organisation_name=data.get("organisation_name"))]
    return []


@dataclass(frozen=True)
class ContactReplaced:
    """An organisation's contact is now another person or address (its admin changed it): the
    contact address replaces the one before, and the names are the event's."""

    organisation_id: str
    email: str
    contact_name: str
    organisation_name: str


def contact_replaced(event: IncomingEvent) -> ContactReplaced | None:
    """The contact `event` puts in place of the one before, if any."""
    if event.type != "identity.organisation.contact_changed":
        return None
    data = event.data
    return ContactReplaced(data["organisation_id"], data["contact"]["email"].lower(), data["contact"]["name"],
                           data["name"])


def accounts_learned(event: IncomingEvent) -> list[AccountFact]:
    """What `event` adds to the local view of accounts (identity's events only).

    An organisation's first account is named by `organisation.registered` (its `account_id`
    only since that field was added: an older event teaches nothing here), an invited one by
    `account.invited`, a province admin made by approving a port by `province_port.approved`.
    """
    data = event.data
    if event.type == "identity.organisation.registered" and data.get("account_id"):
        return [AccountFact(data["account_id"], data["account_email"].lower(), "enterprise",
                            organisation_id=data["organisation_id"])]
    if event.type == "identity.account.invited":
        return [AccountFact(data["account_id"], data["email"].lower(), data["role"],
                            organisation_id=data.get("organisation_id"), province_code=data.get("province_code"))]
    if event.type == "identity.province_port.approved":
        return [AccountFact(data["account_id"], data["contact"]["email"].lower(), "province_admin",
                            province_code=data["province_code"])]
    return []
