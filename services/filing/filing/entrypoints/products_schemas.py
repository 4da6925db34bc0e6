"""HTTP bodies of products (marshmallow): a product's declaration in and out, the lifecycle
actions, the annual update and the recognition opt-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma

from filing.domain.lifecycle import STATUSES
from filing.entrypoints.materials_schemas import MaterialOut
from platform_shared.events.catalogue.fields import MONEY_PATTERN, SIGNED_MONEY_PATTERN
from platform_shared.events.catalogue.filing import PATENT_KINDS, PATENT_PROBLEMS, PATENT_RELATIONS
from platform_shared.industries import classification
from platform_shared.patents.numbers import InvalidPatentNumber, parse_patent_number
from platform_shared.web.fields import NOT_BLANK, UtcDateTime
from platform_shared.web.pagination import PageQuery, page_schema

MONEY_DOC = {"description": "yuan as a decimal string, at most 2 decimals", "example": "12345678.90"}


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


def _money(required: bool = False, signed: bool = False) -> ma.fields.String:
    pattern = SIGNED_MONEY_PATTERN if signed else MONEY_PATTERN
    options = {"required": True} if required else {"load_default": None, "allow_none": True}
    return ma.fields.String(validate=ma.validate.Regexp(pattern, error="not an amount of yuan like 12345.67"),
                            metadata={**MONEY_DOC, "pattern": pattern}, **options)


def _this_year() -> int:
    return dt.datetime.now(dt.UTC).year


def _industry_code(value: str) -> None:
    if value not in classification():
        raise ma.ValidationError(f"not a field of the classification: one of {', '.join(classification().fields)}")


# Anchored at the start by marshmallow, unanchored in JSON Schema: either way, "has a character
# that is not white space", and the OpenAPI document says so as `pattern`.
_not_blank = NOT_BLANK


class Figures(_Strict):
    """A year's economic figures (the update of a filed product: the year is in the path)."""

    sales_revenue = _money(required=True)
    sales_volume = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0, max=10**15))
    export_revenue = _money()
    profit = _money(signed=True)
    ip_investment = _money()


class EconomicYearIn(Figures):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1985, max=2100))

    @ma.validates("year")
    def _past(self, value: int, **kwargs: Any) -> None:
        if value > _this_year():
            raise ma.ValidationError("economic data is of a past or the current year")


class PatentIn(_Strict):
    number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40), metadata={
        "description": "application or patent number as written (ZL202010566088.9, 2020 1 0566088.9, …); "
                       "stored normalised, its kind derived from it", "example": "202010566088.9"})
    relation = ma.fields.String(required=True, validate=ma.validate.OneOf(PATENT_RELATIONS))
    license_record_no = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=64),
                                         metadata={"description": "licence contract record number (licensee)"})
    title = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))
    holder = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    dispute = ma.fields.Boolean(load_default=False, metadata={
        "description": "true if the patent's ownership is disputed (such a patent cannot support a filing)"})

    @ma.post_load
    def _normalise(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        try:
            number = parse_patent_number(data["number"])
        except InvalidPatentNumber as exc:
            raise ma.ValidationError(str(exc), "number") from None
        return {**data, "number": number.text, "kind": number.kind}


class DeclaredLists(_Strict):
    """The lists of a declaration an amendment of a filed product changes too."""

    variants = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=100)), load_default=list,
                              validate=ma.validate.Length(max=200), metadata={
                                  "description": "colours, sizes, configurations of this one model"})
    patents = ma.fields.List(ma.fields.Nested(PatentIn), load_default=list, validate=ma.validate.Length(max=100))

    @ma.validates_schema(skip_on_field_errors=False)
    def _patents_once(self, data: dict[str, Any], **kwargs: Any) -> None:
        numbers = [p["number"] for p in data.get("patents") or [] if "number" in p]
        if len(numbers) != len(set(numbers)):
            raise ma.ValidationError(["each patent once"], "patents")


class _Declaration(DeclaredLists):
    name = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=200), _not_blank])
    brand = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=100), _not_blank])
    model = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=100), _not_blank])
    industry_code = ma.fields.String(required=True, validate=_industry_code, metadata={
        "description": "field of the patent-intensive industry classification (2019); see GET /industry-fields"})
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))
    launched_on = ma.fields.Date(load_default=None, allow_none=True)
    economic_data = ma.fields.List(ma.fields.Nested(EconomicYearIn), load_default=list,
                                   validate=ma.validate.Length(max=50))

    @ma.validates("launched_on")
    def _launched(self, value: dt.date | None, **kwargs: Any) -> None:
        if value is not None and not dt.date(1950, 1, 1) <= value <= dt.datetime.now(dt.UTC).date():
            raise ma.ValidationError("a launch date between 1950 and today")

    @ma.validates_schema(skip_on_field_errors=False)
    def _no_repeats(self, data: dict[str, Any], **kwargs: Any) -> None:
        years = [y["year"] for y in data.get("economic_data") or [] if "year" in y]
        if len(years) != len(set(years)):
            raise ma.ValidationError(["each year once"], "economic_data")


class ProductDraft(_Declaration):
    """A new draft (all of the declaration; lists may be empty until submission)."""


