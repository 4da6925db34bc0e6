"""A dispute on a USCC (operators): someone registered a company's USCC that is not theirs. The
holding registration is suspended in one transaction — status `suspended`, the USCC released
(the partial unique index no longer counts it), the reason audited, `identity.organisation.
suspended` published (its contact and accounts are mailed; filing and reporting follow) — so the
rightful organisation registers the USCC and proves itself with its business licence through
the normal verification. A suspended registration's accounts still sign in (to read why) but no
longer act for it: no verification, corrections or invitations, and filing takes nothing from it.
"""

from __future__ import annotations

from identity.domain.commands import OpenDispute
from identity.domain.model import Organisation
from identity.service_layer.organisation_changes import suspend
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import NotFound, RuleBroken


def handle_open_dispute(command: OpenDispute, uow: IdentityUnitOfWork) -> Organisation:
    """Suspend the registration holding `command.uscc`; the suspended organisation.

    `RuleBroken` without a reason; `NotFound` when no registration holds the USCC; `Conflict`
    when another operator suspended it (or it lapsed) just now."""
    reason = command.reason.strip()
    if not reason:
        raise RuleBroken({"reason": ["a dispute needs its reason"]}, "A dispute needs its reason.")
    with uow:
        holder = uow.organisations.holder_of(command.uscc)
        if holder is None:
            raise NotFound("No registration holds this 统一社会信用代码.", slug="not-found",
                           errors={"uscc": ["held by no registration"]})
        return suspend(holder, reason, command.principal, uow, dispute=True)
