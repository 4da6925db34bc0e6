"""An organisation's documents: uploading one, listing them, finding one to download.

Members upload; members, reviewers and operators read, and every listing and download by staff
is audited. A refused file (not really a PDF, JPEG or PNG; over the size limit) leaves nothing
behind: neither a record nor a file. An organisation keeps at most its quota of documents and
bytes (`IDENTITY_QUOTA_DOCUMENT_FILES`, `_BYTES`), counted with its row locked.
"""

from __future__ import annotations

import uuid

from identity.domain.commands import UploadDocument
from identity.domain.model import Document
from identity.service_layer.organisations import own_organisation, visible_organisation
from identity.service_layer.repositories import DocumentFilter
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.attachments import accept_upload
from platform_shared.errors import NotFound
from platform_shared.pages import Page, PageRequest
from platform_shared.principal import Principal
from platform_shared.quotas import StorageQuota
from platform_shared.uploads import ContentStore


def handle_upload_document(command: UploadDocument, uow: IdentityUnitOfWork, store: ContentStore,
                           max_bytes: int, *, quota: StorageQuota) -> Document:
    """Store the file under its SHA-256 (before the transaction) and record it as the
    organisation's document (its members), if the organisation's quota has room for it."""
    organisation = own_organisation(command.principal, command.organisation_id, uow)
    # Refused early when the number of files is already at its quota: the bytes need not arrive.
    quota.files.ensure_room(used=uow.documents.usage(organisation.id).files)
    stored = accept_upload(command.content, store, max_bytes=max_bytes, uploaded_by=command.principal.account_id,
                           original_name=command.original_name)
    document = Document(id=str(uuid.uuid4()), organisation_id=organisation.id, kind=command.kind, file=stored)
    with uow:
        # Counted again with the organisation's row held: two uploads at once cannot both fit.
        uow.organisations.lock(organisation.id)
        quota.ensure_room(uow.documents.usage(organisation.id), stored.size)
        uow.documents.add(document)
    return document


def documents_of(organisation_id: str, kind: str | None, principal: Principal, request: PageRequest,
                 uow: IdentityUnitOfWork) -> Page[Document]:
    """The organisation's documents, newest first (its members and staff; staff audited)."""
    organisation = visible_organisation(principal, organisation_id, uow)
    page = uow.documents.page(DocumentFilter(organisation.id, kind), request)
    if principal.is_staff:
        with uow:
            uow.audit("document.list", "organisation", organisation_id, {"documents": [d.id for d in page.items]})
    return page


def document_to_download(organisation_id: str, document_id: str, principal: Principal,
                         uow: IdentityUnitOfWork) -> Document:
    """One document of the organisation; `NotFound` when it or the organisation is not visible."""
    organisation = visible_organisation(principal, organisation_id, uow)
    document = uow.documents.get(organisation.id, document_id)
    if document is None:
        raise NotFound("No such document.", slug="document-not-found")
    if principal.is_staff:
        with uow:
            uow.audit("document.read", "document", document.id,
                      {"organisation_id": organisation_id, "kind": document.kind, "sha256": document.file.sha256})
    return document
