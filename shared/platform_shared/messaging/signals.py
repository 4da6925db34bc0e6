"""Waking a thread of this process when another did something it waits for, without polling.

`CommitSignal` counts occurrences; a waiter remembers the count it last saw and waits for a
different one. Two of them:

- `OUTBOX_COMMITS`: a unit of work committed outbox rows (or a consumer's batch did); the
  relays of this process publish then (`messaging.outbox`).
- `BUS_PUBLISHES`: a message was put on the in-process `memory://` bus; its idle consumers look
  at their queues then (`messaging.consumer`), instead of every few hundredths of a second.

Both only ever wake threads of this one process: a relay or consumer of its own (deployment, on
RabbitMQ) is never notified, and polls (a relay) or is pushed to by the broker (a consumer).
"""

from __future__ import annotations

import threading


class CommitSignal:
    """How many times something happened in this process; a waiter waits for the next one.

    A count rather than an Event: each waiter remembers the count it last saw, so one waking
    cannot swallow the signal of another, and an occurrence that lands while a waiter works
    (after it took the count) makes its next wait return at once — nothing is missed.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._count = 0

    @property
    def count(self) -> int:
        return self._count

    def notify(self) -> None:
        with self._changed:
            self._count += 1
            self._changed.notify_all()

    def wait_after(self, seen: int, timeout: float) -> None:
        """Return when an occurrence after `seen` happened, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._count != seen, timeout)


OUTBOX_COMMITS = CommitSignal()
BUS_PUBLISHES = CommitSignal()
