"""HTTP bodies of a product's proof materials (marshmallow): the upload form, a material and
the list of them."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload

from filing.domain.materials import MATERIAL_KINDS
from platform_shared.web.fields import UtcDateTime


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class MaterialOut(ma.Schema):
    id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(MATERIAL_KINDS))
    media_type = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True)
    original_name = ma.fields.String(required=True, allow_none=True)
    uploaded_at = UtcDateTime(required=True)
    url = ma.fields.String(required=True)


class MaterialForm(_Strict):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(MATERIAL_KINDS), metadata={
        "description": "; ".join(f"{k}: {v}" for k, v in MATERIAL_KINDS.items())})
    file = Upload(required=True)


class MaterialPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MaterialOut), required=True)
    total = ma.fields.Integer(required=True)
