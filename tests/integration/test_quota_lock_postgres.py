"""A quota counted under the owner's row lock on the real PostgreSQL: uploads arriving at the same
moment in several workers cannot together pass the quota (each counts what the ones before it
committed), which a count without the lock lets them do."""

from __future__ import annotations

import threading
import time
import uuid

import peewee
import pytest

from platform_shared.database import open_database
from platform_shared.errors import QuotaExceeded
from platform_shared.peewee_queries import lock_row, stored_usage
from platform_shared.quotas import Quota

pytestmark = pytest.mark.integration
WORKERS = 8
LIMIT = 3


class Owner(peewee.Model):
    id = peewee.CharField(primary_key=True, max_length=36)


class Item(peewee.Model):
    id = peewee.CharField(primary_key=True, max_length=36)
    owner = peewee.CharField(max_length=36, index=True)
    size = peewee.BigIntegerField()


def race(database: peewee.Database, owner: str, *, locked: bool) -> tuple[int, int]:
    """WORKERS inserts at once under a quota of LIMIT files: (how many were let in, rows kept)."""
    quota = Quota("files", LIMIT)
    start = threading.Barrier(WORKERS)
    admitted: list[int] = []
    errors: list[BaseException] = []

    def insert_one() -> None:
        try:
            start.wait(5)
            with database.connection_context(), database.atomic():
                if locked:
                    assert lock_row(Owner, owner)
                used = stored_usage(Item.select().where(Item.owner == owner), Item.size)
                quota.ensure_room(used=used.files)
                time.sleep(0.05)  # the file's record takes a moment: room for a race
                Item.insert(id=str(uuid.uuid4()), owner=owner, size=10).execute()
            admitted.append(1)
        except QuotaExceeded:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=insert_one) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    with database.connection_context():
        return len(admitted), Item.select().where(Item.owner == owner).count()


def test_concurrent_inserts_under_the_owners_lock_never_pass_the_quota(database_url):
    database = open_database(database_url)
    try:
        with database.bind_ctx([Owner, Item]):
            database.create_tables([Owner, Item])
            with database.connection_context():
                Owner.insert_many([{"id": "locked"}, {"id": "unlocked"}]).execute()
            assert race(database, "locked", locked=True) == (LIMIT, LIMIT)
            # The same race without the lock lets more in: the lock is what holds the quota.
            admitted, kept = race(database, "unlocked", locked=False)
            assert admitted == kept > LIMIT
            with database.connection_context():
                assert not lock_row(Owner, "nobody")
    finally:
        database.close_all()
