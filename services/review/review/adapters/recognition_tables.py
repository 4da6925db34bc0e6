"""review's tables for recognition (peewee): its own view of filed products, kept only from
filing's events, and the recognition rounds with their benchmarks, results, objections and
evidence.

Money is whole fen (BigInteger), as in filing: exact on PostgreSQL and SQLite alike. Indicator
values and benchmarks are decimal strings, exactly as shown and compared.
"""

from __future__ import annotations

import peewee

from platform_shared.tables import StoredFileColumns, YearFiguresColumns
from review.adapters.orm import ReviewTable


class FiledProduct(ReviewTable):
    """A product on record in filing, as review learnt it from filing's events.

    `aggregate_version` is the newest product version whose identity and status are applied:
    an older event arriving late never overwrites a newer state.
    """

    product_id = peewee.CharField(primary_key=True, max_length=36)
    organisation_id = peewee.CharField(max_length=36)
    organisation_name = peewee.CharField(max_length=200, default="")
    province_code = peewee.CharField(max_length=6, null=True)
    name = peewee.CharField(max_length=200)
    brand = peewee.CharField(max_length=100)
    model = peewee.CharField(max_length=100)
    industry_code = peewee.CharField(max_length=16, index=True)
    status = peewee.CharField(max_length=16, index=True)
    aggregate_version = peewee.IntegerField()
    filing_number = peewee.CharField(max_length=32, null=True)
    filed_at = peewee.DateTimeField(null=True)
    # The declared patents as filed, JSON [{number, kind, relation}]; set by `filing.product.filed`.
    patents = peewee.TextField(null=True)
    # The edition of the declaration the patents are of: 1 as filed, one more per approved
    # amendment (`filing.product.amended`).
    edition = peewee.IntegerField(default=1)

    class Meta:
        table_name = "filed_product"


class FiledProductYear(ReviewTable, YearFiguresColumns):
    """A year's figures of a filed product; `aggregate_version` of the event that gave them."""

    product_id = peewee.CharField(max_length=36)
    aggregate_version = peewee.IntegerField()

    class Meta:
        table_name = "filed_product_year"
        indexes = ((("product_id", "year"), True), (("year",), False))


class FiledProductOptIn(ReviewTable):
    product_id = peewee.CharField(max_length=36)
    year = peewee.IntegerField()
    opt_in = peewee.BooleanField()
    aggregate_version = peewee.IntegerField()

    class Meta:
        table_name = "filed_product_opt_in"
        indexes = ((("product_id", "year"), True), (("year", "opt_in"), False))


class FiledProductRecognition(ReviewTable):
    """A year in which filing applied a recognition of the product (`filing.product.recognised`)."""

    product_id = peewee.CharField(max_length=36)
    year = peewee.IntegerField()
    round_id = peewee.CharField(max_length=36)

    class Meta:
        table_name = "filed_product_recognition"
        indexes = ((("product_id", "year"), True),)


class RecognitionRound(ReviewTable):
    id = peewee.CharField(primary_key=True, max_length=36)
    year = peewee.IntegerField(index=True)
    cut_off = peewee.DateField()
    industry_codes = peewee.TextField()  # JSON list of the fields (industry codes) it covers
    state = peewee.CharField(max_length=16, index=True)
    version = peewee.IntegerField()
    config_version = peewee.CharField(max_length=64, null=True)
    created_by = peewee.CharField(max_length=36)
    created_at = peewee.DateTimeField(index=True)
    evaluated_at = peewee.DateTimeField(null=True)
    notice_ends_on = peewee.DateField(null=True)
    published_at = peewee.DateTimeField(null=True)
    finalised_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)
    close_reason = peewee.TextField(null=True)
    # The year while the round is under way, else NULL: unique, so that two operators opening a
    # round of one year at once cannot both succeed (NULLs never collide).
    year_under_way = peewee.IntegerField(null=True, unique=True)

    class Meta:
        table_name = "recognition_round"


class RoundBenchmark(ReviewTable):
    round_id = peewee.CharField(max_length=36)
    industry_code = peewee.CharField(max_length=16)
    indicator = peewee.CharField(max_length=64)
    indicator_name = peewee.CharField(max_length=100)
    position = peewee.IntegerField()
    value = peewee.CharField(max_length=64, null=True)
    source = peewee.CharField(max_length=16)
    statistic = peewee.CharField(max_length=200)
    sample_size = peewee.IntegerField(null=True)

    class Meta:
        table_name = "recognition_benchmark"
        indexes = ((("round_id", "industry_code", "indicator"), True),)


class RoundResult(ReviewTable):
    """One opted-in product's result in a round, with what the public list shows of it."""

    round_id = peewee.CharField(max_length=36)
    product_id = peewee.CharField(max_length=36)
    industry_code = peewee.CharField(max_length=16)
    name = peewee.CharField(max_length=200)
    brand = peewee.CharField(max_length=100)
    model = peewee.CharField(max_length=100)
    organisation_name = peewee.CharField(max_length=200)
    province_code = peewee.CharField(max_length=6, null=True)
    formal_reasons = peewee.TextField(default="[]")  # JSON [{check, message}]
    indicators = peewee.TextField(default="[]")  # JSON [{code, value, benchmark, reached, note}]
    proposed = peewee.BooleanField()
    removed_by = peewee.CharField(max_length=36, null=True)  # the upheld objection
    recognised = peewee.BooleanField(default=False)

    class Meta:
        table_name = "recognition_result"
        indexes = ((("round_id", "product_id"), True),)


class Objection(ReviewTable):
    id = peewee.CharField(primary_key=True, max_length=36)
    round_id = peewee.CharField(max_length=36, index=True)
    product_id = peewee.CharField(max_length=36)
    reasons = peewee.TextField()
    raised_by = peewee.CharField(max_length=36)
    raised_by_role = peewee.CharField(max_length=32)
    raised_at = peewee.DateTimeField()
    state = peewee.CharField(max_length=16)
    decision_reason = peewee.TextField(null=True)
    decided_by = peewee.CharField(max_length=36, null=True)
    decided_at = peewee.DateTimeField(null=True)
    # Whose quotas it counts against: `organisation:<id>`, or `account:<id>` for a raiser without one
    # (`organisation:` and a UUID are 49 characters).
    owner = peewee.CharField(max_length=64, default="")

    class Meta:
        table_name = "recognition_objection"
        indexes = ((("round_id", "owner", "state"), False),)


class ObjectionEvidence(ReviewTable, StoredFileColumns):
    """A file supporting an objection; its bytes live in the evidence store under their SHA-256."""

    id = peewee.CharField(primary_key=True, max_length=36)
    objection_id = peewee.CharField(max_length=36, index=True)

    class Meta:
        table_name = "recognition_objection_evidence"
