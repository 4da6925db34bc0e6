"""Who may deactivate and reactivate whose account.

- An operator deactivates and reactivates staff (reviewers, operators, province admins), never
  its own account.
- An organisation's admin deactivates and reactivates the accounts of its own organisation,
  never the last active admin of it (the organisation would have nobody to manage its
  members). Other members may not; other organisations' accounts are not found.
- A reason is always given: it is audited and mailed.
- An organisation's admin (or an operator) makes another of its accounts an admin, or no longer
  one; the last active admin stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from identity.domain.staff import STAFF_ROLES


class Refused(Exception):
    """The change is not allowed; `kind` says how (`forbidden`, `not-found`, `conflict`), `slug` why."""

    def __init__(self, kind: str, message: str, *, slug: str):
        super().__init__(message)
        self.kind = kind
        self.slug = slug


@dataclass(frozen=True)
class Actor:
    """Who asks: the account, its role, its organisation and whether it is that organisation's admin."""

    account_id: str
    role: str
    organisation_id: str | None = None
    organisation_admin: bool = False


@dataclass(frozen=True)
class Target:
    """Whose account: its role, organisation, whether it is an admin of it and deactivated now."""

    account_id: str
    role: str
    organisation_id: str | None
    organisation_admin: bool
    deactivated: bool


def check_may_change(actor: Actor, target: Target) -> None:
    """`Refused` unless `actor` may deactivate or reactivate `target` at all."""
    if actor.role == "operator":
        if target.role not in STAFF_ROLES:
            raise Refused("forbidden", "Operators deactivate staff; an organisation's members are "
                          "deactivated by its admin.", slug="forbidden")
        return
    if actor.role == "enterprise":
        if target.organisation_id is None or target.organisation_id != actor.organisation_id:
            raise Refused("not-found", "No such account in your organisation.", slug="not-found")
        if not actor.organisation_admin:
            raise Refused("forbidden", "Only your organisation's admin deactivates and reactivates its members.",
                          slug="not-organisation-admin")
        return
    raise Refused("forbidden", "Only operators and organisations' admins change accounts.", slug="forbidden")


def check_deactivation(actor: Actor, target: Target, active_admins: int) -> None:
    """`Refused` unless `actor` may deactivate `target` now; `active_admins` counts the target
    organisation's admins not deactivated (the target among them if it is one)."""
    check_may_change(actor, target)
    if target.deactivated:
        raise Refused("conflict", "This account is deactivated already.", slug="account-already-deactivated")
    if actor.role == "operator" and actor.account_id == target.account_id:
        raise Refused("conflict", "An operator cannot deactivate its own account; another operator can.",
                      slug="own-account")
    if target.organisation_admin and active_admins <= 1:
        raise Refused("conflict", "This is the organisation's last active admin: it cannot be deactivated.",
                      slug="last-organisation-admin")


def check_reactivation(actor: Actor, target: Target) -> None:
    """`Refused` unless `actor` may reactivate `target` now."""
    check_may_change(actor, target)
    if not target.deactivated:
        raise Refused("conflict", "This account is not deactivated.", slug="account-not-deactivated")


def check_admin_change(actor: Actor, target: Target, make_admin: bool, active_admins: int) -> None:
    """`Refused` unless `actor` may make `target` an admin of its organisation (or no longer one).

    An organisation's admin does it for its own accounts; an operator for any organisation's (when
    its only admin has left, someone must appoint the next). Never the last active admin removed.
    """
    if target.role != "enterprise" or target.organisation_id is None:
        raise Refused("conflict", "Only accounts of an organisation are its admins.", slug="not-a-member")
    if actor.role != "operator":
        check_may_change(actor, target)
    if not make_admin and target.organisation_admin and not target.deactivated and active_admins <= 1:
        raise Refused("conflict", "This is the organisation's last active admin: appoint another first.",
                      slug="last-organisation-admin")
