"""notify's HTTP API: the delivery log for operators, their retry of a failed delivery, and every
signed-in account's mail preferences."""

from __future__ import annotations

import marshmallow as ma
from flask import g

from notify.adapters.orm import Delivery
from notify.domain.declaration_fields import LANGUAGES
from notify.domain.preferences import PreferenceRefused
from notify.service_layer.deliveries import NotFailed, UnknownDelivery, retry_failed
from notify.service_layer.preferences import preferences_of, set_preferences
from platform_shared.events.envelope import TYPE_PATTERN
from platform_shared.web.access import current_principal, requires
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.fields import UtcDateTime
from platform_shared.web.pagination import PageQuery, page_of, page_schema
from platform_shared.web.problems import Problem

blp = Blueprint("notify", __name__, url_prefix="/api/v1/notify", description="Mail deliveries")
BEARER = [{"bearerAuth": []}]
STATES = ("pending", "sending", "sent", "retrying", "failed")


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


class StrictBoolean(ma.fields.Boolean):
    """JSON `true` or `false` only: not `1`, `"yes"` or `"true"` (which marshmallow would take)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class PreferencesUpdate(ma.Schema):
    language = ma.fields.String(required=True, validate=ma.validate.OneOf(LANGUAGES), metadata={
        "description": "the language of the mails to this account"})
    new_review_tasks = StrictBoolean(load_default=False, metadata={
        "description": "reviewers only: mail me each new review task (422 for any other role asking for it)"})


class PreferencesSchema(ma.Schema):
    language = ma.fields.String(required=True, validate=ma.validate.OneOf(LANGUAGES))
    new_review_tasks = ma.fields.Boolean(required=True)
    email = ma.fields.String(allow_none=True, metadata={
        "description": "the address notify mails this account at, as identity named it (null until known)"})
    updated_at = UtcDateTime(allow_none=True, metadata={"description": "null until the account chose"})


@blp.route("/preferences", methods=["GET"])
@blp.doc(security=BEARER)
@requires()
@blp.response(200, PreferencesSchema)
@blp.problems(401)
def preferences() -> dict:
    """The signed-in account's mail preferences (Chinese, no task mail, until it chose)."""
    return preferences_of(current_principal().account_id)


@blp.route("/preferences", methods=["PUT"])
@blp.doc(security=BEARER)
@requires()  # before the body is read: an anonymous caller learns nothing of its rules
@blp.arguments(PreferencesUpdate)
@blp.response(200, PreferencesSchema)
@blp.problems(401)
def replace_preferences(body: dict) -> dict:
    """Choose the language of one's mails (`zh` or `en`) and, reviewers only, whether to be mailed
    of each new review task (`new_review_tasks`; 422 for any other role asking for it)."""
    principal = current_principal()
    try:
        return set_preferences(principal.account_id, principal.role, body["language"], body["new_review_tasks"],
                               current_runtime().unit_of_work(g.request_id))
    except PreferenceRefused as exc:
        raise Problem(422, str(exc), slug="preference-refused", errors={exc.field: [str(exc)]}) from None
