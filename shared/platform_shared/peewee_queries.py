"""Query pieces every peewee repository uses: a page of a selection, and a case-insensitive
substring test that treats the text as plain characters on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any, TypeVar

import peewee

from platform_shared.database import is_postgres
from platform_shared.pages import Page, PageRequest

M = TypeVar("M", bound=peewee.Model)


def select_page(selection: peewee.ModelSelect[M], request: PageRequest, *order: Any) -> Page[M]:
    """One page of `selection` in `order`, with the total count before paging."""
    total = selection.count()
    items = selection.order_by(*order).paginate(request.page, request.per_page)
    return Page(list(items), total)


def contains(field: peewee.Field, text: str) -> peewee.Expression:
    """`text` occurs in `field`, ignoring case; no LIKE wildcards (`%`, `_` are plain characters)."""
    model: Any = field.model
    position = peewee.fn.strpos if is_postgres(model._meta.database) else peewee.fn.instr
    result: peewee.Expression = position(peewee.fn.lower(field), text.lower()) > 0
    return result
