"""The HTTP answer for a file a query made: always as an attachment with a name of reporting's
making (a report as JSON excepted: that is the answer itself), never cached, a long CSV sent
as it is written."""

from __future__ import annotations

import io

from flask import Response, send_file

from reporting.service_layer.downloads import Download

# A file's bytes, as an OpenAPI document describes a response's content.
BINARY = {"schema": {"type": "string", "format": "binary"}}


def download_response(download: Download) -> Response:
    if not download.attachment:
        return Response(download.content, mimetype=download.media_type)
    if isinstance(download.content, bytes):
        return send_file(io.BytesIO(download.content), mimetype=download.media_type, as_attachment=True,
                         download_name=download.name, conditional=False, etag=False, max_age=0)
    response = Response(download.content, mimetype=download.media_type)
    response.headers["Content-Disposition"] = f"attachment; filename={download.name}"
    return response
