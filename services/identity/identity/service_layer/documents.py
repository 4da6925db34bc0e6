"""An organisation's documents: uploading one, listing them, finding one to download.

Members upload; members, reviewers and operators read. A refused file (not really a PDF,
JPEG or PNG; over the size limit) leaves nothing behind: neither a row nor a file.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import BinaryIO

import peewee

from identity.adapters.documents import Document
from identity.service_layer.organisations import own_organisation, visible_organisation
from platform_shared.auth.tokens import Principal
from platform_shared.uploads import ContentStore, UploadRefused, plain_file_name, receive
from platform_shared.web.problems import Problem


@dataclass(frozen=True)
class UploadDocument:
    organisation_id: str
    kind: str
    content: BinaryIO
    original_name: str | None


def upload_document(command: UploadDocument, principal: Principal, database: peewee.Database,
                    store: ContentStore, max_bytes: int) -> Document:
    """Store the file under its SHA-256 and record it as the organisation's document."""
    organisation = own_organisation(principal, command.organisation_id)
    try:
        stored = receive(command.content, store, max_bytes=max_bytes)
    except UploadRefused as refused:
        raise refused.under("file") from None
    with database.atomic():
        return Document.create(
            id=str(uuid.uuid4()), organisation=organisation, kind=command.kind, sha256=stored.sha256,
            media_type=stored.media_type, size=stored.size, original_name=plain_file_name(command.original_name),
            uploaded_by=principal.account_id, uploaded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))


def documents_of(principal: Principal, organisation_id: str) -> peewee.ModelSelect:
    """The organisation's documents (for its members and staff), to be ordered and paged."""
    organisation = visible_organisation(principal, organisation_id)
    return Document.select().where(Document.organisation == organisation.id)


def document_of(principal: Principal, organisation_id: str, document_id: str) -> Document:
    """One document of the organisation; 404 when it or the organisation is not visible."""
    organisation = visible_organisation(principal, organisation_id)
    document = Document.get_or_none((Document.id == document_id) & (Document.organisation == organisation.id))
    if document is None:
        raise Problem(404, "No such document.", slug="document-not-found")
    return document


def current_documents(organisation_id: str) -> dict[str, Document]:
    """The newest document of each kind the organisation uploaded."""
    newest: dict[str, Document] = {}
    for document in (Document.select().where(Document.organisation == organisation_id)
                     .order_by(Document.uploaded_at, Document.id)):
        newest[document.kind] = document
    return newest

