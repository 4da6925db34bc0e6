"""Who may file: only members of an organisation that review has verified."""

from __future__ import annotations


def may_file(status: str | None) -> bool:
    return status == "verified"
