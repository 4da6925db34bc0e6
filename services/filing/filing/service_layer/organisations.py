"""Keeping filing's view of organisations from identity's events (newest version wins)."""

from __future__ import annotations

from filing.adapters.orm import OrganisationView
from platform_shared.events.catalogue.identity import ORGANISATION_STATUS_AFTER as STATUS_AFTER
from platform_shared.events.envelope import Envelope
from platform_shared.unit_of_work import UnitOfWork


def on_organisation_event(event: Envelope, uow: UnitOfWork) -> None:
    data = event.data
    row = OrganisationView.get_or_none(OrganisationView.organisation_id == data["organisation_id"])
    if row is not None and row.aggregate_version >= event.aggregate_version:
        return  # an older or repeated change: the view already knows better
    if row is None:
        row = OrganisationView(organisation_id=data["organisation_id"])
        created = True
    else:
        created = False
    row.name = data.get("name", row.name or "")
    row.uscc = data.get("uscc", row.uscc)
    row.province_code = data["province_code"]
    row.status = STATUS_AFTER[event.type]
    row.aggregate_version = event.aggregate_version
    row.save(force_insert=created)
