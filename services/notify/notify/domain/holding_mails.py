"""The mails of what a registration holds and for how long (identity's squatting remedies):

- someone registered with the address of an existing account: its holder, with where to sign in
  and where to reset the password (the registrant was told nothing);
- an unverified registration's hold on its USCC ends soon, and when it has ended: the
  organisation's contact and accounts, with where to ask for verification;
- an operator's dispute suspended a registration: its contact and accounts, with the reason;
- an operator dismissed a province-port application: the contact it gave, with the reason.
"""

from __future__ import annotations

from notify.domain.contacts import ContactBook
from notify.domain.incoming import IncomingEvent
from notify.domain.mail_requests import MailRequest, absolute, beijing_time, organisation_mails
from platform_shared.regions import PROVINCES

LOGIN_PATH = "/login"
RESET_PATH = "/password-reset"
ORGANISATION_PATH = "/enterprise"


def _registration_attempted(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    values = {"email": data["email"].lower(), "attempted_at": beijing_time(data["attempted_at"]),
              "login_url": absolute(public_url, LOGIN_PATH), "reset_url": absolute(public_url, RESET_PATH)}
    return [MailRequest("registration_attempted", data["email"].lower(), values=values)]


def _hold_ending(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    return organisation_mails("organisation_hold_ending", data, book, {
        "registered_at": beijing_time(data["registered_at"]), "lapses_at": beijing_time(data["lapses_at"]),
        "organisation_url": absolute(public_url, ORGANISATION_PATH)})


def _lapsed(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    return organisation_mails("organisation_lapsed", data, book, {
        "registered_at": beijing_time(data["registered_at"]), "lapsed_at": beijing_time(data["lapsed_at"]),
        "register_url": absolute(public_url, "/register")})


def _suspended(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    return organisation_mails("organisation_suspended", data, book, {
        "reason": data["reason"], "suspended_at": beijing_time(data["suspended_at"]),
        "dispute": data.get("dispute", True)})


def _port_dismissed(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    values = {"office_name": data["office_name"], "province_name": PROVINCES[data["province_code"]],
              "contact_name": data["contact"]["name"], "reason": data["reason"],
              "dismissed_at": beijing_time(data["dismissed_at"]),
              "apply_url": absolute(public_url, "/province-port/apply")}
    return [MailRequest("province_port_dismissed", data["contact"]["email"].lower(), values=values)]


HOLDING_RULES = {
    "identity.account.registration_attempted": _registration_attempted,
    "identity.organisation.hold_ending": _hold_ending,
    "identity.organisation.lapsed": _lapsed,
    "identity.organisation.suspended": _suspended,
    "identity.province_port.dismissed": _port_dismissed,
}
