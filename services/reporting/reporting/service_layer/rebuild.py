"""Rebuilding every read model from the event archive alone (`python -m reporting rebuild`).

The views and counters are emptied and every archived event is applied again in the order it
arrived, a chunk of events a transaction; the same rules give the same figures. Stop the
consumers while it runs (events arriving meanwhile would be applied twice: once live, once
from the archive that already holds them).
"""

from __future__ import annotations

from collections.abc import Callable

from reporting.domain.commands import RebuildReadModels
from reporting.domain.products import PRODUCT_EVENTS
from reporting.service_layer.projections import apply_organisation_event, apply_product_event
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def archived_events(uow: ReportingUnitOfWork) -> int:
    with uow:
        return uow.archive.count()


def handle_rebuild(command: RebuildReadModels, uow: ReportingUnitOfWork,
                   progress: Callable[[int], object] = lambda n: None) -> int:
    """Empty the read models and apply the archive again; the number of events applied.
    `progress` hears of each chunk's size once it has committed."""
    with uow:
        uow.counters.clear()
        uow.products.clear()
        uow.organisations.clear()
    applied, position = 0, 0
    while True:
        with uow:
            chunk = uow.archive.after(position, command.chunk)
            for archived in chunk:
                if archived.event.type.startswith("identity.organisation."):
                    apply_organisation_event(archived.event, uow)
                elif archived.event.type in PRODUCT_EVENTS:
                    apply_product_event(archived.event, uow)
        if not chunk:
            return applied
        position = chunk[-1].position
        applied += len(chunk)
        progress(len(chunk))
