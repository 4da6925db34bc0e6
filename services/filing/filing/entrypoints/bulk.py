"""Bulk filing over HTTP: upload a CSV or XLSX of products, get drafts and every row's errors;
download the template to fill in."""

from __future__ import annotations

import io
import zipfile

from flask import Response, g, send_file

from filing.adapters.bulk_files import BulkFileRefused, read_bulk_file, template_csv, template_xlsx
from filing.entrypoints import schemas
from filing.service_layer.bulk import bulk_create
from platform_shared.uploads import MULTIPART_ALLOWANCE, sniff_media_type
from platform_shared.web.access import current_principal, requires
from platform_shared.web.app import accepts
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_runtime
from platform_shared.web.problems import Problem

blp = Blueprint("filing-bulk", __name__, url_prefix="/api/v1/filing", description="Bulk filing from a spreadsheet")
BEARER = [{"bearerAuth": []}]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_DOC = {"200": {"description": "The bulk filing template", "content": {
    XLSX: {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string", "format": "binary"}}}}}
problems = blp.problems


def _body_limit() -> int:
    return current_runtime().components["bulk_max_bytes"] + MULTIPART_ALLOWANCE


def _not_a_spreadsheet(content: bytes) -> bool:
    """Content that is plainly something else: a PDF or picture, a ZIP of something other than a
    workbook, any other binary. (A damaged workbook is unreadable, not disguised: 422.)"""
    head = content[:8192]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "xl/workbook.xml" not in archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
    return sniff_media_type(head[:16]) is not None or b"\x00" in head


@blp.route("/products/bulk", methods=["POST"])
@blp.doc(security=BEARER)
@requires("enterprise")
@blp.arguments(schemas.BulkForm, location="form", content_type="multipart/form-data")
@blp.response(200, schemas.BulkResult)
@problems(401, 403, 413, 415, 422)
@accepts("multipart/form-data", max_bytes=_body_limit)
def bulk(form: dict) -> dict:
    """Create drafts from a CSV (UTF-8 or GB18030) or XLSX file laid out as the template
    (members of a verified organisation).

    Every row is checked like `POST /products`: the answer gives the drafts made (`created`,
    with their rows) and every other row's errors by column; a row with errors writes nothing.
    The file as a whole is refused with 415 (not a spreadsheet) or 422 (unreadable, wrong
    columns, no rows, too many rows).
    """
    content = form["file"].stream.read()
    try:
        rows = read_bulk_file(content, form["file"].filename)
    except BulkFileRefused as exc:
        status = 415 if _not_a_spreadsheet(content) else 422
        raise Problem(status, exc.reason, slug="bulk-file-refused", errors={"file": [exc.reason]}) from None
    validate = schemas.ProductDraft().load
    return bulk_create(rows, validate, current_principal(), current_runtime().unit_of_work(g.request_id))


@blp.route("/products/bulk/template", methods=["GET"])
@blp.doc(security=BEARER, responses=TEMPLATE_DOC)
@requires("enterprise", "operator")
@blp.arguments(schemas.TemplateQuery, location="query")
@problems(401, 403)
def template(query: dict) -> Response:
    """The bulk filing template: `format=xlsx` (default; with the columns explained and the
    industry fields listed) or `csv` (UTF-8 with BOM, the header only)."""
    if query["format"] == "csv":
        body, media, name = template_csv(), "text/csv; charset=utf-8", "bulk-filing-template.csv"
    else:
        body, media, name = template_xlsx(), XLSX, "bulk-filing-template.xlsx"
    return send_file(io.BytesIO(body), mimetype=media, as_attachment=True, download_name=name, conditional=False,
                     etag=False, max_age=0)
