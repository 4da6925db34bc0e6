"""The year-end evaluation: per province, the coverage of every target list and the year's
filings, recognitions and totals (the notice: coverage is evaluated at year end). Each read is
audited (`evaluation.read`).

It is read live until the year is closed (`handle_close_year`, the yearly job `close-year`):
then every province's evaluation is frozen as it stood, once, and read back so — the same
whenever it is read — while the live figures stay readable beside it (`live`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from platform_shared.errors import Conflict, NotFound
from platform_shared.moments import naive_utc
from platform_shared.regions import PROVINCES
from reporting.domain.commands import CloseYear
from reporting.domain.queries import ReadEvaluation
from reporting.domain.reports import FrozenEvaluation, has_year_ended
from reporting.domain.scope import scope_name, scope_of
from reporting.service_layer.summary import counters
from reporting.service_layer.targets import coverage_rows
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

FROZEN, LIVE = "frozen", "live"


def evaluation_rows(year: int, province_code: str | None, uow: ReportingUnitOfWork) -> list[dict[str, Any]]:
    """The live evaluation of one province (or of every one, for None), inside `uow`."""
    provinces = [province_code] if province_code else sorted(PROVINCES)
    lists = coverage_rows(None, province_code, uow)
    rows = []
    for province in provinces:
        figures = counters(province, uow)
        by_status = figures["product_status"]
        rows.append({
            "province_code": province, "province_name": PROVINCES[province],
            "filings_in_year": sum(n for month, n in figures["filed_month"].items()
                                   if month.startswith(f"{year}-")),
            "filed_total": by_status.get("filed", 0) + by_status.get("recognised", 0),
            "recognised_total": figures["product_recognised"].get("ever", 0),
            "coverage": [{k: v for k, v in row.items() if k != "not_filed"} for row in lists
                         if row["province_code"] == province],
        })
    return rows


# The years an evaluation can be of: filing began in 2019's classification; a calendar's years end at 9999.
FIRST_YEAR, LAST_YEAR = 2000, 9999


def evaluation(query: ReadEvaluation, uow: ReportingUnitOfWork) -> dict[str, Any]:
    """The year's evaluation in the caller's scope: as frozen once the year is closed, else —
    or when `live` is asked for — as it stands now. `state` says which is shown, `frozen_at`
    when the year was closed (None before)."""
    province_code = scope_of(query.principal, query.province)
    if not FIRST_YEAR <= query.year <= LAST_YEAR:
        raise NotFound(f"There is no year-end evaluation of {query.year}: years {FIRST_YEAR}–{LAST_YEAR}.",
                       slug="no-such-year")
    with uow:
        uow.audit("evaluation.read", "province", scope_name(province_code), {"year": query.year, "live": query.live})
        frozen = uow.evaluations.get(query.year)
        if frozen is not None and not query.live:
            rows = [row for row in frozen.body["provinces"] if province_code in (None, row["province_code"])]
        else:
            rows = evaluation_rows(query.year, province_code, uow)
    return {"year": query.year, "state": FROZEN if frozen is not None and not query.live else LIVE,
            "frozen_at": frozen.closed_at.replace(tzinfo=dt.UTC) if frozen else None, "provinces": rows}


def handle_close_year(command: CloseYear, uow: ReportingUnitOfWork) -> bool:
    """Freeze `year`'s evaluation of every province; True when frozen now, False when it was
    already (closing twice changes nothing). `Conflict` before the year has ended."""
    if not has_year_ended(command.year, command.today):
        raise Conflict(f"{command.year} has not ended yet (today is {command.today.isoformat()}): a year is "
                       "closed once it is over", slug="year-not-ended")
    with uow:
        if uow.evaluations.get(command.year) is not None:
            return False
        now = dt.datetime.now(dt.UTC)
        rows = evaluation_rows(command.year, None, uow)
        uow.evaluations.add(FrozenEvaluation(year=command.year, closed_at=naive_utc(now),
                                             body={"year": command.year, "provinces": rows}))
        uow.audit("evaluation.closed", "year", str(command.year), {"provinces": len(rows)})
    return True
