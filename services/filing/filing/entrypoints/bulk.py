"""Bulk filing over HTTP: upload a CSV or XLSX of products, get drafts and every row's errors;
download the template to fill in."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import Response, send_file

from filing.domain.commands import BulkCreate
from filing.entrypoints import bulk_schemas as schemas
from filing.entrypoints.products_schemas import ProductDraft
from filing.service_layer.bulk import FieldErrors, handle_bulk
from filing.service_layer.dependencies import FilingDependencies
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.web.access import current_principal
from platform_shared.web.attachments import upload_body_limit
from platform_shared.web.blueprint import ServiceBlueprint as Blueprint
from platform_shared.web.context import current_dependencies, current_uow
from platform_shared.web.problems import field_errors
from platform_shared.web.routes import endpoint

blp = Blueprint("filing-bulk", __name__, url_prefix="/api/v1/filing", description="Bulk filing from a spreadsheet")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_DOC = {"200": {"description": "The bulk filing template", "content": {
    XLSX: {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string", "format": "binary"}}}}}


def _dependencies() -> FilingDependencies:
    return current_dependencies(FilingDependencies)


def _validate(draft: Mapping[str, Any]) -> tuple[dict[str, Any] | None, FieldErrors]:
    """A row as `POST /products` validates its body."""
    try:
        loaded: dict[str, Any] = ProductDraft().load(draft)
    except ma.ValidationError as exc:
        return None, field_errors(exc.messages)
    return loaded, {}


@endpoint(blp, "/products/bulk", "POST", roles=("enterprise",), form=schemas.BulkForm,
          response=(200, schemas.BulkResult), problems=(401, 403, 409, 413, 415, 422),
          max_bytes=upload_body_limit(lambda: _dependencies().bulk_max_bytes))
def bulk(form: dict[str, Any]) -> dict[str, Any]:
    """Create drafts from a CSV (UTF-8 or GB18030) or XLSX file laid out as the template
    (members of a verified organisation).

    Every row is checked like `POST /products`: the answer gives the drafts made (`created`,
    with their rows) and every other row's errors by column; a row with errors writes nothing.
    The file as a whole is refused with 415 (not a spreadsheet) or 422 (unreadable, wrong
    columns, no rows, too many rows), and with 409 (`quota-exceeded`, no draft made) when its valid
    rows would take your organisation past its drafts quota.
    """
    file = form["file"]
    command = BulkCreate(file.stream.read(), file.filename, current_principal())
    dependencies = _dependencies()
    return handle_bulk(command, current_uow(FilingUnitOfWork), dependencies.bulk_files, _validate,
                       quota=dependencies.draft_quota)


@endpoint(blp, "/products/bulk/template", "GET", roles=("enterprise", "operator"), query=schemas.TemplateQuery,
          response=None, problems=(401, 403), doc={"responses": TEMPLATE_DOC})
def template(query: dict[str, Any]) -> Response:
    """The bulk filing template: `format=xlsx` (default; with the columns explained and the
    industry fields listed) or `csv` (UTF-8 with BOM, the header only)."""
    body = _dependencies().bulk_files.template(query["format"])
    if query["format"] == "csv":
        media, name = "text/csv; charset=utf-8", "bulk-filing-template.csv"
    else:
        media, name = XLSX, "bulk-filing-template.xlsx"
    return send_file(io.BytesIO(body), mimetype=media, as_attachment=True, download_name=name, conditional=False,
                     etag=False, max_age=0)
