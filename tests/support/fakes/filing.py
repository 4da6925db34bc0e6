"""filing's unit of work in memory, for the unit tests of its handlers.

Each fake repository keeps the domain's objects in dictionaries and hands out copies, as a
database would: a handler that changes an object without saving it changes nothing. What the
real repositories do in one statement (a conditional write, an upsert, a unique key, the next
number of a sequence) the fakes do under the same rules, so a handler cannot tell them apart.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from filing.domain.amendments import Amendment
from filing.domain.bulk import BulkFileRefused, BulkRow
from filing.domain.certificates import CertificateContent
from filing.domain.lifecycle import FINAL
from filing.domain.materials import Material
from filing.domain.organisations import Organisation
from filing.domain.patent_rechecks import NOTICE_PREFIX, PatentRecheck
from filing.domain.product_identity import model_key
from filing.domain.products import ModelClaim, PatentDeclaration, Product
from filing.domain.review_outcomes import ProductDecision, Recognition, RecognitionOptIn
from filing.service_layer.repositories import ProductFilter
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import DuplicateRecord
from platform_shared.events.envelope import Envelope
from platform_shared.figures import YearFigures
from platform_shared.moments import utcnow
from platform_shared.pages import Page, PageRequest, page_in_memory
from platform_shared.principal import Principal
from platform_shared.quotas import Usage
from tests.support.fakes import FakeRepository, FakeUnitOfWork

T = TypeVar("T")


def _copy(item: T) -> T:
    return copy.deepcopy(item)


class FakeOrganisationRepository(FakeRepository[Organisation]):
    def get(self, organisation_id: str) -> Organisation | None:
        return _copy(self.items.get(organisation_id))

    def save(self, organisation: Organisation) -> None:
        self.items[organisation.organisation_id] = _copy(organisation)

    def lock(self, organisation_id: str) -> Organisation | None:
        """Nothing to wait for: a fake unit of work has one caller at a time."""
        return self.get(organisation_id)


class FakeProductRepository(FakeRepository[Product]):
    """Removing a product removes what is recorded about it (the tables' foreign keys)."""

    def __init__(self, dependents: Callable[[], Iterable[Any]] = tuple) -> None:
        super().__init__()
        self._dependents = dependents

    def add(self, product: Product) -> None:
        if product.id in self.items:
            raise DuplicateRecord(f"product {product.id} exists")
        self.items[product.id] = _copy(product)

    def get(self, product_id: str) -> Product | None:
        return _copy(self.items.get(product_id))

    def save(self, product: Product) -> None:
        if product.filing_number and any(p.filing_number == product.filing_number and p.id != product.id
                                         for p in self):
            raise DuplicateRecord(f"filing number {product.filing_number} is taken")
        self.items[product.id] = _copy(product)

    def save_if_unchanged(self, product: Product, seen_version: int) -> bool:
        stored = self.items.get(product.id)
        if stored is None or stored.version != seen_version:
            return False
        self.save(product)
        return True

    def remove(self, product_id: str) -> None:
        self.items.pop(product_id, None)
        for repository in self._dependents():
            repository.drop_product(product_id)

    def by_filing_number(self, filing_number: str) -> Product | None:
        return _copy(next((p for p in self if p.filing_number == filing_number), None))

    def drafts_of(self, organisation_id: str) -> int:
        return sum(1 for p in self if p.organisation_id == organisation_id and p.status == "draft")

    def live_with_key(self, organisation_id: str, model_key: str, other_than: str | None = None) -> Product | None:
        mine = sorted((p for p in self if p.organisation_id == organisation_id and p.model_key == model_key
                       and p.status not in FINAL and p.id != other_than), key=lambda p: p.created_at)
        return _copy(mine[0]) if mine else None

    def page(self, which: ProductFilter, request: PageRequest) -> Page[Product]:
        def wanted(p: Product) -> bool:
            text = (which.text or "").lower()
            return ((which.organisation_id is None or p.organisation_id == which.organisation_id)
                    and (not which.status or p.status == which.status)
                    and (not which.industry_code or p.industry_code == which.industry_code)
                    and (not which.at_risk or p.at_risk_since is not None)
                    and (not which.province_code or p.province_code == which.province_code)
                    and (which.text is None or any(text in part.lower() for part in (p.name, p.brand, p.model))
                         or p.filing_number == which.text))

        chosen = sorted((p for p in self if wanted(p)), key=lambda p: p.id)
        chosen.sort(key=lambda p: p.updated_at, reverse=True)
        return page_in_memory(_copy(chosen), request)


    def on_record_ids(self) -> list[str]:
        return [p.id for p in sorted(self, key=lambda p: (p.filed_at or p.created_at, p.id)) if p.on_record]


class _OfProduct(FakeRepository[T]):
    """Items keyed by (product id, …): dropped with their product."""

    def drop_product(self, product_id: str) -> None:
        self.items = {key: item for key, item in self.items.items() if key[0] != product_id}


class FakeFiguresRepository(_OfProduct[YearFigures]):
    def of_product(self, product_id: str) -> list[YearFigures]:
        return sorted((f for (pid, _), f in self.items.items() if pid == product_id), key=lambda f: f.year)

    def replace(self, product_id: str, figures: Sequence[YearFigures], now: dt.datetime, *,
                fresh: bool = False) -> None:
        self.drop_product(product_id)
        for year in figures:
            if (product_id, year.year) in self.items:
                raise DuplicateRecord(f"{product_id} has figures of {year.year} twice")
            self.items[(product_id, year.year)] = year

    def keep(self, product_id: str, figures: YearFigures, now: dt.datetime) -> None:
        self.items[(product_id, figures.year)] = figures


class FakePatentRepository(_OfProduct[PatentDeclaration]):
    def of_product(self, product_id: str) -> list[PatentDeclaration]:
        return [p for (pid, _), p in sorted(self.items.items(), key=lambda kv: kv[0][1]) if pid == product_id]

    def replace(self, product_id: str, patents: Sequence[PatentDeclaration], *, fresh: bool = False) -> None:
        self.drop_product(product_id)
        for position, patent in enumerate(patents):
            self.items[(product_id, position)] = patent


class FakeMaterialRepository(_OfProduct[Material]):
    def __init__(self, organisation_of: Callable[[str], str | None]) -> None:
        super().__init__()
        self._organisation_of = organisation_of  # a product's organisation (the tables' join)

    def usage(self, organisation_id: str) -> Usage:
        theirs = [m for m in self if self._organisation_of(m.product_id) == organisation_id]
        return Usage(files=len(theirs), bytes=sum(m.file.size for m in theirs))

    def add(self, material: Material) -> None:
        self.items[(material.product_id, material.id)] = material

    def get(self, product_id: str, material_id: str) -> Material | None:
        return self.items.get((product_id, material_id))

    def of_product(self, product_id: str) -> list[Material]:
        return sorted((m for m in self if m.product_id == product_id and m.amendment_id is None),
                      key=lambda m: (m.file.uploaded_at, m.id))

    def of_amendment(self, amendment_id: str) -> list[Material]:
        return sorted((m for m in self if m.amendment_id == amendment_id), key=lambda m: (m.file.uploaded_at, m.id))

    def adopt(self, amendment_id: str) -> None:
        for key, material in list(self.items.items()):
            if material.amendment_id == amendment_id:
                self.items[key] = dataclasses.replace(material, amendment_id=None)

    def drop_amendment(self, amendment_id: str) -> None:
        self.items = {key: m for key, m in self.items.items() if m.amendment_id != amendment_id}

    def remove(self, product_id: str, material_id: str) -> bool:
        return self.items.pop((product_id, material_id), None) is not None


class FakeAmendmentRepository(FakeRepository[Amendment]):
    def add(self, amendment: Amendment) -> None:
        self.items[amendment.id] = _copy(amendment)

    def get(self, amendment_id: str) -> Amendment | None:
        return _copy(self.items.get(amendment_id))

    def save(self, amendment: Amendment) -> None:
        self.items[amendment.id] = _copy(amendment)

    def open_of(self, product_id: str) -> Amendment | None:
        return next((_copy(a) for a in self if a.product_id == product_id and a.is_open), None)

    def of_product(self, product_id: str) -> list[Amendment]:
        return [_copy(a) for a in sorted(self, key=lambda a: (a.created_at, a.id), reverse=True)
                if a.product_id == product_id]

    def drop_product(self, product_id: str) -> None:
        self.items = {key: a for key, a in self.items.items() if a.product_id != product_id}


class FakeClaimRepository(FakeRepository[ModelClaim]):
    """By model key; a product holds at most one claim (both are unique keys of the table)."""

    def get(self, model_key: str) -> ModelClaim | None:
        return self.items.get(model_key)

    def add(self, claim: ModelClaim) -> None:
        if claim.model_key in self.items or any(c.product_id == claim.product_id for c in self):
            raise DuplicateRecord(f"{claim.model_key} is claimed")
        self.items[claim.model_key] = claim

    def add_if_free(self, claim: ModelClaim) -> bool:
        try:
            self.add(claim)
        except DuplicateRecord:
            return False
        return True

    def release(self, product_id: str, *, keeping: str | None = None) -> None:
        self.items = {key: c for key, c in self.items.items() if c.product_id != product_id or key == keeping}

    def of(self, product_id: str) -> list[str]:
        return [c.model_key for c in self if c.product_id == product_id]


class FakeFilingNumberRepository(FakeRepository[int]):
    def next(self, year: int, province_prefix: str) -> int:
        self.items[(year, province_prefix)] = self.items.get((year, province_prefix), 0) + 1
        return self.items[(year, province_prefix)]


class FakeDecisionRepository(FakeRepository[ProductDecision]):
    def exists(self, task_id: str) -> bool:
        return task_id in self.items

    def add(self, decision: ProductDecision) -> None:
        if decision.task_id in self.items:
            raise DuplicateRecord(f"task {decision.task_id} was applied")
        self.items[decision.task_id] = decision

    def drop_product(self, product_id: str) -> None:
        self.items = {key: d for key, d in self.items.items() if d.product_id != product_id}


class FakeOptInRepository(_OfProduct[RecognitionOptIn]):
    def keep(self, choice: RecognitionOptIn) -> None:
        self.items[(choice.product_id, choice.year)] = choice

    def get(self, product_id: str, year: int) -> RecognitionOptIn | None:
        return self.items.get((product_id, year))

    def of_product(self, product_id: str) -> list[RecognitionOptIn]:
        return sorted((o for o in self if o.product_id == product_id), key=lambda o: o.year)


class FakeRecognitionRepository(_OfProduct[Recognition]):
    def add(self, recognition: Recognition) -> None:
        if (recognition.product_id, recognition.year) in self.items:
            raise DuplicateRecord(f"{recognition.product_id} was recognised in {recognition.year}")
        self.items[(recognition.product_id, recognition.year)] = recognition

    def years_of(self, product_id: str) -> list[int]:
        return sorted(r.year for r in self if r.product_id == product_id)


class FakeRecheckRepository(_OfProduct[PatentRecheck]):
    def add(self, recheck: PatentRecheck) -> None:
        key = (recheck.product_id, recheck.standing.number, recheck.check_key)
        if key in self.items:
            raise DuplicateRecord(f"{key} was checked")
        self.items[key] = recheck

    def done(self, product_id: str, check_key: str) -> set[str]:
        return {number for (pid, number, key) in self.items if pid == product_id and key == check_key}

    def latest(self, product_id: str) -> dict[str, PatentRecheck]:
        newest: dict[str, PatentRecheck] = {}
        for recheck in sorted(self, key=lambda r: r.checked_at):  # stable: insertion order among equals
            if recheck.product_id == product_id and not recheck.check_key.startswith(NOTICE_PREFIX):
                newest[recheck.standing.number] = recheck
        return newest


class FakeRecheckRequestRepository(FakeRepository[dict[str, Any]]):
    def ask(self, check_key: str, at: dt.datetime) -> None:
        self.items.setdefault(check_key, {"requested_at": at, "done_at": None})

    def pending(self) -> list[str]:
        waiting = [(r["requested_at"], key) for key, r in self.items.items() if r["done_at"] is None]
        return [key for _, key in sorted(waiting)]

    def done(self, check_key: str, at: dt.datetime) -> None:
        if check_key in self.items:
            self.items[check_key]["done_at"] = at


class FakeFilingUnitOfWork(FakeUnitOfWork, FilingUnitOfWork):
    def __init__(self, **context: Any) -> None:
        super().__init__(producer="filing", **context)
        self.organisations = FakeOrganisationRepository()
        self.products = FakeProductRepository(lambda: (self.figures, self.patents, self.materials, self.amendments,
                                                       self.decisions, self.opt_ins, self.recognitions, self.rechecks))
        self.figures = FakeFiguresRepository()
        self.patents = FakePatentRepository()
        self.materials = FakeMaterialRepository(
            lambda product_id: product.organisation_id if (product := self.products.items.get(product_id)) else None)
        self.claims = FakeClaimRepository()
        self.amendments = FakeAmendmentRepository()
        self.filing_numbers = FakeFilingNumberRepository()
        self.decisions = FakeDecisionRepository()
        self.opt_ins = FakeOptInRepository()
        self.recognitions = FakeRecognitionRepository()
        self.rechecks = FakeRecheckRepository()
        self.recheck_requests = FakeRecheckRequestRepository()


# --- the world a test starts from ---------------------------------------------------------------

ORGANISATION_ID = "org-1"
MEMBER = Principal("erin", "enterprise", organisation_id=ORGANISATION_ID)
STRANGER = Principal("sam", "enterprise", organisation_id="org-2")
REVIEWER = Principal("rita", "reviewer")
OPERATOR = Principal("olga", "operator")
VALID_PATENT = "201710601862.3"


def organisation_in(uow: FilingUnitOfWork, status: str = "verified", organisation_id: str = ORGANISATION_ID,
                    province_code: str = "440000", name: str = "深圳测试科技有限公司") -> Organisation:
    organisation = Organisation(organisation_id=organisation_id, province_code=province_code, status=status,
                                aggregate_version=3, name=name, uscc="914403001922038216")
    uow.organisations.save(organisation)
    return organisation


def verified_uow() -> FakeFilingUnitOfWork:
    """A unit of work in which MEMBER's organisation is verified."""
    uow = FakeFilingUnitOfWork()
    organisation_in(uow)
    return uow


def declaration(brand: str = "华为", model: str = "Mate 60 Pro", **changes: Any) -> dict[str, Any]:
    """A validated `POST /products` body of a product that may be submitted in 2031."""
    return {"name": "智能手机", "brand": brand, "model": model, "industry_code": "01", "description": "",
            "launched_on": None, "variants": ["黑色", "白色"],
            "economic_data": [{"year": 2030, "sales_revenue": "5000000.00", "sales_volume": 50,
                               "export_revenue": None, "profit": "10.50", "ip_investment": None}],
            "patents": [{"number": VALID_PATENT, "kind": "invention", "relation": "owner", "title": "一种通信方法",
                         "holder": "深圳测试科技有限公司", "license_record_no": None, "dispute": False}],
            **changes}


def product_in(uow: FilingUnitOfWork, status: str = "draft", *, organisation_id: str = ORGANISATION_ID,
               brand: str = "华为", model: str = "Mate 60 Pro", with_lists: bool = True, **changes: Any) -> Product:
    """A product of `organisation_id` in `status`, stored (with its figures and patents)."""
    now = utcnow()
    product = Product(id=str(uuid.uuid4()), organisation_id=organisation_id, name="智能手机", brand=brand,
                      model=model, industry_code="01", status=status, version=3, created_by="erin", created_at=now,
                      updated_at=now, model_key=model_key(brand, model), variants=["黑色"])
    if status not in ("draft",):
        product.submissions = 1
        product.province_code = "440000"
        product.submitted_at = now
    if status in ("filed", "recognised", "cancelled", "revoked"):
        product.filing_number = f"BA-2031-44-{len(uow.products) + 1:06d}"
        product.filed_at = now
    for name, value in changes.items():
        setattr(product, name, value)
    uow.products.add(product)
    if status in ("submitted", "returned", "filed", "recognised"):
        uow.claims.add(ModelClaim(product.model_key, product.id, organisation_id, now))
    if with_lists:
        uow.figures.replace(product.id, [YearFigures(2030, 500_000_000, 50)], now)
        uow.patents.replace(product.id, [PatentDeclaration(VALID_PATENT, "invention", "owner", "一种通信方法")])
    return product


def deliver(event: Envelope, handler: Callable[[Envelope, FilingUnitOfWork], None], uow: FilingUnitOfWork) -> None:
    """`event` handled as the consumer does it: in one block of the unit of work."""
    with uow:
        handler(event, uow)


class FakeCertificates:
    """Renders the content it is given as text, and keeps it."""

    def __init__(self) -> None:
        self.rendered: list[CertificateContent] = []

    def render(self, content: CertificateContent) -> bytes:
        self.rendered.append(content)
        return f"certificate {content.filing_number}".encode()


class FakeBulkFiles:
    """The rows it was given, whatever the file; `refused` makes every file refused."""

    def __init__(self, rows: Sequence[Mapping[str, Any]] = (), refused: BulkFileRefused | None = None) -> None:
        self.rows = [BulkRow(number, dict(draft)) for number, draft in enumerate(rows, start=2)]
        self.refused = refused

    def read(self, content: bytes, filename: str | None) -> list[BulkRow]:
        if self.refused is not None:
            raise self.refused
        return list(self.rows)

    def template(self, kind: str) -> bytes:
        return kind.encode()
