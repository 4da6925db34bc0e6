"""review's HTTP API for the reviewers' queue: list, read a case, claim, release, reassign,
decide, confirm a rejection (four-eyes)."""

from __future__ import annotations

from typing import Any

from platform_shared.pages import PageRequest
from platform_shared.web.access import current_principal
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint
from review.domain.commands import ClaimTask, ConfirmPatent, ConfirmRejection, DecideTask, ReassignTask, ReleaseTask
from review.domain.tasks import DecisionReason, QueueRules
from review.entrypoints import tasks_schemas as schemas
from review.service_layer import queue, task_views
from review.service_layer.dependencies import ReviewDependencies
from review.service_layer.repositories import TaskFilter
from review.service_layer.unit_of_work import ReviewUnitOfWork

blp = Blueprint("review", __name__, url_prefix="/api/v1/review", description="Review tasks")
STAFF = ("reviewer", "operator")
TASK = "/tasks/<uuid_text:task_id>"


def _uow() -> ReviewUnitOfWork:
    # mypy refuses an abstract class as a type[...] argument (python/mypy#4717); current_uow only
    # checks the request's unit of work against it, never instantiates it.
    return current_uow(ReviewUnitOfWork)


def _rules() -> QueueRules:
    return current_dependencies(ReviewDependencies).queue_rules


@endpoint(blp, "/tasks", "GET", roles=STAFF, query=schemas.TaskQuery, response=(200, schemas.TaskPage),
          problems=(401, 403))
def list_tasks(query: dict[str, Any]) -> dict[str, Any]:
    """Review tasks, oldest first, with their age; filter by `kind`, `state`, `claimed_by`
    (`me`), `subject_id` (reviewers, operators)."""
    holder = current_principal().account_id if query["claimed_by"] == "me" else query["claimed_by"]
    which = TaskFilter(kind=query["kind"], state=query["state"], subject_id=query["subject_id"], claimed_by=holder)
    return task_views.list_tasks(which, PageRequest.of(query), _uow())


@endpoint(blp, TASK, "GET", roles=STAFF, response=(200, schemas.TaskDetail), problems=(401, 403, 404))
def read_task(task_id: str) -> dict[str, Any]:
    """One task: the submitted snapshot, links to its documents, the decision, its history and
    the other tasks of its case (reviewers, operators)."""
    return task_views.read_task(task_id, _uow())


@endpoint(blp, TASK + "/claim", "POST", roles=("reviewer",), response=(200, schemas.TaskSchema),
          problems=(401, 403, 404, 409))
def claim(task_id: str) -> dict[str, Any]:
    """Take the task for a while (reviewers); 409 if another reviewer holds it. Claiming a
    task you hold renews your claim; an expired claim may be taken by anyone."""
    return task_views.task_out(queue.handle_claim(ClaimTask(task_id, current_principal()), _uow(), _rules()))


@endpoint(blp, TASK + "/release", "POST", roles=("reviewer",), response=(200, schemas.TaskSchema),
          problems=(401, 403, 404, 409))
def release(task_id: str) -> dict[str, Any]:
    """Put a task you hold back in the queue (its holder)."""
    return task_views.task_out(queue.handle_release(ReleaseTask(task_id, current_principal()), _uow()))


@endpoint(blp, TASK + "/assignment", "POST", roles=("operator",), body=schemas.AssignmentIn,
          response=(200, schemas.TaskSchema), problems=(401, 403, 404, 409))
def reassign(body: dict[str, Any], task_id: str) -> dict[str, Any]:
    """Give an open or claimed task to a reviewer (operators)."""
    command = ReassignTask(task_id, body["reviewer_id"], current_principal())
    return task_views.task_out(queue.handle_reassign(command, _uow(), _rules()))


@endpoint(blp, TASK + "/decision", "POST", roles=("reviewer",), body=schemas.DecisionIn,
          response=(200, schemas.TaskSchema), problems=(401, 403, 404, 409, 422))
def decide(body: dict[str, Any], task_id: str) -> dict[str, Any]:
    """Decide the task you hold: `approve`, `reject` or `return` (products only), with reasons
    per field unless approving. Final, and applied by identity or filing — except a rejection
    under the four-eyes rule, which waits for a second reviewer's confirmation. 409 unless you
    hold the task."""
    reasons = tuple(DecisionReason(r["field"], r["message"]) for r in body["reasons"])
    command = DecideTask(task_id, body["outcome"], reasons, current_principal())
    return task_views.task_out(queue.handle_decide(command, _uow(), _rules()))


@endpoint(blp, TASK + "/patents/<int:index>/confirmation", "POST", roles=("reviewer",),
          body=schemas.PatentConfirmationIn, response=(200, schemas.TaskSchema), problems=(401, 403, 404, 409, 422))
def confirm_patent(body: dict[str, Any], task_id: str, index: int) -> dict[str, Any]:
    """Confirm the `index`-th declared patent (from 0), which the register could not verify,
    against the uploaded certificate or licence contract, with a `note` (the holder of the task;
    in its history and audited). 409 unless you hold the task and the patent awaits confirmation."""
    command = ConfirmPatent(task_id, index, body["note"].strip(), current_principal())
    return task_views.task_out(queue.handle_confirm_patent(command, _uow()))


@endpoint(blp, TASK + "/confirmation", "POST", roles=("reviewer",), body=schemas.ConfirmationIn,
          response=(200, schemas.TaskSchema), problems=(401, 403, 404, 409))
def confirm(body: dict[str, Any], task_id: str) -> dict[str, Any]:
    """Confirm (or send back) a rejection another reviewer proposed (four-eyes rule; reviewers
    other than the proposer)."""
    command = ConfirmRejection(task_id, body["confirm"], body["comment"], current_principal())
    return task_views.task_out(queue.handle_confirm(command, _uow()))
