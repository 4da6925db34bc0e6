"""Which event makes which mail to whom: plain rules, no I/O.

`messages_for(event)` lists the mails an event causes, each with its template, recipient,
language and the values the template needs. Recipients come from the event itself or from
notify's local view of contacts (kept from identity's events), never from a call to identity.
Every step of a product's filing (filing's `filing.product.*` events) is mailed to its
organisation as identity's verification outcome is: to the contact and every account, with a
link to the product's page (the annual update and the opt-in are confirmed so too, and the annual
update's reminders list the products still to update). A new
review task is mailed to the reviewers who asked for it, a province's published monthly report
to the province's admins.

What a mail names by a code (a role, a kind of task, the field a reason is about) it carries in
both languages (`platform_shared.labels`), as the recipient's language is settled last; the
template shows its own.

Each mail is in the language its recipient chose: an address that belongs to an account with a
preference gets that language, any other address (an organisation's contact who holds no
account) Chinese. Links are absolute, under the platform's public address (`public_url`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from notify.domain.contacts import ContactBook, NoContacts
from notify.domain.declaration_fields import LANGUAGES, field_label, organisation_field_label
from notify.domain.holding_mails import HOLDING_RULES
from notify.domain.incoming import IncomingEvent
from notify.domain.mail_requests import MailRequest, absolute, beijing_time
from notify.domain.mail_requests import organisation_recipients as _organisation_recipients
from notify.domain.mail_requests import unique as _unique
from notify.domain.organisation_change_mails import CHANGE_RULES
from notify.domain.recognition_mails import RECOGNITION_RULES
from platform_shared.labels import in_every_language
from platform_shared.regions import PROVINCES

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


# Where a password-setup link stands in a kept mail: no HTML escaping changes it.
SETUP_LINK_PLACEHOLDER = "__PASSWORD_SETUP_LINK__"


@dataclass(frozen=True)
class RenderedMail:
    """A mail as its template made it: the subject line, the plain text and the HTML."""

    subject: str
    text: str
    html: str


# A rule: the mails one type of event causes, given the local view of contacts and the public URL.
Rule = Callable[[IncomingEvent, ContactBook, str], list[MailRequest]]


def _organisation_registered(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    # Where the next step is done (the commitment letter is downloaded prefilled next to the
    # documents' upload) and the manual's chapter for enterprises: the portal's pages.
    values = {"organisation_name": data["name"], "uscc": data["uscc"],
              "contact_name": data["contact"]["name"], "account_email": data["account_email"],
              "organisation_url": absolute(public_url, "/enterprise"),
              "manual_url": absolute(public_url, "/manual/enterprise")}
    recipients = [data["contact"]["email"].lower()]
    if data["account_email"].lower() not in recipients:
        recipients.append(data["account_email"].lower())
    return [MailRequest("organisation_registered", r, values=values) for r in recipients]


def _province_port_approved(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    values = {"office_name": data["office_name"], "province_name": PROVINCES[data["province_code"]],
              "contact_name": data["contact"]["name"], "account_email": data["contact"]["email"].lower(),
              "link": SETUP_LINK_PLACEHOLDER, "expires_at": beijing_time(data["password_setup_expires_at"]),
              "manual_url": absolute(public_url, "/manual/province-admin")}
    return [MailRequest("province_port_approved", data["contact"]["email"].lower(), values=values,
                        secrets={SETUP_LINK_PLACEHOLDER: data["password_setup_url"]})]


def _province_port_applied(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    """The receipt of an office's application, to the contact it gave."""
    data = event.data
    values = {"office_name": data["office_name"], "province_name": PROVINCES[data["province_code"]],
              "contact_name": data["contact"]["name"], "application_id": data["application_id"],
              "submitted_at": beijing_time(data["submitted_at"]),
              "manual_url": absolute(public_url, "/manual/province-admin")}
    return [MailRequest("province_port_applied", data["contact"]["email"].lower(), values=values)]


