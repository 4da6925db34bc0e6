"""Which event makes which mail to whom: plain rules, no I/O.

`messages_for(event)` lists the mails an event causes, each with its template, recipient,
language and the values the template needs. Recipients come from the event itself or from
notify's local view of contacts (kept from identity's events), never from a call to identity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

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


def _organisation_registered(event: Envelope) -> list[MailRequest]:
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


def _province_port_approved(event: Envelope) -> list[MailRequest]:
    data = event.data
    values = {"office_name": data["office_name"], "province_name": PROVINCES[data["province_code"]],
              "contact_name": data["contact"]["name"], "account_email": data["contact"]["email"].lower(),
              "link": data["password_setup_url"], "expires_at": beijing_time(data["password_setup_expires_at"])}
    return [MailRequest("province_port_approved", data["contact"]["email"].lower(), "zh", values)]


def _province_port_rejected(event: Envelope) -> list[MailRequest]:
    data = event.data
    values = {"office_name": data["office_name"], "province_name": PROVINCES[data["province_code"]],
              "contact_name": data["contact"]["name"], "reason": data["reason"]}
    return [MailRequest("province_port_rejected", data["contact"]["email"].lower(), "zh", values)]


def _account_invited(event: Envelope) -> list[MailRequest]:
    data = event.data
    province = data.get("province_code")
    values = {"email": data["email"].lower(), "role": data["role"],
              "organisation_name": data.get("organisation_name"),
              "province_name": PROVINCES[province] if province else None,
              "link": data["password_setup_url"], "expires_at": beijing_time(data["password_setup_expires_at"])}
    return [MailRequest("account_invited", data["email"].lower(), "zh", values)]


RULES = {
    "identity.organisation.registered": _organisation_registered,
    "identity.province_port.approved": _province_port_approved,
    "identity.province_port.rejected": _province_port_rejected,
    "identity.account.invited": _account_invited,
}
SUBSCRIBED_TYPES = tuple(sorted(RULES))


def messages_for(event: Envelope) -> list[MailRequest]:
    rule = RULES.get(event.type)
    return rule(event) if rule else []
