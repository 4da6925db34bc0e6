"""Keeping filing's view of organisations from identity's events (newest version wins)."""

from __future__ import annotations

from filing.domain.organisations import Organisation
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.events.catalogue.identity import organisation_status_after
from platform_shared.events.envelope import Envelope


def on_organisation_event(event: Envelope, uow: FilingUnitOfWork) -> None:
    data = event.data
    known = uow.organisations.get(data["organisation_id"])
    status = organisation_status_after(event.type, data)
    if status is None:
        return
    if known is not None and known.aggregate_version >= event.aggregate_version:
        return  # an older or repeated change: the view already knows better
    uow.organisations.save(Organisation(
        organisation_id=data["organisation_id"], province_code=data["province_code"], status=status,
        aggregate_version=event.aggregate_version, name=data.get("name", known.name if known else ""),
        uscc=data.get("uscc", known.uscc if known else None),
        former_names=known.renamed(data["name"]) if known is not None and data.get("name") else
        (known.former_names if known is not None else ())))
