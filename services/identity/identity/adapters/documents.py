"""The table of organisations' documents (peewee): which file, of what kind, from whom.

The bytes live in the content store under their SHA-256 (`platform_shared.uploads`); a row
here says which organisation it belongs to. Rows are never changed: a new upload of the same
kind is a new row, and the newest of a kind is the one a verification request names.
"""

import peewee

from identity.adapters.orm import BaseModel, Organisation
from platform_shared.tables import StoredFileColumns


class Document(BaseModel, StoredFileColumns):
    id = peewee.CharField(primary_key=True, max_length=36)
    organisation = peewee.ForeignKeyField(Organisation, backref="documents", on_delete="RESTRICT",
                                          column_name="organisation_id")
    kind = peewee.CharField(max_length=32)

    class Meta:
        table_name = "document"
        indexes = ((("organisation", "kind", "uploaded_at"), False),)
