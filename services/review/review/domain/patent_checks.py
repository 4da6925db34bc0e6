"""The register's answer per declared patent, as the reviewer works with it.

filing holds each declared patent against the patent register at submission and sends the
answer with the submission (`register` per patent). A patent the register could not verify
(the checksum registry, a register without holder or licence data) must be confirmed by the
reviewer against the uploaded certificate or licence contract, with a note, before the product
may be approved. Patents of submissions from before these checks carry no answer and need none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from platform_shared.errors import Conflict, Rule

CONFIRMED = "patent_confirmed"  # the history action of a confirmation


@dataclass(frozen=True)
class PatentConfirmation:
    """A reviewer confirmed an unverified patent (by its number) against the documents."""

    number: str
    note: str
    reviewer_id: str | None
    at: dt.datetime


def declared_patents(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    patents = snapshot.get("patents") or []
    return [p for p in patents if isinstance(p, Mapping)]


def needs_confirmation(patent: Mapping[str, Any]) -> bool:
    register = patent.get("register")
    return isinstance(register, Mapping) and register.get("outcome") == "unverified"


def patent_to_confirm(snapshot: Mapping[str, Any], index: int) -> Mapping[str, Any]:
    """The declared patent at `index` if it awaits a confirmation; `Conflict` otherwise."""
    patents = declared_patents(snapshot)
    if not 0 <= index < len(patents):
        raise Conflict(f"The submission declares no patent number {index + 1}.", slug="no-such-patent")
    patent = patents[index]
    if not needs_confirmation(patent):
        raise Conflict(f"The register verified the patent {patent.get('number')} already (or it was submitted "
                       "before register checks): there is nothing to confirm.", slug="patent-verified")
    return patent


def unconfirmed_problems(snapshot: Mapping[str, Any], confirmed: Iterable[str]) -> dict[str, list[str]]:
    """Each unverified patent not confirmed yet, under its field: approval waits for them."""
    done = set(confirmed)
    problems: dict[str, list[str]] = {}
    for index, patent in enumerate(declared_patents(snapshot)):
        number = str(patent.get("number", ""))
        if needs_confirmation(patent) and number not in done:
            problems[f"patents.{index}.number"] = [Rule(
                f"The register could not verify the patent {number}: confirm it against the certificate or "
                "licence contract before approving.", "review.patent_unconfirmed", number=number)]
    return problems


def confirmations_of(history: Sequence[Any]) -> dict[str, PatentConfirmation]:
    """The confirmations in a task's history, by patent number (the latest counts)."""
    found: dict[str, PatentConfirmation] = {}
    for entry in history:
        if entry.action == CONFIRMED:
            number = str(entry.detail.get("number", ""))
            found[number] = PatentConfirmation(number, str(entry.detail.get("note", "")), entry.actor_id, entry.at)
    return found
