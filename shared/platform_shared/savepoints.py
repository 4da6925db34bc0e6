"""Units of work nested in a batch's transaction without savepoints, when the batch can be redone.

A consumer handles a batch of events in one transaction; each handler's `with uow:` block nested
in it is a savepoint (SAVEPOINT and RELEASE: two round trips per event on PostgreSQL), there only
so that a block that fails undoes its own writes and nothing else. Inside `without_savepoints()`
a nested block takes none; if one of them fails (rolls back), the batch is marked `tainted`, and
the caller must roll the whole transaction back and redo the batch with savepoints — which the
consumer does anyway when anything in the batch fails (`messaging.consumer`). So the outcome is
the same as with savepoints; only the common case, where nothing fails, is cheaper.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Batch:
    """Whether a block nested in the batch rolled back (its writes were not undone alone)."""

    tainted: bool = False


_CURRENT: ContextVar[Batch | None] = ContextVar("batch_without_savepoints", default=None)


class SavepointsNeeded(Exception):
    """A unit of work nested in the batch rolled back: redo the batch with savepoints."""


@contextmanager
def without_savepoints() -> Iterator[Batch]:
    """Within the caller's open transaction: units of work nested in it take no savepoint."""
    batch = Batch()
    token = _CURRENT.set(batch)
    try:
        yield batch
    finally:
        _CURRENT.reset(token)


def current_batch() -> Batch | None:
    """The batch this thread handles without savepoints, if any."""
    return _CURRENT.get()
