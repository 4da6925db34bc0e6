"""Objections during a round's public notice (异议处理): any signed-in user objects to a product
on the list, with reasons and evidence files; an operator decides each, and an upheld
objection takes the product off the list.

Evidence is sniffed (PDF, JPEG, PNG by its bytes), size-limited and stored under its SHA-256
before the transaction that records it; a refused file leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import BinaryIO

from platform_shared.auth.tokens import Principal
from platform_shared.moments import utcnow
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.uploads import ContentStore, UploadRefused, plain_file_name, receive
from platform_shared.web.problems import Problem
from review.adapters.recognition_tables import Objection, ObjectionEvidence, RecognitionRound, RoundResult
from review.domain import rounds
from review.service_layer.recognition import conflict, round_or_404

MAX_EVIDENCE_FILES = 10


def raise_objection(round_id: str, product_id: str, reasons: str, principal: Principal, uow: UnitOfWork,
                    today: dt.date) -> Objection:
    with uow:
        found = round_or_404(round_id, lock=True)
        try:
            rounds.ensure_objections_open(found.state, found.notice_ends_on, today)
        except rounds.RoundConflict as exc:
            raise conflict(exc) from None
        listed = RoundResult.get_or_none((RoundResult.round_id == found.id) & (RoundResult.product_id == product_id))
        if listed is None or not listed.proposed or listed.removed_by is not None:
            message = "this product is not on the round's list"
            raise Problem(422, message, slug="not-on-the-list", errors={"product_id": [message]})
        return Objection.create(id=str(uuid.uuid4()), round_id=found.id, product_id=product_id, reasons=reasons,
                                raised_by=principal.account_id, raised_by_role=principal.role, raised_at=utcnow(),
                                state="pending")


def objection_or_404(round_id: str, objection_id: str) -> Objection:
    objection = Objection.get_or_none((Objection.id == objection_id) & (Objection.round_id == round_id))
    if objection is None:
        raise Problem(404, "No such objection in this round.", slug="objection-not-found")
    return objection


def _open_to_evidence(found: RecognitionRound, objection: Objection, principal: Principal, today: dt.date) -> None:
    if objection.raised_by != principal.account_id:
        raise Problem(403, "Only who raised the objection adds evidence to it.", slug="forbidden")
    try:
        rounds.ensure_objections_open(found.state, found.notice_ends_on, today)
    except rounds.RoundConflict as exc:
        raise conflict(exc) from None
    if objection.state != "pending":
        raise Problem(409, f"The objection was decided already ({objection.state}).", slug="wrong-round-state")
    count = ObjectionEvidence.select().where(ObjectionEvidence.objection_id == objection.id).count()
    if count >= MAX_EVIDENCE_FILES:
        raise Problem(409, f"An objection carries at most {MAX_EVIDENCE_FILES} evidence files.",
                      slug="too-much-evidence")


def add_evidence(round_id: str, objection_id: str, content: BinaryIO, original_name: str | None,
                 principal: Principal, uow: UnitOfWork, store: ContentStore, max_bytes: int,
                 today: dt.date) -> ObjectionEvidence:
    """A file supporting the caller's own pending objection, while the notice runs."""
    _open_to_evidence(round_or_404(round_id), objection_or_404(round_id, objection_id), principal, today)
    try:
        stored = receive(content, store, max_bytes=max_bytes)
    except UploadRefused as refused:
        raise refused.under("file") from None
    with uow:
        found = round_or_404(round_id, lock=True)
        objection = objection_or_404(round_id, objection_id)
        _open_to_evidence(found, objection, principal, today)  # again: the file took its time
        return ObjectionEvidence.create(
            id=str(uuid.uuid4()), objection_id=objection.id, sha256=stored.sha256, media_type=stored.media_type,
            size=stored.size, original_name=plain_file_name(original_name), uploaded_by=principal.account_id,
            uploaded_at=utcnow())


def decide_objection(round_id: str, objection_id: str, upheld: bool, reason: str, principal: Principal,
                     uow: UnitOfWork) -> Objection:
    """An operator's decision; upheld takes the product off the round's list."""
    with uow:
        found = round_or_404(round_id, lock=True)
        objection = objection_or_404(round_id, objection_id)
        try:
            rounds.ensure_can_decide(found.state, objection.state)
        except rounds.RoundConflict as exc:
            raise conflict(exc) from None
        objection.state = "upheld" if upheld else "dismissed"
        objection.decision_reason, objection.decided_by, objection.decided_at = reason, principal.account_id, utcnow()
        objection.save()
        if upheld:
            RoundResult.update(removed_by=objection.id).where(
                (RoundResult.round_id == found.id) & (RoundResult.product_id == objection.product_id)
                & RoundResult.removed_by.is_null()).execute()
        found.version += 1
        found.save()
        return objection


def evidence_of(round_id: str, objection_id: str, evidence_id: str) -> ObjectionEvidence:
    objection = objection_or_404(round_id, objection_id)
    evidence = ObjectionEvidence.get_or_none((ObjectionEvidence.id == evidence_id)
                                             & (ObjectionEvidence.objection_id == objection.id))
    if evidence is None:
        raise Problem(404, "No such evidence file.", slug="evidence-not-found")
    return evidence
