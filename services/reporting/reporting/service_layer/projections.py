"""Building reporting's read models from events: archive first, then apply if newer."""

from __future__ import annotations

import datetime as dt

from platform_shared.events.envelope import Envelope
from platform_shared.unit_of_work import UnitOfWork
from reporting.adapters.orm import ArchivedEvent, OrganisationView
from reporting.domain.organisations import is_newer, status_after


def _naive_utc(value: str | dt.datetime) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def archive(event: Envelope) -> None:
    ArchivedEvent.insert(event_id=event.id, type=event.type, aggregate_id=event.aggregate_id,
                         aggregate_version=event.aggregate_version,
                         occurred_at=_naive_utc(event.occurred_at),
                         body=event.to_json()).on_conflict_ignore().execute()


def apply_organisation_event(event: Envelope) -> None:
    """Bring the organisation's row up to `event`, unless the row is already newer."""
    data = event.data
    row = OrganisationView.get_or_none(OrganisationView.organisation_id == data["organisation_id"])
    if row is not None and not is_newer(row.aggregate_version, event.aggregate_version):
        return
    status = status_after(event.type)
    if row is None:
        if event.type != "identity.organisation.registered":
            # Registered comes later (out of order): keep what this event tells, fill in later.
            row = OrganisationView(organisation_id=data["organisation_id"], name=data.get("name", ""),
                                   uscc=data.get("uscc", ""), kind=data.get("kind", ""),
                                   province_code=data["province_code"], city_code=None,
                                   registered_at=_naive_utc(event.occurred_at))
        else:
            row = OrganisationView(organisation_id=data["organisation_id"])
        force_insert = True
    else:
        force_insert = False
    if event.type == "identity.organisation.registered":
        row.name, row.uscc, row.kind = data["name"], data["uscc"], data["kind"]
        row.province_code, row.city_code = data["province_code"], data.get("city_code")
        row.registered_at = _naive_utc(data["registered_at"])
    row.status = status or row.status
    row.aggregate_version = event.aggregate_version
    row.save(force_insert=force_insert)


def on_organisation_event(event: Envelope, uow: UnitOfWork) -> None:
    archive(event)
    apply_organisation_event(event)
