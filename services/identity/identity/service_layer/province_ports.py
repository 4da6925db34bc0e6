"""Provincial port applications: an office applies, an operator approves or rejects.

Each handler is one transaction: the application's state, the province admin account, its
one-time password link, the audit entries and the events commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import BinaryIO

from identity.domain.commands import ApplyForPort, DecideApplication
from identity.domain.holds import HoldBounds, port_application_blocks
from identity.domain.model import Account
from identity.domain.province_ports import (
    APPROVED,
    DISMISSED,
    EXPIRED,
    FORM_MEDIA_TYPES,
    HOLDS_THE_PROVINCE,
    SUBMITTED,
    DecisionRefused,
    PortApplication,
    decide,
)
from identity.service_layer.password_setup import issue_password_setup
from identity.service_layer.repositories import PortFilter
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared import errors
from platform_shared.errors import Conflict, DuplicateRecord, NotFound, RuleBroken
from platform_shared.pages import Page, PageRequest
from platform_shared.regions import province_name
from platform_shared.uploads import HEAD_BYTES, ContentStore, UploadRefused, check_media_type, receive

# An account made for the office has no password until its holder sets one through the link.
UNUSABLE_PASSWORD = "!unset"  # noqa: S105 - not a password: a hash no password can match
SUBJECT = "province_port_application"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def handle_apply_for_port(command: ApplyForPort, uow: IdentityUnitOfWork, store: ContentStore,
                          max_bytes: int, bounds: HoldBounds | None = None) -> PortApplication:
    """Take an office's application (status `submitted`) with its signed form.

    A pending application of the province older than `bounds.port_pending_days` is `expired`
    first (audited): it no longer holds the province.
    `Conflict` when the province already has a port or a pending application; `UnsupportedMedia`
    when the form is not a PDF, JPEG or PNG by its bytes; `TooLarge` when it is over `max_bytes`.
    Nothing is stored then.
    """
    now = _now()
    try:
        _peek_media_type(command.form)  # a file of the wrong type is a 415 whatever the province
        with uow:
            _expire_stale(command.province_code, uow, now.replace(tzinfo=None), bounds or HoldBounds())
            if uow.port_applications.province_held(command.province_code, HOLDS_THE_PROVINCE):
                raise _province_taken(command.province_code)
            form = receive(command.form, store, max_bytes=max_bytes, accepted=FORM_MEDIA_TYPES)
            application = PortApplication(
                id=str(uuid.uuid4()), province_code=command.province_code, office_name=command.office_name,
                contact_name=command.contact_name, contact_title=command.contact_title,
                contact_phone=command.contact_phone, contact_email=command.contact_email.lower(),
                form_sha256=form.sha256, form_media_type=form.media_type or "", form_size=form.size,
                status=SUBMITTED, submitted_at=now.replace(tzinfo=None))
            uow.port_applications.add(application)
            uow.audit("province_port.applied", SUBJECT, application.id,
                      {"province_code": command.province_code, "office_name": command.office_name})
            # The office hears that its application arrived (notify mails its contact).
            uow.publish("identity.province_port.applied", {
                "application_id": application.id, "province_code": application.province_code,
                "office_name": application.office_name,
                "contact": {"name": application.contact_name, "phone": application.contact_phone,
                            "email": application.contact_email},
                "submitted_at": now.isoformat()}, aggregate_id=application.id)
    except UploadRefused as exc:
        refusal = errors.TooLarge if isinstance(exc, errors.TooLarge) else errors.UnsupportedMedia
        raise refusal(f"The signed application form: {exc.reason}", errors={"form": [exc.reason]}) from None
    except DuplicateRecord:
        # Two applications for the same province raced; the partial unique index let one through.
        raise _province_taken(command.province_code) from None
    return application


def _expire_stale(province_code: str, uow: IdentityUnitOfWork, now: dt.datetime, bounds: HoldBounds) -> None:
    """Inside the unit of work: the province's pending applications past the bound stop holding it."""
    for pending in uow.port_applications.pending_of(province_code):
        if port_application_blocks(pending.submitted_at, now, bounds):
            continue
        pending.status, pending.decided_at = EXPIRED, now
        if uow.port_applications.decide(pending, SUBMITTED):
            uow.audit("province_port.expired", SUBJECT, pending.id,
                      {"province_code": province_code, "submitted_at": pending.submitted_at.isoformat()})


def _peek_media_type(stream: BinaryIO) -> None:
    """`UnsupportedMediaType` unless the stream starts as a form may; the stream is rewound."""
    if stream.seekable():
        position = stream.tell()
        check_media_type(stream.read(HEAD_BYTES), FORM_MEDIA_TYPES)
        stream.seek(position)


def _province_taken(province_code: str) -> Conflict:
    return Conflict(f"{province_name(province_code)} already has a management port or a pending "
                    "application for one.", slug="province-port-taken",
                    errors={"province_code": ["already has a port or a pending application"]})


