"""Applying review's decisions on organisations (`review.decision.made`, kind `organisation`).

approve → `verified`, reject → `rejected` with the reviewer's reasons kept; the version goes
up by one, the matching `identity.organisation.verified` / `.rejected` event is published and
the decision is audited, all in the unit of work of the incoming event (with its inbox row).

A decision that does not fit (the organisation is unknown, not `pending_review`, or the task
was decided before) is logged and acknowledged without effect: raising would only send it to
the dead-letter queue after retries, and no retry could make it fit.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

from identity.adapters.decisions import OrganisationDecision
from identity.adapters.orm import Organisation
from identity.domain.verification import AWAITING_DECISION, STATUS_AFTER_DECISION
from platform_shared.audit import Actor
from platform_shared.events.envelope import Envelope
from platform_shared.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def on_decision_made(event: Envelope, uow: UnitOfWork) -> None:
    data = event.data
    if data["kind"] != "organisation":
        return  # products are filing's
    organisation_id, task_id = data["subject_id"], data["task_id"]
    status = STATUS_AFTER_DECISION.get(data["outcome"])
    organisation = Organisation.get_or_none(Organisation.id == organisation_id)
    ignored = _why_ignored(status, organisation, task_id)
    if ignored:
        log.warning("decision %s of task %s on organisation %s ignored: %s", event.id, task_id,
                    organisation_id, ignored)
        return
    now = dt.datetime.now(dt.UTC)
    decided_at = _utc(data["decided_at"])
    version = organisation.version + 1
    updated = (Organisation.update(status=status, version=version)
               .where((Organisation.id == organisation.id) & (Organisation.version == organisation.version)
                      & (Organisation.status == AWAITING_DECISION)).execute())
    if updated != 1:
        log.warning("decision %s on organisation %s ignored: changed meanwhile", event.id, organisation_id)
        return
    reasons = [{"field": r["field"], "message": r["message"]} for r in data.get("reasons") or []]
    OrganisationDecision.create(
        id=str(uuid.uuid4()), organisation=organisation.id, task_id=task_id, outcome=data["outcome"],
        reasons=json.dumps(reasons, ensure_ascii=False), reviewer_id=data["reviewer_id"],
        decided_at=decided_at.replace(tzinfo=None), applied_at=now.replace(tzinfo=None), event_id=event.id)
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


def _why_ignored(status: str | None, organisation: Organisation | None, task_id: str) -> str | None:
    if status is None:
        return "an organisation can only be approved or rejected"
    if organisation is None:
        return "no such organisation"
    if organisation.status != AWAITING_DECISION:
        return f"the organisation is {organisation.status}, not {AWAITING_DECISION}"
    if OrganisationDecision.select().where(OrganisationDecision.task_id == task_id).exists():
        return "this task was decided before"
    return None


def _utc(value: str | dt.datetime) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
