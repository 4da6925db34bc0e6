"""filing's tables (peewee): products with their declaration, the platform-wide claims on a
brand and model, filing-number sequences, review decisions applied, recognition opt-ins, and
filing's local view of organisations.

Money is stored as whole fen (BigInteger): exact on PostgreSQL and SQLite alike, and sums stay
exact; the API and events speak decimal yuan strings.
"""

import peewee

from platform_shared.tables import ServiceTables, StoredFileColumns, YearFiguresColumns

tables = ServiceTables()
database = tables.database
Outbox = tables.Outbox
Inbox = tables.Inbox
AuditLog = tables.AuditLog


class BaseModel(peewee.Model):
    """The base of filing's tables, bound to its database (declared as a class, which mypy can
    follow; `tables.Model` is made at run time)."""

    class Meta:
        database = tables.database


class OrganisationView(BaseModel):
    """What filing knows of an organisation, only from identity's events."""

    organisation_id = peewee.CharField(primary_key=True, max_length=36)
    name = peewee.CharField(max_length=200, default="")
    province_code = peewee.CharField(max_length=6)
    status = peewee.CharField(max_length=32)
    aggregate_version = peewee.IntegerField()
    uscc = peewee.CharField(max_length=18, null=True)
    former_names = peewee.TextField(default="[]")  # JSON list, oldest first

    class Meta:
        table_name = "organisation_view"


class Product(BaseModel):
    id = peewee.CharField(primary_key=True, max_length=36)
    organisation_id = peewee.CharField(max_length=36, index=True)
    name = peewee.CharField(max_length=200)
    brand = peewee.CharField(max_length=100)
    model = peewee.CharField(max_length=100)
    # Normalised brand and model (domain.product_identity): what "the same product" means.
    model_key = peewee.CharField(max_length=400, index=True)
    industry_code = peewee.CharField(max_length=16, index=True)
    description = peewee.TextField(default="")
    launched_on = peewee.DateField(null=True)
    variants = peewee.TextField(default="[]")  # JSON list of strings
    status = peewee.CharField(max_length=16, index=True)
    version = peewee.IntegerField()
    submissions = peewee.IntegerField(default=0)
    # Set when it is submitted (the organisation's province then) and kept: the filing's province.
    province_code = peewee.CharField(max_length=6, null=True)
    filing_number = peewee.CharField(max_length=32, null=True, unique=True)
    submitted_at = peewee.DateTimeField(null=True)
    filed_at = peewee.DateTimeField(null=True)
    # The newest decision of review ({task_id, outcome, reasons, decided_at}), JSON.
    last_decision = peewee.TextField(null=True)
    # Why it was cancelled or revoked, and by whom.
    closing_reason = peewee.TextField(null=True)
    closed_by = peewee.CharField(max_length=36, null=True)
    closed_at = peewee.DateTimeField(null=True)
    # What the re-checks of its patents found: at risk since, the deadline, suspended since.
    at_risk_since = peewee.DateTimeField(null=True, index=True)
    patent_deadline = peewee.DateField(null=True)
    suspended_at = peewee.DateTimeField(null=True)
    # The edition of its declared state (1 as filed, + 1 per approved amendment) and when amended.
    edition = peewee.IntegerField(default=1)
    amended_at = peewee.DateTimeField(null=True)
    created_by = peewee.CharField(max_length=36)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        table_name = "product"


class EconomicYear(BaseModel, YearFiguresColumns):
    product = peewee.ForeignKeyField(Product, backref="economic_years", on_delete="CASCADE",
                                     column_name="product_id")
    updated_at = peewee.DateTimeField()

    class Meta:
        table_name = "economic_year"
        indexes = ((("product", "year"), True),)


class PatentDeclaration(BaseModel):
    product = peewee.ForeignKeyField(Product, backref="patents", on_delete="CASCADE", column_name="product_id")
    position = peewee.IntegerField()
    number = peewee.CharField(max_length=20)  # normalised application number
    kind = peewee.CharField(max_length=16)
    title = peewee.CharField(max_length=300, default="")
    holder = peewee.CharField(max_length=200, default="")
    relation = peewee.CharField(max_length=16)
    license_record_no = peewee.CharField(max_length=64, null=True)
    dispute = peewee.BooleanField(default=False)

    class Meta:
        table_name = "patent_declaration"
        indexes = ((("product", "number"), True),)


class Material(BaseModel, StoredFileColumns):
    """A proof material of a product; its bytes live in the content store under their SHA-256."""

    id = peewee.CharField(primary_key=True, max_length=36)
    product = peewee.ForeignKeyField(Product, backref="materials", on_delete="CASCADE", column_name="product_id")
    kind = peewee.CharField(max_length=32)
    # Uploaded to an open amendment: the product's own once the amendment is approved.
    amendment_id = peewee.CharField(max_length=36, null=True, index=True)

    class Meta:
        table_name = "material"


