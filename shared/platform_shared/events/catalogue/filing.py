"""Contracts of the events filing publishes: one per transition of a product's lifecycle.

Every event names the product, its organisation (with the organisation's province, so that
reporting can scope it) and the product's identity (name, brand, model, industry field). Those
that put a product before someone's judgement (`submitted`) or on record (`filed`) carry the
whole declaration as it stood then, so that review and reporting decide and count on exactly
what was submitted and never have to ask filing.
"""

import marshmallow as ma

from platform_shared.events.catalogue.fields import money, province_code, signed_money
from platform_shared.events.registry import contract

PATENT_KINDS = ("invention", "utility_model", "design")
PATENT_RELATIONS = ("owner", "licensee")


class ProductIdentity(ma.Schema):
    product_id = ma.fields.String(required=True)
    organisation_id = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)
    province_code = province_code(required=True)
    name = ma.fields.String(required=True)
    brand = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    industry_code = ma.fields.String(required=True)


class EconomicYear(ma.Schema):
    year = ma.fields.Integer(required=True)
    sales_revenue = money(required=True)
    sales_volume = ma.fields.Integer(required=True)
    export_revenue = money(load_default=None, allow_none=True)
    profit = signed_money(load_default=None, allow_none=True)
    ip_investment = money(load_default=None, allow_none=True)


REGISTER_OUTCOMES = ("verified", "unverified", "refused")
REGISTER_MATCHES = ("holder", "co_holder", "licensee", "none", "unknown")


class RegisteredHolder(ma.Schema):
    name = ma.fields.String(required=True)
    uscc = ma.fields.String(load_default=None, allow_none=True)


class RecordedLicence(ma.Schema):
    record_no = ma.fields.String(required=True)
    licensor = ma.fields.String(required=True)
    licensee = ma.fields.String(required=True)
    licensee_uscc = ma.fields.String(load_default=None, allow_none=True)
    starts_on = ma.fields.Date(load_default=None, allow_none=True)
    ends_on = ma.fields.Date(load_default=None, allow_none=True)


class RegisterAnswer(ma.Schema):
    """The patent register's answer at submission: `outcome` verified (the register names the
    organisation as holder, or a running licence to it), unverified (the register cannot tell:
    `unverified_because` `holders_unknown` or `licences_unknown`); the register's status,
    holders (None: this registry knows none), dates and the licence found."""

    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(REGISTER_OUTCOMES))
    match = ma.fields.String(required=True, validate=ma.validate.OneOf(REGISTER_MATCHES))
    unverified_because = ma.fields.String(load_default=None, allow_none=True)
    registry = ma.fields.String(load_default=None, allow_none=True)
    status = ma.fields.String(load_default=None, allow_none=True)
    holders = ma.fields.List(ma.fields.Nested(RegisteredHolder), load_default=None, allow_none=True)
    granted_on = ma.fields.Date(load_default=None, allow_none=True)
    expires_on = ma.fields.Date(load_default=None, allow_none=True)
    licence = ma.fields.Nested(RecordedLicence, load_default=None, allow_none=True)


class DeclaredPatent(ma.Schema):
    number = ma.fields.String(required=True, metadata={"description": "normalised application number"})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(PATENT_KINDS))
    title = ma.fields.String(load_default="")
    holder = ma.fields.String(load_default="")
    relation = ma.fields.String(required=True, validate=ma.validate.OneOf(PATENT_RELATIONS))
    license_record_no = ma.fields.String(load_default=None, allow_none=True)
    # Added later (additive; older events lack it): the register's answer at submission, only in
    # `submitted` (None elsewhere, and for events from before the register checks).
    register = ma.fields.Nested(RegisterAnswer, load_default=None, allow_none=True)


class Material(ma.Schema):
    id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    media_type = ma.fields.String(required=True)
    sha256 = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True)
    url = ma.fields.String(required=True)


class Reason(ma.Schema):
    field = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


class Declaration(ProductIdentity):
    """The product as declared: identity, variants, economic data, patents and materials."""

    description = ma.fields.String(load_default="")
    launched_on = ma.fields.Date(load_default=None, allow_none=True)
    variants = ma.fields.List(ma.fields.String(), load_default=list)
    economic_data = ma.fields.List(ma.fields.Nested(EconomicYear), load_default=list)
    patents = ma.fields.List(ma.fields.Nested(DeclaredPatent), load_default=list)
    materials = ma.fields.List(ma.fields.Nested(Material), load_default=list)


