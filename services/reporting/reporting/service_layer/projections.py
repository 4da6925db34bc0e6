"""Building reporting's read models from events: archive first, then apply if newer.

Each change to an organisation's or a product's row also moves its province's counters by the
difference between what the row contributed before and after (domain rules), in the same
transaction: the figures are always those of the rows, without ever scanning them.

The event handlers run inside the unit of work's block that the consumer opens for the event
(with its inbox row); `rebuild` applies archived events the same way, without archiving them
again.
"""

from __future__ import annotations

from platform_shared.events.catalogue.identity import organisation_status_after
from platform_shared.events.envelope import Envelope
from reporting.domain.counters import difference
from reporting.domain.months import month_of_change
from reporting.domain.organisations import is_newer, organisation_after
from reporting.domain.products import contributions, product_after
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

REGISTERED = "identity.organisation.registered"
CONTACT_CHANGED = "identity.organisation.contact_changed"


def on_organisation_event(event: Envelope, uow: ReportingUnitOfWork) -> None:
    uow.archive.keep(event)
    apply_organisation_event(event, uow)


def on_product_event(event: Envelope, uow: ReportingUnitOfWork) -> None:
    uow.archive.keep(event)
    apply_product_event(event, uow)


def month_of(event: Envelope) -> str:
    """The month whose figures an event moves (see `month_of_change`)."""
    return month_of_change(event.type, event.data, event.occurred_at)


def apply_organisation_event(event: Envelope, uow: ReportingUnitOfWork) -> None:
    """Bring the organisation's row (and its province's counters) up to `event`, unless newer."""
    held = uow.organisations.get(event.data["organisation_id"])
    after = organisation_after(held, registered=event.type == REGISTERED,
                               status=organisation_status_after(event.type, event.data), data=event.data,
                               version=event.aggregate_version, occurred_at=event.occurred_at,
                               moves_city=event.type == CONTACT_CHANGED)
    if after is None:
        return
    if held is None:
        uow.organisations.add(after)
    else:
        uow.organisations.update(after)
    uow.counters.add(difference(held.contributions() if held else {}, after.contributions()), month_of(event))


def apply_product_event(event: Envelope, uow: ReportingUnitOfWork) -> None:
    """Bring the product's row (and its province's counters) up to `event`, unless newer."""
    held = uow.products.get(event.data["product_id"])
    if held is not None and not is_newer(held.aggregate_version, event.aggregate_version):
        return
    organisation = uow.organisations.get(event.data["organisation_id"])
    after = product_after(held, event.type, event.data, version=event.aggregate_version,
                          occurred_at=event.occurred_at, organisation=organisation)
    if held is None:
        uow.products.add(after)
    else:
        uow.products.update(after)
    uow.counters.add(difference(contributions(held.facts if held else None), contributions(after.facts)),
                     month_of(event))
