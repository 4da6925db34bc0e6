"""An organisation's documents over HTTP: members upload, members and staff list and download.

Every listing and download by a reviewer or operator is written to the audit log. Downloads
carry the stored (sniffed) media type, `Content-Disposition: attachment` with a name of our
making, and `X-Content-Type-Options: nosniff`, so a browser never renders them inline.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from identity.domain.commands import UploadDocument
from identity.domain.model import Document
from identity.entrypoints import documents_schemas as schemas
from identity.service_layer import documents
from identity.service_layer.dependencies import IdentityDependencies
from identity.service_layer.unit_of_work import IdentityUnitOfWork
from platform_shared.pages import PageRequest
from platform_shared.web.access import current_principal
from platform_shared.web.attachments import download_doc, stored_attachment, upload_body_limit
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.routes import endpoint

blp = Blueprint("identity-documents", __name__, url_prefix="/api/v1/identity",
                description="An organisation's documents: business licence, integrity commitment, authorisation")
READERS = ("enterprise", "reviewer", "operator")
DOCUMENTS = "/organisations/<organisation_id>/documents"


def _dependencies() -> IdentityDependencies:
    return current_dependencies(IdentityDependencies)


def document_max_bytes() -> int:
    """The configured size of a document (IDENTITY_DOCUMENT_MAX_BYTES, 10 MB by default)."""
    return _dependencies().document_max_bytes


def document_out(document: Document) -> dict[str, Any]:
    stored = document.file
    return {
        "id": document.id, "organisation_id": document.organisation_id, "kind": document.kind,
        "media_type": stored.media_type, "size": stored.size, "sha256": stored.sha256,
        "original_name": stored.original_name, "uploaded_by": stored.uploaded_by,
        "uploaded_at": stored.uploaded_at,
        "url": f"{blp.url_prefix}/organisations/{document.organisation_id}/documents/{document.id}",
    }


@endpoint(blp, DOCUMENTS, "POST", roles=("enterprise",), form=schemas.DocumentForm,
          response=(201, schemas.DocumentOut), max_bytes=upload_body_limit(document_max_bytes), problems=(409,))
def upload(form: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """Upload a document: `kind` and `file` (PDF, JPEG or PNG by its content; 415 otherwise,
    413 over the size limit; nothing is stored then) (its members). 409 `quota-exceeded` when the
    organisation keeps as many documents or bytes as its quota allows."""
    dependencies = _dependencies()
    file = form["file"]
    command = UploadDocument(organisation_id=organisation_id, kind=form["kind"], content=file.stream,
                             original_name=file.filename, principal=current_principal())
    document = documents.handle_upload_document(command, current_uow(IdentityUnitOfWork),
                                                dependencies.document_store, dependencies.document_max_bytes,
                                                quota=dependencies.document_quota)
    return document_out(document)


@endpoint(blp, DOCUMENTS, "GET", roles=READERS, query=schemas.DocumentQuery, response=(200, schemas.DocumentPage))
def list_documents(query: dict[str, Any], organisation_id: str) -> dict[str, Any]:
    """The organisation's documents, newest first (its members, reviewers, operators)."""
    page = documents.documents_of(organisation_id, query["kind"], current_principal(), PageRequest.of(query),
                                  current_uow(IdentityUnitOfWork))
    return page.map(document_out).as_dict()


@endpoint(blp, DOCUMENTS + "/<document_id>", "GET", roles=READERS, response=None,
          doc={"responses": download_doc("The document's bytes, as uploaded")})
def download(organisation_id: str, document_id: str) -> Response:
    """The document itself, as an attachment (its members, reviewers, operators)."""
    document = documents.document_to_download(organisation_id, document_id, current_principal(),
                                               current_uow(IdentityUnitOfWork))
    return stored_attachment(_dependencies().document_store, document.file.sha256, document.file.media_type,
                             f"{document.kind}-{document.id}")
