"""identity's tables (peewee), bound at start to the database of the configuration."""

import peewee

from platform_shared.tables import ServiceTables

tables = ServiceTables()
database = tables.database
Outbox = tables.Outbox
Inbox = tables.Inbox
AuditLog = tables.AuditLog


BaseModel = tables.Model


class Organisation(BaseModel):
    id = peewee.CharField(primary_key=True, max_length=36)
    name = peewee.CharField(max_length=200)
    uscc = peewee.CharField(max_length=18, unique=True)
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

    class Meta:
        table_name = "organisation"


class Account(BaseModel):
    id = peewee.CharField(primary_key=True, max_length=36)
    email = peewee.CharField(max_length=254, unique=True)
    password_hash = peewee.TextField()
    role = peewee.CharField(max_length=32)
    organisation = peewee.ForeignKeyField(Organisation, null=True, backref="accounts",
                                          on_delete="RESTRICT", column_name="organisation_id")
    province_code = peewee.CharField(max_length=6, null=True)
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField()

    class Meta:
        table_name = "account"


class RefreshToken(BaseModel):
    """One refresh token, stored only as its SHA-256; each use replaces it by a new one of the
    same family, and a second use of a spent token revokes the family (it was stolen)."""

    id = peewee.CharField(primary_key=True, max_length=36)
    account = peewee.ForeignKeyField(Account, backref="refresh_tokens", on_delete="CASCADE",
                                     column_name="account_id")
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
    token_hash = peewee.CharField(max_length=64, unique=True)
    purpose = peewee.CharField(max_length=32)
    created_at = peewee.DateTimeField()
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "password_setup"
