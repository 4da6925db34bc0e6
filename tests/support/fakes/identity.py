"""identity's unit of work in memory, and fakes of what its handlers need besides (keys, password
hashing, the ID-number cipher, the registry, the sign-in rate limits), for the unit tests of its
handlers.

Each fake repository keeps the domain's objects in dictionaries and hands out copies, as a
database would: a handler that changes an object without saving it changes nothing. The unique
keys (USCC, e-mail, review task, one open application per province) raise `DuplicateRecord` as
the real unit of work does; conditional writes (a version, a token spent once) follow the same
rules as the peewee ones.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypeVar

from identity.domain.holds import RELEASED
from identity.domain.model import (
    Account,
    ChangeRequest,
    Document,
    Organisation,
    OrganisationDecision,
    PasswordSetup,
    RefreshToken,
)
from identity.domain.organisation_search import OrganisationFilter, matches
from identity.domain.province_ports import HOLDS_THE_PROVINCE, PortApplication
from identity.domain.sign_in_guard import FailedSignIns, LockoutPolicy, after_failure
from identity.domain.staff import STAFF_ROLES
from identity.domain.verification import Claim, Reasons
from identity.service_layer.dependencies import IdentityDependencies, SignInProtection
from identity.service_layer.repositories import DocumentFilter, PortFilter
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.attachments import StoredFile
from platform_shared.errors import DuplicateRecord
from platform_shared.moments import utcnow
from platform_shared.pages import Page, PageRequest, page_in_memory
from platform_shared.quotas import Quota, StorageQuota, Usage
from platform_shared.registries import RegistryUnavailable
from platform_shared.uploads import LocalContentStore
from tests.support.fakes import FakeRepository, FakeUnitOfWork

T = TypeVar("T")


def _copy(item: T) -> T:
    return copy.deepcopy(item)


def _copies(items: Iterable[T]) -> list[T]:
    return [copy.deepcopy(item) for item in items]


class FakeOrganisationRepository(FakeRepository[Organisation]):
    def add(self, organisation: Organisation) -> None:
        if organisation.id in self.items or any(  # the partial unique index
                o.uscc == organisation.uscc and o.status not in RELEASED for o in self):
            raise DuplicateRecord(f"organisation {organisation.uscc} exists")
        self.items[organisation.id] = _copy(organisation)

    def get(self, organisation_id: str) -> Organisation | None:
        return _copy(self.items.get(organisation_id))

    def exists(self, organisation_id: str) -> bool:
        return organisation_id in self.items

    def search(self, which: OrganisationFilter, request: PageRequest) -> Page[Organisation]:
        chosen = [o for o in self if all(wanted is None or getattr(o, name) == wanted for name, wanted in
                                         (("status", which.status), ("province_code", which.province_code),
                                          ("kind", which.kind)))
                  and (which.text is None or matches(o.name, o.uscc, which.text))]
        newest_first = sorted(sorted(chosen, key=lambda o: o.id), key=lambda o: o.registered_at, reverse=True)
        return page_in_memory([_copy(o) for o in newest_first], request)

    def uscc_taken(self, uscc: str) -> bool:
        return self.holder_of(uscc) is not None

    def holder_of(self, uscc: str) -> Organisation | None:
        return _copy(next((o for o in self if o.uscc == uscc and o.status not in RELEASED), None))

    def on_the_clock(self, status: str, registered_before: dt.datetime) -> list[Organisation]:
        chosen = sorted((o for o in self if o.status == status and o.registered_at <= registered_before),
                        key=lambda o: (o.registered_at, o.id))
        return _copies(chosen)

    def lock(self, organisation_id: str) -> None:
        """Nothing to wait for: a fake unit of work has one caller at a time."""

    def change(self, organisation_id: str, version: int, statuses: Collection[str],
               changes: Mapping[str, Any]) -> bool:
        organisation = self.items.get(organisation_id)
        if organisation is None or organisation.version != version or organisation.status not in statuses:
            return False
        for name, value in changes.items():
            setattr(organisation, name, value)
        organisation.version += 1
        return True


class FakeAccountRepository(FakeRepository[Account]):
    def add(self, account: Account) -> None:
        if account.id in self.items or any(a.email == account.email for a in self):  # the unique key
            raise DuplicateRecord(f"account {account.email} exists")
        self.items[account.id] = _copy(account)

    def get(self, account_id: str) -> Account | None:
        return _copy(self.items.get(account_id))

    def by_email(self, email: str) -> Account | None:
        return _copy(next((a for a in self if a.email == email), None))

    def email_taken(self, email: str) -> bool:
        return any(a.email == email for a in self)

    def save(self, account: Account) -> None:
        self.items[account.id] = _copy(account)

    def of_organisation(self, organisation_id: str, request: PageRequest) -> Page[Account]:
        members = sorted((a for a in self if a.organisation_id == organisation_id), key=lambda a: (a.created_at, a.id))
        return page_in_memory(_copies(members), request)

    def lock(self, account_id: str) -> None:
        """Nothing to wait for: a fake unit of work has one caller at a time."""

    def active_admins(self, organisation_id: str) -> int:
        return sum(1 for a in self if a.organisation_id == organisation_id and a.organisation_admin
                   and a.deactivated_at is None)

    def staff(self, request: PageRequest) -> Page[Account]:
        staff = sorted((a for a in self if a.role in STAFF_ROLES), key=lambda a: (a.created_at, a.id))
        return page_in_memory(_copies(staff), request)
    def forget(self, account_id: str) -> None:
        self.items.pop(account_id, None)


class FakeRefreshTokenRepository(FakeRepository[RefreshToken]):
    def add(self, token: RefreshToken) -> None:
        if any(t.token_hash == token.token_hash for t in self):
            raise DuplicateRecord("refresh token exists")
        self.items[token.id] = _copy(token)

    def by_hash(self, token_hash: str) -> RefreshToken | None:
        return _copy(next((t for t in self if t.token_hash == token_hash), None))

    def spend(self, token_id: str, now: dt.datetime) -> bool:
        token = self.items.get(token_id)
        if token is None or token.used_at is not None:
            return False
        token.used_at = now
        return True

    def revoke_account(self, account_id: str, now: dt.datetime) -> int:
        revoked = [t for t in self.items.values() if t.account_id == account_id and t.revoked_at is None]
        for token in revoked:
            token.revoked_at = now
        return len(revoked)

    def revoke_family(self, family_id: str, now: dt.datetime) -> None:
        for token in self.items.values():
            if token.family_id == family_id and token.revoked_at is None:
                token.revoked_at = now


class FakePasswordSetupRepository(FakeRepository[PasswordSetup]):
    def add(self, setup: PasswordSetup) -> None:
        self.items[setup.id] = _copy(setup)

    def by_hash(self, token_hash: str) -> PasswordSetup | None:
        return _copy(next((s for s in self if s.token_hash == token_hash), None))

    def spend(self, setup_id: str, now: dt.datetime) -> bool:
        setup = self.items.get(setup_id)
        if setup is None or setup.used_at is not None:
            return False
        setup.used_at = now
        return True

    def void_unused(self, account_id: str, now: dt.datetime) -> None:
        for setup in self.items.values():
            if setup.account_id == account_id and setup.used_at is None:
                setup.used_at = now


class FakeDocumentRepository(FakeRepository[Document]):
    def add(self, document: Document) -> None:
        self.items[document.id] = _copy(document)

    def get(self, organisation_id: str, document_id: str) -> Document | None:
        document = self.items.get(document_id)
        return _copy(document) if document is not None and document.organisation_id == organisation_id else None

    def _of(self, organisation_id: str) -> list[Document]:
        return sorted((d for d in self if d.organisation_id == organisation_id),
                      key=lambda d: (d.file.uploaded_at, d.id))

    def page(self, which: DocumentFilter, request: PageRequest) -> Page[Document]:
        chosen = [d for d in self._of(which.organisation_id) if not which.kind or d.kind == which.kind]
        chosen.sort(key=lambda d: d.id)
        chosen.sort(key=lambda d: d.file.uploaded_at, reverse=True)
        return page_in_memory(_copies(chosen), request)

    def current(self, organisation_id: str) -> dict[str, Document]:
        return {d.kind: _copy(d) for d in self._of(organisation_id)}

    def usage(self, organisation_id: str) -> Usage:
        mine = self._of(organisation_id)
        return Usage(files=len(mine), bytes=sum(d.file.size for d in mine))


class FakeDecisionRepository(FakeRepository[OrganisationDecision]):
    def add(self, decision: OrganisationDecision) -> None:
        if self.task_decided(decision.task_id):
            raise DuplicateRecord(f"task {decision.task_id} was decided")
        self.items[decision.id] = _copy(decision)

    def task_decided(self, task_id: str) -> bool:
        return any(d.task_id == task_id for d in self)

    def latest_rejection(self, organisation_id: str) -> OrganisationDecision | None:
        rejections = sorted((d for d in self if d.organisation_id == organisation_id and d.outcome == "reject"),
                            key=lambda d: (d.decided_at, d.applied_at))
        return _copy(rejections[-1]) if rejections else None


class FakeSignInGuardRepository(FakeRepository[FailedSignIns]):
    def failures(self, email: str) -> FailedSignIns | None:
        return self.items.get(email)

    def record_failure(self, email: str, policy: LockoutPolicy, now: dt.datetime) -> FailedSignIns:
        state = after_failure(self.items.get(email), policy, now)
        self.items[email] = state
        return state

    def clear(self, email: str) -> None:
        self.items.pop(email, None)


class FakePortApplicationRepository(FakeRepository[PortApplication]):
    def add(self, application: PortApplication) -> None:
        if application.status in HOLDS_THE_PROVINCE and any(  # the partial unique index
                a.province_code == application.province_code and a.status in HOLDS_THE_PROVINCE for a in self):
            raise DuplicateRecord(f"province {application.province_code} is held")
        self.items[application.id] = _copy(application)

    def get(self, application_id: str) -> PortApplication | None:
        return _copy(self.items.get(application_id))

    def pending_of(self, province_code: str) -> list[PortApplication]:
        chosen = [a for a in self if a.province_code == province_code and a.status == "submitted"]
        return _copies(sorted(chosen, key=lambda a: (a.submitted_at, a.id)))

    def province_held(self, province_code: str, statuses: Collection[str]) -> bool:
        return any(a.province_code == province_code and a.status in statuses for a in self)

    def decide(self, application: PortApplication, expected_status: str) -> bool:
        stored = self.items.get(application.id)
        if stored is None or stored.status != expected_status:
            return False
        stored.status, stored.reason = application.status, application.reason
        stored.decided_at, stored.decided_by = application.decided_at, application.decided_by
        return True

    def save(self, application: PortApplication) -> None:
        self.items[application.id].account_id = application.account_id

    def page(self, which: PortFilter, request: PageRequest) -> Page[PortApplication]:
        chosen = [a for a in self if (not which.status or a.status == which.status)
                  and (not which.province_code or a.province_code == which.province_code)]
        return page_in_memory(_copies(sorted(chosen, key=lambda a: (a.submitted_at, a.id))), request)


class FakeChangeRequestRepository(FakeRepository[ChangeRequest]):
    def add(self, request: ChangeRequest) -> bool:
        if self.pending_of(request.organisation_id) is not None:
            return False
        self.items[request.id] = copy.deepcopy(request)
        return True

    def pending_of(self, organisation_id: str) -> ChangeRequest | None:
        found = [r for r in self if r.organisation_id == organisation_id and r.status == "pending"]
        return copy.deepcopy(found[0]) if found else None

    def latest_of(self, organisation_id: str) -> ChangeRequest | None:
        found = sorted((r for r in self if r.organisation_id == organisation_id), key=lambda r: r.requested_at)
        return copy.deepcopy(found[-1]) if found else None

    def decide(self, request_id: str, status: str, task_id: str, decided_at: dt.datetime,
               reasons: list[dict[str, Any]]) -> bool:
        stored = self.items.get(request_id)
        if stored is None or stored.status != "pending":
            return False
        stored.status, stored.task_id, stored.decided_at, stored.reasons = status, task_id, decided_at, list(reasons)
        return True


class FakeIdentityUnitOfWork(FakeUnitOfWork, IdentityUnitOfWork):
    def __init__(self, **context: Any) -> None:
        super().__init__(producer="identity", **context)
        self.organisations = FakeOrganisationRepository()
        self.accounts = FakeAccountRepository()
        self.documents = FakeDocumentRepository()
        self.decisions = FakeDecisionRepository()
        self.change_requests = FakeChangeRequestRepository()
        self.refresh_tokens = FakeRefreshTokenRepository()
        self.password_setups = FakePasswordSetupRepository()
        self.sign_in_guard = FakeSignInGuardRepository()
        self.port_applications = FakePortApplicationRepository()


# --- what the handlers need besides ----------------------------------------------------------------


class FakeSigner:
    """Signs by writing the claims down; `signed` keeps them in order."""

    def __init__(self) -> None:
        self.signed: list[dict[str, Any]] = []

    def sign(self, claims: dict[str, Any]) -> str:
        self.signed.append(dict(claims))
        return f"token-{len(self.signed)}"

    def jwks(self) -> dict[str, Any]:
        return {"keys": [{"kid": "fake", "kty": "RSA", "use": "sig", "alg": "RS256"}]}


class FakeHasher:
    """A transparent "hash"; every verification is counted, the decoy's too (`verified`)."""

    PREFIX = "$argon2-fake$"

    def __init__(self) -> None:
        self.verified: list[str | None] = []

    def hash(self, password: str) -> str:
        return self.PREFIX + password

    def verify(self, password_hash: str | None, password: str) -> bool:
        self.verified.append(password_hash)
        usable = password_hash is not None and password_hash.startswith(self.PREFIX)
        return usable and password_hash == self.PREFIX + password


