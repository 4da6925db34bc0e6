"""The PostgreSQL pool on the real server: a connection handed back a moment ago is handed out
again without the `SELECT 1` round trip; one that lay idle is pinged, and a dead one discarded;
and a connection whose server went away just after it came back fails one statement, then the
pool gives a fresh one."""

from __future__ import annotations

import peewee
import psycopg2
import pytest

from platform_shared import database as databases
from platform_shared.database import PostgresqlPool, open_database

pytestmark = pytest.mark.integration


def _pid(db: peewee.Database) -> int:
    return int(db.execute_sql("SELECT pg_backend_pid()").fetchone()[0])


def _terminate(database_url: str, pid: int) -> None:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", (pid,))


@pytest.fixture
def pool(database_url):
    db = open_database(database_url, max_connections=2)
    assert isinstance(db, PostgresqlPool)
    yield db
    db.close_all()


def test_a_connection_back_a_moment_ago_is_not_pinged(pool, monkeypatch):
    pings: list[object] = []
    real = pool._adapter.is_connection_closed
    monkeypatch.setattr(pool._adapter, "is_connection_closed", lambda conn: pings.append(conn) or real(conn))
    with pool.connection_context():
        first = _pid(pool)
    with pool.connection_context():
        assert _pid(pool) == first  # the same connection, reused
    assert pings == []
    monkeypatch.setattr(databases, "PING_AFTER_IDLE_SECONDS", 0.0)
    with pool.connection_context():
        assert _pid(pool) == first
    assert len(pings) == 1  # idle long enough: pinged, and alive


def test_a_dead_idle_connection_is_found_by_the_ping_and_replaced(pool, database_url, monkeypatch):
    monkeypatch.setattr(databases, "PING_AFTER_IDLE_SECONDS", 0.0)
    with pool.connection_context():
        dead = _pid(pool)
    _terminate(database_url, dead)
    with pool.connection_context():
        assert _pid(pool) != dead


def test_a_connection_dead_just_after_it_came_back_fails_once_then_the_pool_recovers(pool, database_url):
    with pool.connection_context():
        dead = _pid(pool)
    _terminate(database_url, dead)
    with pytest.raises((peewee.OperationalError, peewee.InterfaceError)), pool.connection_context():
        _pid(pool)
    with pool.connection_context():
        assert _pid(pool) != dead
