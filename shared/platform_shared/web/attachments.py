"""Uploads and downloads of stored files over HTTP, declared once for every service.

- `upload_body_limit()`: the body limit of an upload endpoint (the file's own limit plus what the
  multipart form carries besides).
- `download_doc()`: the OpenAPI entry of an endpoint answering with a stored file.
- `stored_attachment()`: the file itself, always as an attachment, never rendered inline: the
  stored (sniffed) media type, `Content-Disposition: attachment` with a name of our making
  (never the uploader's), `X-Content-Type-Options: nosniff` and no caching.
- `pdf_doc()`, `generated_pdf()`: the same for a PDF a service renders on request (a
  certificate, a prefilled form).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import Response, send_file

from platform_shared.uploads import DOCUMENT_TYPES, EXTENSIONS, MULTIPART_ALLOWANCE, ContentNotFound, ContentStore
from platform_shared.web.problems import Problem

log = logging.getLogger(__name__)
_BINARY = {"schema": {"type": "string", "format": "binary"}}


def upload_body_limit(file_limit: Callable[[], int]) -> Callable[[], int]:
    """The largest body of an upload endpoint, asked in each request: the file's own limit (from
    the service's configuration) plus what a multipart form carries besides."""
    return lambda: file_limit() + MULTIPART_ALLOWANCE


def download_doc(description: str, media_types: Iterable[str] = DOCUMENT_TYPES) -> dict[str, Any]:
    """The `responses` entry of an endpoint that answers with a stored file's bytes."""
    return {"200": {"description": description, "content": dict.fromkeys(media_types, _BINARY)}}


def stored_attachment(store: ContentStore, sha256: str, media_type: str, stem: str) -> Response:
    """The content `sha256` of `store` as `<stem>.<extension of media_type>`."""
    try:
        content = store.open(sha256)
    except ContentNotFound:
        log.error("%s: its content %s is missing from the store", stem, sha256)
        raise Problem(500, "The file is missing from the store; it has been logged.") from None
    response = send_file(content, mimetype=media_type, as_attachment=True,
                         download_name=f"{stem}.{EXTENSIONS.get(media_type, 'bin')}",
                         conditional=False, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def pdf_doc(description: str) -> dict[str, Any]:
    """The `responses` entry of an endpoint that answers with a PDF it renders."""
    return download_doc(description, ("application/pdf",))


def generated_pdf(pdf: bytes, name: str) -> Response:
    """A rendered PDF as the attachment `name`, under the same headers as a stored file (it may
    hold an organisation's data: never cached)."""
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=name,
                         conditional=False, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
