"""identity's repositories on peewee, and its unit of work that owns them.

Each maps rows to the domain's objects and back; what must hold under concurrency (a version's
conditional update, spending a token once, counting failed sign-ins) is one statement here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import peewee

from identity.adapters import orm
from identity.domain import model
from identity.domain.holds import RELEASED
from identity.domain.model import Account, Document, Organisation
from identity.domain.organisation_search import OrganisationFilter
from identity.domain.province_ports import SUBMITTED, PortApplication
from identity.domain.sign_in_guard import FailedSignIns, LockoutPolicy, after_failure
from identity.domain.staff import STAFF_ROLES
from identity.service_layer.repositories import DocumentFilter, PortFilter
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.attachments import StoredFile
from platform_shared.database import is_postgres
from platform_shared.pages import Page, PageRequest
from platform_shared.peewee_queries import contains, delete_from, lock_row, select_page, stored_usage
from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork
from platform_shared.quotas import Usage
from platform_shared.tables import ServiceTables

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

D = TypeVar("D", bound="DataclassInstance")

# --- organisations and accounts ------------------------------------------------------------------

class _Mirrored(Generic[D]):
    """A table whose columns are the fields of a domain dataclass, under the same names."""

    def __init__(self, table: type[peewee.Model], kind: type[D]) -> None:
        self.table, self.kind = table, kind
        self.names = tuple(field.name for field in dataclasses.fields(kind))

    def insert(self, item: D) -> None:
        self.table.insert(**{name: getattr(item, name) for name in self.names}).execute()

    def get(self, key: str) -> D | None:
        row = self.table.get_or_none(self.table._meta.primary_key == key)
        return None if row is None else self.of(row)

    def of(self, row: peewee.Model) -> D:
        return self.kind(**{name: getattr(row, name) for name in self.names})


_organisations = _Mirrored(orm.Organisation, Organisation)


class PeeweeOrganisationRepository:
    def add(self, organisation: Organisation) -> None:
        _organisations.insert(organisation)

    def get(self, organisation_id: str) -> Organisation | None:
        return _organisations.get(organisation_id)

    def exists(self, organisation_id: str) -> bool:
        return bool(orm.Organisation.select().where(orm.Organisation.id == organisation_id).exists())

    def uscc_taken(self, uscc: str) -> bool:
        Org = orm.Organisation
        return bool(Org.select().where((Org.uscc == uscc) & Org.status.not_in(list(RELEASED))).exists())

    def holder_of(self, uscc: str) -> Organisation | None:
        Org = orm.Organisation
        row = Org.get_or_none((Org.uscc == uscc) & Org.status.not_in(list(RELEASED)))
        return None if row is None else _organisations.of(row)

    def on_the_clock(self, status: str, registered_before: dt.datetime) -> list[Organisation]:
        Org = orm.Organisation
        rows = (Org.select().where((Org.status == status) & (Org.registered_at <= registered_before))
                .order_by(Org.registered_at, Org.id))
        return [_organisations.of(row) for row in rows]

    def lock(self, organisation_id: str) -> None:
        lock_row(orm.Organisation, organisation_id)

    def change(self, organisation_id: str, version: int, statuses: Collection[str],
               changes: Mapping[str, Any]) -> bool:
        Org = orm.Organisation
        values: dict[Any, Any] = {getattr(Org, name): value for name, value in changes.items()}
        values[Org.version] = Org.version + 1
        updated: int = (Org.update(values)
                        .where((Org.id == organisation_id) & (Org.version == version) & Org.status.in_(list(statuses)))
                        .execute())
        return updated == 1

    def search(self, which: OrganisationFilter, request: PageRequest) -> Page[Organisation]:
        Org = orm.Organisation
        selection = Org.select()
        for column, wanted in ((Org.status, which.status), (Org.province_code, which.province_code),
                               (Org.kind, which.kind)):
            if wanted is not None:
                selection = selection.where(column == wanted)
        if which.text is not None:
            selection = selection.where(contains(Org.name, which.text) | contains(Org.uscc, which.text))
        return select_page(selection, request, Org.registered_at.desc(), Org.id).map(_organisations.of)


def _account(row: orm.Account) -> Account:
    return Account(id=row.id, email=row.email, password_hash=row.password_hash, role=row.role,
                   created_at=row.created_at, organisation_id=row.organisation_id, province_code=row.province_code,
                   active=row.active, organisation_admin=row.organisation_admin, deactivated_at=row.deactivated_at)


class PeeweeAccountRepository:
    def add(self, account: Account) -> None:
        orm.Account.insert(id=account.id, email=account.email, password_hash=account.password_hash, role=account.role,
                           organisation=account.organisation_id, province_code=account.province_code,
                           active=account.active, created_at=account.created_at,
                           organisation_admin=account.organisation_admin,
                           deactivated_at=account.deactivated_at).execute()

    def get(self, account_id: str) -> Account | None:
        row = orm.Account.get_or_none(orm.Account.id == account_id)
        return None if row is None else _account(row)

    def by_email(self, email: str) -> Account | None:
        row = orm.Account.get_or_none(orm.Account.email == email)
        return None if row is None else _account(row)

    def email_taken(self, email: str) -> bool:
        return bool(orm.Account.select().where(orm.Account.email == email).exists())

    def save(self, account: Account) -> None:
        orm.Account.update(password_hash=account.password_hash, active=account.active,
                           deactivated_at=account.deactivated_at, organisation_admin=account.organisation_admin) \
            .where(orm.Account.id == account.id).execute()

    def lock(self, account_id: str) -> None:
        lock_row(orm.Account, account_id)

    def active_admins(self, organisation_id: str) -> int:
        A = orm.Account
        return int(A.select().where((A.organisation == organisation_id) & A.organisation_admin
                                    & A.deactivated_at.is_null()).count())

    def staff(self, request: PageRequest) -> Page[Account]:
        selection = orm.Account.select().where(orm.Account.role.in_(list(STAFF_ROLES)))
        return select_page(selection, request, orm.Account.created_at, orm.Account.id).map(_account)

    def of_organisation(self, organisation_id: str, request: PageRequest) -> Page[Account]:
        selection = orm.Account.select().where(orm.Account.organisation == organisation_id)
        return select_page(selection, request, orm.Account.created_at, orm.Account.id).map(_account)

    def forget(self, account_id: str) -> None:
        orm.PasswordSetup.delete().where(orm.PasswordSetup.account == account_id).execute()
        orm.Account.delete().where(orm.Account.id == account_id).execute()


# --- one-time tokens ---------------------------------------------------------------------------


class PeeweeRefreshTokenRepository:
    def add(self, token: model.RefreshToken) -> None:
        orm.RefreshToken.insert(id=token.id, account=token.account_id, family_id=token.family_id,
                                token_hash=token.token_hash, issued_at=token.issued_at, expires_at=token.expires_at,
                                used_at=token.used_at, revoked_at=token.revoked_at).execute()

    def by_hash(self, token_hash: str) -> model.RefreshToken | None:
        row = orm.RefreshToken.get_or_none(orm.RefreshToken.token_hash == token_hash)
        if row is None:
            return None
        return model.RefreshToken(id=row.id, account_id=row.account_id, family_id=row.family_id,
                                  token_hash=row.token_hash, issued_at=row.issued_at, expires_at=row.expires_at,
                                  used_at=row.used_at, revoked_at=row.revoked_at)

    def spend(self, token_id: str, now: dt.datetime) -> bool:
        Token = orm.RefreshToken
        spent: int = Token.update(used_at=now).where((Token.id == token_id) & Token.used_at.is_null()).execute()
        return spent == 1

    def revoke_account(self, account_id: str, now: dt.datetime) -> int:
        Token = orm.RefreshToken
        return int(Token.update(revoked_at=now).where((Token.account == account_id) & Token.revoked_at.is_null())
                   .execute())

    def revoke_family(self, family_id: str, now: dt.datetime) -> None:
        Token = orm.RefreshToken
        Token.update(revoked_at=now).where((Token.family_id == family_id) & Token.revoked_at.is_null()).execute()


class PeeweePasswordSetupRepository:
    def add(self, setup: model.PasswordSetup) -> None:
        orm.PasswordSetup.insert(id=setup.id, account=setup.account_id, token_hash=setup.token_hash,
                                 purpose=setup.purpose, created_at=setup.created_at, expires_at=setup.expires_at,
                                 used_at=setup.used_at).execute()

    def by_hash(self, token_hash: str) -> model.PasswordSetup | None:
        row = orm.PasswordSetup.get_or_none(orm.PasswordSetup.token_hash == token_hash)
        if row is None:
            return None
        return model.PasswordSetup(id=row.id, account_id=row.account_id, token_hash=row.token_hash,
                                   purpose=row.purpose, created_at=row.created_at, expires_at=row.expires_at,
                                   used_at=row.used_at)

    def spend(self, setup_id: str, now: dt.datetime) -> bool:
        Setup = orm.PasswordSetup
        spent: int = Setup.update(used_at=now).where((Setup.id == setup_id) & Setup.used_at.is_null()).execute()
        return spent == 1

    def void_unused(self, account_id: str, now: dt.datetime) -> None:
        Setup = orm.PasswordSetup
        Setup.update(used_at=now).where((Setup.account == account_id) & Setup.used_at.is_null()).execute()


# --- documents and decisions ---------------------------------------------------------------------


def _document(row: orm.Document) -> Document:
    return Document(id=row.id, organisation_id=row.organisation_id, kind=row.kind, file=StoredFile(
        sha256=row.sha256, media_type=row.media_type, size=row.size, original_name=row.original_name,
        uploaded_by=row.uploaded_by, uploaded_at=row.uploaded_at))


class PeeweeDocumentRepository:
    def add(self, document: Document) -> None:
        stored = document.file
        orm.Document.insert(id=document.id, organisation=document.organisation_id, kind=document.kind,
                            sha256=stored.sha256, media_type=stored.media_type, size=stored.size,
                            original_name=stored.original_name, uploaded_by=stored.uploaded_by,
                            uploaded_at=stored.uploaded_at).execute()

    def get(self, organisation_id: str, document_id: str) -> Document | None:
        Doc = orm.Document
        row = Doc.get_or_none((Doc.id == document_id) & (Doc.organisation == organisation_id))
        return None if row is None else _document(row)

    def page(self, which: DocumentFilter, request: PageRequest) -> Page[Document]:
        Doc = orm.Document
        selection = Doc.select().where(Doc.organisation == which.organisation_id)
        if which.kind:
            selection = selection.where(Doc.kind == which.kind)
        return select_page(selection, request, Doc.uploaded_at.desc(), Doc.id).map(_document)

    def usage(self, organisation_id: str) -> Usage:
        return stored_usage(orm.Document.select().where(orm.Document.organisation == organisation_id),
                            orm.Document.size)

    def current(self, organisation_id: str) -> dict[str, Document]:
        Doc = orm.Document
        newest: dict[str, Document] = {}
        for row in Doc.select().where(Doc.organisation == organisation_id).order_by(Doc.uploaded_at, Doc.id):
            newest[row.kind] = _document(row)
        return newest


class PeeweeDecisionRepository:
    def add(self, decision: model.OrganisationDecision) -> None:
        orm.OrganisationDecision.insert(
            id=decision.id, organisation=decision.organisation_id, task_id=decision.task_id, outcome=decision.outcome,
            reasons=json.dumps(decision.reasons, ensure_ascii=False), reviewer_id=decision.reviewer_id,
            decided_at=decision.decided_at, applied_at=decision.applied_at, event_id=decision.event_id).execute()

    def task_decided(self, task_id: str) -> bool:
        return bool(orm.OrganisationDecision.select().where(orm.OrganisationDecision.task_id == task_id).exists())

    def latest_rejection(self, organisation_id: str) -> model.OrganisationDecision | None:
        Decision = orm.OrganisationDecision
        row: orm.OrganisationDecision | None = (
            Decision.select().where((Decision.organisation == organisation_id) & (Decision.outcome == "reject"))
            .order_by(Decision.decided_at.desc(), Decision.applied_at.desc()).first())
        if row is None:
            return None
        return model.OrganisationDecision(
            id=row.id, organisation_id=row.organisation_id, task_id=row.task_id, outcome=row.outcome,
            reviewer_id=row.reviewer_id, decided_at=row.decided_at, applied_at=row.applied_at, event_id=row.event_id,
            reasons=json.loads(row.reasons))


def _change_request(row: orm.ChangeRequest) -> model.ChangeRequest:
    return model.ChangeRequest(
        id=row.id, organisation_id=row.organisation_id, requested_by=row.requested_by, name=row.name,
        legal_representative_name=row.legal_representative_name,
        legal_representative_id_encrypted=row.legal_representative_id_encrypted,
        legal_representative_id_masked=row.legal_representative_id_masked, changes=json.loads(row.changes),
        document_ids=json.loads(row.document_ids), requested_at=row.requested_at, status=row.status,
        task_id=row.task_id, decided_at=row.decided_at, reasons=json.loads(row.reasons))


class PeeweeChangeRequestRepository:
    def add(self, request: model.ChangeRequest) -> bool:
        Request = orm.ChangeRequest
        try:
            with orm.database.atomic():
                Request.insert(
                    id=request.id, organisation=request.organisation_id, requested_by=request.requested_by,
                    name=request.name, legal_representative_name=request.legal_representative_name,
                    legal_representative_id_encrypted=request.legal_representative_id_encrypted,
                    legal_representative_id_masked=request.legal_representative_id_masked,
                    changes=json.dumps(request.changes, ensure_ascii=False),
                    document_ids=json.dumps(request.document_ids), requested_at=request.requested_at,
                    status=request.status).execute()
        except peewee.IntegrityError:
            return False  # one is pending already (the partial unique index)
        return True

    def pending_of(self, organisation_id: str) -> model.ChangeRequest | None:
        Request = orm.ChangeRequest
        row = Request.get_or_none((Request.organisation == organisation_id) & (Request.status == "pending"))
        return None if row is None else _change_request(row)

    def latest_of(self, organisation_id: str) -> model.ChangeRequest | None:
        Request = orm.ChangeRequest
        row = (Request.select().where(Request.organisation == organisation_id)
               .order_by(Request.requested_at.desc(), Request.id.desc()).first())
        return None if row is None else _change_request(row)

    def decide(self, request_id: str, status: str, task_id: str, decided_at: dt.datetime,
               reasons: list[dict[str, Any]]) -> bool:
        Request = orm.ChangeRequest
        updated: int = (Request.update(status=status, task_id=task_id, decided_at=decided_at,
                                       reasons=json.dumps(reasons, ensure_ascii=False))
                        .where((Request.id == request_id) & (Request.status == "pending")).execute())
        return updated == 1


# --- failed sign-ins ---------------------------------------------------------------------------------


def _failures(row: orm.SignInGuard) -> FailedSignIns:
    return FailedSignIns(count=row.failures, first_at=row.first_failure_at, locked_until=row.locked_until)


class PeeweeSignInGuardRepository:
    """Kept in identity's database, so that every worker and replica sees the same count and a
    lock survives a restart."""

    def failures(self, email: str) -> FailedSignIns | None:
        row = orm.SignInGuard.get_or_none(orm.SignInGuard.email == email)
        return None if row is None else _failures(row)

    def record_failure(self, email: str, policy: LockoutPolicy, now: dt.datetime) -> FailedSignIns:
        """The row is written before it is read (insert-or-ignore, then a row lock on PostgreSQL;
        SQLite's write lock is taken by the insert), so concurrent failures all count."""
        Guard = orm.SignInGuard
        Guard.insert(email=email, failures=0).on_conflict_ignore().execute()
        query = Guard.select().where(Guard.email == email)
        if is_postgres(Guard._meta.database):  # the database the table is bound to (tests bind their own)
            query = query.for_update()
        state = after_failure(_failures(query.get()), policy, now)
        expires_at = state.locked_until or (state.first_at + policy.window if state.first_at else now)
        Guard.update(failures=state.count, first_failure_at=state.first_at, locked_until=state.locked_until,
                     expires_at=expires_at).where(Guard.email == email).execute()
        delete_from(Guard).where(Guard.expires_at < now).execute()
        return state

    def clear(self, email: str) -> None:
        delete_from(orm.SignInGuard).where(orm.SignInGuard.email == email).execute()


# --- provincial ports ------------------------------------------------------------------------------

_applications = _Mirrored(orm.ProvincePortApplication, PortApplication)


class PeeweePortApplicationRepository:
    def add(self, application: PortApplication) -> None:
        _applications.insert(application)

    def get(self, application_id: str) -> PortApplication | None:
        return _applications.get(application_id)

    def pending_of(self, province_code: str) -> list[PortApplication]:
        Port = orm.ProvincePortApplication
        rows = (Port.select().where((Port.province_code == province_code) & (Port.status == SUBMITTED))
                .order_by(Port.submitted_at, Port.id))
        return [_applications.of(row) for row in rows]

    def province_held(self, province_code: str, statuses: Collection[str]) -> bool:
        Port = orm.ProvincePortApplication
        return bool(Port.select().where((Port.province_code == province_code) & Port.status.in_(list(statuses)))
                    .exists())

    def decide(self, application: PortApplication, expected_status: str) -> bool:
        Port = orm.ProvincePortApplication
        moved: int = (Port.update(status=application.status, reason=application.reason,
                                  decided_at=application.decided_at, decided_by=application.decided_by)
                      .where((Port.id == application.id) & (Port.status == expected_status)).execute())
        return moved == 1

    def save(self, application: PortApplication) -> None:
        Port = orm.ProvincePortApplication
        Port.update(account_id=application.account_id).where(Port.id == application.id).execute()

    def page(self, which: PortFilter, request: PageRequest) -> Page[PortApplication]:
        Port = orm.ProvincePortApplication
        selection = Port.select()
        if which.status:
            selection = selection.where(Port.status == which.status)
        if which.province_code:
            selection = selection.where(Port.province_code == which.province_code)
        return select_page(selection, request, Port.submitted_at, Port.id).map(_applications.of)


class PeeweeIdentityUnitOfWork(PeeweeUnitOfWork, IdentityUnitOfWork):
    """identity's unit of work on its database (`ServiceDefinition.unit_of_work`)."""

    def __init__(self, tables: ServiceTables, **context: Any) -> None:
        super().__init__(tables, **context)
        self.organisations = PeeweeOrganisationRepository()
        self.accounts = PeeweeAccountRepository()
        self.documents = PeeweeDocumentRepository()
        self.decisions = PeeweeDecisionRepository()
        self.change_requests = PeeweeChangeRequestRepository()
        self.refresh_tokens = PeeweeRefreshTokenRepository()
        self.password_setups = PeeweePasswordSetupRepository()
        self.sign_in_guard = PeeweeSignInGuardRepository()
        self.port_applications = PeeweePortApplicationRepository()