class FakeCipher:
    def encrypt(self, value: str) -> str:
        return "enc:" + value[::-1]

    def decrypt(self, token: str) -> str:
        return token.removeprefix("enc:")[::-1]


class FakeRegistry:
    """Agrees unless given reasons; `down` cannot answer. Keeps the claims it was asked about."""

    name = "fake"

    def __init__(self, reasons: Reasons | None = None, *, down: bool = False) -> None:
        self.reasons = reasons or {}
        self.down = down
        self.asked: list[Claim] = []

    def check(self, claim: Claim) -> Reasons:
        self.asked.append(claim)
        if self.down:
            raise RegistryUnavailable("the fake registry is down")
        return dict(self.reasons)


class FakeLimits:
    """Rate limits that refuse when told to (`address_wait`, `account_wait`); counts failures."""

    def __init__(self, *, address_wait: int | None = None, account_wait: int | None = None) -> None:
        self.address_wait = address_wait
        self.account_wait = account_wait
        self.failures: list[str] = []
        self.attempts: list[str] = []

    def address_refused(self, address: str) -> int | None:
        return self.address_wait

    def attempt_at_account(self, email: str) -> int | None:
        self.attempts.append(email)
        return self.account_wait

    def failure_from(self, address: str) -> None:
        self.failures.append(address)


