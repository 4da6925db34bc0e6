"""HTTP bodies of the provincial port (marshmallow): the office's form, the operator's views.

The application is one `multipart/form-data` body, as the office's web page sends its HTML
form: the fields, the contact's fields named with dotted paths (`contact.email`, so that an
error names the same path a JSON body would), and the signed form as the file `form`.
"""

import marshmallow as ma
from flask_smorest.fields import Upload
from werkzeug.datastructures import FileStorage

from identity.domain.identifiers import IdentifierError, check_phone
from identity.domain.province_ports import OUTCOMES, STATUSES
from platform_shared.regions import PROVINCES
from platform_shared.web.fields import UtcDateTime
from platform_shared.web.pagination import PageQuery, page_schema

_PROVINCE = ma.validate.OneOf(sorted(PROVINCES), error="Unknown province-level region code (GB/T 2260, "
                                                       "or 660000 for 新疆生产建设兵团).")


def _phone(value: str) -> None:
    try:
        check_phone(value)
    except IdentifierError as exc:
        raise ma.ValidationError(str(exc)) from None


def _a_file(value: object) -> None:
    if not isinstance(value, FileStorage):
        raise ma.ValidationError("Attach the signed application form as a file (PDF, JPEG or PNG).")


class PortApplicationForm(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    province_code = ma.fields.String(required=True, validate=_PROVINCE)
    office_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200),
                                   metadata={"description": "e.g. 西藏自治区知识产权局"})
    contact_name = ma.fields.String(required=True, data_key="contact.name",
                                    validate=ma.validate.Length(min=1, max=100))
    contact_title = ma.fields.String(required=True, data_key="contact.title",
                                     validate=ma.validate.Length(min=1, max=100),
                                     metadata={"description": "the contact's post (职务)"})
    contact_phone = ma.fields.String(required=True, data_key="contact.phone",
                                     validate=[ma.validate.Length(min=7, max=24), _phone])
    contact_email = ma.fields.Email(required=True, data_key="contact.email",
                                    validate=ma.validate.Length(max=254),
                                    metadata={"description": "becomes the province admin account's e-mail"})
    form = Upload(required=True, validate=_a_file,
                  metadata={"description": "the signed application form: PDF, JPEG or PNG, at most 10 MB"})


class PortApplicationCreated(ma.Schema):
    id = ma.fields.String(required=True)
    status = ma.fields.String(required=True)


class ContactOut(ma.Schema):
    name = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    phone = ma.fields.String(required=True)
    email = ma.fields.String(required=True)


class FormOut(ma.Schema):
    media_type = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True)


class PortApplicationOut(ma.Schema):
    id = ma.fields.String(required=True)
    province_code = ma.fields.String(required=True)
    province_name = ma.fields.String(required=True)
    office_name = ma.fields.String(required=True)
    contact = ma.fields.Nested(ContactOut, required=True)
    form = ma.fields.Nested(FormOut, required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATUSES))
    reason = ma.fields.String(allow_none=True)
    submitted_at = UtcDateTime(required=True)
    decided_at = UtcDateTime(allow_none=True)
    decided_by = ma.fields.String(allow_none=True)
    account_id = ma.fields.String(allow_none=True, metadata={"description": "the province admin account"})


PortApplicationPage = page_schema(PortApplicationOut, "PortApplicationPage")


class PortApplicationQuery(PageQuery):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATUSES))
    province_code = ma.fields.String(load_default=None, validate=_PROVINCE)


class PortDecisionSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(sorted(OUTCOMES)))
    reason = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000),
                              metadata={"description": "required when rejecting or dismissing: the applicant "
                                                       "is told"})


def _optional(name: str, max_length: int, **extra: object) -> ma.fields.String:
    return ma.fields.String(load_default="", data_key=name, validate=ma.validate.Length(max=max_length),
                            **extra)  # type: ignore[arg-type]


class PortFormQuery(ma.Schema):
    """What the office has typed so far: the form comes back prefilled with it (blank lines for the rest)."""

    class Meta:
        unknown = ma.RAISE

    province_code = ma.fields.String(required=True, validate=_PROVINCE)
    office_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200),
                                   metadata={"description": "e.g. 西藏自治区知识产权局"})
    contact_name = _optional("contact.name", 100)
    contact_title = _optional("contact.title", 100)
    contact_phone = _optional("contact.phone", 24)
    contact_email = _optional("contact.email", 254)
