"""The delivery log for operators, and their retry of a failed delivery."""

from __future__ import annotations

from notify.domain.commands import RetryDelivery
from notify.domain.deliveries import Delivery
from notify.service_layer.repositories import DeliveryFilter
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.errors import NotFound
from platform_shared.moments import utcnow
from platform_shared.pages import Page, PageRequest


def handle_retry_delivery(command: RetryDelivery, uow: NotifyUnitOfWork) -> Delivery:
    """Send a `failed` delivery again: `pending`, due now, its attempts counted afresh
    (`NotFound` for an unknown one, `Conflict` unless it is `failed`)."""
    with uow:
        delivery = uow.deliveries.get(command.delivery_id)
        if delivery is None:
            raise NotFound("No such delivery.", slug="not-found")
        retried = delivery.retried(utcnow())
        uow.deliveries.save(retried)
    return retried


def delivery_log(query: DeliveryFilter, request: PageRequest, uow: NotifyUnitOfWork) -> Page[Delivery]:
    """What was sent to whom for which event, with its state: newest first."""
    with uow:
        return uow.deliveries.log(query, request)
