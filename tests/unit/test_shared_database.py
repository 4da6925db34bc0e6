"""Opening databases (platform_shared.database): SQLite as the embedded default uses it."""

from __future__ import annotations

import threading

import peewee
import pytest

from platform_shared.database import open_database

pytestmark = pytest.mark.unit


def test_a_sqlite_transaction_that_reads_then_writes_survives_a_concurrent_writer(tmp_path):
    # The embedded default: an HTTP request's transaction reads, the outbox relay (another
    # thread) commits a write meanwhile, then the request writes. In WAL mode a transaction
    # begun DEFERRED could not upgrade its stale read snapshot ("database is locked" at once,
    # whatever the busy timeout); one begun IMMEDIATE holds the write lock from its start and
    # the other writer waits for it instead.
    database = open_database(f"sqlite:///{tmp_path / 'service.db'}")

    class Row(peewee.Model):
        n = peewee.IntegerField()

        class Meta:
            table_name = "row"

    read_done, other_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def other_writer() -> None:
        try:
            read_done.wait(5)
            with database.connection_context():
                Row.create(n=2)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            other_done.set()

    with database.bind_ctx([Row]):
        database.create_tables([Row])
        writer = threading.Thread(target=other_writer)
        writer.start()
        with database.connection_context(), database.atomic():
            assert list(Row.select()) == []
            read_done.set()
            other_done.wait(0.5)
            Row.create(n=1)
        writer.join(20)
        assert not errors, errors
        with database.connection_context():
            assert sorted(row.n for row in Row.select()) == [1, 2]
    database.close_all()
