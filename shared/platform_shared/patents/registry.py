"""The patent registry a declared patent is checked against at submission, behind one interface.

- `checksum` (the embedded default): a well-formed number with the right check character is
  taken as valid — the number proves nothing more, and this registry knows no holders and no
  licences (its record says so: the submission marks such patents unverified), so deployments
  configure a real registry;
- `file`: a CSV of patents (`number,status[,holder,holder_uscc,granted_on,expires_on,title]`,
  UTF-8, header row; `status` is `valid` for a granted patent in force, anything else —
  `lapsed`, `invalidated`, `pending`… — is not; several holders in one cell separated by `;`
  (or `；`), their USCCs likewise in the same order; dates `YYYY-MM-DD`), re-read when the file
  changes; recorded licences in a second CSV (`_LICENCE_FILE`:
  `record_no,number,licensor,licensee[,licensee_uscc,starts_on,ends_on]`), without which the
  registry knows no licences;
- `http`: an external registry answering `GET {url}/patents/{number}` with JSON
  `{"status": "valid" | …, "holders": [{"name": …, "uscc": …}] (or "holder": "A;B"),
  "granted_on", "expires_on", "licences": [{"record_no", "licensor", "licensee",
  "licensee_uscc", "starts_on", "ends_on"}], "title": …}` (404: no such patent; no
  `licences` key: the registry keeps no licence data).

`check(number)` returns a `PatentVerdict` with the register's `record`, or raises
`RegistryUnavailable` when the registry cannot answer now (the submission answers 503 and
changes nothing). Chosen by `<SERVICE>_PATENT_REGISTRY` (`checksum`, `file`, `http`) with
`<SERVICE>_PATENT_REGISTRY_FILE`, `<SERVICE>_PATENT_REGISTRY_LICENCE_FILE`,
`<SERVICE>_PATENT_REGISTRY_URL` and `<SERVICE>_PATENT_REGISTRY_TIMEOUT` (seconds), or the same
names without the service prefix (filing and review ask the same registry).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from platform_shared.errors import Rule
from platform_shared.patents.numbers import InvalidPatentNumber, parse_patent_number
from platform_shared.patents.verdict import PatentVerdict, RecordedLicence, RegisteredHolder, RegisterRecord
from platform_shared.registries import RegistryUnavailable, WatchedCsvFile, fetch_json

__all__ = ["ChecksumRegistry", "FileRegistry", "HttpRegistry", "PatentRegistry", "PatentVerdict",
           "RegistryUnavailable", "registry_from_settings"]

VALID = "valid"
STATUS_WORDING = {"lapsed": "has lapsed (终止)", "invalidated": "was declared invalid (无效)",
                  "pending": "is not granted yet", "withdrawn": "was withdrawn", "rejected": "was refused"}


class PatentRegistry(Protocol):
    name: str

    def check(self, number: str) -> PatentVerdict:
        """Whether the patent with this (normalised) number is granted and in force."""


def _verdict_of_status(number: str, status: str, registry: str, record: RegisterRecord | None = None) -> PatentVerdict:
    status = (status or "").strip().lower()
    if status == VALID:
        return PatentVerdict(True, record=record)
    wording = STATUS_WORDING.get(status, f"is {status or 'of unknown status'}")
    return PatentVerdict(False, Rule(f"The patent {number} {wording} according to the {registry} registry.",
                                     "patent.not_in_force", number=number, status=status or "unknown"), record)


_SEPARATORS = re.compile(r"[;；]")


def _cells(value: str | None) -> list[str]:
    """The parts of a cell holding several values (`甲公司;乙公司`), blank parts dropped."""
    return [part.strip() for part in _SEPARATORS.split(value or "") if part.strip()]


def _date(value: object, what: str) -> dt.date | None:
    """A `YYYY-MM-DD` date of the register; empty is None, anything else unreadable is the
    register's fault (it cannot answer), not a fact to decide on."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise RegistryUnavailable(f"patent registry gives {what} {value!r}, not a YYYY-MM-DD date") from exc


def _holders(names: list[str], usccs: list[str]) -> tuple[RegisteredHolder, ...] | None:
    if not names:
        return None  # the register's line names no holder: it cannot tell who holds the patent
    return tuple(RegisteredHolder(name, (usccs[i].upper() if i < len(usccs) else None) or None)
                 for i, name in enumerate(names))


def _licence(number: str, item: dict[str, Any]) -> RecordedLicence:
    """A recorded licence from a licence file's row or an HTTP answer's item (same names)."""
    return RecordedLicence(
        record_no=str(item["record_no"]).strip(), number=number, licensor=str(item["licensor"]).strip(),
        licensee=str(item["licensee"]).strip(),
        licensee_uscc=str(item.get("licensee_uscc") or "").strip().upper() or None,
        starts_on=_date(item.get("starts_on"), "a licence start"), ends_on=_date(item.get("ends_on"), "a licence end"))


class ChecksumRegistry:
    """The number's check character only: no holders, no licences (its record says so)."""

    name = "checksum"

    def check(self, number: str) -> PatentVerdict:
        try:
            parse_patent_number(number)
        except InvalidPatentNumber as exc:
            return PatentVerdict(False, Rule(str(exc), "patent.malformed", number=number))
        return PatentVerdict(True, record=RegisterRecord(self.name, "well_formed"))


