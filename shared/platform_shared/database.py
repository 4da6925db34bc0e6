"""Opening a service's database from its URL: pooled PostgreSQL, or SQLite in WAL mode.

A service's models are bound to a `peewee.DatabaseProxy` declared in its adapters; the real
database is opened here at start from configuration and given to the proxy, never at import.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
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


# A pooled PostgreSQL connection handed back less than this long ago is handed out again without
# the pool's `SELECT 1` (one round trip of every request, a tenth of create-draft's statements).
PING_AFTER_IDLE_SECONDS = 5.0


class PostgresqlPool(PooledPostgresqlDatabase):
    """peewee's pool, which pings the server (`SELECT 1`) each time it hands out an idle
    connection; this one pings only a connection that lay in the pool `PING_AFTER_IDLE_SECONDS`
    or more. One that came back healthy (idle, not in error: checked locally at check-in) just
    before is used as it is: a server gone meanwhile fails the request's first statement, as it
    would fail one a moment later anyway, and the connection is then discarded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pool: Any = super()
        pool.__init__(*args, **kwargs)
        self._returned_at: dict[int, float] = {}

    def _can_reuse(self, conn: Any) -> bool:
        pool: Any = super()
        reusable = bool(pool._can_reuse(conn))
        if reusable:
            self._returned_at[id(conn)] = time.monotonic()
        return reusable

    def _is_closed(self, conn: Any) -> bool:
        returned_at = self._returned_at.pop(id(conn), None)
        if conn.closed:
            return True
        if returned_at is not None and time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return bool(conn.get_transaction_status() != 0)  # TRANSACTION_STATUS_IDLE, known locally
        pool: Any = super()
        return bool(pool._is_closed(conn))

    def _close_raw(self, conn: Any) -> None:
        self._returned_at.pop(id(conn), None)
        pool: Any = super()
        pool._close_raw(conn)


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
        return PostgresqlPool(
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
