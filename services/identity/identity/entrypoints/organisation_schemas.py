"""HTTP bodies of an organisation's own resources (marshmallow): reading and correcting it,
asking for verification, and its documents (one `multipart/form-data` form: `kind` + `file`)."""

import marshmallow as ma
from flask_smorest.fields import Upload
from werkzeug.datastructures import FileStorage

from identity.domain.verification import DOCUMENT_KINDS
from identity.entrypoints.schemas import Contact, LegalRepresentative
from platform_shared.events.catalogue.identity import ORGANISATION_KINDS
from platform_shared.web.fields import UtcDateTime
from platform_shared.web.pagination import PageQuery, page_schema


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class LegalRepresentativeOut(ma.Schema):
    name = ma.fields.String(required=True)
    id_number = ma.fields.String(required=True, metadata={"description": "masked: 110105********002X"})


class OrganisationContactOut(ma.Schema):
    name = ma.fields.String(required=True)
    phone = ma.fields.String(required=True)
    email = ma.fields.String(required=True)


class RejectionReasonOut(ma.Schema):
    field = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


class RejectionOut(ma.Schema):
    reasons = ma.fields.List(ma.fields.Nested(RejectionReasonOut), required=True)
    rejected_at = UtcDateTime(required=True)


class OrganisationOut(ma.Schema):
    id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ORGANISATION_KINDS))
    province_code = ma.fields.String(required=True)
    city_code = ma.fields.String(required=True, allow_none=True)
    address = ma.fields.String(required=True)
    legal_representative = ma.fields.Nested(LegalRepresentativeOut, required=True)
    contact = ma.fields.Nested(OrganisationContactOut, required=True)
    status = ma.fields.String(required=True, metadata={
        "description": "registered → pending_review → verified or rejected"})
    version = ma.fields.Integer(required=True)
    registered_at = UtcDateTime(required=True)
    last_rejection = ma.fields.Nested(RejectionOut, required=True, allow_none=True, metadata={
        "description": "the reviewers' reasons of the newest rejection, if any"})


class OrganisationCorrection(_Strict):
    """What a member may correct while `registered` or `rejected` (checked as at registration)."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    address = ma.fields.String(validate=ma.validate.Length(min=1, max=300))
    city_code = ma.fields.String(allow_none=True, validate=ma.validate.Regexp(
        r"^\d{6}$", error="A 6-digit GB/T 2260 code."))
    legal_representative = ma.fields.Nested(LegalRepresentative)
    contact = ma.fields.Nested(Contact)


class VerificationOut(ma.Schema):
    status = ma.fields.String(required=True)


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
