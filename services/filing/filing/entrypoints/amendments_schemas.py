"""HTTP bodies of amendments of a filed product (marshmallow): opening or changing one (the
variants and patents as amended: each list given replaces the whole list), and an amendment."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from filing.domain.amendments import AMENDMENT_STATUSES
from filing.entrypoints.materials_schemas import MaterialOut
from filing.entrypoints.products_schemas import DecisionOut, DeclaredLists, PatentOut
from platform_shared.web.fields import UtcDateTime


class AmendmentIn(DeclaredLists):
    """The amended lists: `variants` and/or `patents` (add a newly granted patent, leave out a
    lapsed one); a list not given stays as the product has it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", ("variants", "patents"))
        super().__init__(*args, **kwargs)


class AmendmentChange(AmendmentIn):
    @ma.validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ma.ValidationError("give variants or patents to change")


class ListsOut(ma.Schema):
    variants = ma.fields.List(ma.fields.String(), required=True)
    patents = ma.fields.List(ma.fields.Nested(PatentOut), required=True)


class AmendmentOut(ListsOut):
    id = ma.fields.String(required=True)
    product_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(AMENDMENT_STATUSES))
    before = ma.fields.Nested(ListsOut, required=True, metadata={"description": "the lists as approved last"})
    changed = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "which lists the amendment changes (variants, patents)"})
    materials = ma.fields.List(ma.fields.Nested(MaterialOut), required=True, metadata={
        "description": "materials uploaded to the amendment (the product's once approved)"})
    version = ma.fields.Integer(required=True)
    submissions = ma.fields.Integer(required=True)
    submitted_at = UtcDateTime(required=True, allow_none=True)
    edition = ma.fields.Integer(required=True, allow_none=True, metadata={
        "description": "the product's edition this amendment made (once approved)"})
    last_decision = ma.fields.Nested(DecisionOut, required=True, allow_none=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)
    closed_at = UtcDateTime(required=True, allow_none=True)


class AmendmentList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AmendmentOut), required=True)
    total = ma.fields.Integer(required=True)
