"""Sending a stored upload back: always as an attachment, never rendered inline.

The response carries the stored (sniffed) media type, `Content-Disposition: attachment` with a
name of our making (never the uploader's), `X-Content-Type-Options: nosniff` and no caching.
"""

from __future__ import annotations

import logging

from flask import Response, send_file

from platform_shared.uploads import EXTENSIONS, ContentNotFound, ContentStore
from platform_shared.web.problems import Problem

log = logging.getLogger(__name__)


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