def _account_bootstrapped(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    """The first operator's account exists: where to sign in and change the password (never the password)."""
    data = event.data
    values = {"email": data["email"].lower(), "created_at": beijing_time(data["created_at"]),
              "login_url": absolute(public_url, "/login"), "password_url": absolute(public_url, "/account/password"),
              "manual_url": absolute(public_url, "/manual/operator")}
    return [MailRequest("account_bootstrapped", data["email"].lower(), values=values)]


def _province_port_rejected(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    values = {"office_name": data["office_name"], "province_name": PROVINCES[data["province_code"]],
              "contact_name": data["contact"]["name"], "reason": data["reason"]}
    return [MailRequest("province_port_rejected", data["contact"]["email"].lower(), values=values)]


def _account_invited(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    province = data.get("province_code")
    values = {"email": data["email"].lower(), "role": data["role"],
              "role_name": in_every_language("role", data["role"]),
              "organisation_name": data.get("organisation_name"),
              "province_name": PROVINCES[province] if province else None,
              "link": SETUP_LINK_PLACEHOLDER, "expires_at": beijing_time(data["password_setup_expires_at"])}
    return [MailRequest("account_invited", data["email"].lower(), values=values,
                        secrets={SETUP_LINK_PLACEHOLDER: data["password_setup_url"]})]


def _password_reset_requested(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    values = {"email": data["email"].lower(), "link": SETUP_LINK_PLACEHOLDER,
              "expires_at": beijing_time(data["password_setup_expires_at"])}
    return [MailRequest("password_reset_requested", data["email"].lower(), values=values,
                        secrets={SETUP_LINK_PLACEHOLDER: data["password_setup_url"]})]


def _password_changed(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    values = {"email": data["email"].lower(), "how": data["how"], "changed_at": beijing_time(data["changed_at"]),
              "reset_url": public_url.rstrip("/") + PASSWORD_RESET_PATH}
    return [MailRequest("password_changed", data["email"].lower(), values=values)]


def _account_status(template: str, moment: str) -> Rule:
    """An account deactivated or reactivated: its holder is told when, and why."""

    def rule(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
        data = event.data
        values = {"email": data["email"].lower(), "at": beijing_time(data[moment]), "reason": data["reason"],
                  "sign_in_url": public_url.rstrip("/") + SIGN_IN_PATH}
        return [MailRequest(template, data["email"].lower(), values=values)]

    return rule


def _verification_step(template: str, moment: str, to_accounts: bool) -> Rule:
    """A verification step's mail to the organisation: its contact, and (`to_accounts`) its accounts too."""

    def rule(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
        data = event.data
        known = book.organisation(data["organisation_id"])
        if known is None:
            return []
        values = {"organisation_name": data["name"], "uscc": data["uscc"], "contact_name": known.contact_name,
                  moment: beijing_time(data[moment])}
        recipients = _organisation_recipients(known) if to_accounts else _unique(known.contact_emails)
        return [MailRequest(template, r, values=values) for r in recipients]

    return rule


def _organisation_rejected(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    known = book.organisation(data["organisation_id"])
    if known is None:
        return []
    values = {"organisation_name": known.name, "contact_name": known.contact_name,
              "reasons": [{"field": r["field"], "message": r["message"],
                           "label": {language: organisation_field_label(r["field"], language)
                                     for language in LANGUAGES}} for r in data["reasons"]],
              "rejected_at": beijing_time(data["rejected_at"])}
    return [MailRequest("organisation_rejected", r, values=values) for r in _organisation_recipients(known)]


# Where anyone signs in (the portal's page).
SIGN_IN_PATH = "/login"
# Where anyone asks for a new password (the portal's page).
PASSWORD_RESET_PATH = "/password-reset"  # noqa: S105 - a page's path, not a password
# Where anyone checks that a filing is genuine (filing's public API, under the platform's address).
VERIFICATION_PATH = "/verify?number={filing_number}"  # the portal's page (as the certificate's QR code)


def _reasons(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The reviewer's reasons, each with its field named for readers in every language."""
    return [{"field": r["field"], "label": {language: field_label(r["field"], language) for language in LANGUAGES},
             "message": r["message"]} for r in data["reasons"]]


def _verification(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"filing_number": data["filing_number"],
            "verification_path": VERIFICATION_PATH.format(filing_number=quote(data["filing_number"], safe=""))}


def _filed(data: Mapping[str, Any]) -> dict[str, Any]:
    return {**_verification(data), "filed_at": beijing_time(data["filed_at"])}


# Where the organisation sees its product (the portal's page), for the re-checks' mails.
PRODUCT_PAGE_PATH = "/enterprise/products/{product_id}"


def _patent_problem(data: Mapping[str, Any]) -> dict[str, Any]:
    register = data["register"]
    return {"filing_number": data["filing_number"], "patent_number": data["patent_number"],
            "problem": in_every_language("patent_problem", data["problem"]),
            "holders": "；".join(register.get("holders") or []) if data["problem"] == "holder_changed" else "",
            "found_at": beijing_time(data["found_at"]), "deadline": data["deadline"],
            "product_path": PRODUCT_PAGE_PATH.format(product_id=quote(data["product_id"], safe=""))}


# Each product event's template, and what its mail says beyond the product and its organisation.
PRODUCT_MAILS: dict[str, tuple[str, Callable[[Mapping[str, Any]], dict[str, Any]]]] = {
    "filing.product.submitted": ("product_submitted", lambda data: {
        "submission": data["submission"], "submitted_at": beijing_time(data["submitted_at"])}),
    "filing.product.returned": ("product_returned", lambda data: {
        "reasons": _reasons(data), "returned_at": beijing_time(data["returned_at"])}),
    "filing.product.filed": ("product_filed", _filed),
    "filing.product.rejected": ("product_rejected", lambda data: {
        "reasons": _reasons(data), "rejected_at": beijing_time(data["rejected_at"])}),
    "filing.product.recognised": ("product_recognised", lambda data: {
        "filing_number": data["filing_number"], "year": data["year"],
        "recognised_at": beijing_time(data["recognised_at"])}),
    "filing.product.revoked": ("product_revoked", lambda data: {
        "filing_number": data["filing_number"], "reason": data["reason"],
        "revoked_at": beijing_time(data["revoked_at"])}),
    "filing.product.cancelled": ("product_cancelled", lambda data: {
        "filing_number": data["filing_number"], "reason": data["reason"],
        "cancelled_at": beijing_time(data["cancelled_at"])}),
    "filing.product.annual_data_updated": ("product_annual_data_updated", lambda data: {
        "filing_number": data["filing_number"], "year": data["data"]["year"], "figures": dict(data["data"]),
        "updated_at": beijing_time(data["updated_at"])}),
    "filing.product.recognition_opted_in": ("product_recognition_opted_in", lambda data: {
        "filing_number": data["filing_number"], "year": data["year"], "opt_in": data["opt_in"],
        "decided_at": beijing_time(data["decided_at"])}),
    # The re-checks of a filed product's patents against the register.
    "filing.product.patent_problem_found": ("product_patent_problem_found", _patent_problem),
    "filing.product.patent_expiring": ("product_patent_expiring", lambda data: {
        "filing_number": data["filing_number"], "patent_number": data["patent_number"],
        "expires_on": data["expires_on"], "noticed_at": beijing_time(data["noticed_at"]),
        "product_path": PRODUCT_PAGE_PATH.format(product_id=quote(data["product_id"], safe=""))}),
    "filing.product.suspended": ("product_suspended", lambda data: {
        "filing_number": data["filing_number"], "patents": list(data["lost_patents"]), "deadline": data["deadline"],
        "suspended_at": beijing_time(data["suspended_at"]),
        "product_path": PRODUCT_PAGE_PATH.format(product_id=quote(data["product_id"], safe=""))}),
    "filing.product.patent_problems_cleared": ("product_patent_problems_cleared", lambda data: {
        "filing_number": data["filing_number"], "suspension_lifted": data["suspension_lifted"],
        "at_risk": data["at_risk"], "cleared_at": beijing_time(data["cleared_at"])}),
    # Amendments (变更) of a filed product: to review, approved (a new edition), returned, rejected.
    "filing.product.amendment_submitted": ("product_amendment_submitted", lambda data: {
        "filing_number": data["filing_number"], "submission": data["submission"],
        "changed": [{language: field_label(name, language) for language in LANGUAGES}
                    for name in data.get("changed") or []],
        "submitted_at": beijing_time(data["submitted_at"])}),
    "filing.product.amended": ("product_amended", lambda data: {
        **_verification(data), "edition": data["edition"],
        "amended_at": beijing_time(data["amended_at"])}),
    "filing.product.amendment_returned": ("product_amendment_returned", lambda data: {
        "filing_number": data["filing_number"], "reasons": _reasons(data),
        "returned_at": beijing_time(data["returned_at"])}),
    "filing.product.amendment_rejected": ("product_amendment_rejected", lambda data: {
        "filing_number": data["filing_number"], "reasons": _reasons(data),
        "rejected_at": beijing_time(data["rejected_at"])}),
}

# A product's page in the portal (its organisation's members sign in to see it).
PRODUCT_PATH = "/enterprise/products/{product_id}"


def product_url(public_url: str, product_id: str) -> str:
    return absolute(public_url, PRODUCT_PATH.format(product_id=quote(product_id, safe="")))


def _product_step(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    known = book.organisation(data["organisation_id"])
    if known is None:
        return []
    template, details = PRODUCT_MAILS[event.type]
    extra = details(data)
    if "verification_path" in extra:
        extra["verification_url"] = absolute(public_url, extra["verification_path"])
    if "product_path" in extra:
        extra["product_url"] = absolute(public_url, extra["product_path"])
    values = {"organisation_name": data["organisation_name"] or known.name, "contact_name": known.contact_name,
              "product_name": data["name"], "brand": data["brand"], "model": data["model"],
              "product_url": product_url(public_url, data["product_id"]), **extra}
    return [MailRequest(template, r, values=values) for r in _organisation_recipients(known)]


def _annual_update_reminder(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    """The annual update's opening or last call, to the organisation: the products still to update."""
    data = event.data
    known = book.organisation(data["organisation_id"])
    if known is None:
        return []
    values = {"organisation_name": data["organisation_name"] or known.name, "contact_name": known.contact_name,
              "kind": data["kind"], "year": data["year"], "opens_on": data["opens_on"],
              "closes_on": data["closes_on"],
              "products": [{**p, "url": product_url(public_url, p["product_id"])} for p in data["products"]],
              "products_url": absolute(public_url, "/enterprise/products")}
    return [MailRequest("annual_update_reminder", r, values=values) for r in _organisation_recipients(known)]


# Where a reviewer opens a task (review's API, under the platform's address), and where an
# account turns the task mails off (notify's own API).
TASK_PATH = "/api/v1/review/tasks/{task_id}"
PREFERENCES_PATH = "/api/v1/notify/preferences"


def _task_created(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    values = {"task_id": data["task_id"], "kind": data["kind"], "title": data["title"],
              "kind_name": in_every_language("task_kind", data["kind"]),
              "created_at": beijing_time(data["created_at"]),
              "link": absolute(public_url, TASK_PATH.format(task_id=quote(data["task_id"], safe=""))),
              "preferences_url": absolute(public_url, PREFERENCES_PATH)}
    return [MailRequest("review_task_created", r, values=values) for r in _unique(book.reviewers_for_new_tasks())]


# The formats of a monthly report, in the order a mail lists them.
REPORT_FORMATS = ("xlsx", "csv", "json")


def _monthly_report(event: IncomingEvent, book: ContactBook, public_url: str) -> list[MailRequest]:
    data = event.data
    year, month = (int(part) for part in data["month"].split("-"))
    ordered = sorted(data["downloads"], key=lambda f: (REPORT_FORMATS.index(f) if f in REPORT_FORMATS else 99, f))
    values = {"month": data["month"], "year_number": year, "month_number": month,
              "province_code": data["province_code"], "province_name": data["province_name"],
              "figures": dict(data["figures"]),
              "downloads": [{"format": f, "url": absolute(public_url, data["downloads"][f])} for f in ordered],
              "published_at": beijing_time(data["published_at"])}
    return [MailRequest("monthly_report_published", r, values=values)
            for r in _unique(book.province_admins(data["province_code"]))]


RULES: dict[str, Rule] = {
    "identity.organisation.registered": _organisation_registered,
    "identity.province_port.applied": _province_port_applied,
    "identity.province_port.approved": _province_port_approved,
    "identity.province_port.rejected": _province_port_rejected,
    "identity.account.invited": _account_invited,
    "identity.account.bootstrapped": _account_bootstrapped,
    "identity.account.password_reset_requested": _password_reset_requested,
    "identity.account.password_changed": _password_changed,
    "identity.account.deactivated": _account_status("account_deactivated", "deactivated_at"),
    "identity.account.reactivated": _account_status("account_reactivated", "reactivated_at"),
    "identity.organisation.verification_requested": _verification_step(
        "organisation_verification_requested", "requested_at", to_accounts=False),
    "identity.organisation.verified": _verification_step("organisation_verified", "verified_at", to_accounts=True),
    "identity.organisation.rejected": _organisation_rejected,
    **dict.fromkeys(PRODUCT_MAILS, _product_step),
    "filing.annual_update.reminder_due": _annual_update_reminder,
    "review.task.created": _task_created,
    "reporting.monthly_report.published": _monthly_report,
    **RECOGNITION_RULES,
    **HOLDING_RULES,
    **CHANGE_RULES,
}
SUBSCRIBED_TYPES = tuple(sorted(RULES))


def messages_for(event: IncomingEvent, book: ContactBook | None = None,
                 public_url: str = DEFAULT_PUBLIC_URL) -> list[MailRequest]:
    """The mails `event` causes (none for a type without a rule), each in its recipient's language.

    `book` is notify's local view of contacts and accounts (the verification steps', the
    products', the tasks' and the reports' events carry no e-mail address); `public_url` the
    platform's address as its users reach it, for the links in mails."""
    rule = RULES.get(event.type)
    if rule is None:
        return []
    book = book if book is not None else NoContacts()
    return [replace(request, language=book.language_of(request.recipient))
            for request in rule(event, book, public_url)]
