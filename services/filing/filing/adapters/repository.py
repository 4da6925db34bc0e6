"""filing's repositories on peewee, and its unit of work that owns them.

Each maps rows to the domain's objects and back; JSON columns (a product's variants, its newest
decision, a decision's reasons) are read and written here only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from filing.adapters import orm
from filing.domain.amendments import OPEN, Amendment
from filing.domain.lifecycle import FINAL, ON_RECORD
from filing.domain.materials import Material
from filing.domain.organisations import Organisation
from filing.domain.patent_rechecks import NOTICE_PREFIX, PatentRecheck, PatentStanding
from filing.domain.products import ModelClaim, PatentDeclaration, Product
from filing.domain.review_outcomes import ProductDecision, Recognition, RecognitionOptIn
from filing.service_layer.repositories import ProductFilter
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.attachments import StoredFile
from platform_shared.figures import YearFigures
from platform_shared.pages import Page, PageRequest
from platform_shared.peewee_queries import contains, delete_from, locked_row, select_page, stored_usage
from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork
from platform_shared.quotas import Usage
from platform_shared.tables import ServiceTables

Row = orm.Product


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _organisation(row: orm.OrganisationView | None) -> Organisation | None:
    if row is None:
        return None
    return Organisation(organisation_id=row.organisation_id, province_code=row.province_code, status=row.status,
                        aggregate_version=row.aggregate_version, name=row.name or "", uscc=row.uscc,
                        former_names=tuple(json.loads(row.former_names or "[]")))


class PeeweeOrganisationRepository:
    def get(self, organisation_id: str) -> Organisation | None:
        return _organisation(orm.OrganisationView.get_or_none(orm.OrganisationView.organisation_id == organisation_id))

    def lock(self, organisation_id: str) -> Organisation | None:
        return _organisation(locked_row(orm.OrganisationView, organisation_id))

    def save(self, organisation: Organisation) -> None:
        values = {**asdict(organisation), "former_names": _json(list(organisation.former_names))}
        orm.OrganisationView.insert(**values).on_conflict(
            conflict_target=[orm.OrganisationView.organisation_id],
            update={getattr(orm.OrganisationView, k): v for k, v in values.items() if k != "organisation_id"}).execute()


# The columns a product's row has besides its id, as the domain's fields name them.
_PRODUCT_COLUMNS = ("organisation_id", "name", "brand", "model", "model_key", "industry_code", "description",
                    "launched_on", "status", "version", "submissions", "province_code", "filing_number",
                    "submitted_at", "filed_at", "closing_reason", "closed_by", "closed_at", "at_risk_since",
                    "patent_deadline", "suspended_at", "edition", "amended_at", "created_by", "created_at",
                    "updated_at")


def _product(row: orm.Product) -> Product:
    return Product(**{name: getattr(row, name) for name in _PRODUCT_COLUMNS}, id=row.id,
                   variants=json.loads(row.variants or "[]"),
                   last_decision=json.loads(row.last_decision) if row.last_decision else None)


def _product_row(product: Product) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(product, name) for name in _PRODUCT_COLUMNS}
    values["variants"] = _json(product.variants)
    values["last_decision"] = _json(product.last_decision) if product.last_decision is not None else None
    return values


class PeeweeProductRepository:
    def add(self, product: Product) -> None:
        Row.insert(id=product.id, **_product_row(product)).execute()

    def get(self, product_id: str) -> Product | None:
        row = Row.get_or_none(Row.id == product_id)
        return None if row is None else _product(row)

    def save(self, product: Product) -> None:
        Row.update(**_product_row(product)).where(Row.id == product.id).execute()

    def save_if_unchanged(self, product: Product, seen_version: int) -> bool:
        updated: int = Row.update(**_product_row(product)).where(
            (Row.id == product.id) & (Row.version == seen_version)).execute()
        return updated == 1

    def remove(self, product_id: str) -> None:
        for child in (orm.EconomicYear, orm.PatentDeclaration, orm.Material, orm.ProductAmendment, orm.ProductDecision,
                      orm.RecognitionOptIn, orm.Recognition, orm.AnnualUpdateReminder, orm.PatentRecheck):
            delete_from(child).where(child.product == product_id).execute()
        delete_from(Row).where(Row.id == product_id).execute()

    def by_filing_number(self, filing_number: str) -> Product | None:
        row = Row.get_or_none(Row.filing_number == filing_number)
        return None if row is None else _product(row)

    def drafts_of(self, organisation_id: str) -> int:
        return int(Row.select().where((Row.organisation_id == organisation_id) & (Row.status == "draft")).count())

    def live_with_key(self, organisation_id: str, model_key: str, other_than: str | None = None) -> Product | None:
        selection = Row.select().where((Row.organisation_id == organisation_id) & (Row.model_key == model_key)
                                       & Row.status.not_in(sorted(FINAL)))
        if other_than:
            selection = selection.where(Row.id != other_than)
        row: orm.Product | None = selection.order_by(Row.created_at).first()
        return None if row is None else _product(row)

    def page(self, which: ProductFilter, request: PageRequest) -> Page[Product]:
        selection = Row.select()
        if which.organisation_id is not None:
            selection = selection.where(Row.organisation_id == which.organisation_id)
        if which.status:
            selection = selection.where(Row.status == which.status)
        if which.industry_code:
            selection = selection.where(Row.industry_code == which.industry_code)
        if which.at_risk:
            selection = selection.where(Row.at_risk_since.is_null(False))
        if which.province_code:
            selection = selection.where(Row.province_code == which.province_code)
        if which.text is not None:
            selection = selection.where(contains(Row.name, which.text) | contains(Row.brand, which.text)
                                        | contains(Row.model, which.text) | (Row.filing_number == which.text))
        return select_page(selection, request, Row.updated_at.desc(), Row.id).map(_product)


    def on_record_ids(self) -> list[str]:
        return [row.id for row in Row.select(Row.id).where(Row.status.in_(sorted(ON_RECORD)))
                .order_by(Row.filed_at, Row.id)]


class PeeweeFiguresRepository:
    def of_product(self, product_id: str) -> list[YearFigures]:
        Year = orm.EconomicYear
        return [YearFigures(year=y.year, sales_revenue_fen=y.sales_revenue_fen, sales_volume=y.sales_volume,
                            export_revenue_fen=y.export_revenue_fen, profit_fen=y.profit_fen,
                            ip_investment_fen=y.ip_investment_fen)
                for y in Year.select().where(Year.product == product_id).order_by(Year.year)]

    def replace(self, product_id: str, figures: Sequence[YearFigures], now: dt.datetime, *,
                fresh: bool = False) -> None:
        if not fresh:
            delete_from(orm.EconomicYear).where(orm.EconomicYear.product == product_id).execute()
        if figures:
            orm.EconomicYear.insert_many([{**asdict(f), "product": product_id, "updated_at": now}
                                          for f in figures]).execute()

    def keep(self, product_id: str, figures: YearFigures, now: dt.datetime) -> None:
        Year = orm.EconomicYear
        row = {**asdict(figures), "product": product_id, "updated_at": now}
        Year.insert(row).on_conflict(
            conflict_target=[Year.product, Year.year],
            update={getattr(Year, k): v for k, v in row.items() if k not in ("product", "year")}).execute()


class PeeweePatentRepository:
    def of_product(self, product_id: str) -> list[PatentDeclaration]:
        Patent = orm.PatentDeclaration
        return [PatentDeclaration(number=p.number, kind=p.kind, relation=p.relation, title=p.title, holder=p.holder,
                                  license_record_no=p.license_record_no, dispute=p.dispute)
                for p in Patent.select().where(Patent.product == product_id).order_by(Patent.position)]

    def replace(self, product_id: str, patents: Sequence[PatentDeclaration], *, fresh: bool = False) -> None:
        if not fresh:
            delete_from(orm.PatentDeclaration).where(orm.PatentDeclaration.product == product_id).execute()
        if patents:
            orm.PatentDeclaration.insert_many([{**asdict(p), "product": product_id, "position": index}
                                               for index, p in enumerate(patents)]).execute()


def _material(row: orm.Material, product_id: str) -> Material:
    return Material(id=row.id, product_id=product_id, kind=row.kind, file=StoredFile(
        sha256=row.sha256, media_type=row.media_type, size=row.size, original_name=row.original_name,
        uploaded_by=row.uploaded_by, uploaded_at=row.uploaded_at), amendment_id=row.amendment_id)


class PeeweeMaterialRepository:
    def add(self, material: Material) -> None:
        orm.Material.insert(id=material.id, product=material.product_id, kind=material.kind,
                            amendment_id=material.amendment_id, **asdict(material.file)).execute()

    def get(self, product_id: str, material_id: str) -> Material | None:
        row = orm.Material.get_or_none((orm.Material.id == material_id) & (orm.Material.product == product_id))
        return None if row is None else _material(row, product_id)

    def of_product(self, product_id: str) -> list[Material]:
        Stored = orm.Material
        return [_material(row, product_id) for row in Stored.select().where(
            (Stored.product == product_id) & Stored.amendment_id.is_null()).order_by(Stored.uploaded_at, Stored.id)]

    def of_amendment(self, amendment_id: str) -> list[Material]:
        Stored = orm.Material
        return [_material(row, str(row.__data__["product"])) for row in Stored.select().where(
            Stored.amendment_id == amendment_id).order_by(Stored.uploaded_at, Stored.id)]

    def adopt(self, amendment_id: str) -> None:
        orm.Material.update(amendment_id=None).where(orm.Material.amendment_id == amendment_id).execute()

    def drop_amendment(self, amendment_id: str) -> None:
        delete_from(orm.Material).where(orm.Material.amendment_id == amendment_id).execute()

    def usage(self, organisation_id: str) -> Usage:
        return stored_usage(orm.Material.select().join(Row).where(Row.organisation_id == organisation_id),
                            orm.Material.size)

    def remove(self, product_id: str, material_id: str) -> bool:
        deleted: int = delete_from(orm.Material).where(
            (orm.Material.id == material_id) & (orm.Material.product == product_id)).execute()
        return deleted > 0


def _patents_json(patents: Sequence[PatentDeclaration]) -> str:
    return _json([p.as_dict() for p in patents])


def _patents_from(text: str | None) -> list[PatentDeclaration]:
    return [PatentDeclaration(**p) for p in json.loads(text or "[]")]


def _amendment(row: orm.ProductAmendment) -> Amendment:
    return Amendment(id=row.id, product_id=str(row.__data__["product"]), organisation_id=row.organisation_id,
                     status=row.status, variants=json.loads(row.variants or "[]"), patents=_patents_from(row.patents),
                     before_variants=json.loads(row.before_variants or "[]"),
                     before_patents=_patents_from(row.before_patents), created_by=row.created_by,
                     created_at=row.created_at, updated_at=row.updated_at, version=row.version,
                     submissions=row.submissions, submitted_at=row.submitted_at, edition=row.edition,
                     last_decision=json.loads(row.last_decision) if row.last_decision else None,
                     closed_at=row.closed_at)


def _amendment_row(amendment: Amendment) -> dict[str, Any]:
    return {"product": amendment.product_id, "organisation_id": amendment.organisation_id,
            "status": amendment.status, "variants": _json(amendment.variants),
            "patents": _patents_json(amendment.patents), "before_variants": _json(amendment.before_variants),
            "before_patents": _patents_json(amendment.before_patents), "version": amendment.version,
            "submissions": amendment.submissions, "submitted_at": amendment.submitted_at,
            "edition": amendment.edition,
            "last_decision": _json(amendment.last_decision) if amendment.last_decision is not None else None,
            "created_by": amendment.created_by, "created_at": amendment.created_at,
            "updated_at": amendment.updated_at, "closed_at": amendment.closed_at}


class PeeweeAmendmentRepository:
    def add(self, amendment: Amendment) -> None:
        orm.ProductAmendment.insert(id=amendment.id, **_amendment_row(amendment)).execute()

    def get(self, amendment_id: str) -> Amendment | None:
        row = orm.ProductAmendment.get_or_none(orm.ProductAmendment.id == amendment_id)
        return None if row is None else _amendment(row)

    def save(self, amendment: Amendment) -> None:
        orm.ProductAmendment.update(**_amendment_row(amendment)).where(
            orm.ProductAmendment.id == amendment.id).execute()

    def open_of(self, product_id: str) -> Amendment | None:
        Found = orm.ProductAmendment
        row = Found.select().where((Found.product == product_id) & Found.status.in_(sorted(OPEN))).first()
        return None if row is None else _amendment(row)

    def of_product(self, product_id: str) -> list[Amendment]:
        Found = orm.ProductAmendment
        return [_amendment(row) for row in Found.select().where(Found.product == product_id)
                .order_by(Found.created_at.desc(), Found.id)]


class PeeweeClaimRepository:
    def get(self, model_key: str) -> ModelClaim | None:
        row = orm.ModelClaim.get_or_none(orm.ModelClaim.model_key == model_key)
        if row is None:
            return None
        return ModelClaim(model_key=row.model_key, product_id=row.product_id, organisation_id=row.organisation_id,
                          claimed_at=row.claimed_at)

    def add(self, claim: ModelClaim) -> None:
        orm.ModelClaim.insert(**asdict(claim)).execute()

    def add_if_free(self, claim: ModelClaim) -> bool:
        # ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite): a taken key is no error, so the
        # transaction needs no savepoint around it.
        inserted: int = orm.ModelClaim.insert(**asdict(claim)).on_conflict_ignore().as_rowcount().execute()
        return inserted == 1

    def release(self, product_id: str, *, keeping: str | None = None) -> None:
        Claim = orm.ModelClaim
        query = delete_from(Claim).where(Claim.product_id == product_id)
        if keeping is not None:
            query = query.where(Claim.model_key != keeping)
        query.execute()


class PeeweeFilingNumberRepository:
    def next(self, year: int, province_prefix: str) -> int:
        # Created if missing, then incremented by an UPDATE that locks the row on PostgreSQL until
        # the transaction ends: two transactions never read the same number.
        Sequence_ = orm.FilingSequence
        Sequence_.insert(year=year, province_prefix=province_prefix, last=0).on_conflict_ignore().execute()
        key = (Sequence_.year == year) & (Sequence_.province_prefix == province_prefix)
        Sequence_.update(last=Sequence_.last + 1).where(key).execute()
        last: int = Sequence_.get(key).last
        return last


class PeeweeDecisionRepository:
    def exists(self, task_id: str) -> bool:
        found: bool = orm.ProductDecision.select().where(orm.ProductDecision.task_id == task_id).exists()
        return found

    def add(self, decision: ProductDecision) -> None:
        orm.ProductDecision.insert(task_id=decision.task_id, product=decision.product_id, outcome=decision.outcome,
                                   reasons=_json(list(decision.reasons)), reviewer_id=decision.reviewer_id,
                                   decided_at=decision.decided_at, applied_at=decision.applied_at,
                                   event_id=decision.event_id).execute()


class PeeweeOptInRepository:
    def keep(self, choice: RecognitionOptIn) -> None:
        OptIn = orm.RecognitionOptIn
        OptIn.insert(product=choice.product_id, year=choice.year, opt_in=choice.opt_in, decided_by=choice.decided_by,
                     decided_at=choice.decided_at).on_conflict(
            conflict_target=[OptIn.product, OptIn.year],
            update={OptIn.opt_in: choice.opt_in, OptIn.decided_by: choice.decided_by,
                    OptIn.decided_at: choice.decided_at}).execute()

    def get(self, product_id: str, year: int) -> RecognitionOptIn | None:
        OptIn = orm.RecognitionOptIn
        row = OptIn.get_or_none((OptIn.product == product_id) & (OptIn.year == year))
        return None if row is None else _opt_in(row, product_id)

    def of_product(self, product_id: str) -> list[RecognitionOptIn]:
        OptIn = orm.RecognitionOptIn
        rows = OptIn.select().where(OptIn.product == product_id).order_by(OptIn.year)
        return [_opt_in(row, product_id) for row in rows]


def _opt_in(row: orm.RecognitionOptIn, product_id: str) -> RecognitionOptIn:
    return RecognitionOptIn(product_id=product_id, year=row.year, opt_in=row.opt_in, decided_by=row.decided_by,
                            decided_at=row.decided_at)


class PeeweeRecognitionRepository:
    def add(self, recognition: Recognition) -> None:
        orm.Recognition.insert(product=recognition.product_id, year=recognition.year, round_id=recognition.round_id,
                               recognised_at=recognition.recognised_at).execute()

    def years_of(self, product_id: str) -> list[int]:
        Found = orm.Recognition
        return [row.year for row in Found.select(Found.year).where(Found.product == product_id).order_by(Found.year)]


class PeeweeAnnualUpdateRepository:
    def not_updated(self, year: int, province_code: str | None = None) -> list[Product]:
        Year = orm.EconomicYear
        given = Year.select(Year.product).where(Year.year == year)
        selection = Row.select().where(Row.status.in_(sorted(ON_RECORD)) & Row.id.not_in(given))
        if province_code is not None:
            selection = selection.where(Row.province_code == province_code)
        return [_product(row) for row in selection.order_by(Row.organisation_id, Row.filing_number)]

    def reminded(self, year: int, kind: str) -> set[str]:
        Sent = orm.AnnualUpdateReminder
        rows = Sent.select(Sent.product).where((Sent.year == year) & (Sent.kind == kind))
        # The foreign key's own value, without loading each product.
        return {str(row.__data__["product"]) for row in rows}

    def record_reminder(self, product_id: str, organisation_id: str, year: int, kind: str,
                        sent_at: dt.datetime) -> None:
        orm.AnnualUpdateReminder.insert(product=product_id, organisation_id=organisation_id, year=year, kind=kind,
                                        sent_at=sent_at).on_conflict_ignore().execute()
def _recheck(row: orm.PatentRecheck, product_id: str) -> PatentRecheck:
    register = json.loads(row.register or "{}")
    holders = register.get("holders")
    expires_on = register.get("expires_on")
    standing = PatentStanding(row.number, row.problem, register.get("status"),
                              tuple(holders) if holders is not None else None,
                              dt.date.fromisoformat(expires_on) if expires_on else None)
    return PatentRecheck(product_id, row.check_key, row.checked_at, standing)


class PeeweeRecheckRepository:
    def add(self, recheck: PatentRecheck) -> None:
        standing = recheck.standing
        orm.PatentRecheck.insert(product=recheck.product_id, number=standing.number, check_key=recheck.check_key,
                                 checked_at=recheck.checked_at, problem=standing.problem,
                                 register=_json(standing.as_dict())).execute()

    def done(self, product_id: str, check_key: str) -> set[str]:
        Check = orm.PatentRecheck
        return {row.number for row in Check.select(Check.number).where(
            (Check.product == product_id) & (Check.check_key == check_key))}

    def latest(self, product_id: str) -> dict[str, PatentRecheck]:
        Check = orm.PatentRecheck
        newest: dict[str, PatentRecheck] = {}
        for row in Check.select().where((Check.product == product_id) & ~Check.check_key.startswith(NOTICE_PREFIX)
                                        ).order_by(Check.checked_at, Check._meta.primary_key):
            newest[row.number] = _recheck(row, product_id)
        return newest


class PeeweeRecheckRequestRepository:
    def ask(self, check_key: str, at: dt.datetime) -> None:
        orm.RecheckRequest.insert(check_key=check_key, requested_at=at).on_conflict_ignore().execute()

    def pending(self) -> list[str]:
        Request = orm.RecheckRequest
        return [row.check_key for row in Request.select(Request.check_key).where(Request.done_at.is_null())
                .order_by(Request.requested_at)]

    def done(self, check_key: str, at: dt.datetime) -> None:
        orm.RecheckRequest.update(done_at=at).where(orm.RecheckRequest.check_key == check_key).execute()


class PeeweeFilingUnitOfWork(PeeweeUnitOfWork, FilingUnitOfWork):
    """filing's unit of work on its database (`ServiceDefinition.unit_of_work`)."""

    def __init__(self, tables: ServiceTables, **context: Any) -> None:
        super().__init__(tables, **context)
        self.organisations = PeeweeOrganisationRepository()
        self.products = PeeweeProductRepository()
        self.figures = PeeweeFiguresRepository()
        self.patents = PeeweePatentRepository()
        self.materials = PeeweeMaterialRepository()
        self.claims = PeeweeClaimRepository()
        self.amendments = PeeweeAmendmentRepository()
        self.filing_numbers = PeeweeFilingNumberRepository()
        self.decisions = PeeweeDecisionRepository()
        self.opt_ins = PeeweeOptInRepository()
        self.recognitions = PeeweeRecognitionRepository()
        self.annual_updates = PeeweeAnnualUpdateRepository()
        self.rechecks = PeeweeRecheckRepository()
        self.recheck_requests = PeeweeRecheckRequestRepository()
