"""What every mail rule builds on: the request for one mail (template, recipient, language,
values), links under the platform's public address, moments in Beijing time, and an
organisation's recipients as notify's local view of contacts knows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from notify.domain.contacts import DEFAULT_LANGUAGE, ContactBook, KnownOrganisation

# Times in mails are shown in Beijing time, which is what every reader of them lives in.
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


@dataclass(frozen=True)
class MailRequest:
    """One mail an event causes: its template, to whom, in which language, and what it says."""

    template: str
    recipient: str
    language: str = DEFAULT_LANGUAGE  # set by `messages_for` from the recipient's preference
    values: dict[str, Any] = field(default_factory=dict)
    # Placeholder → secret (a one-time link): the mail is rendered and kept with the placeholder,
    # the secret sealed beside it and put in only when the mail is sent.
    secrets: dict[str, str] = field(default_factory=dict)


def absolute(public_url: str, path: str) -> str:
    """`/api/v1/...` (or a portal page) under the platform's public address (a full URL is kept as it is)."""
    if "://" in path:
        return path
    return public_url.rstrip("/") + "/" + path.lstrip("/")


def unique(emails: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(emails))


def organisation_recipients(known: KnownOrganisation) -> list[str]:
    """The organisation's contact first, then its accounts (first one and members), each once."""
    return unique((*known.contact_emails, *known.account_emails))


def organisation_mails(template: str, data: Mapping[str, Any], book: ContactBook,
                       values: Mapping[str, Any]) -> list[MailRequest]:
    """`template` to the organisation `data` names (its contact, then its accounts), saying its
    name, USCC and contact's name besides `values`; none when notify does not know it."""
    known = book.organisation(data["organisation_id"])
    if known is None:
        return []
    said = {"organisation_name": data["name"], "uscc": data["uscc"], "contact_name": known.contact_name, **values}
    return [MailRequest(template, r, values=said) for r in organisation_recipients(known)]


def beijing_time(iso: str) -> str:
    """`2026-05-08T06:30:00+00:00` -> `2026-05-08 14:30`."""
    return dt.datetime.fromisoformat(iso).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
