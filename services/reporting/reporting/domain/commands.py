"""What a person or a job asks reporting to change: one command per state change.

Most of reporting's state follows events (the projections); these are the rest: an operator
replacing a target list, the monthly job freezing a month, the yearly job closing a year, an
operator rebuilding the read models from the archive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from platform_shared.principal import Principal
from reporting.domain.targets import TargetEntry


@dataclass(frozen=True)
class ReplaceTargetList:
    """Create or replace the list `name` with these organisations (uploaded by `principal`)."""

    name: str
    title: str
    organisations: tuple[TargetEntry, ...]
    principal: Principal


@dataclass(frozen=True)
class PublishMonth:
    """Freeze `month` (YYYY-MM) for every province and the nation, once it has ended by `today`."""

    month: str
    today: dt.date


@dataclass(frozen=True)
class CloseYear:
    """Freeze the year-end evaluation of `year` (every province's), once it has ended by `today`."""

    year: int
    today: dt.date


@dataclass(frozen=True)
class RebuildReadModels:
    """Empty the read models and apply the event archive again, `chunk` events a transaction."""

    chunk: int = 1000
