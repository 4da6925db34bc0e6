"""Paginated lists as the contract fixes them: `?page=1&per_page=50` (at most 200), and a
response with `items` and `total`."""

from __future__ import annotations

import marshmallow as ma

MAX_PER_PAGE = 200


class PageQuery(ma.Schema):
    """Base of every list's query schema; a list adds its own filters."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE))


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The response schema of a list of `item`: `{items: [...], total: n}`."""
    return ma.Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item), required=True),
        "total": ma.fields.Integer(required=True),
    }, name=name)