class FileRegistry:
    """Known patents from a CSV file with at least the columns `number,status`; recorded licences
    from a second CSV when one is given."""

    name = "file"

    def __init__(self, path: Path, licence_path: Path | None = None):
        self.path = Path(path)
        self.licence_path = Path(licence_path) if licence_path else None
        self._file = WatchedCsvFile(self.path, ("number", "status"), self._read_row, "patent registry file")
        self._licences = (WatchedCsvFile(self.licence_path, ("record_no", "number", "licensor", "licensee"),
                                         self._read_licence, "patent licence file") if self.licence_path else None)

    @staticmethod
    def _read_row(row: dict[str, str]) -> tuple[str, dict[str, str]] | None:
        try:
            return parse_patent_number(row["number"]).text, row
        except InvalidPatentNumber:
            return None  # a line we cannot read names no patent anyone can declare

    @staticmethod
    def _read_licence(row: dict[str, str]) -> tuple[str, dict[str, str]] | None:
        try:
            number = parse_patent_number(row["number"]).text
        except InvalidPatentNumber:
            return None
        record_no = row["record_no"].strip()
        # One contract may cover several patents: one line per patent, keyed by both.
        return (f"{record_no}|{number}", {**row, "number": number, "record_no": record_no}) if record_no else None

    def _licences_of(self, number: str) -> tuple[RecordedLicence, ...] | None:
        if self._licences is None:
            return None
        return tuple(_licence(number, row) for row in self._licences.records().values() if row["number"] == number)

    def check(self, number: str) -> PatentVerdict:
        row = self._file.records().get(number)
        if row is None:
            return PatentVerdict(False, Rule(f"The patent {number} is not in the patent registry.", "patent.unknown",
                                             number=number))
        record = RegisterRecord(
            self.name, (row["status"] or "").strip().lower(),
            holders=_holders(_cells(row.get("holder")), _cells(row.get("holder_uscc"))),
            granted_on=_date(row.get("granted_on"), "a grant date"),
            expires_on=_date(row.get("expires_on"), "an expiry date"), licences=self._licences_of(number))
        return _verdict_of_status(number, row["status"], self.name, record)


class HttpRegistry:
    """An external registry over HTTP; every failure to get an answer is `RegistryUnavailable`."""

    name = "http"

    def __init__(self, base_url: str, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def check(self, number: str) -> PatentVerdict:
        body = fetch_json(f"{self.base_url}/patents/{quote(number, safe='')}", self.timeout, "patent registry")
        if body is None:
            return PatentVerdict(False, Rule(f"The patent {number} is not in the patent registry.", "patent.unknown",
                                             number=number))
        if not isinstance(body.get("status"), str):
            raise RegistryUnavailable("patent registry answer lacks the patent's status")
        record = RegisterRecord(self.name, body["status"].strip().lower(), holders=self._holders(body),
                                granted_on=_date(body.get("granted_on"), "a grant date"),
                                expires_on=_date(body.get("expires_on"), "an expiry date"),
                                licences=self._licences(number, body))
        return _verdict_of_status(number, body["status"], self.name, record)

    @staticmethod
    def _holders(body: dict[str, Any]) -> tuple[RegisteredHolder, ...] | None:
        holders = body.get("holders")
        if holders is None:
            holder = body.get("holder")
            return _holders(_cells(holder), []) if isinstance(holder, str) else None
        if not isinstance(holders, list) or not all(isinstance(h, dict) and isinstance(h.get("name"), str)
                                                    for h in holders):
            raise RegistryUnavailable("patent registry answer has holders without names")
        return tuple(RegisteredHolder(h["name"].strip(), str(h.get("uscc") or "").strip().upper() or None)
                     for h in holders if h["name"].strip()) or None

    @staticmethod
    def _licences(number: str, body: dict[str, Any]) -> tuple[RecordedLicence, ...] | None:
        licences = body.get("licences")
        if licences is None:
            return None  # this registry keeps no licence data
        fields = ("record_no", "licensor", "licensee")
        if not isinstance(licences, list) or not all(
                isinstance(item, dict) and all(isinstance(item.get(f), str) for f in fields) for item in licences):
            raise RegistryUnavailable("patent registry answer has licences without record number, licensor or licensee")
        return tuple(_licence(number, item) for item in licences)


def registry_from_settings(setting: Callable[[str, str], str]) -> PatentRegistry:
    """The registry the configuration names; `setting(name, default)` reads `<SERVICE>_<name>` or `<name>`."""
    kind = setting("PATENT_REGISTRY", "checksum").strip().lower()
    if kind == "checksum":
        return ChecksumRegistry()
    if kind == "file":
        path = setting("PATENT_REGISTRY_FILE", "")
        if not path:
            raise ValueError("PATENT_REGISTRY=file needs PATENT_REGISTRY_FILE (a CSV path)")
        licences = setting("PATENT_REGISTRY_LICENCE_FILE", "")
        return FileRegistry(Path(path), Path(licences) if licences else None)
    if kind == "http":
        url = setting("PATENT_REGISTRY_URL", "")
        if not url.startswith(("http://", "https://")):
            raise ValueError("PATENT_REGISTRY=http needs PATENT_REGISTRY_URL (http:// or https://)")
        return HttpRegistry(url, timeout=float(setting("PATENT_REGISTRY_TIMEOUT", "5")))
    raise ValueError(f"PATENT_REGISTRY must be checksum, file or http, not {kind!r}")
