"""HTTP bodies of bulk filing (marshmallow): the upload form, the result per row, the template's
format."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class BulkForm(_Strict):
    file = Upload(required=True, metadata={"description": "CSV (UTF-8 or GB18030) or XLSX, as the template"})


class BulkCreated(ma.Schema):
    row = ma.fields.Integer(required=True)
    id = ma.fields.String(required=True)


class BulkRowErrors(ma.Schema):
    row = ma.fields.Integer(required=True)
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()), required=True,
                            metadata={"description": "column → messages"})


class BulkResult(ma.Schema):
    rows = ma.fields.Integer(required=True)
    created = ma.fields.List(ma.fields.Nested(BulkCreated), required=True)
    errors = ma.fields.List(ma.fields.Nested(BulkRowErrors), required=True)


class TemplateQuery(_Strict):
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(("xlsx", "csv")))
