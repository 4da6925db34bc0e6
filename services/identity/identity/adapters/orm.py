"""identity's tables (peewee), bound at start to the database of the configuration.

Only `repository` (and the migrations) use them: the handlers see the domain's objects."""

from __future__ import annotations

import peewee

from identity.domain.holds import RELEASED
from identity.domain.province_ports import HOLDS_THE_PROVINCE
from platform_shared.tables import ServiceTables, StoredFileColumns

USCC_HELD_INDEX = "organisation_uscc_held"
tables = ServiceTables()
database = tables.database
Outbox = tables.Outbox
Inbox = tables.Inbox
AuditLog = tables.AuditLog


class BaseModel(peewee.Model):
    """The base of identity's own tables: `tables.Model`, spelt as a class a type checker can
    follow (it cannot take a base class made at run time)."""

    class Meta:
        database = tables.database


class Organisation(BaseModel):
    id = peewee.CharField(primary_key=True, max_length=36)
    name = peewee.CharField(max_length=200)
    # Unique among the registrations that hold it (the partial index below): a lapsed or
    # suspended one has released it for another registration.
    uscc = peewee.CharField(max_length=18, index=True)
    kind = peewee.CharField(max_length=32)
    province_code = peewee.CharField(max_length=6, index=True)
    city_code = peewee.CharField(max_length=6, null=True)
    address = peewee.CharField(max_length=300)
    legal_representative_name = peewee.CharField(max_length=100)
    # Encrypted at rest (Fernet); only ever shown masked.
    legal_representative_id_encrypted = peewee.TextField()
    legal_representative_id_masked = peewee.CharField(max_length=18)
    contact_name = peewee.CharField(max_length=100)
    contact_phone = peewee.CharField(max_length=32)
    contact_email = peewee.CharField(max_length=254)
    status = peewee.CharField(max_length=32, default="registered")
    version = peewee.IntegerField(default=1)
    registered_at = peewee.DateTimeField()
    # When its contact was told that an unverified registration's hold ends soon (once).
    hold_warned_at = peewee.DateTimeField(null=True)
    # When it released its USCC (`lapsed` or `suspended`).
    released_at = peewee.DateTimeField(null=True)
    # The status it was suspended from; when an operator last reinstated it.
    suspended_from = peewee.CharField(max_length=32, null=True)
    reinstated_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "organisation"


Organisation.add_index(
    Organisation.index(Organisation.uscc, unique=True, name=USCC_HELD_INDEX)
    # A literal condition: DDL takes no bound parameters on every driver.
    .where(peewee.SQL("status NOT IN ({})".format(", ".join(f"'{s}'" for s in RELEASED)))))


class Account(BaseModel):
    id = peewee.CharField(primary_key=True, max_length=36)
    email = peewee.CharField(max_length=254, unique=True)
    password_hash = peewee.TextField()
    role = peewee.CharField(max_length=32)
    organisation = peewee.ForeignKeyField(Organisation, null=True, backref="accounts",
                                          on_delete="RESTRICT", column_name="organisation_id")
    organisation_id: str | None  # the key itself, as peewee gives it (for the type checker)
    province_code = peewee.CharField(max_length=6, null=True)
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField()
    organisation_admin = peewee.BooleanField(default=False)
    deactivated_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "account"


class RefreshToken(BaseModel):
    """One refresh token, stored only as its SHA-256; each use replaces it by a new one of the
    same family, and a second use of a spent token revokes the family (it was stolen)."""

    id = peewee.CharField(primary_key=True, max_length=36)
    account = peewee.ForeignKeyField(Account, backref="refresh_tokens", on_delete="CASCADE",
                                     column_name="account_id")
    account_id: str
    family_id = peewee.CharField(max_length=36, index=True)
    token_hash = peewee.CharField(max_length=64, unique=True)
    issued_at = peewee.DateTimeField()
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "refresh_token"


class PasswordSetup(BaseModel):
    """A one-time permission to set an account's password (new staff, invited members,
    province admins): stored only as the SHA-256 of the token that the mail carries."""

    id = peewee.CharField(primary_key=True, max_length=36)
    account = peewee.ForeignKeyField(Account, backref="password_setups", on_delete="CASCADE",
                                     column_name="account_id")
    account_id: str
    token_hash = peewee.CharField(max_length=64, unique=True)
    purpose = peewee.CharField(max_length=32)
    created_at = peewee.DateTimeField()
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "password_setup"


def _organisations_own(backref: str) -> peewee.ForeignKeyField:
    """The key of a record that belongs to an organisation (which cannot go while it has any)."""
    return peewee.ForeignKeyField(Organisation, backref=backref, on_delete="RESTRICT", column_name="organisation_id")


