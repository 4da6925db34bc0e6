"""HTTP bodies of recognition (marshmallow): opening, evaluating and publishing a round, objections
and their decisions, the round as operators and reviewers read it, and the public notice.

The rules a JSON schema can state are stated here, so the OpenAPI document says them too: the
fields of a round are codes of the industry classification (each once); benchmarks may be
given only for fields of the classification and indicators of the configuration in force, each
a decimal with at most that indicator's decimals.
"""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload

from platform_shared.industries import classification
from platform_shared.web.fields import NOT_BLANK, UtcDateTime
from platform_shared.web.pagination import PageQuery, page_schema
from review.domain.indicator_configuration import indicator_set
from review.domain.rounds import OBJECTION_STATES, STATES

_not_blank = NOT_BLANK


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


def _field_codes() -> list[str]:
    return sorted(classification().fields)


def _no_repeats(values: list[str]) -> None:
    if len(values) != len(set(values)):
        raise ma.ValidationError("each field once")


class RecognitionRoundIn(_Strict):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=2000, max=2100), metadata={
        "description": "the recognition year; products are evaluated on the figures of the year before"})
    cut_off = ma.fields.Date(required=True, metadata={
        "description": "products filed on or before this date (UTC) take part"})
    # The API's name, though marshmallow's Schema keeps its own `fields` (a dict) on instances.
    fields = ma.fields.List(  # type: ignore[assignment]
        ma.fields.String(validate=ma.validate.OneOf(_field_codes())), required=True,
        validate=[ma.validate.Length(min=1, max=len(_field_codes())), _no_repeats],
        metadata={"uniqueItems": True, "description": "industry fields (classification codes) the round covers"})


def _decimal(decimals: int) -> ma.fields.String:
    pattern = rf"^-?(0|[1-9]\d{{0,17}})(\.\d{{1,{decimals}}})?$" if decimals else r"^-?(0|[1-9]\d{0,17})$"
    return ma.fields.String(validate=ma.validate.Regexp(pattern, error=f"a decimal with at most {decimals} decimals"),
                            metadata={"pattern": pattern, "example": "1000000.00" if decimals else "3"})


# {field code: {indicator code: value}}: every key is named, so the document states both lists.
GivenIndicators = ma.Schema.from_dict(
    {i.code: _decimal(i.decimals) for i in indicator_set().indicators}, name="RoundGivenIndicators")
GivenBenchmarks = ma.Schema.from_dict(
    {code: ma.fields.Nested(GivenIndicators) for code in _field_codes()}, name="RoundGivenBenchmarks")


class RoundEvaluationIn(_Strict):
    benchmarks = ma.fields.Nested(GivenBenchmarks, load_default=dict, metadata={
        "description": "benchmarks the operator gives, {field: {indicator: value}}; every other one is derived "
                       "from the field's filed data by the configured statistic"})


class RoundPublicationIn(_Strict):
    notice_ends_on = ma.fields.Date(required=True, metadata={
        "description": "last day (inclusive) of the public notice; after today"})


class RoundClosureIn(_Strict):
    reason = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=2000), _not_blank], metadata={
        "description": "why the round ends without recognition (kept in the audit log and on the round)"})


class RoundObjectionIn(_Strict):
    product_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=36), metadata={
        "description": "a product on the round's list"})
    reasons = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=5000), _not_blank])


class ObjectionDecisionIn(_Strict):
    upheld = ma.fields.Boolean(required=True, metadata={"description": "true takes the product off the list"})
    reason = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=2000), _not_blank])


class ObjectionEvidenceForm(_Strict):
    file = Upload(required=True, metadata={"description": "PDF, JPEG or PNG (judged by its content)"})


class RoundQuery(PageQuery):
    state = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATES))
    year = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=2000, max=2100))


# --- responses --------------------------------------------------------------------------------

class RoundFieldOut(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class RoundCountsOut(ma.Schema):
    opted_in = ma.fields.Integer(required=True)
    failed_formal_check = ma.fields.Integer(required=True)
    proposed = ma.fields.Integer(required=True)
    on_list = ma.fields.Integer(required=True)
    recognised = ma.fields.Integer(required=True)
    pending_objections = ma.fields.Integer(required=True)


class RoundSummaryOut(ma.Schema):
    id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    data_year = ma.fields.Integer(required=True)
    cut_off = ma.fields.Date(required=True)
    fields = ma.fields.List(ma.fields.Nested(RoundFieldOut), required=True)  # type: ignore[assignment]  # as above
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(STATES))
    config_version = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "version of the indicator configuration of the latest evaluation"})
    notice_ends_on = ma.fields.Date(required=True, allow_none=True)
    created_at = UtcDateTime(required=True)
    evaluated_at = UtcDateTime(required=True, allow_none=True)
    published_at = UtcDateTime(required=True, allow_none=True)
    finalised_at = UtcDateTime(required=True, allow_none=True)
    closed_at = UtcDateTime(required=True, allow_none=True)
    close_reason = ma.fields.String(required=True, allow_none=True)
    counts = ma.fields.Nested(RoundCountsOut, required=True)


