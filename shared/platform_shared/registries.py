"""What the platform's external registries have in common (identity's registry of organisations,
filing's registry of patents): a CSV file that is read again when it changes, a JSON answer
over HTTP, and one exception for "the registry cannot answer now" (the caller answers 503 and
changes nothing).
"""

from __future__ import annotations

import csv
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")
MAX_ANSWER_BYTES = 1_048_576


class RegistryUnavailable(Exception):
    """The registry cannot answer right now (unreachable, timed out, broken answer, unreadable file)."""


class WatchedCsvFile(Generic[T]):
    """The records of a UTF-8 CSV file with a header row, keyed; read again when the file changes.

    `read_row` turns a row into `(key, record)`, or None to skip a row that names nothing.
    """

    def __init__(self, path: Path, columns: Sequence[str], read_row: Callable[[dict[str, str]], tuple[str, T] | None],
                 what: str = "registry file"):
        self.path = Path(path)
        self.columns = tuple(columns)
        self._read_row = read_row
        self._what = what
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._records: dict[str, T] = {}

    def records(self) -> dict[str, T]:
        try:
            stat = self.path.stat()
        except OSError as exc:
            raise RegistryUnavailable(f"{self._what} {self.path} unreadable: {exc}") from exc
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._records = self._load()
                self._stamp = stamp
            return self._records

    def _load(self) -> dict[str, T]:
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                if not set(self.columns) <= set(reader.fieldnames or ()):
                    raise RegistryUnavailable(f"{self._what} {self.path} lacks the columns {','.join(self.columns)}")
                records = {}
                for row in reader:
                    entry = self._read_row({k: (v or "") for k, v in row.items() if k is not None})
                    if entry is not None:
                        records[entry[0]] = entry[1]
                return records
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise RegistryUnavailable(f"{self._what} {self.path} unreadable: {exc}") from exc


def fetch_json(url: str, timeout: float, what: str = "registry") -> dict[str, Any] | None:
    """The JSON object at `url`, None when it answers 404; `RegistryUnavailable` for anything else."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - a configured URL
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a configured URL
            body = json.loads(response.read(MAX_ANSWER_BYTES))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise RegistryUnavailable(f"{what} answered {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise RegistryUnavailable(f"{what} unreachable or unreadable: {exc}") from exc
    if not isinstance(body, dict):
        raise RegistryUnavailable(f"{what} answered something other than a JSON object")
    return body
