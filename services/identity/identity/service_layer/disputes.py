"""A dispute on a USCC (operators): someone registered a company's USCC that is not theirs. The
holding registration is suspended in one transaction — status `suspended`, the USCC released
(the partial unique index no longer counts it), the reason audited, `identity.organisation.
suspended` published (its contact and accounts are mailed; filing and reporting follow) — so the
rightful organisation registers the USCC and proves itself with its business licence through
the normal verification. A suspended registration's accounts still sign in (to read why) but no
longer act for it: no verification, corrections or invitations, and filing takes nothing from it.
"""

from __future__ import annotations

import datetime as dt

from identity.domain.commands import OpenDispute
from identity.domain.holds import HOLDING, SUSPENDED
from identity.domain.model import Organisation
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.errors import Conflict, NotFound, RuleBroken


def handle_open_dispute(command: OpenDispute, uow: IdentityUnitOfWork) -> Organisation:
    """Suspend the registration holding `command.uscc`; the suspended organisation.

    `RuleBroken` without a reason; `NotFound` when no registration holds the USCC; `Conflict`
    when another operator suspended it (or it lapsed) just now."""
    reason = command.reason.strip()
    if not reason:
        raise RuleBroken({"reason": ["a dispute needs its reason"]}, "A dispute needs its reason.")
    now = dt.datetime.now(dt.UTC)
    with uow:
        holder = uow.organisations.holder_of(command.uscc)
        if holder is None:
            raise NotFound("No registration holds this 统一社会信用代码.", slug="not-found",
                           errors={"uscc": ["held by no registration"]})
        if not uow.organisations.change(holder.id, holder.version, HOLDING,
                                        {"status": SUSPENDED, "released_at": now.replace(tzinfo=None)}):
            raise Conflict("This registration changed just now; look again.", slug="organisation-changed")
        uow.publish("identity.organisation.suspended", {
            "organisation_id": holder.id, "name": holder.name, "uscc": holder.uscc, "kind": holder.kind,
            "province_code": holder.province_code, "previous_status": holder.status, "reason": reason,
            "suspended_by": command.principal.account_id, "suspended_at": now.isoformat()},
            aggregate_id=holder.id, aggregate_version=holder.version + 1)
        uow.audit("organisation.suspended", "organisation", holder.id,
                  {"uscc": holder.uscc, "previous_status": holder.status, "reason": reason, "dispute": True})
        suspended = uow.organisations.get(holder.id)
    if suspended is None:  # pragma: no cover - changed in this very transaction
        raise NotFound("No such organisation.", slug="not-found")
    return suspended
