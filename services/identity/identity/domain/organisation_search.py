"""Organisations as operators look for them: by status, province, kind, and a text that is part
of the name or of the USCC, however it is written (width and letter case do not matter)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from identity.domain.holds import RELEASED
from identity.domain.model import REGISTERED
from identity.domain.verification import AWAITING_DECISION, STATUS_AFTER_DECISION

# Every status an organisation can be in, in the order of its life.
ORGANISATION_STATUSES: tuple[str, ...] = (REGISTERED, AWAITING_DECISION, *STATUS_AFTER_DECISION.values(), *RELEASED)


@dataclass(frozen=True)
class OrganisationFilter:
    """None is "any". `text` is already folded (`fold_text`)."""

    status: str | None = None
    province_code: str | None = None
    kind: str | None = None
    text: str | None = None


def fold_text(text: str | None) -> str | None:
    """What a search text is compared as: NFKC (full-width letters, digits and brackets as their
    half-width forms), trimmed, lower case; None when nothing is left."""
    folded = unicodedata.normalize("NFKC", text or "").strip().casefold()
    return folded or None


def matches(name: str, uscc: str, text: str) -> bool:
    """Whether the folded `text` is part of the name or the USCC (as folded)."""
    return text in (fold_text(name) or "") or text in (fold_text(uscc) or "")