class RoundBenchmarkOut(ma.Schema):
    industry_code = ma.fields.String(required=True)
    indicator = ma.fields.String(required=True)
    indicator_name = ma.fields.String(required=True)
    value = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "decimal string; null when no product of the field has a value"})
    source = ma.fields.String(required=True, validate=ma.validate.OneOf(("given", "derived")))
    statistic = ma.fields.String(required=True, metadata={"example": "P50 of 7 products"})
    sample_size = ma.fields.Integer(required=True, allow_none=True)
    config_version = ma.fields.String(required=True, allow_none=True)


class FormalReasonOut(ma.Schema):
    check = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


class FormalCheckOut(ma.Schema):
    passed = ma.fields.Boolean(required=True)
    reasons = ma.fields.List(ma.fields.Nested(FormalReasonOut), required=True)


class IndicatorResultOut(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    value = ma.fields.String(required=True, allow_none=True)
    benchmark = ma.fields.String(required=True, allow_none=True)
    reached = ma.fields.Boolean(required=True)
    note = ma.fields.String(required=True, allow_none=True)


class _ListedProduct(ma.Schema):
    """A product as a round's list names it (operators' view and the public notice alike)."""

    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    brand = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)
    industry_code = ma.fields.String(required=True)


class RoundResultOut(_ListedProduct):
    province_code = ma.fields.String(required=True, allow_none=True)
    formal_check = ma.fields.Nested(FormalCheckOut, required=True)
    indicators = ma.fields.List(ma.fields.Nested(IndicatorResultOut), required=True)
    proposed = ma.fields.Boolean(required=True)
    reasons = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "why it was or was not proposed"})
    on_list = ma.fields.Boolean(required=True)
    removed_by_objection = ma.fields.String(required=True, allow_none=True)
    recognised = ma.fields.Boolean(required=True)


class EvidenceOut(ma.Schema):
    id = ma.fields.String(required=True)
    media_type = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True)
    original_name = ma.fields.String(required=True, allow_none=True)
    uploaded_at = UtcDateTime(required=True)
    url = ma.fields.String(required=True)


class ObjectionDecisionOut(ma.Schema):
    upheld = ma.fields.Boolean(required=True)
    reason = ma.fields.String(required=True)
    decided_by = ma.fields.String(required=True)
    decided_at = UtcDateTime(required=True)


class ObjectionOut(ma.Schema):
    id = ma.fields.String(required=True)
    product_id = ma.fields.String(required=True)
    reasons = ma.fields.String(required=True)
    raised_by = ma.fields.String(required=True)
    raised_by_role = ma.fields.String(required=True)
    raised_at = UtcDateTime(required=True)
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(OBJECTION_STATES))
    decision = ma.fields.Nested(ObjectionDecisionOut, required=True, allow_none=True)
    evidence = ma.fields.List(ma.fields.Nested(EvidenceOut), required=True)


class RoundOut(RoundSummaryOut):
    benchmarks = ma.fields.List(ma.fields.Nested(RoundBenchmarkOut), required=True)
    results = ma.fields.List(ma.fields.Nested(RoundResultOut), required=True)
    objections = ma.fields.List(ma.fields.Nested(ObjectionOut), required=True)


RoundPage = page_schema(RoundSummaryOut, "RoundPage")


class PublicProductOut(_ListedProduct):
    industry_name = ma.fields.String(required=True)


class PublicRoundOut(ma.Schema):
    id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(("published", "finalised")))
    notice_ends_on = ma.fields.Date(required=True)
    published_at = UtcDateTime(required=True)
    finalised_at = UtcDateTime(required=True, allow_none=True)
    products = ma.fields.List(ma.fields.Nested(PublicProductOut), required=True)


class IndicatorOut(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)
    decimals = ma.fields.Integer(required=True)
    unit = ma.fields.String(required=True)


class IndicatorList(ma.Schema):
    version = ma.fields.String(required=True)
    items = ma.fields.List(ma.fields.Nested(IndicatorOut), required=True)


class PublicNoticeOut(ma.Schema):
    id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(("published", "finalised")))
    notice_ends_on = ma.fields.Date(required=True, allow_none=True)
    published_at = UtcDateTime(required=True, allow_none=True)
    finalised_at = UtcDateTime(required=True, allow_none=True)
    products = ma.fields.Integer(required=True, metadata={"description": "how many products the notice lists"})


class PublicNoticeList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PublicNoticeOut), required=True)


class FollowedProductOut(ma.Schema):
    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)


class FollowedDecisionOut(ma.Schema):
    upheld = ma.fields.Boolean(required=True)
    reason = ma.fields.String(required=True)
    decided_at = UtcDateTime(required=True, allow_none=True)


class FollowedObjectionOut(ma.Schema):
    """An objection as an enterprise follows it: never who raised it."""

    id = ma.fields.String(required=True)
    round_id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True, allow_none=True)
    round_state = ma.fields.String(required=True, allow_none=True)
    notice_ends_on = ma.fields.Date(required=True, allow_none=True)
    product = ma.fields.Nested(FollowedProductOut, required=True)
    reasons = ma.fields.String(required=True)
    raised_at = UtcDateTime(required=True)
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(OBJECTION_STATES))
    decision = ma.fields.Nested(FollowedDecisionOut, required=True, allow_none=True)
    evidence_count = ma.fields.Integer(required=True)


class FollowedObjectionList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FollowedObjectionOut), required=True)