class ModelClaim(BaseModel):
    """A brand and model taken platform-wide by a product under review or on record.

    The primary key is what makes two concurrent submissions of the same product impossible:
    the second insert fails in the database, whatever the application checked before.
    """

    model_key = peewee.CharField(primary_key=True, max_length=400)
    product_id = peewee.CharField(max_length=36, unique=True)
    organisation_id = peewee.CharField(max_length=36)
    claimed_at = peewee.DateTimeField()

    class Meta:
        table_name = "model_claim"


class FilingSequence(BaseModel):
    """The last sequence number given per year and province: numbers only go up."""

    year = peewee.IntegerField()
    province_prefix = peewee.CharField(max_length=2)
    last = peewee.IntegerField()

    class Meta:
        table_name = "filing_sequence"
        primary_key = peewee.CompositeKey("year", "province_prefix")


class ProductDecision(BaseModel):
    """A review decision filing applied (one per task: a repeated decision changes nothing)."""

    task_id = peewee.CharField(primary_key=True, max_length=36)
    product = peewee.ForeignKeyField(Product, backref="decisions", on_delete="CASCADE", column_name="product_id")
    outcome = peewee.CharField(max_length=16)
    reasons = peewee.TextField(default="[]")
    reviewer_id = peewee.CharField(max_length=36)
    decided_at = peewee.DateTimeField()
    applied_at = peewee.DateTimeField()
    event_id = peewee.CharField(max_length=36)

    class Meta:
        table_name = "product_decision"


class RecognitionOptIn(BaseModel):
    product = peewee.ForeignKeyField(Product, backref="opt_ins", on_delete="CASCADE", column_name="product_id")
    year = peewee.IntegerField()
    opt_in = peewee.BooleanField()
    decided_by = peewee.CharField(max_length=36)
    decided_at = peewee.DateTimeField()

    class Meta:
        table_name = "recognition_opt_in"
        indexes = ((("product", "year"), True),)


class Recognition(BaseModel):
    """A year in which review recognised the product (from `review.product.recognised`)."""

    product = peewee.ForeignKeyField(Product, backref="recognitions", on_delete="CASCADE", column_name="product_id")
    year = peewee.IntegerField()
    round_id = peewee.CharField(max_length=36)
    recognised_at = peewee.DateTimeField()

    class Meta:
        table_name = "recognition"
        indexes = ((("product", "year"), True),)


class AnnualUpdateReminder(BaseModel):
    """A reminder of the annual update sent for a product: once per product, year and kind
    (`opening`, `last_call`), so a repeated or retried run sends nothing twice."""

    product = peewee.ForeignKeyField(Product, backref="annual_reminders", on_delete="CASCADE",
                                     column_name="product_id")
    year = peewee.IntegerField()
    kind = peewee.CharField(max_length=16)
    organisation_id = peewee.CharField(max_length=36)
    sent_at = peewee.DateTimeField()

    class Meta:
        table_name = "annual_update_reminder"
        indexes = ((("product", "year", "kind"), True),)
class RecheckRequest(BaseModel):
    """A re-check of every product on record asked for by an event (a recognition round opened:
    `round:<id>`), run by filing's worker outside the consumer's transaction; `done_at` once run."""

    check_key = peewee.CharField(primary_key=True, max_length=64)
    requested_at = peewee.DateTimeField()
    done_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "recheck_request"


class PatentRecheck(BaseModel):
    """One re-check of one declared patent of a product on record (one per product, patent and
    check: `check_key` is `monthly:2027-01`, `annual-update:2027`, `expiry-notice:2027-03-01`…),
    with what the register said; what makes a repeated job run change nothing."""

    product = peewee.ForeignKeyField(Product, backref="rechecks", on_delete="CASCADE", column_name="product_id")
    number = peewee.CharField(max_length=20)
    check_key = peewee.CharField(max_length=64)
    checked_at = peewee.DateTimeField()
    problem = peewee.CharField(max_length=32, null=True)  # None: the patent holds
    register = peewee.TextField(default="{}")  # JSON: status, holders, expires_on

    class Meta:
        table_name = "patent_recheck"
        indexes = ((("product", "number", "check_key"), True),)


class ProductAmendment(BaseModel):
    """An amendment (变更) of a filed product: the amended variants and patents (JSON) beside the
    state it amends, its status and review's newest decision."""

    id = peewee.CharField(primary_key=True, max_length=36)
    product = peewee.ForeignKeyField(Product, backref="amendments", on_delete="CASCADE", column_name="product_id")
    organisation_id = peewee.CharField(max_length=36, index=True)
    status = peewee.CharField(max_length=16, index=True)
    variants = peewee.TextField(default="[]")
    patents = peewee.TextField(default="[]")
    before_variants = peewee.TextField(default="[]")
    before_patents = peewee.TextField(default="[]")
    version = peewee.IntegerField()
    submissions = peewee.IntegerField(default=0)
    submitted_at = peewee.DateTimeField(null=True)
    edition = peewee.IntegerField(null=True)
    last_decision = peewee.TextField(null=True)
    created_by = peewee.CharField(max_length=36)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    closed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "product_amendment"