@contract("filing.product.submitted", 1)
class ProductSubmittedV1(Declaration):
    """Submitted for review (first time, or again after a return: `submission` counts them)."""

    submission = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))
    submitted_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.withdrawn", 1)
class ProductWithdrawnV1(ProductIdentity):
    """The owner took the submission back before a decision: the product is a draft again."""

    withdrawn_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.filed", 1)
class ProductFiledV1(Declaration):
    """Approved by review: on record with its filing number, as it was submitted."""

    filing_number = ma.fields.String(required=True)
    task_id = ma.fields.String(required=True)
    filed_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.returned", 1)
class ProductReturnedV1(ProductIdentity):
    """Sent back for revision with the reviewer's reasons per field."""

    task_id = ma.fields.String(required=True)
    reasons = ma.fields.List(ma.fields.Nested(Reason), required=True, validate=ma.validate.Length(min=1))
    returned_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.rejected", 1)
class ProductRejectedV1(ProductIdentity):
    task_id = ma.fields.String(required=True)
    reasons = ma.fields.List(ma.fields.Nested(Reason), required=True, validate=ma.validate.Length(min=1))
    rejected_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.cancelled", 1)
class ProductCancelledV1(ProductIdentity):
    """The owner cancelled a filed product (it left the market, its patents lapsed)."""

    filing_number = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
    cancelled_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.revoked", 1)
class ProductRevokedV1(ProductIdentity):
    """An operator revoked a filed product (e.g. a patent dispute arose)."""

    filing_number = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
    revoked_by = ma.fields.String(required=True)
    revoked_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.annual_data_updated", 1)
class AnnualDataUpdatedV1(ProductIdentity):
    """The owner gave a filed product's figures of a year in the annual update window."""

    filing_number = ma.fields.String(required=True)
    data = ma.fields.Nested(EconomicYear, required=True)
    updated_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.recognition_opted_in", 1)
class RecognitionOptedInV1(ProductIdentity):
    """The owner said whether the filed product takes part in a year's recognition (`opt_in`)."""

    filing_number = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    opt_in = ma.fields.Boolean(required=True)
    decided_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.recognised", 1)
class ProductRecognisedV1(ProductIdentity):
    """Filing applied review's recognition: the product is a recognised patent-intensive product."""

    filing_number = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    round_id = ma.fields.String(required=True)
    recognised_at = ma.fields.AwareDateTime(required=True, format="iso")


class ProductToUpdate(ma.Schema):
    product_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    brand = ma.fields.String(required=True)
    model = ma.fields.String(required=True)
    filing_number = ma.fields.String(required=True)


@contract("filing.annual_update.reminder_due", 1)
class AnnualUpdateReminderDueV1(ma.Schema):
    """An organisation's filed products whose previous-year figures (`year`) are not given yet:
    the window has opened (`kind` opening) or closes in 14 days (`last_call`). Published once per
    organisation, product, year and kind by filing's scheduled job `annual-update-reminders`."""

    organisation_id = ma.fields.String(required=True)
    organisation_name = ma.fields.String(required=True)
    province_code = province_code(required=True)
    year = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(("opening", "last_call")))
    opens_on = ma.fields.Date(required=True)
    closes_on = ma.fields.Date(required=True)
    products = ma.fields.List(ma.fields.Nested(ProductToUpdate), required=True, validate=ma.validate.Length(min=1))
# --- re-checks of a filed product's patents (filing's `recheck-patents` job, an annual update) ---

PATENT_PROBLEMS = ("lapsed", "invalidated", "expired", "not_in_force", "not_in_register", "holder_changed",
                   "licence_ended")


class RegisterNow(ma.Schema):
    """What the register says of the patent at the re-check."""

    status = ma.fields.String(load_default=None, allow_none=True)
    holders = ma.fields.List(ma.fields.String(), load_default=None, allow_none=True)
    expires_on = ma.fields.Date(load_default=None, allow_none=True)


@contract("filing.product.patent_problem_found", 1)
class PatentProblemFoundV1(ProductIdentity):
    """A re-check found a patent of a filed product no longer holding: `problem` says what
    changed (lapsed, invalidated, expired, not_in_force, not_in_register, holder_changed,
    licence_ended); the product is at risk, and suspended unless a patent holds by `deadline`."""

    filing_number = ma.fields.String(required=True)
    patent_number = ma.fields.String(required=True)
    problem = ma.fields.String(required=True, validate=ma.validate.OneOf(PATENT_PROBLEMS))
    register = ma.fields.Nested(RegisterNow, required=True)
    check = ma.fields.String(required=True, metadata={"description": "the check: monthly:YYYY-MM, annual-update:YYYY"})
    found_at = ma.fields.AwareDateTime(required=True, format="iso")
    deadline = ma.fields.Date(required=True)


