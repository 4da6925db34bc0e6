"""filing as the platform runs it (the composition root): its tables and unit of work, the
dependencies its handlers need, built from the settings, its blueprints and subscriptions.

Settings (`FILING_…`, or the platform-wide name):
- `PUBLIC_URL` (`http://127.0.0.1:8000`): the base of the certificate's verification link;
- `PATENT_REGISTRY` (`checksum`, `file`, `http`) with its `_FILE`, `_LICENCE_FILE`, `_URL` and `_TIMEOUT`: patents
  checked at submission (review asks the same registry);
- `ANNUAL_UPDATE_WINDOW` (`01-01/03-31`, platform-wide: reporting reads it too): when filed products'
  previous-year figures are updated
  (the scheduled job `annual-update-reminders` mails its opening and 14 days before its close);
- `MATERIALS_DIR` (`<DATA_DIR>/filing/materials`), `MATERIAL_MAX_BYTES`, `BULK_MAX_BYTES` (10 MB):
  proof materials and the bulk file; `QUOTA_MATERIAL_FILES` (2,000), `QUOTA_MATERIAL_BYTES` (2 GiB),
  `QUOTA_DRAFTS` (5,000): what one organisation keeps;
- `CERTIFICATE_FONT`: the CJK font certificates are set in (found on the machine without it);
- `PATENT_GRACE_DAYS` (90): how long a filed product whose patents a re-check found lost stays
  valid before it is suspended (none holding by then).

Scheduled: `recheck-patents` (monthly, the 1st at 01:00 UTC): every filed product's patents
against the register (`service_layer.patent_rechecks`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from filing.adapters import orm
from filing.adapters.bulk import SpreadsheetBulkFiles
from filing.adapters.certificate import CertificateFont, PdfCertificates
from filing.adapters.migrations import MIGRATIONS
from filing.adapters.repository import PeeweeFilingUnitOfWork
from filing.domain.annual_update import AnnualUpdateWindow
from filing.entrypoints.events import SUBSCRIPTIONS
from filing.entrypoints.scheduled import SCHEDULED, filing_uow
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.patent_rechecks import run_requested
from platform_shared.config import ServiceSettings
from platform_shared.moments import utcnow
from platform_shared.patents.registry import registry_from_settings
from platform_shared.quotas import GiB, StorageQuota, quota_of
from platform_shared.runtime import ServiceDefinition, ServiceRuntime
from platform_shared.uploads import DEFAULT_MAX_BYTES, LocalContentStore


def utc_today() -> dt.date:
    return utcnow().date()


def dependencies_from(settings: ServiceSettings) -> FilingDependencies:
    setting = settings.setting
    return FilingDependencies(
        patent_registry=registry_from_settings(setting),
        today=utc_today,
        annual_update_window=AnnualUpdateWindow.parse(setting("ANNUAL_UPDATE_WINDOW", "01-01/03-31")),
        public_url=setting("PUBLIC_URL", "http://127.0.0.1:8000"),
        certificates=PdfCertificates(CertificateFont.find(setting("CERTIFICATE_FONT") or None)),
        bulk_files=SpreadsheetBulkFiles(),
        # Materials: a PersistentVolume in deployment (FILING_MATERIALS_DIR), var/ when embedded.
        material_store=LocalContentStore(Path(setting("MATERIALS_DIR") or settings.data_dir / "filing" / "materials")),
        material_max_bytes=int(setting("MATERIAL_MAX_BYTES", str(DEFAULT_MAX_BYTES))),
        bulk_max_bytes=int(setting("BULK_MAX_BYTES", str(DEFAULT_MAX_BYTES))),
        material_quota=StorageQuota(quota_of("material_files", setting("QUOTA_MATERIAL_FILES", "2000")),
                                    quota_of("material_bytes", setting("QUOTA_MATERIAL_BYTES", str(2 * GiB)))),
        # As many drafts as a full bulk template holds (5,000 rows), so one file always fits.
        draft_quota=quota_of("drafts", setting("QUOTA_DRAFTS", "5000")),
        patent_grace_days=_grace_days(setting("PATENT_GRACE_DAYS", "90")))


def _grace_days(text: str) -> int:
    days = int(text)
    if days < 0:
        raise ValueError("PATENT_GRACE_DAYS must be 0 or more days")
    return days


log = logging.getLogger(__name__)


def recheck_worker(runtime: ServiceRuntime) -> Callable[[threading.Event], None]:
    """The loop beside the consumers that runs the re-checks events asked for (a recognition
    round opened), every `RECHECK_POLL_SECONDS` (30)."""
    seconds = float(runtime.settings.setting("RECHECK_POLL_SECONDS", "30"))

    def loop(stop: threading.Event) -> None:
        while not stop.is_set():
            dependencies = runtime.dependencies
            if isinstance(dependencies, FilingDependencies):
                try:
                    run_requested(lambda: filing_uow(runtime), dependencies.patent_registry,
                                  dependencies.patent_grace_days)
                except Exception:
                    log.exception("requested patent re-checks failed; tried again at the next poll")
            stop.wait(seconds)

    return loop


def _start(runtime: ServiceRuntime) -> None:
    runtime.dependencies = dependencies_from(runtime.settings)


def definition() -> ServiceDefinition:
    from filing.entrypoints.api import BLUEPRINTS

    return ServiceDefinition(
        name="filing", title="filing — products and filings",
        tables=orm.tables, migrations=MIGRATIONS, unit_of_work=PeeweeFilingUnitOfWork,
        blueprints=lambda: BLUEPRINTS, consumes=SUBSCRIPTIONS, on_start=_start,
        scheduled=SCHEDULED, workers=(recheck_worker,))
