"""Applying review's decisions on organisations (`review.decision.made`, kind `organisation`;
kind `org_change`, a verified organisation's change request: `change_requests`).

approve → `verified`, reject → `rejected` with the reviewer's reasons kept; the version goes
up by one, the matching `identity.organisation.verified` / `.rejected` event is published and
the decision is audited, all in the unit of work of the incoming event (with its inbox row).

A decision that does not fit (the organisation is unknown, not `pending_review`, or the task
was decided before) is logged and acknowledged without effect: raising would only send it to
the dead-letter queue after retries, and no retry could make it fit.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from identity.domain.model import Organisation, OrganisationDecision
from identity.domain.verification import AWAITING_DECISION, STATUS_AFTER_DECISION
from identity.service_layer.change_requests import CHANGE_KIND, on_change_decided
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.audit import Actor
from platform_shared.events.envelope import Envelope
from platform_shared.moments import naive_utc

log = logging.getLogger(__name__)


def on_decision_made(event: Envelope, uow: IdentityUnitOfWork) -> None:
    data = event.data
    if data["kind"] == CHANGE_KIND:
        on_change_decided(event, uow)
        return
    if data["kind"] != "organisation":
        return  # products are filing's
    organisation_id, task_id = data["subject_id"], data["task_id"]
    status = STATUS_AFTER_DECISION.get(data["outcome"])
    organisation = uow.organisations.get(organisation_id)
    ignored = _why_ignored(status, organisation, task_id, uow)
    if ignored or status is None or organisation is None:
        log.warning("decision %s of task %s on organisation %s ignored: %s", event.id, task_id,
                    organisation_id, ignored)
        return
    now = dt.datetime.now(dt.UTC)
    if not uow.organisations.change(organisation.id, organisation.version, (AWAITING_DECISION,), {"status": status}):
        log.warning("decision %s on organisation %s ignored: changed meanwhile", event.id, organisation_id)
        return
    version = organisation.version + 1
    reasons = [{"field": r["field"], "message": r["message"]} for r in data.get("reasons") or []]
    uow.decisions.add(OrganisationDecision(
        id=str(uuid.uuid4()), organisation_id=organisation.id, task_id=task_id, outcome=data["outcome"],
        reasons=reasons, reviewer_id=data["reviewer_id"], decided_at=naive_utc(data["decided_at"]),
        applied_at=now.replace(tzinfo=None), event_id=event.id))
    if status == "verified":
        uow.publish("identity.organisation.verified", {
            "organisation_id": organisation.id, "name": organisation.name, "uscc": organisation.uscc,
            "kind": organisation.kind, "province_code": organisation.province_code,
            "verified_at": now.isoformat()}, aggregate_id=organisation.id, aggregate_version=version)
    else:
        uow.publish("identity.organisation.rejected", {
            "organisation_id": organisation.id, "province_code": organisation.province_code,
            "reasons": reasons, "rejected_at": now.isoformat()},
            aggregate_id=organisation.id, aggregate_version=version)
    uow.audit(f"organisation.{status}", "organisation", organisation.id,
              {"task_id": task_id, "event_id": event.id, "reasons": reasons},
              actor=Actor(account_id=data["reviewer_id"], role="reviewer", request_id=event.correlation_id))


def _why_ignored(status: str | None, organisation: Organisation | None, task_id: str,
                 uow: IdentityUnitOfWork) -> str | None:
    if status is None:
        return "an organisation can only be approved or rejected"
    if organisation is None:
        return "no such organisation"
    if organisation.status != AWAITING_DECISION:
        return f"the organisation is {organisation.status}, not {AWAITING_DECISION}"
    if uow.decisions.task_decided(task_id):
        return "this task was decided before"
    return None
