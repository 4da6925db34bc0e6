"""The patent registry's answer about one patent, as the rules of filing and review read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PatentVerdict:
    """The patent registry's answer: valid (granted, in force) or not, and why not."""

    valid: bool
    reason: str | None = None
