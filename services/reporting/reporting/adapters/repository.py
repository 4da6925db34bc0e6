"""reporting's repositories on peewee, and the unit of work that owns them.

Each repository maps its rows to the domain's objects and back; none holds state, the unit of
work's transaction (`PeeweeUnitOfWork`) is the database's. The read models' rows are written
as reporting's projections decide (insert a row first seen, update it after); the counters
move by atomic upserts, so two consumers adding to one counter never lose an addition.
"""

from __future__ import annotations

import collections
import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import peewee

from platform_shared.database import is_postgres
from platform_shared.events.contracts import parse_event
from platform_shared.events.envelope import Envelope
from platform_shared.figures import YearFigures
from platform_shared.moments import naive_utc
from platform_shared.pages import Page, PageRequest
from platform_shared.peewee_queries import contains, delete_from, select_page
from platform_shared.peewee_unit_of_work import PeeweeUnitOfWork
from platform_shared.tables import ServiceTables
from reporting.adapters import orm
from reporting.adapters.reports import PeeweeEvaluations, PeeweeMonthlyReports, PeeweeTargetLists
from reporting.domain.counters import Contribution, CounterValue
from reporting.domain.organisations import Organisation
from reporting.domain.product_list import ProductFilter
from reporting.domain.products import Product, ProductFacts
from reporting.service_layer.repositories import ArchivedEvent
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


class PeeweeEventArchive:
    def keep(self, event: Envelope) -> None:
        orm.ArchivedEvent.insert(event_id=event.id, type=event.type, aggregate_id=event.aggregate_id,
                                 aggregate_version=event.aggregate_version,
                                 occurred_at=naive_utc(event.occurred_at),
                                 body=event.to_json()).on_conflict_ignore().execute()

    def count(self) -> int:
        return int(orm.ArchivedEvent.select().count())

    def after(self, position: int, limit: int) -> list[ArchivedEvent]:
        rows = (orm.ArchivedEvent.select().where(orm.ArchivedEvent.id > position).order_by(orm.ArchivedEvent.id)
                .limit(limit))
        return [ArchivedEvent(row.id, parse_event(row.body)) for row in rows]


class PeeweeOrganisations:
    def get(self, organisation_id: str) -> Organisation | None:
        row = orm.OrganisationView.get_or_none(orm.OrganisationView.organisation_id == organisation_id)
        return None if row is None else Organisation(
            organisation_id=row.organisation_id, name=row.name, uscc=row.uscc, kind=row.kind,
            province_code=row.province_code, city_code=row.city_code, status=row.status,
            aggregate_version=row.aggregate_version, registered_at=row.registered_at,
            registration_seen=row.registration_seen)

    def add(self, organisation: Organisation) -> None:
        orm.OrganisationView(**vars(organisation)).save(force_insert=True)

    def update(self, organisation: Organisation) -> None:
        orm.OrganisationView(**vars(organisation)).save()

    def having_filed(self, usccs: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(usccs), orm.BATCH):
            rows = (orm.OrganisationView.select(orm.OrganisationView.uscc).distinct()
                    .join(orm.ProductView, on=(orm.ProductView.organisation_id == orm.OrganisationView.organisation_id))
                    .where(orm.OrganisationView.uscc.in_(usccs[start:start + orm.BATCH])
                           & orm.ProductView.filed_month.is_null(False)))
            found.update(rows.scalars())
        return found

    def clear(self) -> None:
        delete_from(orm.OrganisationView).execute()


class PeeweeProducts:
    def get(self, product_id: str) -> Product | None:
        row = orm.ProductView.get_or_none(orm.ProductView.product_id == product_id)
        return None if row is None else product_of(row)

    def add(self, product: Product) -> None:
        row_of(product).save(force_insert=True)

    def update(self, product: Product) -> None:
        row_of(product).save()

    def page(self, province_code: str | None, product_filter: ProductFilter, request: PageRequest) -> Page[Product]:
        page = select_page(listed(province_code, product_filter), request, orm.ProductView.filed_at.desc(),
                           orm.ProductView.product_id)
        return page.map(product_of)

    def each(self, province_code: str | None, product_filter: ProductFilter) -> Iterator[Product]:
        return products_of(listed(province_code, product_filter).order_by(orm.ProductView.filed_at,
                                                                          orm.ProductView.product_id))

    def count(self, province_code: str | None, product_filter: ProductFilter) -> int:
        return int(listed(province_code, product_filter).count())

    def filed_in(self, month: str, province_code: str | None) -> list[Product]:
        selection = orm.ProductView.select().where(orm.ProductView.filed_month == month)
        if province_code is not None:
            selection = selection.where(orm.ProductView.province_code == province_code)
        return [product_of(row) for row in selection.order_by(orm.ProductView.filing_number)]

    def clear(self) -> None:
        delete_from(orm.ProductView).execute()


