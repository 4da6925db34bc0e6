"""The indicator configuration in force: a JSON document shipped with review, or another one.

`REVIEW_INDICATORS_FILE` names a document of the same shape (a later edition of the standard,
or its real figures); without it the shipped `review/data/indicators-v1.json` is used. Like the
industry classification (`platform_shared.industries`), it is read from the process environment
once: the OpenAPI document (which indicators an operator may give benchmarks for, so the HTTP
schemas read it when they are imported) and the evaluation use the same one. It is data of the
domain, not a connection to anything: that is why it lives here and not among the adapters.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from review.domain.indicators import ConfigurationRefused, IndicatorSet

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "data" / "indicators-v1.json"


def load_indicator_set(path: Path) -> IndicatorSet:
    """The document at `path`, checked; `ConfigurationRefused` naming the file otherwise."""
    try:
        document = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationRefused(f"{path}: cannot read the indicator configuration: {exc}") from None
    try:
        return IndicatorSet.from_document(document)
    except ConfigurationRefused as exc:
        raise ConfigurationRefused(f"{path}: {exc}") from None


@functools.cache
def indicator_set() -> IndicatorSet:
    """The configuration in force (`REVIEW_INDICATORS_FILE`, or the shipped v1)."""
    return load_indicator_set(Path(os.environ.get("REVIEW_INDICATORS_FILE") or DEFAULT_FILE))