class Document(BaseModel, StoredFileColumns):
    """An organisation's document: the bytes live in the content store under their SHA-256, a row
    says which organisation it belongs to. Rows are never changed: a new upload of the same kind is
    a new row, and the newest of a kind is the one a verification request names."""

    id = peewee.CharField(primary_key=True, max_length=36)
    organisation = _organisations_own("documents")
    organisation_id: str
    kind = peewee.CharField(max_length=32)

    class Meta:
        table_name = "document"
        indexes = ((("organisation", "kind", "uploaded_at"), False),)


class ChangeRequest(BaseModel):
    """A verified organisation's request to change its name or legal representative (reviewed).
    At most one `pending` per organisation: the partial unique index below."""

    id = peewee.CharField(primary_key=True, max_length=36)
    organisation = _organisations_own("change_requests")
    organisation_id: str
    requested_by = peewee.CharField(max_length=36)
    name = peewee.CharField(max_length=200)
    legal_representative_name = peewee.CharField(max_length=100)
    legal_representative_id_encrypted = peewee.TextField()
    legal_representative_id_masked = peewee.CharField(max_length=18)
    changes = peewee.TextField(default="[]")  # JSON: [{field, before, after}]
    document_ids = peewee.TextField(default="[]")  # JSON: the documents it brings
    requested_at = peewee.DateTimeField()
    status = peewee.CharField(max_length=16, default="pending")
    task_id = peewee.CharField(max_length=36, null=True)
    decided_at = peewee.DateTimeField(null=True)
    reasons = peewee.TextField(default="[]")

    class Meta:
        table_name = "organisation_change_request"


ChangeRequest.add_index(
    ChangeRequest.index(ChangeRequest.organisation, unique=True, name="change_request_one_pending")
    .where(peewee.SQL("status = 'pending'")))


class OrganisationDecision(BaseModel):
    """A reviewer's decision on an organisation, as identity applied it. One row per review task
    (`task_id` unique): a second decision on the same task is refused by the database. Reasons are
    kept as JSON, as the reviewer wrote them."""

    id = peewee.CharField(primary_key=True, max_length=36)
    organisation = _organisations_own("decisions")
    organisation_id: str
    task_id = peewee.CharField(max_length=36, unique=True)
    outcome = peewee.CharField(max_length=16)
    reasons = peewee.TextField(default="[]")
    reviewer_id = peewee.CharField(max_length=36)
    decided_at = peewee.DateTimeField()
    applied_at = peewee.DateTimeField()
    # The event that carried the decision (the inbox already drops a redelivery of it).
    event_id = peewee.CharField(max_length=36)

    class Meta:
        table_name = "organisation_decision"
        indexes = ((("organisation", "decided_at"), False),)


class SignInGuard(BaseModel):
    """One row per e-mail address with recent wrong passwords (registered or not)."""

    email = peewee.CharField(primary_key=True, max_length=254)
    failures = peewee.IntegerField(default=0)
    first_failure_at = peewee.DateTimeField(null=True)
    locked_until = peewee.DateTimeField(null=True)
    # After this the row means nothing any more (window passed, lock over): it may be pruned.
    expires_at = peewee.DateTimeField(index=True, null=True)

    class Meta:
        table_name = "sign_in_guard"


class ProvincePortApplication(BaseModel):
    """A provincial port application. A partial unique index lets at most one application per
    province be `submitted` or `approved` at a time, so two offices (or one office clicking twice)
    racing for the same province cannot both get through: the database refuses the second row."""

    id = peewee.CharField(primary_key=True, max_length=36)
    province_code = peewee.CharField(max_length=6, index=True)
    office_name = peewee.CharField(max_length=200)
    contact_name = peewee.CharField(max_length=100)
    contact_title = peewee.CharField(max_length=100)
    contact_phone = peewee.CharField(max_length=32)
    contact_email = peewee.CharField(max_length=254)
    # The signed form, in the file store under its SHA-256; never under the sender's file name.
    form_sha256 = peewee.CharField(max_length=64)
    form_media_type = peewee.CharField(max_length=64)
    form_size = peewee.IntegerField()
    status = peewee.CharField(max_length=16, index=True)
    reason = peewee.TextField(null=True)
    submitted_at = peewee.DateTimeField(index=True)
    decided_at = peewee.DateTimeField(null=True)
    decided_by = peewee.CharField(max_length=36, null=True)
    # The province admin account an approval created.
    account_id = peewee.CharField(max_length=36, null=True)

    class Meta:
        table_name = "province_port_application"


ProvincePortApplication.add_index(
    ProvincePortApplication.index(ProvincePortApplication.province_code, unique=True,
                                  name="province_port_application_one_open_per_province")
    # A literal condition: DDL takes no bound parameters on every driver.
    .where(peewee.SQL("status IN ({})".format(", ".join(f"'{s}'" for s in HOLDS_THE_PROVINCE)))))
