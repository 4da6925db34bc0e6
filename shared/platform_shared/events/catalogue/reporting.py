"""Contracts of the events reporting publishes."""

import marshmallow as ma

from platform_shared.events.catalogue.fields import province_code
from platform_shared.events.registry import contract


class MonthlyFigures(ma.Schema):
    """The headline figures of a province's month, as the frozen report states them."""

    new_filings = ma.fields.Integer(required=True)
    filed_total = ma.fields.Integer(required=True)
    recognised_total = ma.fields.Integer(required=True)
    organisations_total = ma.fields.Integer(required=True)


@contract("reporting.monthly_report.published", 1)
class MonthlyReportPublishedV1(ma.Schema):
    """A month's report of one province was frozen and may be downloaded (notify mails the
    province's admins). `downloads` are paths under the platform's address, one per format."""

    report_id = ma.fields.String(required=True)
    month = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$"))
    province_code = province_code(required=True)
    province_name = ma.fields.String(required=True)
    figures = ma.fields.Nested(MonthlyFigures, required=True)
    downloads = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.OneOf(("csv", "xlsx", "json"))),
                               values=ma.fields.String(), required=True)
    published_at = ma.fields.AwareDateTime(required=True, format="iso")
