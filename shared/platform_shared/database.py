"""Opening a service's database from its URL: pooled PostgreSQL, or SQLite in WAL mode.

A service's models are bound to a `peewee.DatabaseProxy` declared in its adapters; the real
database is opened here at start from configuration and given to the proxy, never at import.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import peewee
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    # A writer waits for another instead of failing at once: HTTP, consumer and relay
    # threads of one service share the file in the embedded default.
    "busy_timeout": 15000,
}


def open_database(url: str, max_connections: int = 20) -> peewee.Database:
    """A pooled database for `url` (`sqlite:///path` or `postgresql://user@host/db`)."""
    parsed = urlparse(url)
    scheme = parsed.scheme.split("+")[0]
    options = dict(parse_qsl(parsed.query))
    if scheme == "sqlite":
        path = parsed.path[1:] if parsed.path.startswith("//") else parsed.path
        if path not in ("", "/:memory:", ":memory:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        else:
            path = ":memory:"
        return PooledSqliteDatabase(
            path,
            pragmas=SQLITE_PRAGMAS,
            # Transactions take the write lock when they begin: one that read first and writes
            # later could not upgrade its snapshot after another thread's commit (WAL answers
            # "database is locked" at once, without waiting); now the other writer waits.
            lock_type="IMMEDIATE",
            max_connections=max_connections,
            stale_timeout=300,
            check_same_thread=False,
            timeout=15,
        )
    if scheme in ("postgres", "postgresql"):
        return PooledPostgresqlDatabase(
            (parsed.path or "/")[1:],
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname,
            port=parsed.port or 5432,
            max_connections=max_connections,
            stale_timeout=300,
            timeout=10,
            **options,
        )
    raise ValueError(f"unsupported database URL scheme {parsed.scheme!r}")


def is_postgres(database: peewee.Database | peewee.DatabaseProxy) -> bool:
    """True when row locks with SKIP LOCKED are available.

    Services bind their models to a `DatabaseProxy`: look through it at the real database,
    or the relay and the migration lock would take the SQLite path on PostgreSQL.
    """
    if isinstance(database, peewee.DatabaseProxy):
        database = database.obj
    return isinstance(database, peewee.PostgresqlDatabase)


def database_reachable(database: peewee.Database) -> bool:
    """Round-trip a trivial query; used by `/readyz`."""
    try:
        with database.connection_context():
            database.execute_sql("SELECT 1")
        return True
    except peewee.PeeweeException:
        return False
    except Exception:  # noqa: BLE001 - a driver error of any kind means "not ready"
        return False
