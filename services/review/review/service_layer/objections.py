"""Objections during a round's public notice (异议处理): any signed-in user objects to a product
on the list, with reasons and evidence files; an operator decides each, and an upheld
objection takes the product off the list. Raising and deciding publish `review.objection.raised`
and `review.objection.decided` (outbox) in the transaction of the change.

Evidence is sniffed (PDF, JPEG, PNG by its bytes), size-limited and stored under its SHA-256
before the transaction that records it; a refused file leaves nothing.

Per round, each owner (the raiser's organisation, or the raiser's account without one) has at
most `REVIEW_QUOTA_OPEN_OBJECTIONS` undecided objections and `REVIEW_QUOTA_EVIDENCE_FILES`,
`_BYTES` of evidence, counted with the round's row locked.
"""

from __future__ import annotations

import datetime as dt
import uuid

from platform_shared.attachments import accept_upload
from platform_shared.errors import NotFound
from platform_shared.moments import utcnow
from platform_shared.quotas import Quota, StorageQuota, owner_of
from platform_shared.uploads import ContentStore
from review.domain.commands import AddEvidence, DecideObjection, RaiseObjection
from review.domain.objections import Objection, ObjectionEvidence, not_on_the_list
from review.service_layer import recognition_events as events
from review.service_layer.recognition import round_of
from review.service_layer.unit_of_work import ReviewUnitOfWork


def objection_of(round_id: str, objection_id: str, uow: ReviewUnitOfWork) -> Objection:
    objection = uow.objections.get(round_id, objection_id)
    if objection is None:
        raise NotFound("No such objection in this round.", slug="objection-not-found")
    return objection


def handle_raise_objection(command: RaiseObjection, uow: ReviewUnitOfWork, today: dt.date, *,
                           quota: Quota) -> Objection:
    """An objection to a listed product while the notice runs, if its owner has fewer undecided
    objections in the round than the quota allows."""
    principal = command.principal
    owner = owner_of(principal.organisation_id, principal.account_id)
    with uow:
        found = round_of(command.round_id, uow, for_update=True)  # held: the count below stays true
        found.ensure_objections_open(today)
        listed = uow.results.get(found.id, command.product_id)
        if listed is None or not listed.on_list:
            raise not_on_the_list()
        quota.ensure_room(used=uow.objections.pending_of(found.id, owner.key), owner=owner.kind)
        objection = Objection(id=str(uuid.uuid4()), round_id=found.id, product_id=command.product_id,
                              reasons=command.reasons, raised_by=principal.account_id,
                              raised_by_role=principal.role, raised_at=utcnow(), owner=owner.key)
        uow.objections.add(objection)
        uow.publish("review.objection.raised", events.objection_raised(found, objection, uow),
                    aggregate_id=objection.id, aggregate_version=1)
        return objection


def _owner_kind(objection: Objection) -> str:
    return objection.owner.partition(":")[0] or "account"


def _ensure_open_to_evidence(command: AddEvidence, uow: ReviewUnitOfWork, today: dt.date, *,
                             for_update: bool) -> Objection:
    found = round_of(command.round_id, uow, for_update=for_update)
    objection = objection_of(command.round_id, command.objection_id, uow)
    objection.ensure_open_to_evidence(found, command.principal.account_id, today,
                                      uow.evidence.count(objection.id))
    return objection


def handle_add_evidence(command: AddEvidence, uow: ReviewUnitOfWork, store: ContentStore, max_bytes: int,
                        today: dt.date, *, quota: StorageQuota) -> ObjectionEvidence:
    """A file supporting the caller's own pending objection, while the notice runs, if the
    objection's owner has room for it in the round's evidence quota."""
    with uow:
        objection = _ensure_open_to_evidence(command, uow, today, for_update=False)
        # Refused early when the number of files is at its quota: the bytes need not arrive.
        quota.files.ensure_room(used=uow.evidence.usage(objection.round_id, objection.owner).files,
                                owner=_owner_kind(objection))
    stored = accept_upload(command.content, store, max_bytes=max_bytes, uploaded_by=command.principal.account_id,
                           original_name=command.original_name)
    with uow:
        # Again: the file took its time, and the notice may have ended or the objection been decided.
        objection = _ensure_open_to_evidence(command, uow, today, for_update=True)
        quota.ensure_room(uow.evidence.usage(objection.round_id, objection.owner), stored.size,
                          owner=_owner_kind(objection))
        evidence = ObjectionEvidence(id=str(uuid.uuid4()), objection_id=objection.id, file=stored)
        uow.evidence.add(evidence)
        return evidence


def handle_decide_objection(command: DecideObjection, uow: ReviewUnitOfWork) -> Objection:
    """An operator's decision; upheld takes the product off the round's list."""
    with uow:
        found = round_of(command.round_id, uow, for_update=True)
        objection = objection_of(found.id, command.objection_id, uow)
        found.objection_decided(objection.state)
        objection.decide(command.upheld, command.reason, command.principal.account_id, utcnow())
        uow.objections.save(objection)
        if objection.upheld:
            uow.results.take_off_list(found.id, objection.product_id, objection.id)
        uow.rounds.save(found)
        uow.publish("review.objection.decided", events.objection_decided(found, objection, uow),
                    aggregate_id=objection.id, aggregate_version=2)
        return objection
