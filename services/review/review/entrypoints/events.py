"""review's subscriptions: which of the other services' events go to which handler.

- `cases`: an organisation asking to be verified, a product submitted (or withdrawn) and an
  amendment of a filed product submitted (or withdrawn) make or cancel review tasks;
- `filed-products`: filing's events about filed products keep review's own view of them, which
  recognition rounds evaluate.
- `accounts`: identity's account deactivations and reactivations, so that this service refuses the
  tokens of deactivated accounts (`platform_shared.auth.revocations`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from platform_shared.auth import revocations
from platform_shared.event_handlers import route
from platform_shared.events.envelope import Envelope
from platform_shared.runtime import Consumes, HandlerFactory
from review.service_layer import filed_products, tasks
from review.service_layer.unit_of_work import ReviewUnitOfWork

ReviewEventHandler = Callable[[Envelope, ReviewUnitOfWork], None]

CASES: Mapping[str, ReviewEventHandler] = {
    "identity.organisation.verification_requested": tasks.on_verification_requested,
    "identity.organisation.change_requested": tasks.on_change_requested,
    "filing.product.submitted": tasks.on_product_submitted,
    "filing.product.withdrawn": tasks.on_product_withdrawn,
    "filing.product.amendment_submitted": tasks.on_amendment_submitted,
    "filing.product.amendment_withdrawn": tasks.on_amendment_withdrawn,
}
FILED_PRODUCTS: Mapping[str, ReviewEventHandler] = {
    "filing.product.filed": filed_products.on_product_filed,
    "filing.product.amended": filed_products.on_product_amended,
    "filing.product.annual_data_updated": filed_products.on_annual_data_updated,
    "filing.product.recognition_opted_in": filed_products.on_recognition_opted_in,
    "filing.product.cancelled": filed_products.on_product_closed,
    "filing.product.revoked": filed_products.on_product_closed,
    "filing.product.recognised": filed_products.on_product_recognised,
}


def _routed(handlers: Mapping[str, ReviewEventHandler]) -> HandlerFactory:
    return route(handlers)


SUBSCRIPTIONS = (
    Consumes("cases", list(CASES), _routed(CASES)),
    Consumes("filed-products", list(FILED_PRODUCTS), _routed(FILED_PRODUCTS)),
    revocations.subscription(),
)
