"""Publishing a batch of messages and knowing the broker has them (publisher confirms).

`ConfirmedPublisher.publish_batch` returns only once RabbitMQ has confirmed every message of
the batch, and raises if any was refused (nack) or no confirm came in time. The messages of a
batch are sent back to back and the confirms collected afterwards, so a batch of N costs
one round trip instead of N. On `memory://` a publish is immediate and needs no confirm.

Guarantee: at-least-once. When this raises, some messages of the batch may still have
reached the broker; the caller publishes them again and consumers drop the duplicates.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kombu.connection import Connection
from kombu.entity import Exchange
from kombu.messaging import Producer

from platform_shared.messaging.signals import BUS_PUBLISHES
from platform_shared.messaging.topology import ensure_exchanges


class PublishNotConfirmed(Exception):
    """The broker refused a message, or did not confirm it in time."""


@dataclass(frozen=True)
class OutgoingMessage:
    routing_key: str
    body: str
    message_id: str
    type: str = ""
    correlation_id: str | None = None
    headers: Mapping[str, object] = field(default_factory=dict)


class ConfirmedPublisher:
    """Publishes batches on one channel of `connection`, waiting for the broker's confirms."""

    def __init__(self, connection: Connection, exchange: Exchange, confirm_timeout: float = 30.0):
        self._connection = connection
        self._exchange = exchange
        self._confirm_timeout = confirm_timeout
        self._channel: Any = None  # kombu's channel of the transport (amqp's or the memory one)
        self._producer: Producer | None = None
        self._next_tag = 1
        self._unconfirmed: set[int] = set()
        self._nacked: set[int] = set()
        self._confirms = connection.transport.driver_type == "amqp"

    def _open(self) -> Producer:
        if self._producer is None:
            self._channel = self._connection.channel()
            if self._confirms:
                self._channel.confirm_select()
                self._channel.events["basic_ack"].add(self._on_ack)
                self._channel.events["basic_nack"].add(self._on_nack)
                self._next_tag = 1
                self._unconfirmed.clear()
                self._nacked.clear()
            if self._confirms:
                # The exchanges are the topology step's: checked (declared only where they are
                # missing, by an administrator), as a service's user may publish but not declare.
                ensure_exchanges(self._channel, amqp=True)
            self._producer = Producer(self._channel, exchange=self._exchange, auto_declare=not self._confirms)
        return self._producer

    def _settle(self, delivery_tag: int, multiple: bool) -> set[int]:
        settled = {t for t in self._unconfirmed if t <= delivery_tag} if multiple else {delivery_tag}
        self._unconfirmed -= settled
        return settled

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked |= self._settle(delivery_tag, multiple)

    def publish_batch(self, messages: Sequence[OutgoingMessage]) -> None:
        """Send all, then wait until each is confirmed; raise `PublishNotConfirmed` otherwise."""
        producer = self._open()
        for message in messages:
            producer.publish(
                message.body.encode("utf-8"),
                routing_key=message.routing_key,
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=message.message_id,
                type=message.type or message.routing_key,
                correlation_id=message.correlation_id,
                headers=dict(message.headers),
                retry=False,
            )
            if self._confirms:
                self._unconfirmed.add(self._next_tag)
                self._next_tag += 1
        if self._confirms:
            self._wait_for_confirms()
        elif messages:
            BUS_PUBLISHES.notify()  # memory://: this process's idle consumers look now

    def _wait_for_confirms(self) -> None:
        deadline = time.monotonic() + self._confirm_timeout
        while self._unconfirmed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.reset()
                raise PublishNotConfirmed("no confirm from the broker in time")
            try:
                self._connection.drain_events(timeout=min(remaining, 1.0))
            except TimeoutError:
                continue
        if self._nacked:
            count = len(self._nacked)
            self._nacked.clear()
            raise PublishNotConfirmed(f"the broker refused {count} message(s)")

    def keep_alive(self) -> None:
        """Keep an idle connection open: read what the broker sent, send a heartbeat when due.

        kombu sends AMQP heartbeats only when asked (`heartbeat_check`), and a connection that
        is never read looks dead to that check: without this, RabbitMQ drops a publisher that
        sat idle for two heartbeat intervals and its next batch fails. Call it every few
        seconds while idle; raises the connection's error when the broker is gone.
        """
        if self._producer is None or not self._confirms:
            return  # nothing opened yet, or memory:// (no heartbeats)
        with contextlib.suppress(TimeoutError):
            self._connection.drain_events(timeout=0)
        self._connection.heartbeat_check()

    def close(self) -> None:
        """Forget the channel and close the connection (a publisher given up for a new one)."""
        self.reset()
        # A broken connection may fail to close; it is gone anyway.
        with contextlib.suppress(Exception):
            self._connection.release()

    def reset(self) -> None:
        """Forget the channel (after a connection error); the next batch opens a new one."""
        # The channel may already be gone with its connection.
        with contextlib.suppress(Exception):
            if self._channel is not None:
                self._channel.close()
        self._channel = None
        self._producer = None
        self._unconfirmed.clear()
        self._nacked.clear()
