"""What a verified organisation may change, by whom, and how a suspended one comes back
(issue 17, part 3). Plain rules.

- **Contact and address** (contact name, phone, e-mail; address; city within the province)
  change at once: the registry does not vouch for them, so nothing is there to review. Only a
  `verified` organisation changes them this way (before verification, the correction of
  `MAY_CORRECT` covers every field), and only its **organisation admin**: the contact address
  receives every mail about the organisation, so redirecting it is an admin's act. The change is
  audited and both the previous and the new contact address are told.
- An **operator suspends** an organisation that holds its USCC (directly, or by a dispute on the
  USCC) and **reinstates** a suspended one, always with a reason. Reinstating gives the USCC back
  to it, so another registration holding the USCC meanwhile (the rightful organisation) makes it
  impossible. It returns to the status it had, except that one awaiting a review decision returns
  to `registered` (the review task may have been decided while identity ignored decisions on a
  suspended organisation) and asks again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

VERIFIED = "verified"
SUSPENDED = "suspended"
# The fields changed at once, as the API and the events name them.
CONTACT_FIELDS = ("address", "city_code", "contact.name", "contact.phone", "contact.email")
# What a suspended organisation returns to (the status it was suspended from maps to).
STATUS_AFTER_REINSTATEMENT = {"registered": "registered", "pending_review": "registered",
                              "verified": "verified", "rejected": "rejected"}


class ChangeRefused(Exception):
    """The change is not allowed: `kind` (`forbidden`, `conflict`, `invalid`), `slug`, and for
    `invalid` the field it names."""

    def __init__(self, kind: str, message: str, *, slug: str | None = None, field: str | None = None):
        super().__init__(message)
        self.kind, self.slug, self.field = kind, slug, field


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "before": self.before, "after": self.after}


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """The fields of `after` whose value differs from `before`, in `after`'s order (e-mail
    addresses compared without case: `A@x.cn` is the same mailbox as `a@x.cn`)."""
    changes = []
    for name, value in after.items():
        old = before.get(name)
        same = (old or "").casefold() == (value or "").casefold() if name.endswith("email") else old == value
        if not same:
            changes.append(FieldChange(name, old, value))
    return changes


def check_may_change_contact(status: str, organisation_admin: bool) -> None:
    """`ChangeRefused` unless an account of the organisation (its admin, if `organisation_admin`)
    may change the contact and address of an organisation that is `status`."""
    if not organisation_admin:
        raise ChangeRefused("forbidden", "Only your organisation's admin changes its contact and address.",
                            slug="not-organisation-admin")
    if status != VERIFIED:
        raise ChangeRefused("conflict", f"An organisation that is {status} does not change its contact this way; "
                            "before verification it corrects its data, a suspended one changes nothing.",
                            slug="contact-change-not-allowed")


def check_city(city_code: str | None, province_code: str, province_of_city: str | None) -> None:
    """The city, if any, lies in the organisation's province (`province_of_city`: the city's)."""
    if city_code is not None and province_of_city != province_code:
        raise ChangeRefused("invalid", "The city is not in the organisation's province.", field="city_code")


def status_after_reinstatement(status: str, suspended_from: str | None) -> str:
    """The status a suspended organisation is reinstated to; `ChangeRefused` unless suspended."""
    if status != SUSPENDED:
        raise ChangeRefused("conflict", f"Only a suspended organisation is reinstated; this one is {status}.",
                            slug="organisation-not-suspended")
    return STATUS_AFTER_REINSTATEMENT.get(suspended_from or "", "registered")


def check_reason(reason: str) -> str:
    """The reason, stripped; `ChangeRefused` naming `reason` when blank."""
    stripped = reason.strip()
    if not stripped:
        raise ChangeRefused("invalid", "Give the reason: it is audited and the organisation is told.",
                            field="reason")
    return stripped


# --- change requests: what the registry vouches for, decided by a reviewer ------------------------
# The fields a change request changes (the USCC never: it names the legal person for its whole
# life, GB 32100-2015; another USCC is another organisation, which registers on its own).
REVIEWED_FIELDS = ("name", "legal_representative.name", "legal_representative.id_number")
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUS_AFTER_DECISION = {"approve": APPROVED, "reject": REJECTED}
# The document a change request must bring: the business licence showing the new data.
CHANGE_DOCUMENTS = ("business_license",)


def check_may_request_change(status: str, organisation_admin: bool, pending: bool) -> None:
    """`ChangeRefused` unless the organisation's admin may ask for a change now: the organisation
    is verified (and stays verified and working while the request waits) and has none pending."""
    if not organisation_admin:
        raise ChangeRefused("forbidden", "Only your organisation's admin asks for a change of its name or legal "
                            "representative.", slug="not-organisation-admin")
    if status != VERIFIED:
        raise ChangeRefused("conflict", f"An organisation that is {status} does not ask for changes; before "
                            "verification it corrects its data.", slug="change-request-not-allowed")
    if pending:
        raise ChangeRefused("conflict", "A change request of this organisation awaits the reviewers' decision "
                            "already; one at a time.", slug="change-request-pending")


def check_change_documents(kinds: list[str]) -> None:
    """The documents a request brings include a business licence (of the organisation)."""
    missing = [kind for kind in CHANGE_DOCUMENTS if kind not in kinds]
    if missing:
        raise ChangeRefused("invalid", "Bring the business licence that shows the new data: upload it and name it "
                            "among the request's documents.", slug="documents-missing", field="document_ids")


def mask_changes(changes: list[FieldChange], masked: dict[str, str]) -> list[dict[str, str | None]]:
    """The changes as shown to reviewers and in mails: ID numbers by their masked form."""
    shown = []
    for change in changes:
        if change.field == "legal_representative.id_number":
            shown.append({"field": change.field, "before": masked.get("before"), "after": masked.get("after")})
        else:
            shown.append(change.as_dict())
    return shown
