"""Bulk filing: many drafts from one spreadsheet.

Every row is validated like `POST /products`, and the answer lists every row's errors by
column. Valid rows become drafts in one transaction, each in its own savepoint: a row that
fails while being written (a duplicate found in the database) leaves nothing behind, and a
crash half-way leaves no drafts at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import marshmallow as ma

from filing.adapters.bulk_files import BulkRow, column_of
from filing.domain.product_identity import model_key
from filing.service_layer.access import filing_organisation
from filing.service_layer.drafts import insert_draft
from platform_shared.auth.tokens import Principal
from platform_shared.unit_of_work import UnitOfWork
from platform_shared.web.problems import Problem, field_errors

Validate = Callable[[dict], dict]


def _by_column(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for path, messages in errors.items():
        columns.setdefault(column_of(path), []).extend(messages)
    return columns


def bulk_create(rows: Sequence[BulkRow], validate: Validate, principal: Principal, uow: UnitOfWork) -> dict[str, Any]:
    filing_organisation(principal)  # 403 for the whole file, before any row is looked at
    errors: dict[int, dict[str, list[str]]] = {}
    valid: list[tuple[int, dict]] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        try:
            draft = validate(row.draft)
        except ma.ValidationError as exc:
            errors[row.number] = _by_column(field_errors(exc.messages))
            continue
        key = model_key(draft["brand"], draft["model"])
        if key in first_row_of:
            errors[row.number] = {column_of("model"): [f"the same brand and model as row {first_row_of[key]}"]}
            continue
        first_row_of[key] = row.number
        valid.append((row.number, draft))
    created = []
    with uow:
        for number, draft in valid:
            try:
                with uow:
                    product = insert_draft(draft, principal)
            except Problem as problem:
                errors[number] = _by_column(problem.errors or {"": [problem.detail]})
                continue
            created.append({"row": number, "id": product.id})
    return {"rows": len(rows), "created": created,
            "errors": [{"row": number, "errors": errors[number]} for number in sorted(errors)]}
