"""reporting's unit of work in memory, for the unit tests of its handlers and queries: each
repository a dictionary behaving as the peewee one does where a handler could tell (a unique
key refused as `DuplicateRecord`, the list's filters and order, counters that start at 0);
and the events reporting receives, built against their contracts.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from stdnum.cn import uscc as stdnum_uscc

from platform_shared.errors import DuplicateRecord
from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from platform_shared.pages import Page, PageRequest, page_in_memory
from reporting.domain.counters import Contribution, CounterValue
from reporting.domain.organisations import Organisation
from reporting.domain.product_list import ProductFilter
from reporting.domain.products import Product
from reporting.domain.reports import FrozenEvaluation, MonthlyReport
from reporting.domain.targets import TargetList, TargetMember
from reporting.service_layer.repositories import ArchivedEvent
from reporting.service_layer.unit_of_work import ReportingUnitOfWork
from tests.support.fakes import FakeRepository, FakeUnitOfWork


class FakeEventArchive(FakeRepository[Envelope]):
    """Events by id, in the order they arrived (position = 1, 2, …)."""

    def keep(self, event: Envelope) -> None:
        self.items.setdefault(event.id, event)

    def count(self) -> int:
        return len(self.items)

    def after(self, position: int, limit: int) -> list[ArchivedEvent]:
        events = list(self.items.values())
        return [ArchivedEvent(index + 1, event) for index, event in enumerate(events)][position:position + limit]


def _insert(items: dict[Any, Any], key: Any, value: Any) -> None:
    if key in items:
        raise DuplicateRecord(f"{key!r} exists")
    items[key] = value


class FakeOrganisations(FakeRepository[Organisation]):
    """Organisations by id; who has filed is read from the products (as the real join does)."""

    def __init__(self, products: FakeProducts) -> None:
        super().__init__()
        self._products = products

    # Only the items roll back: the products are a repository of their own.
    def snapshot(self) -> Any:
        return copy.deepcopy(self.items)

    def restore(self, snapshot: Any) -> None:
        self.items = snapshot

    def get(self, organisation_id: str) -> Organisation | None:
        return self.items.get(organisation_id)

    def add(self, organisation: Organisation) -> None:
        _insert(self.items, organisation.organisation_id, organisation)

    def update(self, organisation: Organisation) -> None:
        self.items[organisation.organisation_id] = organisation

    def having_filed(self, usccs: Sequence[str]) -> set[str]:
        filers = {p.organisation_id for p in self._products if p.facts.filed_month is not None}
        return {o.uscc for o in self if o.uscc in usccs and o.organisation_id in filers}

    def clear(self) -> None:
        self.items.clear()


# Where a product without a date of filing sorts (none is listed: the list shows filed products).
UNFILED = dt.datetime(1, 1, 1)


class FakeProducts(FakeRepository[Product]):
    def get(self, product_id: str) -> Product | None:
        return self.items.get(product_id)

    def add(self, product: Product) -> None:
        _insert(self.items, product.product_id, product)

    def update(self, product: Product) -> None:
        self.items[product.product_id] = product

    def page(self, province_code: str | None, product_filter: ProductFilter, request: PageRequest) -> Page[Product]:
        listed = sorted(self._listed(province_code, product_filter), key=lambda p: p.product_id)
        listed.sort(key=lambda p: p.filed_at or UNFILED, reverse=True)
        return page_in_memory(listed, request)

    def each(self, province_code: str | None, product_filter: ProductFilter) -> Iterator[Product]:
        return iter(sorted(self._listed(province_code, product_filter),
                           key=lambda p: (p.filed_at or UNFILED, p.product_id)))

    def count(self, province_code: str | None, product_filter: ProductFilter) -> int:
        return len(self._listed(province_code, product_filter))

    def filed_in(self, month: str, province_code: str | None) -> list[Product]:
        return sorted((p for p in self if p.facts.filed_month == month
                       and province_code in (None, p.facts.province_code)), key=lambda p: p.filing_number or "")

    def clear(self) -> None:
        self.items.clear()

    def _listed(self, province_code: str | None, wanted: ProductFilter) -> list[Product]:
        text = (wanted.search or "").lower()
        return [p for p in self if p.filing_number is not None and province_code in (None, p.facts.province_code)
                and p.facts.status in wanted.statuses
                and wanted.industry_code in (None, p.facts.industry_code)
                and wanted.city_code in (None, p.facts.city_code)
                and (wanted.search is None or p.filing_number == wanted.search
                     or any(text in value.lower() for value in (p.name, p.model, p.organisation_name)))]


class FakeCounters(FakeRepository[int]):
    """(province, dimension, key) → value now; `by_month` keeps each month's changes."""

    def __init__(self) -> None:
        super().__init__()
        self.by_month: dict[tuple[str, str, str, str], int] = {}

    def add(self, changes: Contribution, month: str) -> None:
        for key, delta in changes.items():
            self.items[key] = self.items.get(key, 0) + delta
            self.by_month[(*key, month)] = self.by_month.get((*key, month), 0) + delta

    def values(self, province_code: str | None, up_to: str | None = None) -> Iterable[CounterValue]:
        totals: dict[tuple[str, str, str], int] = {}
        for (province, dimension, key, month), value in self.by_month.items():
            if province_code in (None, province) and (up_to is None or month <= up_to):
                totals[(province, dimension, key)] = totals.get((province, dimension, key), 0) + value
        return [(*key, value) for key, value in totals.items()]

    def clear(self) -> None:
        self.items.clear()
        self.by_month.clear()


