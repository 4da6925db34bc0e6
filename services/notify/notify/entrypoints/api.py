"""notify's HTTP API: the delivery log for operators, and their retry of a failed delivery."""

from __future__ import annotations

import marshmallow as ma
from flask import g

from notify.adapters.orm import Delivery
from notify.service_layer.deliveries import NotFailed, UnknownDelivery, retry_failed
from platform_shared.auth.access import requires
from platform_shared.events.envelope import TYPE_PATTERN
from platform_shared.runtime import current_runtime
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.fields import UtcDateTime
from platform_shared.web.pagination import PageQuery, page_of, page_schema
from platform_shared.web.problems import Problem

blp = Blueprint("notify", __name__, url_prefix="/api/v1/notify", description="Mail deliveries")
BEARER = [{"bearerAuth": []}]
STATES = ("pending", "sent", "retrying", "failed")


class DeliveryQuery(PageQuery):
    to = ma.fields.Email(load_default=None)
    event_type = ma.fields.String(load_default=None, validate=[ma.validate.Length(max=128),
                                                               ma.validate.Regexp(TYPE_PATTERN)])
    state = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATES))


class DeliverySchema(ma.Schema):
    id = ma.fields.String(required=True)
    event_id = ma.fields.String(required=True)
    event_type = ma.fields.String(required=True)
    template = ma.fields.String(required=True)
    recipient = ma.fields.String(required=True)
    subject = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    attempts = ma.fields.Integer(required=True)
    last_error = ma.fields.String(allow_none=True)
    created_at = UtcDateTime(required=True)
    sent_at = UtcDateTime(allow_none=True)


DeliveryPage = page_schema(DeliverySchema, "DeliveryPage")


@blp.route("/deliveries", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, DeliveryPage)
@blp.problems(401, 403)
@requires("operator")
def deliveries(query: dict) -> dict:
    """What was sent to whom for which event, with its state (operators)."""
    selection = Delivery.select()
    if query["to"]:
        selection = selection.where(Delivery.recipient == query["to"].lower())
    if query["event_type"]:
        selection = selection.where(Delivery.event_type == query["event_type"])
    if query["state"]:
        selection = selection.where(Delivery.state == query["state"])
    return page_of(selection, query, Delivery.created_at.desc(), Delivery.id)


@blp.route("/deliveries/<delivery_id>/retry", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(200, DeliverySchema)
@blp.problems(401, 403, 404, 409)
@requires("operator")
def retry_delivery(delivery_id: str) -> Delivery:
    """Send a `failed` delivery again (operators): it is `pending` and due now, its attempts
    counted afresh. 404 for an unknown delivery, 409 unless it is `failed`."""
    try:
        return retry_failed(delivery_id, current_runtime().unit_of_work(g.request_id))
    except UnknownDelivery:
        raise Problem(404, "No such delivery.", slug="not-found") from None
    except NotFailed as exc:
        raise Problem(409, f"Only a failed delivery can be retried; this one is {exc}.",
                      slug="delivery-not-failed") from None
