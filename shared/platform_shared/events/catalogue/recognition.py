"""Contracts of review's recognition of patent-intensive products (beside `review.product.recognised`
in `review.py`, which filing applies)."""

import marshmallow as ma

from platform_shared.events.catalogue.fields import province_code
from platform_shared.events.registry import contract


class ListedProduct(ma.Schema):
    """A product on a round's proposed list, as the public notice shows it: nothing confidential."""

    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)
    industry_code = ma.fields.String(required=True)
    province_code = province_code(required=True, allow_none=True)


@contract("review.recognition_round.published", 1)
class RecognitionRoundPublishedV1(ma.Schema):
    """The public notice (公示) of a round's proposed list began; it runs until `notice_ends_on`
    inclusive, and objections may take products off the list before the round is finalised."""

    round_id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    notice_ends_on = ma.fields.Date(required=True)
    products = ma.fields.List(ma.fields.Nested(ListedProduct), required=True)
    published_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("review.recognition_round.opened", 1)
class RecognitionRoundOpenedV1(ma.Schema):
    """An operator opened a round of `year` over some industry fields, for products filed by
    `cut_off`: filing re-checks the patents of its products on record against the register, so
    that their marks (at risk, suspended) are current before the round's formal check."""

    round_id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    cut_off = ma.fields.Date(required=True)
    industry_codes = ma.fields.List(ma.fields.String(), required=True)
    opened_at = ma.fields.AwareDateTime(required=True, format="iso")
