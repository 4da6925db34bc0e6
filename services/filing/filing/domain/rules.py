"""The rules a product must meet to be submitted for review, as plain functions.

Each broken rule is reported under the field a person has to correct (dotted path, as in the
API's problem responses), so the enterprise sees every problem at once, not one per attempt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from platform_shared.errors import Rule
from platform_shared.patents.verdict import PatentVerdict

Problems = dict[str, list[str]]  # each message a `Rule`: the portal words it in the reader's language


@dataclass(frozen=True)
class PatentClaim:
    """A declared patent as the rules see it."""

    number: str
    relation: str
    license_record_no: str | None
    dispute: bool


def last_full_year(today: dt.date) -> int:
    return today.year - 1


def submission_problems(*, organisation_status: str | None, economic_years: Sequence[int],
                        patents: Sequence[PatentClaim], verdicts: Mapping[str, PatentVerdict],
                        today: dt.date) -> Problems:
    """Every rule the product breaks (field → reasons); empty when it may be submitted."""
    problems: Problems = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if organisation_status != "verified":
        add("organisation", Rule("Only a verified organisation may submit products; "
                                 f"the organisation is {organisation_status or 'unknown to filing yet'}.",
                                 "organisation.not_verified", status=organisation_status or "unknown"))
    year = last_full_year(today)
    if year not in set(economic_years):
        add("economic_data", Rule(f"Give the economic data of {year}, the last full year.",
                                  "economic_data.last_year_missing", year=year))
    if not patents:
        add("patents", Rule("Declare at least one valid patent the product uses.", "patents.none"))
    usable = 0
    for index, patent in enumerate(patents):
        verdict = verdicts.get(patent.number)
        if patent.dispute:
            add(f"patents.{index}.dispute", Rule("A patent under an ownership dispute cannot support a filing.",
                                                 "patent.in_dispute"))
        if patent.relation == "licensee" and not (patent.license_record_no or "").strip():
            add(f"patents.{index}.license_record_no",
                Rule("A licensee must give the record number of the licence contract (专利实施许可合同备案号).",
                     "patent.licence_record_missing"))
        if verdict is None or not verdict.valid:
            add(f"patents.{index}.number", (verdict.reason if verdict else None)
                or Rule("The patent is not valid.", "patent.not_valid"))
        elif not patent.dispute:
            usable += 1
    if patents and usable == 0 and "patents" not in problems:
        add("patents", Rule("At least one declared patent must be valid and free of dispute.", "patents.none_usable"))
    return problems
