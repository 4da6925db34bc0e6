"""The rules a product must meet to be submitted for review, as plain functions.

Each broken rule is reported under the field a person has to correct (dotted path, as in the
API's problem responses), so the enterprise sees every problem at once, not one per attempt.

A declared patent is held against the register (notice, attachment 1, 备案条件 (一)2 and (二)1):
as `owner` the organisation must be among the registered holders; as `licensee` a recorded
licence with the number given must cover the patent, name the organisation as licensee and a
holder as licensor, and run on the day of submission. What the enterprise typed as holder
never counts. Where the register cannot tell (no holders, no licence data) the patent goes on
marked unverified, for the reviewer to confirm against the certificate or contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from platform_shared.errors import Rule
from platform_shared.names import normalise_uscc, same_name
from platform_shared.patents.verdict import PatentVerdict, RecordedLicence, RegisteredHolder, RegisterRecord

Problems = dict[str, list[str]]  # each message a `Rule`: the portal words it in the reader's language


@dataclass(frozen=True)
class PatentClaim:
    """A declared patent as the rules see it."""

    number: str
    relation: str
    license_record_no: str | None
    dispute: bool


@dataclass(frozen=True)
class OrganisationNames:
    """Who the organisation is, as the register may write it: its name (and former names where
    filing knows them) and its USCC."""

    name: str
    uscc: str | None = None
    former_names: tuple[str, ...] = ()

    def is_named(self, name: str, uscc: str | None = None) -> bool:
        """Whether a party the register names is this organisation: the same USCC where both are
        known, else the same name however written."""
        if uscc and self.uscc and normalise_uscc(uscc) == normalise_uscc(self.uscc):
            return True
        return any(same_name(known, name) for known in (self.name, *self.former_names))


# How a declaration stands against the register, as the event and the reviewer read it.
VERIFIED, UNVERIFIED, REFUSED = "verified", "unverified", "refused"


@dataclass(frozen=True)
class PatentCheck:
    """One declared patent against the register: `outcome` (verified, unverified, refused),
    `match` (`holder`, `co_holder`, `licensee`, `none`, `unknown`), why it is unverified
    (`holders_unknown`, `licences_unknown`), the licence found, and the problem (field, rule)."""

    number: str
    relation: str
    outcome: str
    match: str
    record: RegisterRecord | None
    unverified_because: str | None = None
    licence: RecordedLicence | None = None
    problem: tuple[str, Rule] | None = None

    def as_dict(self) -> dict[str, object]:
        """The register's answer as `filing.product.submitted` carries it per patent."""
        record = self.record
        return {"outcome": self.outcome, "match": self.match, "unverified_because": self.unverified_because,
                "registry": record.registry if record else None, "status": record.status if record else None,
                "holders": ([h.as_dict() for h in record.holders] if record and record.holders is not None
                            else None),
                "granted_on": record.granted_on.isoformat() if record and record.granted_on else None,
                "expires_on": record.expires_on.isoformat() if record and record.expires_on else None,
                "licence": self.licence.as_dict() if self.licence else None}


def _holder_names(holders: tuple[RegisteredHolder, ...]) -> str:
    return "; ".join(h.name for h in holders) or "nobody"


