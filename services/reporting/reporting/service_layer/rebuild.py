"""Rebuilding every read model from the event archive alone (`python -m reporting rebuild`).

The views and counters are emptied and every archived event is applied again in the order it
arrived, in transactions of a thousand; the same rules give the same figures. Stop the
consumers while it runs (events arriving meanwhile would be applied twice: once live, once
from the archive that already holds them).
"""

from __future__ import annotations

from collections.abc import Callable

from platform_shared.events.contracts import parse_event
from reporting.adapters.orm import ArchivedEvent, Counter, OrganisationView, ProductView
from reporting.domain.products import PRODUCT_EVENTS
from reporting.service_layer.projections import apply_organisation_event, apply_product_event

CHUNK = 1000


def rebuild(database, progress: Callable[[int], None] = lambda n: None) -> int:
    """Empty the read models and apply the archive again; the number of events applied."""
    with database.atomic():
        for model in (Counter, ProductView, OrganisationView):
            model.delete().execute()
    applied, last_id = 0, 0
    while True:
        with database.atomic():
            chunk = list(ArchivedEvent.select().where(ArchivedEvent.id > last_id).order_by(ArchivedEvent.id)
                         .limit(CHUNK))
            for row in chunk:
                event = parse_event(row.body)
                if event.type.startswith("identity.organisation."):
                    apply_organisation_event(event)
                elif event.type in PRODUCT_EVENTS:
                    apply_product_event(event)
        if not chunk:
            return applied
        last_id = chunk[-1].id
        applied += len(chunk)
        progress(len(chunk))