def listed(province_code: str | None, product_filter: ProductFilter) -> peewee.ModelSelect[orm.ProductView]:
    """The rows of the products the list shows (`domain.product_list`), not yet ordered."""
    view = orm.ProductView
    selection = view.select().where(view.filing_number.is_null(False))
    if province_code is not None:
        selection = selection.where(view.province_code == province_code)
    selection = selection.where(view.status.in_(product_filter.statuses))
    if product_filter.industry_code:
        selection = selection.where(view.industry_code == product_filter.industry_code)
    if product_filter.city_code:
        selection = selection.where(view.city_code == product_filter.city_code)
    text = product_filter.search
    if text is not None:
        selection = selection.where((view.filing_number == text) | contains(view.name, text)
                                    | contains(view.model, text) | contains(view.organisation_name, text))
    return selection


def products_of(selection: peewee.ModelSelect[orm.ProductView]) -> Iterator[Product]:
    """The products of `selection`, one at a time (an export's 100,000s: each row a named tuple of
    the columns, not a model instance, which costs twice as much to make). On PostgreSQL the
    driver's values are the columns' types already (text, timestamp, boolean, integer), so they
    are taken as they come, without peewee's conversion of each value; SQLite keeps dates as
    text and needs it."""
    if not is_postgres(orm.ProductView._meta.database):
        yield from (product_of(row) for row in selection.namedtuples().iterator())
        return
    cursor = orm.ProductView._meta.database.execute(selection)
    row_type = collections.namedtuple("ProductRow", [column[0] for column in cursor.description])  # type: ignore[misc]
    while rows := cursor.fetchmany(2000):
        for row in rows:
            yield product_of(row_type._make(row))


def product_of(row: Any) -> Product:
    """The product a row of the view holds (a model instance, or a named tuple of its columns;
    `row_of` is the way back)."""
    facts = ProductFacts(product_id=row.product_id, province_code=row.province_code, status=row.status,
                         industry_code=row.industry_code, organisation_kind=row.organisation_kind,
                         city_code=row.city_code, filed_month=row.filed_month, recognised=row.recognised,
                         patents=json.loads(row.patents),
                         revenue_fen={int(year): fen for year, fen in json.loads(row.revenue_fen).items()},
                         figures=figures_of_json(row.economic_data), suspended=bool(row.suspended))
    return Product(facts=facts, organisation_id=row.organisation_id, organisation_name=row.organisation_name,
                   name=row.name, brand=row.brand, model=row.model, aggregate_version=row.aggregate_version,
                   filing_number=row.filing_number, filed_at=row.filed_at)


def figures_json(figures: Mapping[int, YearFigures]) -> str:
    """A product's figures by year as the view's `economic_data` column keeps them (fen)."""
    return json.dumps({str(year): dataclasses.asdict(f) for year, f in sorted(figures.items())})


def figures_of_json(text: str) -> dict[int, YearFigures]:
    return {int(year): YearFigures(**figures) for year, figures in json.loads(text or "{}").items()}


def row_of(product: Product) -> orm.ProductView:
    facts = product.facts
    return orm.ProductView(
        product_id=facts.product_id, organisation_id=product.organisation_id,
        organisation_name=product.organisation_name, province_code=facts.province_code, city_code=facts.city_code,
        organisation_kind=facts.organisation_kind, name=product.name, brand=product.brand, model=product.model,
        industry_code=facts.industry_code, status=facts.status, filing_number=product.filing_number,
        filed_at=product.filed_at, filed_month=facts.filed_month, recognised=facts.recognised,
        patents=json.dumps(facts.patents), revenue_fen=json.dumps({str(y): v for y, v in facts.revenue_fen.items()}),
        economic_data=figures_json(facts.figures), suspended=facts.suspended,
        aggregate_version=product.aggregate_version)


class PeeweeCounters:
    def add(self, changes: Contribution, month: str) -> None:
        counter = orm.Counter
        for (province, dimension, key), delta in changes.items():
            (counter.insert(province_code=province, dimension=dimension, key=key, month=month, value=delta)
             .on_conflict(conflict_target=[counter.province_code, counter.dimension, counter.key, counter.month],
                          update={counter.value: counter.value + delta})
             .execute())

    def values(self, province_code: str | None, up_to: str | None = None) -> Iterable[CounterValue]:
        counter = orm.Counter
        total = peewee.fn.SUM(counter.value)
        selection = counter.select(counter.province_code, counter.dimension, counter.key, total)
        if province_code is not None:
            selection = selection.where(counter.province_code == province_code)
        if up_to is not None:
            selection = selection.where(counter.month <= up_to)
        grouped = selection.group_by(counter.province_code, counter.dimension, counter.key)
        values: Iterable[CounterValue] = [(p, d, k, int(v)) for p, d, k, v in grouped.tuples().execute()]
        return values

    def clear(self) -> None:
        delete_from(orm.Counter).execute()


class PeeweeReportingUnitOfWork(PeeweeUnitOfWork, ReportingUnitOfWork):
    def __init__(self, tables: ServiceTables, **context: Any) -> None:
        super().__init__(tables, **context)
        self.archive = PeeweeEventArchive()
        self.organisations = PeeweeOrganisations()
        self.products = PeeweeProducts()
        self.counters = PeeweeCounters()
        self.monthly_reports = PeeweeMonthlyReports()
        self.evaluations = PeeweeEvaluations()
        self.target_lists = PeeweeTargetLists()
