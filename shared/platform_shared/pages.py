"""A page of a list, as the contract fixes it: `?page=1&per_page=50`, and `items` with the
`total` before paging."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = 50

    @classmethod
    def of(cls, query: Mapping[str, Any]) -> PageRequest:
        """From a validated list query (`page`, `per_page`)."""
        return cls(page=int(query.get("page", 1)), per_page=int(query.get("per_page", 50)))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        return Page([convert(item) for item in self.items], self.total)

    def as_dict(self) -> dict[str, Any]:
        """`{"items": [...], "total": n}`, as a list response says it."""
        return {"items": list(self.items), "total": self.total}


def page_in_memory(items: Sequence[T], request: PageRequest) -> Page[T]:
    """One page of an ordered sequence (fakes, small lists)."""
    return Page(list(items[request.offset:request.offset + request.per_page]), len(items))
