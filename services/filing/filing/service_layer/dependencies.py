"""What filing's handlers need besides a unit of work, as `service.py` builds it from the
settings when the service starts (views reach it with `web.context.current_dependencies`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from filing.domain.annual_update import AnnualUpdateWindow
from filing.domain.bulk import BulkRow
from filing.domain.certificates import CertificateContent
from platform_shared.patents.registry import PatentRegistry
from platform_shared.quotas import Quota, StorageQuota
from platform_shared.uploads import ContentStore


class CertificateRenderer(Protocol):
    def render(self, content: CertificateContent) -> bytes:
        """The certificate as a document (PDF)."""


class BulkFiles(Protocol):
    def read(self, content: bytes, filename: str | None) -> list[BulkRow]:
        """The rows of an uploaded spreadsheet; `BulkFileRefused` for a file that cannot be read."""

    def template(self, kind: str) -> bytes:
        """The template to fill in, `xlsx` or `csv`."""


@dataclass(frozen=True)
class FilingDependencies:
    # Patents are checked at submission (review asks the same registry at a round's formal check).
    patent_registry: PatentRegistry
    # The UTC date now: the last full year, the annual update's window and year.
    today: Callable[[], dt.date]
    annual_update_window: AnnualUpdateWindow
    # The platform's address as people reach it: the base of the certificate's verification link.
    public_url: str
    certificates: CertificateRenderer
    bulk_files: BulkFiles
    material_store: ContentStore
    material_max_bytes: int
    bulk_max_bytes: int
    # What one organisation keeps: the materials of all its products (files, bytes), its drafts.
    material_quota: StorageQuota
    draft_quota: Quota
    # How long a filed product whose patents were found lost stays valid before it is suspended.
    patent_grace_days: int = 90
