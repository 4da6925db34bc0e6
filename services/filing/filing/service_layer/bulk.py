"""Bulk filing: many drafts from one spreadsheet.

Every row is validated like `POST /products`, and the answer lists every row's errors by
column. Valid rows become drafts in one transaction, each in its own savepoint: a row that
fails while being written (a duplicate found in the database) leaves nothing behind, and a
crash half-way leaves no drafts at all. A file whose valid rows would take the organisation past
its drafts quota creates none (`QuotaExceeded`): which rows to leave out is the owner's choice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from filing.domain.bulk import BulkFileRefused, column_of
from filing.domain.commands import BulkCreate
from filing.domain.product_identity import model_key
from filing.service_layer.access import filing_organisation
from filing.service_layer.dependencies import BulkFiles
from filing.service_layer.drafts import ensure_room_for_drafts, insert_draft
from filing.service_layer.unit_of_work import FilingUnitOfWork
from platform_shared.errors import DomainError, Rule, RuleBroken, UnsupportedMedia
from platform_shared.quotas import Quota

FieldErrors = dict[str, list[str]]
# A row's draft validated as `POST /products` validates it: the body, or its errors by field path.
Validate = Callable[[Mapping[str, Any]], tuple[dict[str, Any] | None, FieldErrors]]


def _by_column(errors: Mapping[str, list[str]]) -> FieldErrors:
    columns: FieldErrors = {}
    for path, messages in errors.items():
        columns.setdefault(column_of(path), []).extend(messages)
    return columns


def handle_bulk(command: BulkCreate, uow: FilingUnitOfWork, files: BulkFiles, validate: Validate, *,
                quota: Quota) -> dict[str, Any]:
    try:
        rows = files.read(command.content, command.filename)
    except BulkFileRefused as exc:
        reason = Rule(exc.reason, f"bulk.{exc.code}")
        if exc.unsupported:
            raise UnsupportedMedia(exc.reason, slug="bulk-file-refused", errors={"file": [reason]}) from None
        raise RuleBroken({"file": [reason]}, exc.reason, slug="bulk-file-refused") from None
    with uow:
        filing_organisation(command.principal, uow)  # 403 for the whole file, before any row is looked at
    errors: dict[int, FieldErrors] = {}
    valid: list[tuple[int, dict[str, Any]]] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        draft, invalid = validate(row.draft)
        if draft is None:
            errors[row.number] = _by_column(invalid)
            continue
        key = model_key(draft["brand"], draft["model"])
        if key in first_row_of:
            errors[row.number] = {column_of("model"): [f"the same brand and model as row {first_row_of[key]}"]}
            continue
        first_row_of[key] = row.number
        valid.append((row.number, draft))
    created = []
    with uow:
        if valid:
            organisation = ensure_room_for_drafts(command.principal, uow, quota, len(valid))
        for number, draft in valid:
            try:
                with uow:
                    product = insert_draft(draft, command.principal, uow, organisation)
            except DomainError as refused:
                errors[number] = _by_column(refused.errors or {"": [refused.detail]})
                continue
            created.append({"row": number, "id": product.id})
    return {"rows": len(rows), "created": created,
            "errors": [{"row": number, "errors": errors[number]} for number in sorted(errors)]}