class ProductChange(_Declaration):
    """A change of a draft or returned product: the fields given replace the stored ones
    (a list given replaces the whole list)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Only the top-level fields are optional: a patent or a year given must be whole
        # (partial=True would reach into the nested schemas too).
        kwargs.setdefault("partial", tuple(_Declaration._declared_fields))
        super().__init__(*args, **kwargs)

    @ma.validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ma.ValidationError("give at least one field to change")

    class Meta:
        unknown = ma.RAISE


class ProductQuery(PageQuery):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATUSES))
    industry_code = ma.fields.String(load_default=None, validate=ma.validate.Length(max=16))
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=100), metadata={
        "description": "part of the name, brand or model, or a filing number"})
    organisation_id = ma.fields.String(load_default=None, validate=ma.validate.Length(max=36), metadata={
        "description": "staff only: one organisation's products"})


class EconomicYearOut(ma.Schema):
    year = ma.fields.Integer(required=True)
    sales_revenue = ma.fields.String(required=True, metadata=MONEY_DOC)
    sales_volume = ma.fields.Integer(required=True)
    export_revenue = ma.fields.String(required=True, allow_none=True, metadata=MONEY_DOC)
    profit = ma.fields.String(required=True, allow_none=True, metadata=MONEY_DOC)
    ip_investment = ma.fields.String(required=True, allow_none=True, metadata=MONEY_DOC)


class PatentOut(ma.Schema):
    number = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(PATENT_KINDS))
    title = ma.fields.String(required=True)
    holder = ma.fields.String(required=True)
    relation = ma.fields.String(required=True, validate=ma.validate.OneOf(PATENT_RELATIONS))
    license_record_no = ma.fields.String(required=True, allow_none=True)
    dispute = ma.fields.Boolean(required=True)


class ReasonOut(ma.Schema):
    field = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


class DecisionOut(ma.Schema):
    task_id = ma.fields.String(required=True)
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(("approve", "reject", "return")))
    reasons = ma.fields.List(ma.fields.Nested(ReasonOut), required=True)
    decided_at = UtcDateTime(required=True)


class OptInOut(ma.Schema):
    year = ma.fields.Integer(required=True)
    opt_in = ma.fields.Boolean(required=True)
    decided_at = UtcDateTime(required=True)


class PatentRiskOut(ma.Schema):
    since = UtcDateTime(required=True, allow_none=True, metadata={
        "description": "when a re-check first found one of its patents lost"})
    deadline = ma.fields.Date(required=True, allow_none=True, metadata={
        "description": "the day by which a patent must hold again, or the filing is suspended"})
    suspended = ma.fields.Boolean(required=True)
    suspended_at = UtcDateTime(required=True, allow_none=True)


class LostPatentOut(ma.Schema):
    number = ma.fields.String(required=True)
    problem = ma.fields.String(required=True, validate=ma.validate.OneOf(PATENT_PROBLEMS))
    status = ma.fields.String(required=True, allow_none=True, metadata={"description": "the register's status"})
    holders = ma.fields.List(ma.fields.String(), required=True, allow_none=True)
    expires_on = ma.fields.Date(required=True, allow_none=True)
    checked_at = UtcDateTime(required=True)


class ProductSummaryOut(ma.Schema):
    id = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATUSES))
    name = ma.fields.String(required=True)
    brand = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    industry_code = ma.fields.String(required=True)
    filing_number = ma.fields.String(required=True, allow_none=True)
    recognised = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(required=True)
    updated_at = UtcDateTime(required=True)
    patent_risk = ma.fields.Nested(PatentRiskOut, required=True, allow_none=True, metadata={
        "description": "set while re-checks found a patent lost: at risk, and suspended past the deadline"})


class ProductOut(ProductSummaryOut):
    industry_name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    launched_on = ma.fields.Date(required=True, allow_none=True)
    variants = ma.fields.List(ma.fields.String(), required=True)
    economic_data = ma.fields.List(ma.fields.Nested(EconomicYearOut), required=True)
    patents = ma.fields.List(ma.fields.Nested(PatentOut), required=True)
    materials = ma.fields.List(ma.fields.Nested(MaterialOut), required=True)
    submissions = ma.fields.Integer(required=True)
    submitted_at = UtcDateTime(required=True, allow_none=True)
    filed_at = UtcDateTime(required=True, allow_none=True)
    recognised_years = ma.fields.List(ma.fields.Integer(), required=True)
    recognition_opt_ins = ma.fields.List(ma.fields.Nested(OptInOut), required=True)
    last_decision = ma.fields.Nested(DecisionOut, required=True, allow_none=True, metadata={
        "description": "review's newest decision: for a returned product, its reasons per field"})
    closing_reason = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "why it was cancelled or revoked"})
    created_at = UtcDateTime(required=True)
    lost_patents = ma.fields.List(ma.fields.Nested(LostPatentOut), required=True, metadata={
        "description": "the declared patents the newest re-check found lost (while at risk)"})
    edition = ma.fields.Integer(required=True, metadata={
        "description": "the edition of its declared state: 1 as filed, one more per approved amendment"})
    amended_at = UtcDateTime(required=True, allow_none=True, metadata={
        "description": "when its last amendment was approved"})


ProductPage = page_schema(ProductSummaryOut, "ProductPage")


class AtRiskQuery(PageQuery):
    province_code = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"), metadata={
        "description": "operators: one province's products (a province admin sees its own only)"})


class AtRiskOut(ProductSummaryOut):
    organisation_name = ma.fields.String(required=True)
    province_code = ma.fields.String(required=True, allow_none=True)
    lost_patents = ma.fields.List(ma.fields.Nested(LostPatentOut), required=True)


AtRiskPage = page_schema(AtRiskOut, "ProductAtRiskPage")


class Created(ma.Schema):
    id = ma.fields.String(required=True)
    status = ma.fields.String(required=True)


class StatusOut(ma.Schema):
    id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATUSES))
    version = ma.fields.Integer(required=True)


class ClosingIn(_Strict):
    reason = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=2000), _not_blank])


class OptInIn(_Strict):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=2000, max=2100))
    opt_in = ma.fields.Boolean(required=True)


class AnnualDataOut(EconomicYearOut):
    pass
