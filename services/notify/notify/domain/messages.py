"""Which event makes which mail to whom: plain rules, no I/O.

`messages_for(event)` lists the mails an event causes, each with its template, recipient,
language and the values the template needs. Recipients come from the event itself or from
notify's local view of contacts (kept from identity's events), never from a call to identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from platform_shared.events.envelope import Envelope


@dataclass(frozen=True)
class MailRequest:
    template: str
    recipient: str
    language: str
    values: dict[str, Any] = field(default_factory=dict)


def _organisation_registered(event: Envelope) -> list[MailRequest]:
    data = event.data
    values = {"organisation_name": data["name"], "uscc": data["uscc"],
              "contact_name": data["contact"]["name"], "account_email": data["account_email"]}
    recipients = [data["contact"]["email"].lower()]
    if data["account_email"].lower() not in recipients:
        recipients.append(data["account_email"].lower())
    return [MailRequest("organisation_registered", r, "zh", values) for r in recipients]


RULES = {
    "identity.organisation.registered": _organisation_registered,
}
SUBSCRIBED_TYPES = tuple(sorted(RULES))


def messages_for(event: Envelope) -> list[MailRequest]:
    rule = RULES.get(event.type)
    return rule(event) if rule else []