class FakeForms:
    """Records what was asked to be rendered; the PDFs themselves are tested with the real renderer."""

    def __init__(self) -> None:
        self.rendered: list[Any] = []

    def commitment_letter(self, letter: Any) -> bytes:
        self.rendered.append(letter)
        return b"%PDF-letter"

    def port_application_form(self, content: Any) -> bytes:
        self.rendered.append(content)
        return b"%PDF-form"


def fake_dependencies(tmp_path: Any, *, registry: FakeRegistry | None = None, limits: FakeLimits | None = None,
                      lockout: LockoutPolicy | None = None) -> IdentityDependencies:
    return IdentityDependencies(
        signing_keys=FakeSigner(), password_hashing=FakeHasher(), id_cipher=FakeCipher(),
        registry=registry or FakeRegistry(), document_store=LocalContentStore(tmp_path / "documents"),
        document_max_bytes=1024, document_quota=StorageQuota(Quota("document_files", 5), Quota("document_bytes", 4096)),
        sign_in_protection=SignInProtection(limits or FakeLimits(),
                                                                     lockout or LockoutPolicy()),
        public_url="https://platform.example.cn/", forms=FakeForms())


# --- things in store ---------------------------------------------------------------------------------


def organisation_in(uow: FakeIdentityUnitOfWork, status: str = "registered", **changes: Any) -> Organisation:
    """An organisation in `status`, stored, with a member account `member@<its id>.cn`."""
    organisation = Organisation(
        id=str(uuid.uuid4()), name="深圳测试科技有限公司", uscc=f"91440300{uuid.uuid4().hex[:10].upper()}",
        kind="enterprise", province_code="440000", city_code="440300", address="深圳市南山区科技园",
        legal_representative_name="张三", legal_representative_id_encrypted=FakeCipher().encrypt("11010519491231002X"),
        legal_representative_id_masked="110105********002X", contact_name="李四", contact_phone="13800138000",
        contact_email="contact@example.cn", registered_at=utcnow(), status=status)
    for name, value in changes.items():
        setattr(organisation, name, value)
    uow.organisations.add(organisation)
    uow.accounts.add(Account(id=str(uuid.uuid4()), email=f"member@{organisation.id}.cn", role="enterprise",
                             password_hash=FakeHasher.PREFIX + "member secret 2026", created_at=utcnow(),
                             organisation_id=organisation.id))
    return organisation


def document_in(uow: FakeIdentityUnitOfWork, organisation_id: str, kind: str,
                at: dt.datetime | None = None) -> Document:
    document = Document(id=str(uuid.uuid4()), organisation_id=organisation_id, kind=kind, file=StoredFile(
        sha256=uuid.uuid4().hex * 2, media_type="application/pdf", size=10, original_name=f"{kind}.pdf",
        uploaded_by="member", uploaded_at=at or utcnow()))
    uow.documents.add(document)
    return document


def account_in(uow: FakeIdentityUnitOfWork, email: str, password: str | None = "right password 2026", *,
               role: str = "reviewer", active: bool = True, **changes: Any) -> Account:
    account = Account(id=str(uuid.uuid4()), email=email, role=role, active=active, created_at=utcnow(),
                      password_hash=FakeHasher.PREFIX + password if password is not None else "", **changes)
    uow.accounts.add(account)
    return account
