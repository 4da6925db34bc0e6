"""Provincial port applications: an office applies, an operator approves or rejects.

Each handler is one transaction: the application's state, the province admin account, its
one-time password link, the audit entries and the events commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

import peewee

from identity.adapters.orm import Account
from identity.adapters.province_ports import ProvincePortApplication
from identity.domain.province_ports import (
    APPROVED,
    FORM_MEDIA_TYPES,
    HOLDS_THE_PROVINCE,
    SUBMITTED,
    DecisionRefused,
    decide,
)
from identity.service_layer.password_setup import issue_password_setup
from platform_shared import errors
from platform_shared.regions import province_name
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.uploads import HEAD_BYTES, ContentStore, UploadRefused, check_media_type, receive
from platform_shared.web.problems import Problem

# (action, subject type, subject id, detail): writes one audit entry in the current transaction.
Audit = Callable[[str, str, str, dict[str, Any]], None]
# An account made for the office has no password until its holder sets one through the link.
UNUSABLE_PASSWORD = "!unset"  # noqa: S105 - not a password: a hash no password can match


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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def apply_for_port(command: ApplyForPort, uow: UnitOfWork, store: ContentStore, max_bytes: int,
                   audit: Audit) -> ProvincePortApplication:
    """Take an office's application (status `submitted`) with its signed form.

    409 when the province already has a port or a pending application; 415 when the form is
    not a PDF, JPEG or PNG by its bytes; 413 when it is over `max_bytes`. Nothing is stored then.
    """
    now = _now()
    try:
        _peek_media_type(command.form)  # a file of the wrong type is a 415 whatever the province
        with uow:
            _refuse_if_province_taken(command.province_code)
            form = receive(command.form, store, max_bytes=max_bytes, accepted=FORM_MEDIA_TYPES)
            application = ProvincePortApplication.create(
                id=str(uuid.uuid4()), province_code=command.province_code, office_name=command.office_name,
                contact_name=command.contact_name, contact_title=command.contact_title,
                contact_phone=command.contact_phone, contact_email=command.contact_email.lower(),
                form_sha256=form.sha256, form_media_type=form.media_type, form_size=form.size,
                status=SUBMITTED, submitted_at=now.replace(tzinfo=None))
            audit("province_port.applied", "province_port_application", application.id,
                  {"province_code": command.province_code, "office_name": command.office_name})
    except UploadRefused as exc:
        refusal = errors.TooLarge if isinstance(exc, errors.TooLarge) else errors.UnsupportedMedia
        raise refusal(f"The signed application form: {exc.reason}", errors={"form": [exc.reason]}) from None
    except peewee.IntegrityError:
        # Two applications for the same province raced; the partial unique index let one through.
        raise _province_taken(command.province_code) from None
    return application


def _peek_media_type(stream: BinaryIO) -> None:
    """`UnsupportedMediaType` unless the stream starts as a form may; the stream is rewound."""
    if stream.seekable():
        position = stream.tell()
        check_media_type(stream.read(HEAD_BYTES), FORM_MEDIA_TYPES)
        stream.seek(position)


def _refuse_if_province_taken(province_code: str) -> None:
    if (ProvincePortApplication.select()
            .where((ProvincePortApplication.province_code == province_code)
                   & ProvincePortApplication.status.in_(HOLDS_THE_PROVINCE)).exists()):
        raise _province_taken(province_code)


def _province_taken(province_code: str) -> Problem:
    return Problem(409, f"{province_name(province_code)} already has a management port or a pending "
                        "application for one.", slug="province-port-taken",
                   errors={"province_code": ["already has a port or a pending application"]})


def decide_application(command: DecideApplication, uow: UnitOfWork, base_url: str,
                       audit: Audit) -> ProvincePortApplication:
    """Approve (the province admin account, its one-time link, `identity.province_port.approved`)
    or reject (with the reason, `identity.province_port.rejected`) a submitted application.

    404 unknown; 409 decided already, or an account with the contact's e-mail exists;
    422 a rejection without a reason.
    """
    now = _now()
    try:
        with uow:
            application = _decided(command, now)
            if application.status == APPROVED:
                _approve(application, uow, base_url, audit, now)
            else:
                _reject(application, uow, audit, now)
    except peewee.IntegrityError:
        # An account with the contact's e-mail was made (a registration, an invitation) meanwhile.
        raise _account_exists() from None
    return application


def _decided(command: DecideApplication, now: dt.datetime) -> ProvincePortApplication:
    application = ProvincePortApplication.get_or_none(ProvincePortApplication.id == command.application_id)
    if application is None:
        raise Problem(404, "No such province port application.", slug="not-found")
    try:
        decision = decide(application.status, command.outcome, command.reason)
    except DecisionRefused as exc:
        raise Problem(409 if exc.conflict else 422, str(exc), slug="decision-refused",
                      errors={exc.field: [str(exc)]} if exc.field else None) from None
    # Only one of two operators deciding at once can move the application out of `submitted`.
    moved = (ProvincePortApplication
             .update(status=decision.status, reason=decision.reason, decided_at=now.replace(tzinfo=None),
                     decided_by=command.decided_by)
             .where((ProvincePortApplication.id == application.id)
                    & (ProvincePortApplication.status == SUBMITTED)).execute())
    if moved != 1:
        raise Problem(409, "This application was decided by someone else just now.", slug="decision-refused")
    return ProvincePortApplication.get_by_id(application.id)


def _approve(application: ProvincePortApplication, uow: UnitOfWork, base_url: str, audit: Audit,
             now: dt.datetime) -> None:
    email = application.contact_email.lower()
    if Account.select().where(Account.email == email).exists():
        raise _account_exists()
    account = Account.create(id=str(uuid.uuid4()), email=email, password_hash=UNUSABLE_PASSWORD,
                             role="province_admin", province_code=application.province_code, active=False,
                             created_at=now.replace(tzinfo=None))
    application.account_id = account.id
    application.save()
    url, expires_at = issue_password_setup(account, "province_port", base_url)
    uow.publish("identity.province_port.approved", {
        "application_id": application.id, "province_code": application.province_code,
        "office_name": application.office_name, "account_id": account.id,
        "contact": {"name": application.contact_name, "phone": application.contact_phone, "email": email},
        "password_setup_url": url, "password_setup_expires_at": expires_at.isoformat(),
        "approved_at": now.isoformat(),
    }, aggregate_id=application.id, aggregate_version=2)
    audit("province_port.approved", "province_port_application", application.id,
          {"province_code": application.province_code, "account_id": account.id})
    audit("account.created", "account", account.id,
          {"role": "province_admin", "province_code": application.province_code,
           "application_id": application.id})


def _account_exists() -> Problem:
    return Problem(409, "An account with the contact's e-mail already exists; ask the office for another "
                        "contact e-mail.", slug="account-exists",
                   errors={"contact.email": ["an account with this e-mail exists"]})


def _reject(application: ProvincePortApplication, uow: UnitOfWork, audit: Audit, now: dt.datetime) -> None:
    uow.publish("identity.province_port.rejected", {
        "application_id": application.id, "province_code": application.province_code,
        "office_name": application.office_name,
        "contact": {"name": application.contact_name, "phone": application.contact_phone,
                    "email": application.contact_email},
        "reason": application.reason, "rejected_at": now.isoformat(),
    }, aggregate_id=application.id, aggregate_version=2)
    audit("province_port.rejected", "province_port_application", application.id,
          {"province_code": application.province_code, "reason": application.reason})