def check_against_register(index: int, patent: PatentClaim, record: RegisterRecord | None,
                           organisation: OrganisationNames, today: dt.date) -> PatentCheck:
    """How one declared patent (valid per the register) stands against the register's holders and
    recorded licences."""
    number, relation = patent.number, patent.relation
    holders = record.holders if record else None
    if holders is None:
        return PatentCheck(number, relation, UNVERIFIED, "unknown", record, "holders_unknown")
    if relation != "licensee":
        mine = [h for h in holders if organisation.is_named(h.name, h.uscc)]
        if not mine:
            names = _holder_names(holders)
            return PatentCheck(number, relation, REFUSED, "none", record, problem=(f"patents.{index}.number", Rule(
                f"The register names {names} as the holder of the patent {number}, not this organisation; "
                "declare it as owner only if the organisation is a registered patentee.",
                "patent.not_holder", number=number, holders=names)))
        return PatentCheck(number, relation, VERIFIED, "holder" if len(holders) == 1 else "co_holder", record)
    given = (patent.license_record_no or "").strip()
    if not given:
        return PatentCheck(number, relation, REFUSED, "none", record)  # reported by the record-missing rule
    licences = record.licences if record else None
    if licences is None:
        return PatentCheck(number, relation, UNVERIFIED, "unknown", record, "licences_unknown")
    field = f"patents.{index}.license_record_no"
    found = [lic for lic in licences if normalise_uscc(lic.record_no) == normalise_uscc(given)]
    if not found:
        return PatentCheck(number, relation, REFUSED, "none", record, problem=(field, Rule(
            f"No licence with the record number {given} is recorded for the patent {number}.",
            "patent.licence_not_recorded", number=number, record_no=given)))
    licence = found[0]
    if not organisation.is_named(licence.licensee, licence.licensee_uscc):
        return PatentCheck(number, relation, REFUSED, "none", record, licence=licence, problem=(field, Rule(
            f"The licence {given} of the patent {number} is recorded for {licence.licensee}, not this organisation.",
            "patent.licence_other_licensee", number=number, record_no=given, licensee=licence.licensee)))
    if not any(same_name(h.name, licence.licensor) for h in holders):
        names = _holder_names(holders)
        return PatentCheck(number, relation, REFUSED, "none", record, licence=licence, problem=(field, Rule(
            f"The licence {given} was granted by {licence.licensor}, who is not a registered holder of the "
            f"patent {number} ({names}).", "patent.licence_licensor_not_holder", number=number, record_no=given,
            licensor=licence.licensor, holders=names)))
    if not licence.runs_on(today):
        starts = licence.starts_on.isoformat() if licence.starts_on else "—"
        ends = licence.ends_on.isoformat() if licence.ends_on else "—"
        return PatentCheck(number, relation, REFUSED, "none", record, licence=licence, problem=(field, Rule(
            f"The licence {given} of the patent {number} runs from {starts} to {ends}, not on {today.isoformat()}.",
            "patent.licence_not_running", number=number, record_no=given, starts_on=starts, ends_on=ends,
            today=today.isoformat())))
    return PatentCheck(number, relation, VERIFIED, "licensee", record, licence=licence)


def register_checks(patents: Sequence[PatentClaim], verdicts: Mapping[str, PatentVerdict],
                    organisation: OrganisationNames, today: dt.date) -> list[PatentCheck | None]:
    """Each declared patent against the register, in order; None for one the register does not
    hold valid (refused by the validity rule already)."""
    checks: list[PatentCheck | None] = []
    for index, patent in enumerate(patents):
        verdict = verdicts.get(patent.number)
        valid = verdict is not None and verdict.valid
        checks.append(check_against_register(index, patent, verdict.record, organisation, today)
                      if valid and verdict else None)
    return checks


def last_full_year(today: dt.date) -> int:
    return today.year - 1


def submission_problems(*, organisation_status: str | None, economic_years: Sequence[int],
                        patents: Sequence[PatentClaim], verdicts: Mapping[str, PatentVerdict],
                        today: dt.date, checks: Sequence[PatentCheck | None] = ()) -> Problems:
    """Every rule the product breaks (field → reasons); empty when it may be submitted. `checks`
    (from `register_checks`) add the register's holder and licence rules."""
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
        check = checks[index] if index < len(checks) else None
        if verdict is None or not verdict.valid:
            add(f"patents.{index}.number", (verdict.reason if verdict else None)
                or Rule("The patent is not valid.", "patent.not_valid"))
        elif check is not None and check.problem is not None:
            add(*check.problem)
        elif not patent.dispute:
            usable += 1
    if patents and usable == 0 and "patents" not in problems:
        add("patents", Rule("At least one declared patent must be valid and free of dispute.", "patents.none_usable"))
    return problems
