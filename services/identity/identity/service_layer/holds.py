"""The clock on unverified registrations (the scheduled job `unverified-holds`): a registration
that has not asked for verification is warned `warn_days` before its hold on the USCC ends, and
released when it ends (status `lapsed`: the USCC is free again, its accounts no longer act for it).

Idempotent: each organisation is warned once (`hold_warned_at`) and released once (a conditional
write from `registered`), so a retried or repeated run, at any moment, changes nothing twice; a
registration that asked for verification meanwhile has left `registered` and is never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from identity.domain.holds import LAPSED, REGISTERED, HoldBounds, clock_start, hold_state, lapses_at
from identity.domain.model import Organisation
from identity.service_layer.unit_of_work import IdentityUnitOfWork


@dataclass(frozen=True)
class HoldsRun:
    warned: int
    lapsed: int


def handle_unverified_holds(uow: IdentityUnitOfWork, bounds: HoldBounds, moment: dt.datetime) -> HoldsRun:
    """Warn and release what is due at `moment` (aware UTC), one transaction per organisation."""
    now = moment.astimezone(dt.UTC).replace(tzinfo=None)
    due_from = now - dt.timedelta(days=bounds.unverified_days - bounds.warn_days)
    with uow:
        candidates = uow.organisations.on_the_clock(REGISTERED, due_from)
    warned = lapsed = 0
    for organisation in candidates:
        state = hold_state(organisation.status, _started(organisation), now, bounds)
        if state == "lapse":
            lapsed += _release(organisation, uow, now)
        elif state == "warn" and organisation.hold_warned_at is None:
            warned += _warn(organisation, uow, now, bounds)
    return HoldsRun(warned=warned, lapsed=lapsed)


def _started(organisation: Organisation) -> dt.datetime:
    return clock_start(organisation.registered_at, organisation.reinstated_at)


def _aware(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).isoformat()


def _warn(organisation: Organisation, uow: IdentityUnitOfWork, now: dt.datetime, bounds: HoldBounds) -> int:
    with uow:
        if not uow.organisations.change(organisation.id, organisation.version, (REGISTERED,),
                                        {"hold_warned_at": now}):
            return 0  # it moved on meanwhile (asked for verification, or another run warned it)
        uow.publish("identity.organisation.hold_ending", {
            "organisation_id": organisation.id, "name": organisation.name, "uscc": organisation.uscc,
            "registered_at": _aware(organisation.registered_at),
            "lapses_at": _aware(lapses_at(_started(organisation), bounds))},
            aggregate_id=organisation.id, aggregate_version=organisation.version + 1)
        uow.audit("organisation.hold_ending", "organisation", organisation.id,
                  {"lapses_at": _aware(lapses_at(_started(organisation), bounds))})
    return 1


def _release(organisation: Organisation, uow: IdentityUnitOfWork, now: dt.datetime) -> int:
    with uow:
        if not uow.organisations.change(organisation.id, organisation.version, (REGISTERED,),
                                        {"status": LAPSED, "released_at": now}):
            return 0
        uow.publish("identity.organisation.lapsed", {
            "organisation_id": organisation.id, "name": organisation.name, "uscc": organisation.uscc,
            "kind": organisation.kind, "province_code": organisation.province_code,
            "registered_at": _aware(organisation.registered_at), "lapsed_at": _aware(now)},
            aggregate_id=organisation.id, aggregate_version=organisation.version + 1)
        uow.audit("organisation.lapsed", "organisation", organisation.id,
                  {"uscc": organisation.uscc, "registered_at": _aware(organisation.registered_at)})
    return 1
