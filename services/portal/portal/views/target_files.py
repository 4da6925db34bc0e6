"""A target list file as the operator's and the province admin's pages send it: the form's
file under the name typed, and the API's errors by the file's row."""

from __future__ import annotations

import re

from flask import request

from portal.transport import ApiResponse
from portal.views import api

REPORTING = "/api/v1/reporting"
LIST_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def file_row_errors(errors: dict[str, list[str]]) -> list[tuple[str, str, list[str]]]:
    """A target file's errors as (row, field, messages): the API names a row as the spreadsheet
    shows it (`rows.3.uscc`: row 3), which the portal's field words would count from 0."""
    rows = []
    for key, messages in errors.items():
        parts = key.split(".")
        if parts[0] == "rows" and len(parts) >= 2:
            rows.append((parts[1], ".".join(parts[2:]), list(messages)))
        else:
            rows.append(("", key, list(messages)))
    return rows


def put_target_file(values: dict[str, str]) -> ApiResponse:
    """Send the form's list file to the API under the name typed (the operator's and the
    province admin's pages alike)."""
    upload = request.files.get("file")
    files = {"file": (upload.filename, upload.read(), upload.mimetype or "application/octet-stream")} \
        if upload and upload.filename else {}
    # A name no list can have goes as one the API refuses with its own words (no-such-list).
    name = values["name"] if LIST_NAME.match(values["name"]) else "-"
    return api().call("PUT", f"{REPORTING}/target-lists/{name}/file", form={"title": values["title"]}, files=files)
