"""Which event makes which mail to whom: plain rules, no I/O.

`messages_for(event)` lists the mails an event causes, each with its template, recipient,
language and the values the template needs. Recipients come from the event itself or from
notify's local view of contacts (kept from identity's events), never from a call to identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from platform_shared.events.envelope import Envelope
from platform_shared.regions import PROVINCES

# Times in mails are shown in Beijing time, which is what every reader of them lives in.
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


@dataclass(frozen=True)
class MailRequest:
    template: str
    recipient: str
    language: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ContactFact:
    """Something an identity event tells about who speaks for an organisation."""

    organisation_id: str
    email: str
    source: str  # `contact`, `account` (the first account) or `member` (an invited colleague)
    organisation_name: str | None = None
    contact_name: str | None = None


@dataclass(frozen=True)
class KnownOrganisation:
    """An organisation as notify's local view of contacts knows it."""

    organisation_id: str
    name: str
    contact_name: str
    contact_emails: tuple[str, ...]
    account_emails: tuple[str, ...]


class ContactBook(Protocol):
    def organisation(self, organisation_id: str) -> KnownOrganisation | None: ...


class NoContacts:
    """A contact book that knows nobody (for rules that need none)."""

    def organisation(self, organisation_id: str) -> KnownOrganisation | None:
        return None


def contacts_learned(event: Envelope) -> list[ContactFact]:
    """What `event` adds to the local view of contacts (identity's events only)."""
    data = event.data
    if event.type == "identity.organisation.registered":
        organisation = {"organisation_name": data["name"], "contact_name": data["contact"]["name"]}
        return [ContactFact(data["organisation_id"], data["contact"]["email"].lower(), "contact", **organisation),
                ContactFact(data["organisation_id"], data["account_email"].lower(), "account", **organisation)]
    if event.type == "identity.account.invited" and data.get("organisation_id"):
        return [ContactFact(data["organisation_id"], data["email"].lower(), "member",
                            organisation_name=data.get("organisation_name"))]
    return []


def _unique(emails) -> list[str]:
    return list(dict.fromkeys(emails))


def _organisation_registered(event: Envelope, book: ContactBook) -> list[MailRequest]:
    data = event.data
    values = {"organisation_name": data["name"], "uscc": data["uscc"],
              "contact_name": data["contact"]["name"], "account_email": data["account_email"]}
    recipients = [data["contact"]["email"].lower()]
    if data["account_email"].lower() not in recipients:
        recipients.append(data["account_email"].lower())
    return [MailRequest("organisation_registered", r, "zh", values) for r in recipients]


def beijing_time(iso: str) -> str:
    """`2026-05-08T06:30:00+00:00` -> `2026-05-08 14:30`."""
    return dt.datetime.fromisoformat(iso).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def _province_port_approved(event: Envelope, book: ContactBook) -> list[MailRequest]:
    data = event.data
    values = {"office_name": data["office_name"], "province_name": PROVINCES[data["province_code"]],
              "contact_name": data["contact"]["name"], "account_email": data["contact"]["email"].lower(),
              "link": data["password_setup_url"], "expires_at": beijing_time(data["password_setup_expires_at"])}
    return [MailRequest("province_port_approved", data["contact"]["email"].lower(), "zh", values)]


def _province_port_rejected(event: Envelope, book: ContactBook) -> list[MailRequest]:
    data = event.data
    values = {"office_name": data["office_name"], "province_name": PROVINCES[data["province_code"]],
              "contact_name": data["contact"]["name"], "reason": data["reason"]}
    return [MailRequest("province_port_rejected", data["contact"]["email"].lower(), "zh", values)]


def _account_invited(event: Envelope, book: ContactBook) -> list[MailRequest]:
    data = event.data
    province = data.get("province_code")
    values = {"email": data["email"].lower(), "role": data["role"],
              "organisation_name": data.get("organisation_name"),
              "province_name": PROVINCES[province] if province else None,
              "link": data["password_setup_url"], "expires_at": beijing_time(data["password_setup_expires_at"])}
    return [MailRequest("account_invited", data["email"].lower(), "zh", values)]


def _verification_requested(event: Envelope, book: ContactBook) -> list[MailRequest]:
    data = event.data
    known = book.organisation(data["organisation_id"])
    if known is None:
        return []
    values = {"organisation_name": data["name"], "uscc": data["uscc"], "contact_name": known.contact_name,
              "requested_at": beijing_time(data["requested_at"])}
    return [MailRequest("organisation_verification_requested", r, "zh", values)
            for r in _unique(known.contact_emails)]


def _organisation_verified(event: Envelope, book: ContactBook) -> list[MailRequest]:
    data = event.data
    known = book.organisation(data["organisation_id"])
    if known is None:
        return []
    values = {"organisation_name": data["name"], "uscc": data["uscc"], "contact_name": known.contact_name,
              "verified_at": beijing_time(data["verified_at"])}
    return [MailRequest("organisation_verified", r, "zh", values)
            for r in _unique((*known.contact_emails, *known.account_emails))]


def _organisation_rejected(event: Envelope, book: ContactBook) -> list[MailRequest]:
    data = event.data
    known = book.organisation(data["organisation_id"])
    if known is None:
        return []
    values = {"organisation_name": known.name, "contact_name": known.contact_name,
              "reasons": [{"field": r["field"], "message": r["message"]} for r in data["reasons"]],
              "rejected_at": beijing_time(data["rejected_at"])}
    return [MailRequest("organisation_rejected", r, "zh", values)
            for r in _unique((*known.contact_emails, *known.account_emails))]


Rule = Callable[[Envelope, ContactBook], list[MailRequest]]

RULES: dict[str, Rule] = {
    "identity.organisation.registered": _organisation_registered,
    "identity.province_port.approved": _province_port_approved,
    "identity.province_port.rejected": _province_port_rejected,
    "identity.account.invited": _account_invited,
    "identity.organisation.verification_requested": _verification_requested,
    "identity.organisation.verified": _organisation_verified,
    "identity.organisation.rejected": _organisation_rejected,
}
SUBSCRIBED_TYPES = tuple(sorted(RULES))


def messages_for(event: Envelope, book: ContactBook | None = None) -> list[MailRequest]:
    """The mails `event` causes; `book` is notify's local view of contacts (the verification
    steps' events carry no e-mail address)."""
    rule = RULES.get(event.type)
    return rule(event, book or NoContacts()) if rule else []
