"""reporting's repositories as the service layer sees them: one small protocol each, of domain
objects only. `adapters.repository` implements them on peewee, the unit tests on dictionaries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, Protocol

from platform_shared.events.envelope import Envelope
from platform_shared.pages import Page, PageRequest
from reporting.domain.counters import Contribution, CounterValue
from reporting.domain.organisations import Organisation
from reporting.domain.product_list import ProductFilter
from reporting.domain.products import Product
from reporting.domain.reports import FrozenEvaluation, MonthlyReport
from reporting.domain.targets import TargetList, TargetMember


class ArchivedEvent(NamedTuple):
    position: int  # the order of arrival
    event: Envelope


class EventArchive(Protocol):
    """Every event received, as received: the read models can be rebuilt from it alone."""

    def keep(self, event: Envelope) -> None:
        """Archive `event`; one already archived (a redelivery) is kept once."""

    def count(self) -> int: ...

    def after(self, position: int, limit: int) -> list[ArchivedEvent]:
        """The next `limit` events archived after `position`, in the order they arrived."""


class OrganisationRepository(Protocol):
    def get(self, organisation_id: str) -> Organisation | None: ...

    def add(self, organisation: Organisation) -> None: ...

    def update(self, organisation: Organisation) -> None: ...

    def having_filed(self, usccs: Sequence[str]) -> set[str]:
        """Those of `usccs` whose organisation has filed at least one product, ever."""

    def clear(self) -> None: ...


class ProductRepository(Protocol):
    def get(self, product_id: str) -> Product | None: ...

    def add(self, product: Product) -> None: ...

    def update(self, product: Product) -> None: ...

    def page(self, province_code: str | None, product_filter: ProductFilter, request: PageRequest) -> Page[Product]:
        """The listed products of the province (None: all), newest filing first."""

    def each(self, province_code: str | None, product_filter: ProductFilter) -> Iterator[Product]:
        """Every listed product of the province, oldest filing first, read as it is consumed."""

    def count(self, province_code: str | None, product_filter: ProductFilter) -> int:
        """How many products `each` lists."""

    def filed_in(self, month: str, province_code: str | None) -> list[Product]:
        """The products filed in `month` (YYYY-MM), by filing number."""

    def clear(self) -> None: ...


class CounterRepository(Protocol):
    def add(self, changes: Contribution, month: str) -> None:
        """Move each counter by its change, as a change of `month` (YYYY-MM; a counter not
        there yet starts at 0)."""

    def values(self, province_code: str | None, up_to: str | None = None) -> Iterable[CounterValue]:
        """The counters of the province, or of every province: now, or as of the end of the
        month `up_to` (the changes of that month and before)."""

    def clear(self) -> None: ...


class MonthlyReportRepository(Protocol):
    def get(self, month: str, scope: str) -> MonthlyReport | None: ...

    def scopes_published(self, month: str) -> set[str]: ...

    def published(self, scope: str) -> list[tuple[str, dt.datetime]]:
        """(month, published at) of every report of the scope, newest month first."""

    def add(self, report: MonthlyReport) -> None:
        """Keep `report`; a second report of the same month and scope is a `DuplicateRecord`."""


class EvaluationRepository(Protocol):
    def get(self, year: int) -> FrozenEvaluation | None: ...

    def add(self, evaluation: FrozenEvaluation) -> None:
        """Keep `evaluation`; a second of the same year is a `DuplicateRecord`."""


class TargetListRepository(Protocol):
    def replace(self, target_list: TargetList, members: Sequence[TargetMember]) -> None:
        """Store the list with these members, instead of any list of that name."""

    def lists(self, name: str | None) -> list[TargetList]:
        """The list named (if any), or every list, by name."""

    def members(self, list_name: str, province_code: str | None) -> list[TargetMember]:
        """The list's members, of one province or all."""
