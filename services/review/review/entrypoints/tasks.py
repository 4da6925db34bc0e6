"""review's HTTP API: the reviewers' queue — list, read a case, claim, release, reassign,
decide, confirm a rejection (four-eyes)."""

from __future__ import annotations

import datetime as dt
import json

from flask import g

from platform_shared.web.access import current_principal, requires
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.pagination import page_of
from review.adapters.orm import ReviewTask, TaskDecision, TaskHistory
from review.entrypoints import schemas
from review.service_layer import queue

blp = Blueprint("review", __name__, url_prefix="/api/v1/review", description="Review tasks")
BEARER = [{"bearerAuth": []}]
STAFF = ("reviewer", "operator")
problems = blp.problems


def _uow():
    return current_runtime().unit_of_work(g.request_id)


def _rules() -> queue.QueueRules:
    return current_runtime().components["queue_rules"]


def task_out(task: ReviewTask, now: dt.datetime | None = None) -> dict:
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    end = task.closed_at or now
    return {"id": task.id, "kind": task.kind, "subject_id": task.subject_id, "title": task.title,
            "state": task.state, "created_at": task.created_at,
            "age_seconds": max(0, int((end - task.created_at).total_seconds())),
            "case_id": task.case_id, "previous_task_id": task.previous_task_id,
            "claimed_by": task.claimed_by if task.state in ("claimed", "awaiting_confirmation") else None,
            "claim_expires_at": task.claim_expires_at if task.state == "claimed" else None}


def _documents(task: ReviewTask, snapshot: dict) -> list[dict]:
    if task.kind == "product":
        return [{"kind": m["kind"], "media_type": m["media_type"], "url": m["url"]}
                for m in snapshot.get("materials", [])]
    organisation = snapshot.get("organisation_id")
    return [{"kind": d.get("kind"), "media_type": d.get("media_type"),
             "url": f"/api/v1/identity/organisations/{organisation}/documents/{d.get('id')}"}
            for d in snapshot.get("documents", [])]


def task_detail(task: ReviewTask) -> dict:
    snapshot = json.loads(task.snapshot)
    decision = TaskDecision.get_or_none(TaskDecision.task == task.id)
    history = TaskHistory.select().where(TaskHistory.task == task.id).order_by(TaskHistory.at, TaskHistory.id)
    case = ReviewTask.select().where(ReviewTask.case_id == (task.case_id or task.id)) \
        .order_by(ReviewTask.created_at, ReviewTask.id)
    return {**task_out(task), "snapshot": snapshot, "documents": _documents(task, snapshot),
            "decision": decision and {"outcome": decision.outcome, "reasons": json.loads(decision.reasons),
                                      "reviewer_id": decision.reviewer_id, "decided_at": decision.decided_at,
                                      "final": decision.final, "confirmed_by": decision.confirmed_by},
            "history": [{"at": h.at, "actor_id": h.actor_id, "actor_role": h.actor_role, "action": h.action,
                         "detail": json.loads(h.detail)} for h in history],
            "case": [task_out(t) for t in case]}


@blp.route("/tasks", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*STAFF)
@blp.arguments(schemas.TaskQuery, location="query")
@blp.response(200, schemas.TaskPage)
@problems(401, 403)
def list_tasks(query: dict) -> dict:
    """Review tasks, oldest first, with their age; filter by `kind`, `state`, `claimed_by`
    (`me`), `subject_id` (reviewers, operators)."""
    selection = ReviewTask.select()
    for name in ("kind", "state", "subject_id"):
        if query[name]:
            selection = selection.where(getattr(ReviewTask, name) == query[name])
    if query["claimed_by"]:
        holder = current_principal().account_id if query["claimed_by"] == "me" else query["claimed_by"]
        selection = selection.where(ReviewTask.claimed_by == holder)
    page = page_of(selection, query, ReviewTask.created_at, ReviewTask.id)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return {"items": [task_out(t, now) for t in page["items"]], "total": page["total"]}


@blp.route("/tasks/<uuid_text:task_id>", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*STAFF)
@blp.response(200, schemas.TaskDetail)
@problems(401, 403, 404)
def read_task(task_id: str) -> dict:
    """One task: the submitted snapshot, links to its documents, the decision, its history and
    the other tasks of its case (reviewers, operators)."""
    return task_detail(queue.task_of(task_id))


@blp.route("/tasks/<uuid_text:task_id>/claim", methods=["POST"])
@blp.doc(security=BEARER)
@requires("reviewer")
@blp.response(200, schemas.TaskSchema)
@problems(401, 403, 404, 409)
def claim(task_id: str) -> dict:
    """Take the task for a while (reviewers); 409 if another reviewer holds it. Claiming a
    task you hold renews your claim; an expired claim may be taken by anyone."""
    return task_out(queue.claim(task_id, current_principal(), _uow(), _rules()))


@blp.route("/tasks/<uuid_text:task_id>/release", methods=["POST"])
@blp.doc(security=BEARER)
@requires("reviewer")
@blp.response(200, schemas.TaskSchema)
@problems(401, 403, 404, 409)
def release(task_id: str) -> dict:
    """Put a task you hold back in the queue (its holder)."""
    return task_out(queue.release(task_id, current_principal(), _uow()))


@blp.route("/tasks/<uuid_text:task_id>/assignment", methods=["POST"])
@blp.doc(security=BEARER)
@requires("operator")
@blp.arguments(schemas.AssignmentIn)
@blp.response(200, schemas.TaskSchema)
@problems(401, 403, 404, 409)
def reassign(body: dict, task_id: str) -> dict:
    """Give an open or claimed task to a reviewer (operators)."""
    return task_out(queue.reassign(task_id, body["reviewer_id"], current_principal(), _uow(), _rules()))


@blp.route("/tasks/<uuid_text:task_id>/decision", methods=["POST"])
@blp.doc(security=BEARER)
@requires("reviewer")
@blp.arguments(schemas.DecisionIn)
@blp.response(200, schemas.TaskSchema)
@problems(401, 403, 404, 409, 422)
def decide(body: dict, task_id: str) -> dict:
    """Decide the task you hold: `approve`, `reject` or `return` (products only), with reasons
    per field unless approving. Final, and applied by identity or filing — except a rejection
    under the four-eyes rule, which waits for a second reviewer's confirmation. 409 unless you
    hold the task."""
    return task_out(queue.decide(task_id, body["outcome"], body["reasons"], current_principal(), _uow(), _rules()))


@blp.route("/tasks/<uuid_text:task_id>/confirmation", methods=["POST"])
@blp.doc(security=BEARER)
@requires("reviewer")
@blp.arguments(schemas.ConfirmationIn)
@blp.response(200, schemas.TaskSchema)
@problems(401, 403, 404, 409)
def confirm(body: dict, task_id: str) -> dict:
    """Confirm (or send back) a rejection another reviewer proposed (four-eyes rule; reviewers
    other than the proposer)."""
    return task_out(queue.confirm(task_id, body["confirm"], body["comment"], current_principal(), _uow()))
