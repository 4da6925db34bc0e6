"""The table of provincial port applications (peewee), on identity's database.

A partial unique index lets at most one application per province be `submitted` or
`approved` at a time, so two offices (or one office clicking twice) racing for the same
province cannot both get through: the database refuses the second row.
"""

import peewee

from identity.adapters.orm import BaseModel
from identity.domain.province_ports import HOLDS_THE_PROVINCE


class ProvincePortApplication(BaseModel):
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
