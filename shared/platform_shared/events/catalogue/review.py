"""Contracts of the events review publishes."""

from typing import Any

import marshmallow as ma

from platform_shared.events.registry import contract

TASK_KINDS = ("organisation", "product", "org_change", "product_amendment")
# The kinds a reviewer may return for revision (the enterprise changes and submits again).
RETURNABLE_KINDS = ("product", "product_amendment")


@contract("review.task.created", 1)
class TaskCreatedV1(ma.Schema):
    """A case is waiting in the reviewers' queue."""

    task_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(TASK_KINDS))
    subject_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True, format="iso")


DECISION_OUTCOMES = ("approve", "reject", "return")


class DecisionReason(ma.Schema):
    field = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


@contract("review.decision.made", 1)
class DecisionMadeV1(ma.Schema):
    """A reviewer decided a case; identity (organisations) or filing (products) applies it.

    `return` is for products only (back to the enterprise for revision); reasons are required
    unless the outcome is `approve`.
    """

    task_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(TASK_KINDS))
    subject_id = ma.fields.String(required=True)
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(DECISION_OUTCOMES))
    reasons = ma.fields.List(ma.fields.Nested(DecisionReason), load_default=list)
    reviewer_id = ma.fields.String(required=True)
    decided_at = ma.fields.AwareDateTime(required=True, format="iso")
    # Which submission of a product (or amendment) the reviewer saw (`filing.product.submitted`'s,
    # `filing.product.amendment_submitted`'s `submission`):
    # filing ignores a decision for one that was withdrawn and resubmitted meanwhile. Absent for
    # organisations, and in decisions made before it was added.
    submission = ma.fields.Integer(load_default=None, allow_none=True, validate=ma.validate.Range(min=1))

    @ma.validates_schema
    def _reasons_unless_approved(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("outcome") != "approve" and not data.get("reasons"):
            raise ma.ValidationError("reasons are required unless approving", "reasons")
        if data.get("outcome") == "return" and data.get("kind") not in RETURNABLE_KINDS:
            raise ma.ValidationError("only a product or its amendment can be returned for revision", "outcome")


@contract("review.product.recognised", 1)
class ProductRecognisedV1(ma.Schema):
    """A recognition round was finalised and this product stands (filing marks it recognised)."""

    product_id = ma.fields.String(required=True)
    round_id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    industry_code = ma.fields.String(required=True)
    recognised_at = ma.fields.AwareDateTime(required=True, format="iso")