class FakeMonthlyReports(FakeRepository[MonthlyReport]):
    """Reports by (month, scope), the unique key of the real table."""

    def get(self, month: str, scope: str) -> MonthlyReport | None:
        return self.items.get((month, scope))

    def scopes_published(self, month: str) -> set[str]:
        return {scope for (held, scope) in self.items if held == month}

    def published(self, scope: str) -> list[tuple[str, dt.datetime]]:
        return [(r.month, r.published_at) for (_, held), r in sorted(self.items.items(), reverse=True) if held == scope]

    def add(self, report: MonthlyReport) -> None:
        _insert(self.items, (report.month, report.scope), report)


class FakeEvaluations(FakeRepository[FrozenEvaluation]):
    """Frozen evaluations by year, the real table's key."""

    def get(self, year: int) -> FrozenEvaluation | None:
        return self.items.get(year)

    def add(self, evaluation: FrozenEvaluation) -> None:
        _insert(self.items, evaluation.year, evaluation)


class FakeTargetLists(FakeRepository[tuple[TargetList, list[TargetMember]]]):
    def replace(self, target_list: TargetList, members: Sequence[TargetMember]) -> None:
        self.items[target_list.name] = (target_list, list(members))

    def lists(self, name: str | None) -> list[TargetList]:
        return [target for key, (target, _) in sorted(self.items.items()) if name in (None, key)]

    def members(self, list_name: str, province_code: str | None) -> list[TargetMember]:
        _, members = self.items.get(list_name, (None, []))
        return [m for m in members if province_code in (None, m.province_code)]


class FakeReportingUnitOfWork(FakeUnitOfWork, ReportingUnitOfWork):
    archive: FakeEventArchive
    products: FakeProducts
    organisations: FakeOrganisations
    counters: FakeCounters
    monthly_reports: FakeMonthlyReports
    evaluations: FakeEvaluations
    target_lists: FakeTargetLists

    def __init__(self, **context: Any) -> None:
        super().__init__(producer="reporting", **context)
        self.archive = FakeEventArchive()
        self.products = FakeProducts()
        self.organisations = FakeOrganisations(self.products)
        self.counters = FakeCounters()
        self.monthly_reports = FakeMonthlyReports()
        self.evaluations = FakeEvaluations()
        self.target_lists = FakeTargetLists()

    def figures(self, province_code: str) -> dict[tuple[str, str], int]:
        """(dimension, key) → value of one province's counters that are not 0."""
        return {(dimension, key): value for (province, dimension, key), value in self.counters.items.items()
                if province == province_code and value}


# --- the events reporting receives -------------------------------------------------------------
FUJIAN = "350000"


def uscc(region: str = "350100", serial: str = "2YB6QL4") -> str:
    """A valid 统一社会信用代码 of an enterprise registered in `region`."""
    body = f"91{region}MA{serial}"
    return body + stdnum_uscc.calc_check_digit(body)


def organisation_events(name: str = "福建甲科技有限公司", uscc: str = uscc(), *,
                        city: str = "350100", kind: str = "enterprise") -> list[Envelope]:
    """identity's registered, verification_requested and verified events of one organisation."""
    organisation_id = str(uuid.uuid4())
    now = "2021-02-01T08:00:00+00:00"
    common = {"organisation_id": organisation_id, "name": name, "uscc": uscc, "kind": kind, "province_code": FUJIAN}
    return [
        build_event("identity.organisation.registered", {
            **common, "city_code": city, "contact": {"name": "林", "phone": "13800138000", "email": "lin@example.cn"},
            "account_email": "lin@example.cn", "registered_at": now},
            producer="identity", aggregate_id=organisation_id, aggregate_version=1),
        build_event("identity.organisation.verification_requested", {**common, "requested_at": now},
                    producer="identity", aggregate_id=organisation_id, aggregate_version=2),
        build_event("identity.organisation.verified", {**common, "verified_at": now},
                    producer="identity", aggregate_id=organisation_id, aggregate_version=3),
    ]


def product_events(organisation: Envelope, *, industry: str = "04", revenue: str = "1000.50",
                   filed_at: str = "2021-03-05T08:00:00+00:00",
                   kinds: Sequence[str] = ("invention",)) -> list[Envelope]:
    """filing's submitted (version 2) and filed (version 3) events of one product of `organisation`."""
    product_id = str(uuid.uuid4())
    registered = organisation.data
    declaration = {
        "product_id": product_id, "organisation_id": registered["organisation_id"],
        "organisation_name": registered["name"], "province_code": FUJIAN, "name": "锂电池", "brand": "宁德",
        "model": f"M-{product_id[:6]}", "industry_code": industry,
        "economic_data": [{"year": 2020, "sales_revenue": revenue, "sales_volume": 10}],
        "patents": [{"number": f"20171060186{index}.3", "kind": kind, "relation": "owner"}
                    for index, kind in enumerate(kinds)]}
    return [
        build_event("filing.product.submitted", {**declaration, "submission": 1, "submitted_at": filed_at},
                    producer="filing", aggregate_id=product_id, aggregate_version=2),
        build_event("filing.product.filed", {**declaration, "filing_number": f"BA-2021-35-{product_id[:6]}",
                                             "task_id": str(uuid.uuid4()), "filed_at": filed_at},
                    producer="filing", aggregate_id=product_id, aggregate_version=3),
    ]


def product_change(filed: Envelope, event_type: str, version: int, **data: Any) -> Envelope:
    """A later event of the product `filed` (cancelled, recognised…) with its identity, its filing
    number and `data`."""
    identity = {key: filed.data[key] for key in ("product_id", "organisation_id", "organisation_name",
                                                  "province_code", "name", "brand", "model", "industry_code",
                                                  "filing_number")}
    return build_event(event_type, {**identity, **data}, producer="filing", aggregate_id=filed.aggregate_id,
                       aggregate_version=version)
