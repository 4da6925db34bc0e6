"""reporting's tables: the event archive, the read models built from it (organisations, products,
and the counters that keep each province's figures), frozen monthly reports and target lists."""

from typing import TYPE_CHECKING

import peewee

from platform_shared.tables import ServiceTables

tables = ServiceTables()
database = tables.database
Outbox = tables.Outbox
Inbox = tables.Inbox
AuditLog = tables.AuditLog

# Rows one statement names at most (SQLite takes at most 999 parameters a statement).
BATCH = 500

if TYPE_CHECKING:  # mypy takes no class held in a variable as a base: it sees the base's type
    BaseModel = peewee.Model
else:
    BaseModel = tables.Model


class ArchivedEvent(BaseModel):
    """Every event received, as received: read models can be rebuilt from here alone."""

    id = peewee.BigAutoField()
    event_id = peewee.CharField(max_length=36, unique=True)
    type = peewee.CharField(max_length=128, index=True)
    aggregate_id = peewee.CharField(max_length=200)
    aggregate_version = peewee.IntegerField()
    occurred_at = peewee.DateTimeField()
    body = peewee.TextField()

    class Meta:
        table_name = "event_archive"


class OrganisationView(BaseModel):
    organisation_id = peewee.CharField(primary_key=True, max_length=36)
    name = peewee.CharField(max_length=200)
    uscc = peewee.CharField(max_length=18, index=True)
    kind = peewee.CharField(max_length=32)
    province_code = peewee.CharField(max_length=6, index=True)
    city_code = peewee.CharField(max_length=6, null=True)
    status = peewee.CharField(max_length=32)
    aggregate_version = peewee.IntegerField()
    registered_at = peewee.DateTimeField()
    # False while the registration itself has not arrived (a later event came first).
    registration_seen = peewee.BooleanField(default=True)

    class Meta:
        table_name = "organisation_view"


class ProductView(BaseModel):
    """What reporting knows of a product, only from filing's events."""

    product_id = peewee.CharField(primary_key=True, max_length=36)
    organisation_id = peewee.CharField(max_length=36, index=True)
    organisation_name = peewee.CharField(max_length=200, default="")
    province_code = peewee.CharField(max_length=6)
    city_code = peewee.CharField(max_length=6, null=True)
    organisation_kind = peewee.CharField(max_length=32, null=True)
    name = peewee.CharField(max_length=200)
    brand = peewee.CharField(max_length=100)
    model = peewee.CharField(max_length=100)
    industry_code = peewee.CharField(max_length=16)
    status = peewee.CharField(max_length=16)
    filing_number = peewee.CharField(max_length=32, null=True)
    filed_at = peewee.DateTimeField(null=True)
    filed_month = peewee.CharField(max_length=7, null=True)
    recognised = peewee.BooleanField(default=False)
    patents = peewee.TextField(default="{}")  # JSON {kind: count}
    revenue_fen = peewee.TextField(default="{}")  # JSON {year: fen}
    # JSON {year: {sales_revenue_fen, sales_volume, export_revenue_fen, profit_fen, ip_investment_fen}}
    economic_data = peewee.TextField(default="{}")
    suspended = peewee.BooleanField(default=False)
    aggregate_version = peewee.IntegerField()

    class Meta:
        table_name = "product_view"
        indexes = ((("province_code", "status"), False), (("province_code", "filed_month"), False))


class Counter(BaseModel):
    """How much one figure of one province moved in one month, as events arrived:
    (province, dimension, key, month) → change. A figure now is the sum over every month; as of a
    month's end, the sum up to that month (month '' holds what was counted before months were
    kept, and counts in every month)."""

    province_code = peewee.CharField(max_length=6)
    dimension = peewee.CharField(max_length=32)
    key = peewee.CharField(max_length=64)
    month = peewee.CharField(max_length=7, default="")
    value = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "counter_by_month"
        primary_key = peewee.CompositeKey("province_code", "dimension", "key", "month")


class MonthlyReport(BaseModel):
    """A month's report of one province (or `national`), frozen when published."""

    id = peewee.CharField(primary_key=True, max_length=36)
    month = peewee.CharField(max_length=7)
    scope = peewee.CharField(max_length=8)  # a province code, or "national"
    body = peewee.TextField()  # the figures, JSON
    published_at = peewee.DateTimeField()

    class Meta:
        table_name = "monthly_report"
        indexes = ((("month", "scope"), True),)


class YearEvaluation(BaseModel):
    """A year's evaluation of every province, frozen when the year is closed (`close-year`)."""

    year = peewee.IntegerField(primary_key=True)
    body = peewee.TextField()  # the evaluation, JSON
    closed_at = peewee.DateTimeField()

    class Meta:
        table_name = "year_evaluation"


class TargetList(BaseModel):
    name = peewee.CharField(primary_key=True, max_length=64)
    title = peewee.CharField(max_length=200)
    uploaded_by = peewee.CharField(max_length=36)
    uploaded_at = peewee.DateTimeField()

    class Meta:
        table_name = "target_list"


class TargetMember(BaseModel):
    target_list = peewee.ForeignKeyField(TargetList, backref="members", on_delete="CASCADE", column_name="list_name")
    uscc = peewee.CharField(max_length=18)
    name = peewee.CharField(max_length=200, default="")
    province_code = peewee.CharField(max_length=6, index=True)

    class Meta:
        table_name = "target_member"
        indexes = ((("target_list", "uscc"), True),)
