"""HTTP bodies around filings (marshmallow): the public verification of a filing number and the
industry fields products are filed under."""

from __future__ import annotations

import marshmallow as ma


class PublicFilingOut(ma.Schema):
    filing_number = ma.fields.String(required=True)
    product_name = ma.fields.String(required=True)
    brand = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(("filed", "recognised", "suspended",
                                                                        "cancelled", "revoked")), metadata={
        "description": "suspended: on record, but none of its patents holds by the register past the grace period"})
    filed_on = ma.fields.Date(required=True)
    valid = ma.fields.Boolean(required=True, metadata={
        "description": "true while the filing is on record (filed or recognised) and not suspended; false once "
                       "suspended, cancelled or revoked"})
    status_since = ma.fields.Date(required=True, allow_none=True, metadata={
        "description": "the day a suspended, cancelled or revoked filing stopped being valid; null while it is valid"})
    organisation_suspended = ma.fields.Boolean(required=True, metadata={
        "description": "true when the registration that filed it is suspended by a dispute on its USCC "
                       "(identity.organisation.suspended): the filing itself is as `status` says"})
    edition = ma.fields.Integer(required=True, metadata={
        "description": "the edition of the filed state: 1 as filed, one more per approved amendment (变更)"})
    amended_on = ma.fields.Date(required=True, allow_none=True, metadata={
        "description": "the day its last amendment was approved; null for the first edition"})


class IndustryFieldOut(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)


class IndustryFieldList(ma.Schema):
    edition = ma.fields.String(required=True)
    items = ma.fields.List(ma.fields.Nested(IndustryFieldOut), required=True)
