"""An organisation's documents over HTTP: members upload, members and staff list and download.

Every listing and download by a reviewer or operator is written to the audit log. Downloads
carry the stored (sniffed) media type, `Content-Disposition: attachment` with a name of our
making, and `X-Content-Type-Options: nosniff`, so a browser never renders them inline.
"""

from __future__ import annotations

import logging

from flask import Response

from identity.adapters.documents import Document
from identity.adapters.orm import AuditLog
from identity.entrypoints import organisation_schemas as schemas
from identity.service_layer.documents import UploadDocument, document_of, documents_of, upload_document
from identity.service_layer.organisations import is_staff
from platform_shared.uploads import DOCUMENT_TYPES, MULTIPART_ALLOWANCE
from platform_shared.web.access import current_principal, requires
from platform_shared.web.app import accepts
from platform_shared.web.attachments import stored_attachment
from platform_shared.web.audit import audit_request
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.pagination import page_of

log = logging.getLogger(__name__)
blp = Blueprint("identity-documents", __name__, url_prefix="/api/v1/identity",
                description="An organisation's documents: business licence, integrity commitment, authorisation")
BEARER = [{"bearerAuth": []}]
READERS = ("enterprise", "reviewer", "operator")
_BINARY = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD_DOC = {"200": {"description": "The document's bytes, as uploaded",
                        "content": dict.fromkeys(DOCUMENT_TYPES, _BINARY)}}


def _upload_body_limit() -> int:
    """The configured document size plus room for the form around it (checked before reading)."""
    return current_runtime().components["document_max_bytes"] + MULTIPART_ALLOWANCE


def document_out(document: Document) -> dict:
    return {
        "id": document.id, "organisation_id": document.organisation_id, "kind": document.kind,
        "media_type": document.media_type, "size": document.size, "sha256": document.sha256,
        "original_name": document.original_name, "uploaded_by": document.uploaded_by,
        "uploaded_at": document.uploaded_at,
        "url": f"{blp.url_prefix}/organisations/{document.organisation_id}/documents/{document.id}",
    }


@blp.route("/organisations/<organisation_id>/documents", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.DocumentForm, location="form", content_type="multipart/form-data")
@blp.response(201, schemas.DocumentOut)
@accepts("multipart/form-data", max_bytes=_upload_body_limit)
def upload(form: dict, organisation_id: str) -> dict:
    """Upload a document: `kind` and `file` (PDF, JPEG or PNG by its content; 415 otherwise,
    413 over the size limit; nothing is stored then) (its members)."""
    runtime = current_runtime()
    file = form["file"]
    command = UploadDocument(organisation_id=organisation_id, kind=form["kind"], content=file.stream,
                             original_name=file.filename)
    document = upload_document(command, current_principal(), runtime.database,
                               runtime.components["document_store"], runtime.components["document_max_bytes"])
    return document_out(document)


@blp.route("/organisations/<organisation_id>/documents", methods=["GET"])
@blp.doc(security=BEARER)
@requires(*READERS)
@blp.arguments(schemas.DocumentQuery, location="query")
@blp.response(200, schemas.DocumentPage)
def list_documents(query: dict, organisation_id: str) -> dict:
    """The organisation's documents, newest first (its members, reviewers, operators)."""
    principal = current_principal()
    selection = documents_of(principal, organisation_id)
    if query["kind"]:
        selection = selection.where(Document.kind == query["kind"])
    page = page_of(selection, query, Document.uploaded_at.desc(), Document.id)
    if is_staff(principal):
        audit_request(AuditLog, "document.list", "organisation", organisation_id,
                      {"documents": [d.id for d in page["items"]]})
    return {"items": [document_out(d) for d in page["items"]], "total": page["total"]}


@blp.route("/organisations/<organisation_id>/documents/<document_id>", methods=["GET"])
@blp.doc(security=BEARER, responses=DOWNLOAD_DOC)
@requires(*READERS)
def download(organisation_id: str, document_id: str) -> Response:
    """The document itself, as an attachment (its members, reviewers, operators)."""
    principal = current_principal()
    document = document_of(principal, organisation_id, document_id)
    if is_staff(principal):
        audit_request(AuditLog, "document.read", "document", document.id,
                      {"organisation_id": organisation_id, "kind": document.kind, "sha256": document.sha256})
    return stored_attachment(current_runtime().components["document_store"], document.sha256,
                             document.media_type, f"{document.kind}-{document.id}")
