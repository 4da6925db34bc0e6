"""Recording a review decision filing applies (a product's or an amendment's): one per task, so
a repeated decision changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from filing.domain.review_outcomes import ProductDecision
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.events.envelope import Envelope
from platform_shared.moments import naive_utc


def record_decision(event: Envelope, product_id: str, now: dt.datetime,
                    uow: FilingUnitOfWork) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The decision recorded against the product; what `last_decision` says of it, and its reasons."""
    data = event.data
    decided_at = naive_utc(data["decided_at"])
    reasons = [{"field": r["field"], "message": r["message"]} for r in data.get("reasons") or []]
    uow.decisions.add(ProductDecision(task_id=data["task_id"], product_id=product_id, outcome=data["outcome"],
                                      reasons=tuple(reasons), reviewer_id=data["reviewer_id"],
                                      decided_at=decided_at, applied_at=now, event_id=event.id))
    return {"task_id": data["task_id"], "outcome": data["outcome"], "reasons": reasons,
            "decided_at": decided_at.isoformat()}, reasons
