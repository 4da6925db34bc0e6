"""A month's report of one province (or the nation), frozen when published: its figures as
they stood then, the same whenever it is downloaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MonthlyReport:
    id: str
    month: str  # YYYY-MM
    scope: str  # a province code, or "national"
    body: Mapping[str, Any]  # the figures, as the JSON download gives them
    published_at: dt.datetime
