"""What recognition needs from review's configuration, built once when the service starts.

- `today`: the UTC date now, as a callable (tests move the clock instead of waiting for a
  notice to end);
- `patent_registry`: `REVIEW_PATENT_REGISTRY` (`checksum`, `file`, `http`) with its `_FILE`,
  `_URL` and `_TIMEOUT`, or the same names without `REVIEW_` (filing asks the same registry);
- `indicators`: `REVIEW_INDICATORS_FILE`, or the shipped `review/data/indicators-v1.json`;
- `evidence_store`, `evidence_max_bytes`: `REVIEW_EVIDENCE_DIR` (default
  `<DATA_DIR>/review/evidence`), `REVIEW_EVIDENCE_MAX_BYTES` (10 MB).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from platform_shared.config import ServiceSettings
from platform_shared.patents.registry import registry_from_settings
from platform_shared.uploads import DEFAULT_MAX_BYTES, LocalContentStore
from review.adapters.indicator_files import indicator_set


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def recognition_components(settings: ServiceSettings) -> dict[str, object]:
    return {
        "today": utc_today,
        "patent_registry": registry_from_settings(settings.setting),
        "indicators": indicator_set(),
        # Evidence files: a PersistentVolume in deployment, under the data folder when embedded.
        "evidence_store": LocalContentStore(Path(settings.setting("EVIDENCE_DIR")
                                                 or settings.data_dir / "review" / "evidence")),
        "evidence_max_bytes": int(settings.setting("EVIDENCE_MAX_BYTES", str(DEFAULT_MAX_BYTES))),
    }
