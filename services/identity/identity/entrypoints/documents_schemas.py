"""HTTP bodies of an organisation's documents (marshmallow): one `multipart/form-data` form
(`kind` + `file`) to upload, what a document is, the list's query."""

import marshmallow as ma
from flask_smorest.fields import Upload
from werkzeug.datastructures import FileStorage

from identity.domain.verification import DOCUMENT_KINDS
from platform_shared.web.fields import UtcDateTime
from platform_shared.web.pagination import PageQuery, page_schema


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


def _a_file(value: object) -> None:
    if not isinstance(value, FileStorage):
        raise ma.ValidationError("Attach the document as a file (PDF, JPEG or PNG).")


class DocumentForm(_Strict):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(DOCUMENT_KINDS))
    file = Upload(required=True, validate=_a_file, metadata={
        "description": "PDF, JPEG or PNG (judged by its content), at most 10 MB by default"})


class DocumentOut(ma.Schema):
    id = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(DOCUMENT_KINDS))
    media_type = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True)
    original_name = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "the uploader's file name, as metadata only"})
    uploaded_by = ma.fields.String(required=True)
    uploaded_at = UtcDateTime(required=True)
    url = ma.fields.String(required=True, metadata={"description": "where to download it"})


DocumentPage = page_schema(DocumentOut, "DocumentPage")


class DocumentQuery(PageQuery):
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(DOCUMENT_KINDS))
