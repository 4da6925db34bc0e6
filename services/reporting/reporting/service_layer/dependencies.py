"""What reporting's handlers and queries need besides a unit of work: the writers of its files
(spreadsheets, CSV, JSON), the industry classification reports group products by, the
annual update's window, and the reader of uploaded target lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from platform_shared.annual_update import AnnualUpdateWindow
from platform_shared.industries import IndustryClassification
from reporting.domain.targets import TargetEntry


class ReportFiles(Protocol):
    """Reports and product lists as files (`adapters.report_files`)."""

    def as_json(self, report: Mapping[str, Any]) -> bytes: ...

    def as_csv(self, report: Mapping[str, Any]) -> bytes: ...

    def as_xlsx(self, report: Mapping[str, Any]) -> bytes: ...

    def products_csv(self, rows: Iterable[Mapping[str, Any]], industries: Mapping[str, str],
                     figures_year: int | None = None) -> Iterator[bytes]:
        """The product list as CSV, line by line (written as it is read); fields named by
        `industries` (code → name); with the columns of `figures_year`'s economic figures
        unless it is None."""

    def products_xlsx(self, rows: Iterable[Mapping[str, Any]], sink: IO[bytes], industries: Mapping[str, str],
                      figures_year: int | None = None) -> int:
        """The product list as a workbook into `sink` (with `figures_year`'s figures and a chart
        of them unless it is None); the number of products written."""


@dataclass(frozen=True)
class ReportingDependencies:
    report_files: ReportFiles
    industries: IndustryClassification
    # The annual update's window (ANNUAL_UPDATE_WINDOW, as filing's) and the UTC date now.
    annual_update_window: AnnualUpdateWindow = field(default_factory=AnnualUpdateWindow)
    today: Callable[[], dt.date] = field(default=lambda: dt.datetime.now(dt.UTC).date())
    # An uploaded target list's organisations with their rows (`adapters.target_files`).
    read_target_file: Callable[[bytes], list[tuple[int, TargetEntry]]] | None = None
