"""HTTP bodies of review's work queue (marshmallow): the list's filters, a task as listed and as
read whole, and what a reviewer or an operator sends to work a task."""

from __future__ import annotations

import marshmallow as ma

from platform_shared.web.fields import NOT_BLANK, UtcDateTime
from platform_shared.web.pagination import PageQuery, page_schema
from review.domain.tasks import DECISION_OUTCOMES, TASK_KINDS, TASK_STATES


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class TaskQuery(PageQuery):
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(TASK_KINDS))
    state = ma.fields.String(load_default=None, validate=ma.validate.OneOf(TASK_STATES))
    claimed_by = ma.fields.String(load_default=None, validate=ma.validate.Length(max=36), metadata={
        "description": "the holder's account id (`me` for your own claims)"})
    subject_id = ma.fields.String(load_default=None, validate=ma.validate.Length(max=36))


class TaskSchema(ma.Schema):
    id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(TASK_KINDS))
    subject_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(TASK_STATES))
    created_at = UtcDateTime(required=True)
    age_seconds = ma.fields.Integer(required=True, metadata={"description": "how long the task has waited"})
    case_id = ma.fields.String(required=True, allow_none=True)
    previous_task_id = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "the earlier task of the same case (a resubmission after a return)"})
    claimed_by = ma.fields.String(required=True, allow_none=True)
    claim_expires_at = UtcDateTime(required=True, allow_none=True)


TaskPage = page_schema(TaskSchema, "TaskPage")


class ReasonSchema(_Strict):
    field = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200), metadata={
        "description": "the dotted path of the field the reason is about, e.g. economic_data.0.sales_revenue"})
    message = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=2000),
                                                        NOT_BLANK])


class DecisionOut(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(DECISION_OUTCOMES))
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema), required=True)
    reviewer_id = ma.fields.String(required=True)
    decided_at = UtcDateTime(required=True)
    final = ma.fields.Boolean(required=True, metadata={"description": "false while a rejection awaits a second "
                                                                      "reviewer's confirmation"})
    confirmed_by = ma.fields.String(required=True, allow_none=True)


class HistoryEntry(ma.Schema):
    at = UtcDateTime(required=True)
    actor_id = ma.fields.String(required=True, allow_none=True)
    actor_role = ma.fields.String(required=True, allow_none=True)
    action = ma.fields.String(required=True)
    detail = ma.fields.Dict(required=True)


class FieldChangeOut(ma.Schema):
    field = ma.fields.String(required=True, metadata={"description": "dotted path, as reasons name fields"})
    before = ma.fields.Raw(required=True, allow_none=True)
    after = ma.fields.Raw(required=True, allow_none=True)


class SincePrevious(ma.Schema):
    task_id = ma.fields.String(required=True)
    outcome = ma.fields.String(required=True, allow_none=True, validate=ma.validate.OneOf(DECISION_OUTCOMES))
    decided_at = UtcDateTime(required=True, allow_none=True)
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema), required=True)
    changes = ma.fields.List(ma.fields.Nested(FieldChangeOut), required=True)


class PatentConfirmationOut(ma.Schema):
    reviewer_id = ma.fields.String(required=True, allow_none=True)
    at = UtcDateTime(required=True)
    note = ma.fields.String(required=True)


class PatentCheckOut(ma.Schema):
    index = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True)
    relation = ma.fields.String(required=True)
    register = ma.fields.Dict(required=True, allow_none=True, metadata={
        "description": "the register's answer at submission (outcome, match, status, holders, dates, licence); "
                       "null for submissions from before register checks"})
    needs_confirmation = ma.fields.Boolean(required=True)
    confirmation = ma.fields.Nested(PatentConfirmationOut, required=True, allow_none=True, metadata={
        "description": "the reviewer's confirmation of an unverified patent"})


class AmendedLists(ma.Schema):
    variants = ma.fields.List(ma.fields.String(), required=True)
    patents = ma.fields.List(ma.fields.Dict(), required=True)
    materials = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "the materials' kinds"})


class AmendmentOut(ma.Schema):
    """An amendment of a filed product (kind `product_amendment`): before (as approved last) and after."""

    filing_number = ma.fields.String(required=True, allow_none=True)
    edition = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "the edition amended"})
    amendment_id = ma.fields.String(required=True, allow_none=True)
    changed = ma.fields.List(ma.fields.String(), required=True)
    before = ma.fields.Nested(AmendedLists, required=True)
    after = ma.fields.Nested(AmendedLists, required=True)
    changes = ma.fields.List(ma.fields.Nested(FieldChangeOut), required=True, metadata={
        "description": "each field of variants, patents and materials that differs, by dotted path"})


class TaskDetail(TaskSchema):
    snapshot = ma.fields.Dict(required=True, metadata={"description": "what was submitted, as it was then"})
    documents = ma.fields.List(ma.fields.Dict(), required=True, metadata={
        "description": "links to the submitted documents or materials"})
    decision = ma.fields.Nested(DecisionOut, required=True, allow_none=True)
    history = ma.fields.List(ma.fields.Nested(HistoryEntry), required=True)
    case = ma.fields.List(ma.fields.Nested(TaskSchema), required=True, metadata={
        "description": "every task of the same case, oldest first"})
    since_previous = ma.fields.Nested(SincePrevious, required=True, allow_none=True, metadata={
        "description": "a resubmission: the previous task's decision and reasons, and each field changed since"})
    patent_checks = ma.fields.List(ma.fields.Nested(PatentCheckOut), load_default=list, metadata={
        "description": "per declared patent (products): the register's answer and the reviewer's confirmation"})
    amendment = ma.fields.Nested(AmendmentOut, load_default=None, allow_none=True, metadata={
        "description": "an amendment of a filed product: its lists before and after, and each change"})


class DecisionIn(_Strict):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(DECISION_OUTCOMES))
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema), load_default=list, validate=ma.validate.Length(max=100))


class AssignmentIn(_Strict):
    reviewer_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=36))


class PatentConfirmationIn(_Strict):
    note = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=2000), NOT_BLANK], metadata={
        "description": "what the patent was checked against (the certificate, the recorded licence contract)"})


class ConfirmationIn(_Strict):
    confirm = ma.fields.Boolean(required=True)
    comment = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))
