"""The mails of a verified organisation's changes and of operators reinstating one:

- its admin changed the contact, address or city: the new contact address and the previous one
  (so a change nobody there made is noticed by whoever read the mails before), and its accounts,
  each what changed, before and after;
- an operator reinstated a suspended organisation: its contact and accounts, with the reason;
- its admin asked for a change of name or legal representative (a receipt, so that a request
  nobody there made is noticed), and a reviewer approved or rejected it: its contact and
  accounts, with each field before and after, and a rejection's reasons per field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from notify.domain.contacts import ContactBook
from notify.domain.incoming import IncomingEvent
from notify.domain.mail_requests import MailRequest, absolute, beijing_time, organisation_mails, unique
from platform_shared.regions import region_name

ORGANISATION_PATH = "/enterprise"
Rule = Callable[[IncomingEvent, ContactBook, str], list[MailRequest]]


def _in_words(change: Mapping[str, Any]) -> dict[str, Any]:
    """A change as a reader reads it: a city by its name, not its code."""
    if change["field"] != "city_code":
        return dict(change)
    return {"field": "city_code", "before": region_name(change["before"]) or None,
            "after": region_name(change["after"]) or None}


def _contact_changed(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    known = book.organisation(data["organisation_id"])
    accounts = known.account_emails if known is not None else ()
    values = {"organisation_name": data["name"], "uscc": data["uscc"], "contact_name": data["contact"]["name"],
              "changes": [_in_words(change) for change in data["changes"]],
              "changed_at": beijing_time(data["changed_at"]),
              "organisation_url": absolute(public_url, ORGANISATION_PATH)}
    recipients = unique((data["contact"]["email"].lower(), data["previous_contact_email"].lower(), *accounts))
    return [MailRequest("organisation_contact_changed", r, values=values) for r in recipients]


def _reinstated(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    return organisation_mails("organisation_reinstated", data, book, {
        "status": data["status"], "reason": data["reason"], "reinstated_at": beijing_time(data["reinstated_at"]),
        "organisation_url": absolute(public_url, ORGANISATION_PATH)})


def _requested(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    return organisation_mails("organisation_change_requested", data, book, {
        "changes": [dict(change) for change in data["changes"]], "requested_at": beijing_time(data["requested_at"]),
        "organisation_url": absolute(public_url, ORGANISATION_PATH)})


def _decided(template: str, moment: str) -> Rule:
    def rule(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
        data = event.data
        return organisation_mails(template, data, book, {
            "changes": [dict(change) for change in data["changes"]], "reasons": list(data.get("reasons") or []),
            "decided_at": beijing_time(data[moment]), "organisation_url": absolute(public_url, ORGANISATION_PATH)})

    return rule


CHANGE_RULES = {
    "identity.organisation.change_requested": _requested,
    "identity.organisation.contact_changed": _contact_changed,
    "identity.organisation.reinstated": _reinstated,
    "identity.organisation.changed": _decided("organisation_changed", "changed_at"),
    "identity.organisation.change_rejected": _decided("organisation_change_rejected", "rejected_at"),
}