@contract("filing.product.patent_expiring", 1)
class PatentExpiringV1(ProductIdentity):
    """A patent of a filed product expires within 90 days by the register (announced once)."""

    filing_number = ma.fields.String(required=True)
    patent_number = ma.fields.String(required=True)
    expires_on = ma.fields.Date(required=True)
    noticed_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.suspended", 1)
class ProductSuspendedV1(ProductIdentity):
    """No declared patent held by the deadline: the filing is suspended (not valid, no
    certificate) until a re-check finds a patent holding again or the organisation cancels."""

    filing_number = ma.fields.String(required=True)
    deadline = ma.fields.Date(required=True)
    # Not `patents`: that name carries a declaration's patents in the other events.
    lost_patents = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "the patents lost"})
    suspended_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.patent_problems_cleared", 1)
class PatentProblemsClearedV1(ProductIdentity):
    """A re-check found the product's patents holding again: the mark is lifted
    (`suspension_lifted`: the filing was suspended and is valid again). Also when a suspended
    product has one patent holding again while another is still lost (`at_risk` still true)."""

    filing_number = ma.fields.String(required=True)
    suspension_lifted = ma.fields.Boolean(required=True)
    at_risk = ma.fields.Boolean(required=True)
    cleared_at = ma.fields.AwareDateTime(required=True, format="iso")


# --- amendments of a filed product (变更) ----------------------------------------------------------


class AmendedLists(ma.Schema):
    """A filed product's variants, patents and materials (before an amendment, as approved last)."""

    variants = ma.fields.List(ma.fields.String(), load_default=list)
    patents = ma.fields.List(ma.fields.Nested(DeclaredPatent), load_default=list)
    materials = ma.fields.List(ma.fields.Nested(Material), load_default=list)


AMENDED_FIELDS = ("variants", "patents")


@contract("filing.product.amendment_submitted", 1)
class ProductAmendmentSubmittedV1(Declaration):
    """An amendment of a filed product went to review: the declaration as the amendment would
    make it (variants, patents with the register's answer, materials: the product's and the
    amendment's new ones) and `before`, the lists as approved last. The product stays filed."""

    filing_number = ma.fields.String(required=True)
    amendment_id = ma.fields.String(required=True)
    edition = ma.fields.Integer(required=True, metadata={"description": "the edition being amended"})
    changed = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(AMENDED_FIELDS)), load_default=list)
    before = ma.fields.Nested(AmendedLists, required=True)
    submission = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))
    submitted_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.amendment_withdrawn", 1)
class ProductAmendmentWithdrawnV1(ProductIdentity):
    """The owner took a submitted or returned amendment back: closed, the product unchanged."""

    filing_number = ma.fields.String(required=True)
    amendment_id = ma.fields.String(required=True)
    withdrawn_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.amended", 1)
class ProductAmendedV1(Declaration):
    """Review approved an amendment: the product's declaration is the amended one, its filing
    number the same, its `edition` one more."""

    filing_number = ma.fields.String(required=True)
    amendment_id = ma.fields.String(required=True)
    edition = ma.fields.Integer(required=True, validate=ma.validate.Range(min=2))
    task_id = ma.fields.String(required=True)
    amended_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.amendment_returned", 1)
class ProductAmendmentReturnedV1(ProductIdentity):
    """An amendment sent back for revision with the reviewer's reasons per field."""

    filing_number = ma.fields.String(required=True)
    amendment_id = ma.fields.String(required=True)
    task_id = ma.fields.String(required=True)
    reasons = ma.fields.List(ma.fields.Nested(Reason), required=True, validate=ma.validate.Length(min=1))
    returned_at = ma.fields.AwareDateTime(required=True, format="iso")


@contract("filing.product.amendment_rejected", 1)
class ProductAmendmentRejectedV1(ProductIdentity):
    """An amendment rejected with reasons: closed, the product as it was approved last."""

    filing_number = ma.fields.String(required=True)
    amendment_id = ma.fields.String(required=True)
    task_id = ma.fields.String(required=True)
    reasons = ma.fields.List(ma.fields.Nested(Reason), required=True, validate=ma.validate.Length(min=1))
    rejected_at = ma.fields.AwareDateTime(required=True, format="iso")