def handle_decide_application(command: DecideApplication, uow: IdentityUnitOfWork, base_url: str) -> PortApplication:
    """Approve (the province admin account, its one-time link, `identity.province_port.approved`),
    reject (with the reason, `identity.province_port.rejected`) or dismiss (with the reason,
    `identity.province_port.dismissed`) a submitted application.

    `NotFound` unknown; `Conflict` decided already, or an account with the contact's e-mail
    exists; `RuleBroken` a rejection without a reason.
    """
    now = _now()
    try:
        with uow:
            application = _decided(command, uow, now)
            if application.status == APPROVED:
                _approve(application, uow, base_url, now)
            elif application.status == DISMISSED:
                _dismiss(application, uow, now)
            else:
                _reject(application, uow, now)
    except DuplicateRecord:
        # An account with the contact's e-mail was made (a registration, an invitation) meanwhile.
        raise _account_exists() from None
    return application


def application_of(application_id: str, uow: IdentityUnitOfWork) -> PortApplication:
    application = uow.port_applications.get(application_id)
    if application is None:
        raise NotFound("No such province port application.", slug="not-found")
    return application


def _decided(command: DecideApplication, uow: IdentityUnitOfWork, now: dt.datetime) -> PortApplication:
    application = application_of(command.application_id, uow)
    try:
        decision = decide(application.status, command.outcome, command.reason)
    except DecisionRefused as exc:
        found = {exc.field: [str(exc)]} if exc.field else None
        if exc.conflict:
            raise Conflict(str(exc), slug="decision-refused", errors=found) from None
        raise RuleBroken(found or {}, str(exc), slug="decision-refused") from None
    application.status, application.reason = decision.status, decision.reason
    application.decided_at, application.decided_by = now.replace(tzinfo=None), command.decided_by
    # Only one of two operators deciding at once can move the application out of `submitted`.
    if not uow.port_applications.decide(application, SUBMITTED):
        raise Conflict("This application was decided by someone else just now.", slug="decision-refused")
    return application


def _approve(application: PortApplication, uow: IdentityUnitOfWork, base_url: str, now: dt.datetime) -> None:
    email = application.contact_email.lower()
    if uow.accounts.email_taken(email):
        raise _account_exists()
    account = Account(id=str(uuid.uuid4()), email=email, password_hash=UNUSABLE_PASSWORD, role="province_admin",
                      province_code=application.province_code, active=False, created_at=now.replace(tzinfo=None))
    uow.accounts.add(account)
    application.account_id = account.id
    uow.port_applications.save(application)
    url, expires_at = issue_password_setup(account.id, "province_port", base_url, uow)
    uow.publish("identity.province_port.approved", {
        "application_id": application.id, "province_code": application.province_code,
        "office_name": application.office_name, "account_id": account.id,
        "contact": {"name": application.contact_name, "phone": application.contact_phone, "email": email},
        "password_setup_url": url, "password_setup_expires_at": expires_at.isoformat(),
        "approved_at": now.isoformat(),
    }, aggregate_id=application.id, aggregate_version=2)
    uow.audit("province_port.approved", SUBJECT, application.id,
              {"province_code": application.province_code, "account_id": account.id})
    uow.audit("account.created", "account", account.id,
              {"role": "province_admin", "province_code": application.province_code,
               "application_id": application.id})


def _account_exists() -> Conflict:
    return Conflict("An account with the contact's e-mail already exists; ask the office for another "
                    "contact e-mail.", slug="account-exists",
                    errors={"contact.email": ["an account with this e-mail exists"]})


def _reject(application: PortApplication, uow: IdentityUnitOfWork, now: dt.datetime) -> None:
    uow.publish("identity.province_port.rejected", {
        "application_id": application.id, "province_code": application.province_code,
        "office_name": application.office_name,
        "contact": {"name": application.contact_name, "phone": application.contact_phone,
                    "email": application.contact_email},
        "reason": application.reason, "rejected_at": now.isoformat(),
    }, aggregate_id=application.id, aggregate_version=2)
    uow.audit("province_port.rejected", SUBJECT, application.id,
              {"province_code": application.province_code, "reason": application.reason})


def _dismiss(application: PortApplication, uow: IdentityUnitOfWork, now: dt.datetime) -> None:
    uow.publish("identity.province_port.dismissed", {
        "application_id": application.id, "province_code": application.province_code,
        "office_name": application.office_name,
        "contact": {"name": application.contact_name, "phone": application.contact_phone,
                    "email": application.contact_email},
        "reason": application.reason, "dismissed_at": now.isoformat(),
    }, aggregate_id=application.id, aggregate_version=2)
    uow.audit("province_port.dismissed", SUBJECT, application.id,
              {"province_code": application.province_code, "reason": application.reason})


# --- reading ----------------------------------------------------------------------------------

def applications(which: PortFilter, request: PageRequest, uow: IdentityUnitOfWork) -> Page[PortApplication]:
    """Applications, oldest first (operators)."""
    return uow.port_applications.page(which, request)


def form_to_download(application_id: str, uow: IdentityUnitOfWork, store: ContentStore) -> PortApplication:
    """The application whose signed form is read (operators); each read is audited. `NotFound`
    when the application, or its form in the file store, is missing."""
    application = application_of(application_id, uow)
    if not store.exists(application.form_sha256):
        raise NotFound("The form of this application is missing from the file store.", slug="not-found")
    with uow:
        uow.audit("province_port.form_read", SUBJECT, application.id, {})
    return application
