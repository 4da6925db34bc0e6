"""A document shown inside the reviewer's page rather than downloaded.

Only what the bytes prove to be a PDF, JPEG or PNG — and what the API stored as that same type
— is ever answered inline, with that type and `X-Content-Type-Options: nosniff`: a file that
claims to be a PDF but starts like HTML, or whose type the API and the bytes disagree on, is
refused (404; the download link still gives it as an attachment). Images carry a CSP `sandbox`
with nothing allowed, so opened on their own they run nothing in the portal's origin. A PDF
does not: Chromium refuses to start its PDF viewer in a sandboxed document (crbug.com/413851,
"This page has been blocked"), so for a PDF the guard is the type itself — it is rendered by
the browser's viewer in a process of its own, never as a page of the portal — and it is opened
in a tab of its own, never framed (`frame-ancestors 'none'`, X-Frame-Options DENY as every
page of the portal).
"""

from __future__ import annotations

from flask import Response

from platform_shared.uploads import EXTENSIONS, HEAD_BYTES, PDF, sniff_media_type
from portal.transport import ApiResponse

IMAGE_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
PDF_POLICY = "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"


def inline_type(response: ApiResponse) -> str | None:
    """The media type to show the answer inline as, or None if it may not be shown inline."""
    proven = sniff_media_type(response.content[:HEAD_BYTES])
    return proven if proven is not None and proven == response.media_type else None


def inline_document(response: ApiResponse, stem: str) -> Response | None:
    """The file as an inline answer, or None (see `inline_type`)."""
    media_type = inline_type(response)
    if media_type is None:
        return None
    answer = Response(response.content, status=200, mimetype=media_type)
    answer.headers["Content-Disposition"] = f'inline; filename="{stem}.{EXTENSIONS[media_type]}"'
    answer.headers["Content-Security-Policy"] = PDF_POLICY if media_type == PDF else IMAGE_POLICY
    answer.headers["Cache-Control"] = "private, no-store"
    return answer
