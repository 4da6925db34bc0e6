"""Contracts of the events review publishes."""

import marshmallow as ma

from platform_shared.events.contracts import contract

TASK_KINDS = ("organisation", "product")


@contract("review.task.created", 1)
class TaskCreatedV1(ma.Schema):
    """A case is waiting in the reviewers' queue."""

    task_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(TASK_KINDS))
    subject_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True, format="iso")
