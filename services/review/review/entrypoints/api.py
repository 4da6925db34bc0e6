"""review's HTTP API: the reviewers' queue."""

from __future__ import annotations

import marshmallow as ma

from platform_shared.auth.access import requires
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.fields import UtcDateTime
from platform_shared.web.pagination import PageQuery, page_of, page_schema
from review.adapters.orm import ReviewTask
from review.domain.tasks import TASK_KINDS, TASK_STATES

blp = Blueprint("review", __name__, url_prefix="/api/v1/review", description="Review tasks")
BEARER = [{"bearerAuth": []}]


class TaskQuery(PageQuery):
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(TASK_KINDS))
    state = ma.fields.String(load_default=None, validate=ma.validate.OneOf(TASK_STATES))


class TaskSchema(ma.Schema):
    id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    subject_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    state = ma.fields.String(required=True)
    created_at = UtcDateTime(required=True)


TaskPage = page_schema(TaskSchema, "TaskPage")


@blp.route("/tasks", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(TaskQuery, location="query")
@blp.response(200, TaskPage)
@requires("reviewer", "operator")
def list_tasks(query: dict) -> dict:
    """Review tasks, oldest first, filtered by kind and state (reviewers, operators)."""
    selection = ReviewTask.select()
    if query["kind"]:
        selection = selection.where(ReviewTask.kind == query["kind"])
    if query["state"]:
        selection = selection.where(ReviewTask.state == query["state"])
    return page_of(selection, query, ReviewTask.created_at, ReviewTask.id)
