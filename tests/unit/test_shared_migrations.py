"""Versioned migrations (platform_shared.migrations)."""

from __future__ import annotations

import peewee
import pytest

from platform_shared.database import open_database
from platform_shared.migrations import Migration, create_tables, current_version, migrate

pytestmark = pytest.mark.unit


class Note(peewee.Model):
    text = peewee.TextField()

    class Meta:
        table_name = "note"


@pytest.fixture
def database(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'migrations.db'}")
    yield db
    db.close_all()


def _columns(database, table: str) -> set[str]:
    with database.connection_context():
        return {c.name for c in database.get_columns(table)}


def _steps(log: list[int]) -> list[Migration]:
    def add_colour(db: peewee.Database) -> None:
        log.append(2)
        db.execute_sql("ALTER TABLE note ADD COLUMN colour TEXT")

    def note_table(db: peewee.Database) -> None:
        log.append(1)
        create_tables(Note)(db)

    return [Migration(1, "notes", note_table), Migration(2, "colour", add_colour)]


def test_migrations_are_applied_once_in_order(database):
    log: list[int] = []

    assert migrate(database, _steps(log), lock_name="unit") == [1, 2]

    assert log == [1, 2]
    assert {"id", "text", "colour"} <= _columns(database, "note")
    assert current_version(database) == 2


def test_running_the_migrations_again_applies_nothing(database):
    log: list[int] = []
    migrate(database, _steps(log), lock_name="unit")

    assert migrate(database, _steps(log), lock_name="unit") == []
    assert log == [1, 2]


def test_a_new_migration_is_applied_on_top_of_the_recorded_ones(database):
    log: list[int] = []
    migrate(database, _steps(log)[:1], lock_name="unit")
    assert current_version(database) == 1

    assert migrate(database, _steps(log), lock_name="unit") == [2]
    assert log == [1, 2]


def test_migration_versions_must_ascend(database):
    noop = lambda db: None  # noqa: E731
    with pytest.raises(ValueError, match="ascending"):
        migrate(database, [Migration(2, "b", noop), Migration(1, "a", noop)], lock_name="unit")
    with pytest.raises(ValueError, match="unique"):
        migrate(database, [Migration(1, "a", noop), Migration(1, "again", noop)], lock_name="unit")
    assert current_version(database) == 0


def test_a_failing_migration_is_not_recorded_and_rolls_back_its_changes(database):
    def half_done(db: peewee.Database) -> None:
        db.execute_sql("CREATE TABLE half (id INTEGER PRIMARY KEY)")
        raise RuntimeError("step broke")

    with pytest.raises(RuntimeError):
        migrate(database, [Migration(1, "half", half_done)], lock_name="unit")

    assert current_version(database) == 0
    with database.connection_context():
        assert "half" not in database.get_tables()


def test_migrate_works_through_a_database_proxy(database):
    proxy = peewee.DatabaseProxy()
    proxy.initialize(database)

    assert migrate(proxy, [Migration(1, "notes", create_tables(Note))], lock_name="unit") == [1]
    assert current_version(proxy) == 1
    with database.connection_context():
        assert "note" in database.get_tables()


def test_current_version_is_zero_on_an_empty_database(database):
    assert current_version(database) == 0
