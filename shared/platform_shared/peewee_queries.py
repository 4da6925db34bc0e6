"""Query pieces every peewee repository uses: a page of a selection, a case-insensitive
substring test that treats the text as plain characters on PostgreSQL and SQLite alike, the lock
of an owner's row and the files an owner keeps (for quotas)."""

from __future__ import annotations

from typing import Any, TypeVar

import peewee

from platform_shared.database import is_postgres
from platform_shared.pages import Page, PageRequest
from platform_shared.quotas import Usage

M = TypeVar("M", bound=peewee.Model)


def select_page(selection: peewee.ModelSelect[M], request: PageRequest, *order: Any) -> Page[M]:
    """One page of `selection` in `order`, with the total count before paging."""
    total = selection.count()
    items = selection.order_by(*order).paginate(request.page, request.per_page)
    return Page(list(items), total)


def delete_from(model: type[peewee.Model]) -> peewee.ModelDelete:
    """`DELETE FROM` the model's table, to be narrowed with `.where()`; what `Model.delete()` builds
    (whose descriptor in the type stubs mypy cannot resolve through the class)."""
    return peewee.ModelDelete(model)


def contains(field: peewee.Field, text: str) -> peewee.Expression:
    """`text` occurs in `field`, ignoring case; no LIKE wildcards (`%`, `_` are plain characters)."""
    model: Any = field.model
    position = peewee.fn.strpos if is_postgres(model._meta.database) else peewee.fn.instr
    result: peewee.Expression = position(peewee.fn.lower(field), text.lower()) > 0
    return result


def lock_row(model: type[peewee.Model], key: str) -> bool:
    """Hold the row of `model` whose primary key is `key` until the transaction ends, so that what
    is counted against it next (a quota) stays true until the insert commits; False if no such row.

    PostgreSQL: `SELECT … FOR UPDATE` (a second transaction waits here, then counts what the first
    committed). SQLite needs nothing more: the platform's transactions begin IMMEDIATE
    (`database.open_database`), holding the database's one write lock from their start."""
    meta: Any = model._meta
    return locked_row(model, key, meta.primary_key) is not None


def locked_row(model: type[M], key: str, *columns: Any) -> M | None:
    """The row of `model` whose primary key is `key` (its `columns`, all by default), held as
    `lock_row` holds it: reading and locking in one statement; None if no such row."""
    meta: Any = model._meta
    primary: Any = meta.primary_key
    selection = model.select(*columns).where(primary == key)
    if is_postgres(meta.database):
        selection = selection.for_update()
    rows = list(selection)
    return rows[0] if rows else None


def stored_usage(selection: peewee.ModelSelect[M], size: peewee.Field) -> Usage:
    """How many files `selection` holds and the sum of their `size` column."""
    row: Any = selection.select(peewee.fn.COUNT(size), peewee.fn.COALESCE(peewee.fn.SUM(size), 0)).tuples().get()
    return Usage(files=int(row[0]), bytes=int(row[1]))
