"""review's schema history on PostgreSQL: rounds made before closure and the one-round-a-year
rule get the new columns; the newest round under way of each year holds its year, and the
database refuses a second one from then on. Objections made before quotas count against the
account that raised them, and every owner key fits (an organisation's is 49 characters). Filed
products made before amendments get the edition of their patents, 1, and a task's kind has room
for `product_amendment`."""

from __future__ import annotations

import peewee
import pytest

from platform_shared.database import open_database
from tests.support.migrating import migrate_in_own_process

pytestmark = pytest.mark.integration

INSERT = ("INSERT INTO recognition_round (id, year, cut_off, industry_codes, state, version, created_by, created_at)"
          " VALUES (%s, %s, '2030-03-31', '[\"01\"]', %s, 1, 'olga', %s)")


def test_version_6_rounds_get_closure_columns_and_one_year_under_way(database_url):
    # Migrated in a process of its own (tests/support/migrating.py); only raw SQL here.
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("review", database_url, up_to=6) == [1, 2, 3, 4, 5, 6]
        for column in ("closed_at", "close_reason", "year_under_way"):  # version 5 as it was released
            database.execute_sql(f"ALTER TABLE recognition_round DROP COLUMN {column}")
        rows = [("old-2030", 2030, "published", "2030-01-01"), ("new-2030", 2030, "open", "2030-02-01"),
                ("done-2030", 2030, "finalised", "2030-03-01"), ("only-2031", 2031, "evaluated", "2031-01-01")]
        for row in rows:
            database.execute_sql(INSERT, row)

        assert migrate_in_own_process("review", database_url, up_to=7) == [7]

        held = dict(database.execute_sql("SELECT id, year_under_way FROM recognition_round").fetchall())
        assert held == {"old-2030": None, "new-2030": 2030, "done-2030": None, "only-2031": 2031}
        with pytest.raises(peewee.IntegrityError), database.atomic():
            database.execute_sql("UPDATE recognition_round SET year_under_way = 2030 WHERE id = 'old-2030'")
    finally:
        database.close_all()


def test_version_8_objections_made_before_count_against_their_raisers_account(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("review", database_url, up_to=7) == [1, 2, 3, 4, 5, 6, 7]
        database.execute_sql("DROP INDEX IF EXISTS recognition_objection_round_id_owner_state")
        database.execute_sql("ALTER TABLE recognition_objection DROP COLUMN owner")  # version 5 as released
        database.execute_sql("INSERT INTO recognition_objection (id, round_id, product_id, reasons, raised_by, "
                             "raised_by_role, raised_at, state) VALUES ('o-1', 'r-1', 'p-1', '存疑', 'erin', "
                             "'enterprise', '2031-05-01', 'pending')")

        assert migrate_in_own_process("review", database_url, up_to=8) == [8]

        assert database.execute_sql("SELECT owner FROM recognition_objection").fetchall() == [("account:erin",)]
        indexes = {index.name for index in database.get_indexes("recognition_objection")}
        assert "recognition_objection_round_id_owner_state" in indexes
    finally:
        database.close_all()


def test_version_10_objections_take_an_organisations_owner_key(database_url):
    # Version 8 made `owner` 48 characters long: one short of `organisation:` and a UUID.
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("review", database_url, up_to=9) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
        database.execute_sql("ALTER TABLE recognition_objection ALTER COLUMN owner TYPE VARCHAR(48)")  # as released
        owner = "organisation:3f2c9a1e-7b4d-4e2a-9c1f-5d6e7f8a9b0c"

        assert migrate_in_own_process("review", database_url, up_to=10) == [10]

        database.execute_sql("INSERT INTO recognition_objection (id, round_id, product_id, reasons, raised_by, "
                             "raised_by_role, raised_at, state, owner) VALUES ('o-1', 'r-1', 'p-1', '存疑', 'erin', "
                             "'enterprise', '2031-05-01', 'pending', %s)", (owner,))
        assert database.execute_sql("SELECT owner FROM recognition_objection").fetchall() == [(owner,)]
        [column] = [c for c in database.get_columns("recognition_objection") if c.name == "owner"]
        assert (column.full_type, column.null) == ("character varying(64)", False)  # still NOT NULL
    finally:
        database.close_all()


def test_version_12_filed_products_get_the_edition_of_their_patents(database_url):
    # Numbers 11 and 13 belong to other changes; 12 applies whichever of them a database has.
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("review", database_url, up_to=10) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        database.execute_sql("ALTER TABLE filed_product DROP COLUMN edition")  # as released
        database.execute_sql("ALTER TABLE review_task ALTER COLUMN kind TYPE VARCHAR(16)")
        database.execute_sql("INSERT INTO filed_product (product_id, organisation_id, organisation_name, name, brand,"
                             " model, industry_code, status, aggregate_version) VALUES ('p-1', 'o-1', '', 'n', 'b',"
                             " 'm', '01', 'filed', 3)")

        assert 12 in migrate_in_own_process("review", database_url, up_to=12)

        assert database.execute_sql("SELECT edition FROM filed_product").fetchall() == [(1,)]
        [column] = [c for c in database.get_columns("review_task") if c.name == "kind"]
        assert column.full_type == "character varying(32)"  # room for `product_amendment`
    finally:
        database.close_all()
