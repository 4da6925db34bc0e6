"""A file a query answers with: its name, its media type and its bytes, written whole or
(a long product list as CSV) line by line as it is sent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
MEDIA_TYPES = {"json": JSON, "csv": CSV, "xlsx": XLSX}


@dataclass(frozen=True)
class Download:
    name: str  # with its extension
    media_type: str
    content: bytes | Iterable[bytes]
    # False: the content is the answer itself (a report as JSON), not a file to save.
    attachment: bool = True
