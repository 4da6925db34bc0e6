"""The delivery log for operators, and their retry of a failed delivery."""

from __future__ import annotations

from typing import Any

from notify.domain.commands import RetryDelivery
from notify.domain.deliveries import Delivery
from notify.entrypoints.deliveries_schemas import DeliveryPage, DeliveryQuery, DeliverySchema
from notify.service_layer.deliveries import delivery_log, handle_retry_delivery
from notify.service_layer.repositories import DeliveryFilter
from notify.service_layer.unit_of_work import NotifyUnitOfWork
from platform_shared.pages import PageRequest
from platform_shared.web.blueprint import ServiceBlueprint
from platform_shared.web.context import current_uow
from platform_shared.web.routes import endpoint

blp = ServiceBlueprint("deliveries", __name__, description="Mail deliveries")
OPERATORS = ("operator",)


@endpoint(blp, "/deliveries", "GET", roles=OPERATORS, query=DeliveryQuery, response=(200, DeliveryPage),
          problems=(401, 403))
def deliveries(query: dict[str, Any]) -> dict[str, Any]:
    """What was sent to whom for which event, with its state (operators)."""
    wanted = DeliveryFilter(to=query["to"].lower() if query["to"] else None, event_type=query["event_type"],
                            state=query["state"])
    return delivery_log(wanted, PageRequest.of(query), current_uow(NotifyUnitOfWork)).as_dict()


@endpoint(blp, "/deliveries/<delivery_id>/retry", "POST", roles=OPERATORS, response=(200, DeliverySchema),
          problems=(401, 403, 404, 409))
def retry_delivery(delivery_id: str) -> Delivery:
    """Send a `failed` delivery again (operators): it is `pending` and due now, its attempts
    counted afresh. 404 for an unknown delivery, 409 unless it is `failed`."""
    return handle_retry_delivery(RetryDelivery(delivery_id), current_uow(NotifyUnitOfWork))
