"""Contracts of review's recognition of patent-intensive products (beside `review.product.recognised`
in `review.py`, which filing applies): a round's public notice and its end, and the objections
raised and decided during the notice.

What goes to a product's owner never names who objected: `review.objection.raised` carries
the product and its owner only; `review.objection.decided` names the objector's account (and
organisation) so that notify can tell them the outcome, and its mail to the owner leaves it out.
"""

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
    # The owner, for the mail to it; absent from events published before it was added.
    organisation_id = ma.fields.String(load_default=None, allow_none=True)


class Shortfall(ma.Schema):
    """Why an opted-in product was not proposed: an indicator below its benchmark (or without a
    value or a benchmark), or a failed formal check (`check` naming which, `indicator` null)."""

    check = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "the formal check that failed (status, filed_on, recognised, figures, patents)"})
    indicator = ma.fields.String(required=True, allow_none=True)
    indicator_name = ma.fields.String(required=True, allow_none=True)
    value = ma.fields.String(required=True, allow_none=True)
    benchmark = ma.fields.String(required=True, allow_none=True)
    note = ma.fields.String(required=True, allow_none=True)


class NotProposedProduct(ma.Schema):
    """An opted-in product that is not on the list, for its owner's mail only (never shown publicly)."""

    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)
    industry_code = ma.fields.String(required=True)
    shortfalls = ma.fields.List(ma.fields.Nested(Shortfall), required=True)


@contract("review.recognition_round.published", 1)
class RecognitionRoundPublishedV1(ma.Schema):
    """The public notice (公示) of a round's proposed list began; it runs until `notice_ends_on`
    inclusive, and objections may take products off the list before the round is finalised."""

    round_id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    notice_ends_on = ma.fields.Date(required=True)
    products = ma.fields.List(ma.fields.Nested(ListedProduct), required=True)
    # The opted-in products that were not proposed, with the indicators that fell short (added
    # to v1 as optional: an older event has none).
    not_proposed = ma.fields.List(ma.fields.Nested(NotProposedProduct), load_default=list)
    published_at = ma.fields.AwareDateTime(required=True, format="iso")


class ObjectedProduct(ma.Schema):
    """The product an objection is about, and its owner."""

    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True, allow_none=True)
    organisation_name = ma.fields.String(required=True)


@contract("review.objection.raised", 1)
class ObjectionRaisedV1(ma.Schema):
    """Someone objected to a product on a round's list during the notice. The objector is not
    named: the owner hears of the objection and its reasons, not of who raised it."""

    objection_id = ma.fields.String(required=True)
    round_id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    notice_ends_on = ma.fields.Date(required=True)
    product = ma.fields.Nested(ObjectedProduct, required=True)
    reasons = ma.fields.String(required=True)
    raised_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("review.objection.decided", 1)
class ObjectionDecidedV1(ma.Schema):
    """An operator decided an objection: `upheld` took the product off the list. The objector
    (`raised_by`, and the organisation it raised it for) hears the outcome, as does the owner."""

    objection_id = ma.fields.String(required=True)
    round_id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    product = ma.fields.Nested(ObjectedProduct, required=True)
    upheld = ma.fields.Boolean(required=True)
    reason = ma.fields.String(required=True)
    raised_by = ma.fields.String(required=True)
    raised_by_organisation_id = ma.fields.String(required=True, allow_none=True)
    decided_at = ma.fields.AwareDateTime(required=True, format="iso")


class RoundOutcome(ma.Schema):
    """An opted-in product's outcome when its round was finalised."""

    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True, allow_none=True)
    organisation_name = ma.fields.String(required=True)
    industry_code = ma.fields.String(required=True)
    recognised = ma.fields.Boolean(required=True)
    # Why not: `formal_check`, `not_proposed` or `objection_upheld`; null when recognised.
    why_not = ma.fields.String(required=True, allow_none=True, validate=ma.validate.OneOf(
        ("formal_check", "not_proposed", "objection_upheld")))


@contract("review.recognition_round.finalised", 1)
class RecognitionRoundFinalisedV1(ma.Schema):
    """A round was finalised: every opted-in product's outcome, one event per round (each
    recognised product also has its `review.product.recognised`, which filing applies)."""

    round_id = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    outcomes = ma.fields.List(ma.fields.Nested(RoundOutcome), required=True)
    finalised_at = ma.fields.AwareDateTime(required=True, format="iso")


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
