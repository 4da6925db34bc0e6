"""Versioned schema migrations: an ordered list of steps, each applied once, recorded in a table.

A service lists its migrations as `Migration(version, description, apply)` where `apply`
receives the open database. `migrate()` runs the missing ones in order, each in its own
transaction, and is safe to run from several processes at once: on PostgreSQL it holds an
advisory lock for the whole run, on SQLite the write transaction serialises runners.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import peewee

from platform_shared.database import is_postgres


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[peewee.Database], None]


def create_tables(*models: type[peewee.Model]) -> Callable[[peewee.Database], None]:
    """A migration step that creates the given models' tables and indexes."""

    def apply(database: peewee.Database) -> None:
        with database.bind_ctx(models):
            database.create_tables(models, safe=False)

    return apply


class SchemaMigrationRow(peewee.Model):
    """One applied migration."""

    version = peewee.IntegerField(primary_key=True)
    description = peewee.TextField()
    applied_at = peewee.DateTimeField()

    class Meta:
        table_name = "schema_migration"


def _history_model(database: peewee.Database) -> type[SchemaMigrationRow]:
    # A class per database: several services share one process when embedded.
    class SchemaMigration(SchemaMigrationRow):
        class Meta:
            table_name = "schema_migration"

    SchemaMigration._meta.set_database(database)
    return SchemaMigration


def migrate(database: peewee.Database, migrations: Sequence[Migration], lock_name: str) -> list[int]:
    """Apply the migrations not yet recorded; returns the versions applied now."""
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)):
        raise ValueError("migration versions must be unique and ascending")
    history = _history_model(database)
    applied_now: list[int] = []
    with database.connection_context():
        lock_key = zlib.crc32(lock_name.encode())
        if is_postgres(database):
            database.execute_sql("SELECT pg_advisory_lock(%s)", (lock_key,))
        try:
            history.create_table(safe=True)
            done = {row.version for row in history.select(history.version)}
            for migration in migrations:
                if migration.version in done:
                    continue
                with database.atomic():
                    # Re-check inside the transaction: another runner may have just applied it.
                    if history.get_or_none(history.version == migration.version):
                        continue
                    migration.apply(database)
                    history.create(
                        version=migration.version,
                        description=migration.description,
                        applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    )
                applied_now.append(migration.version)
        finally:
            if is_postgres(database):
                database.execute_sql("SELECT pg_advisory_unlock(%s)", (lock_key,))
    return applied_now


def current_version(database: peewee.Database) -> int:
    history = _history_model(database)
    with database.connection_context():
        if not database.table_exists(SchemaMigrationRow._meta.table_name):
            return 0
        return int(history.select(peewee.fn.MAX(history.version)).scalar() or 0)
