"""Real-name verification: which documents it needs, when it may be asked for, what a registry
record must agree with, and what a reviewer's decision does to an organisation's status.

Plain Python: the registry adapters fetch records, this module judges them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from identity.domain.identifiers import IdentifierError, check_id_number, check_uscc

DOCUMENT_KINDS = ("business_license", "integrity_commitment", "authorization_letter")
MANDATORY_DOCUMENTS = {
    "business_license": "营业执照 (business licence)",
    "integrity_commitment": "诚信承诺书 (signed integrity commitment letter)",
}
# A rejected organisation corrects its data and asks again; nothing else may ask.
MAY_REQUEST_VERIFICATION = ("registered", "rejected")
MAY_CORRECT = ("registered", "rejected")
AWAITING_DECISION = "pending_review"
STATUS_AFTER_DECISION = {"approve": "verified", "reject": "rejected"}

Reasons = dict[str, list[str]]


class VerificationRefused(Exception):
    """Verification cannot be asked for; `reasons` maps fields to what is wrong."""

    def __init__(self, detail: str, reasons: Reasons):
        super().__init__(detail)
        self.detail = detail
        self.reasons = reasons


@dataclass(frozen=True)
class Claim:
    """What the organisation says about itself, as a registry check compares it."""

    uscc: str
    name: str
    legal_representative_name: str
    legal_representative_id_number: str


@dataclass(frozen=True)
class RegistryRecord:
    """What a registry knows of an organisation."""

    uscc: str
    name: str
    legal_representative: str


def missing_documents(kinds_present: Iterable[str]) -> Reasons:
    """The mandatory documents not uploaded yet, as reasons per `documents.<kind>`."""
    present = set(kinds_present)
    return {f"documents.{kind}": [f"Upload the {label} before asking for verification."]
            for kind, label in MANDATORY_DOCUMENTS.items() if kind not in present}


def normalise_name(value: str) -> str:
    """Names compared as a person would: full-width forms folded (（）→()), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).casefold()


def check_claim_identifiers(claim: Claim) -> Reasons:
    """The `checksum` verdict: USCC and ID number check characters (and ID birth date) valid."""
    reasons: Reasons = {}
    for field, check, value in (("uscc", check_uscc, claim.uscc),
                                ("legal_representative.id_number", check_id_number,
                                 claim.legal_representative_id_number)):
        try:
            check(value)
        except IdentifierError as exc:
            reasons[field] = [str(exc)]
    return reasons


def compare_with_record(claim: Claim, record: RegistryRecord | None, registry: str) -> Reasons:
    """Where the claim and the registry's record disagree (empty: they agree)."""
    if record is None:
        return {"uscc": [f"The {registry} registry knows no organisation with this 统一社会信用代码."]}
    reasons: Reasons = {}
    if record.uscc.strip().upper() != claim.uscc.strip().upper():
        reasons["uscc"] = [f"The {registry} registry holds a different 统一社会信用代码."]
    if normalise_name(record.name) != normalise_name(claim.name):
        reasons["name"] = [f"The {registry} registry has this organisation as {record.name!r}."]
    if normalise_name(record.legal_representative) != normalise_name(claim.legal_representative_name):
        reasons["legal_representative.name"] = [
            f"The {registry} registry names a different legal representative."]
    return reasons


def check_may_request(status: str) -> None:
    if status not in MAY_REQUEST_VERIFICATION:
        raise VerificationRefused(
            f"An organisation that is {status} cannot ask for verification; only a registered or "
            "rejected one can.", {"status": [status]})
