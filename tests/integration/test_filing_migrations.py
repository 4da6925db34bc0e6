"""filing's and reporting's schema history for the patent re-checks, on PostgreSQL: a database
made before them gets the product's mark (at risk since, deadline, suspended since) and the table
of checks, and reporting's product view the suspension; one made before amendments gets the
product's edition, the materials' amendment and the table of amendments; nothing lost."""

from __future__ import annotations

import pytest

from platform_shared.database import open_database
from platform_shared.migrations import current_version
from tests.support.migrating import migrate_in_own_process

pytestmark = pytest.mark.integration


def _columns(database, table: str) -> set[str]:
    return {column.name for column in database.get_columns(table)}


def test_a_filing_database_from_before_the_rechecks_gets_the_mark_and_the_checks(database_url):
    # Migrated in a process of its own (tests/support/migrating.py); only raw SQL here.
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("filing", database_url, up_to=6) == [1, 2, 3, 4, 5, 6]
        # Version 6 as it was released: the product table without the mark (nor the edition).
        for column in ("at_risk_since", "patent_deadline", "suspended_at", "edition", "amended_at"):
            database.execute_sql(f"ALTER TABLE product DROP COLUMN {column}")
        database.execute_sql("INSERT INTO product (id, organisation_id, name, brand, model, model_key, industry_code,"
                             " description, variants, status, version, submissions, created_by, created_at,"
                             " updated_at) VALUES ('p1', 'o1', 'n', 'b', 'm', 'b|m', '01', '', '[]', 'filed', 3, 1,"
                             " 'a1', now(), now())")

        assert migrate_in_own_process("filing", database_url, up_to=8) == [7, 8]

        assert current_version(database) == 8
        assert {"at_risk_since", "patent_deadline", "suspended_at"} <= _columns(database, "product")
        assert {"patent_recheck", "recheck_request"} <= set(database.get_tables())
        rows = database.execute_sql("SELECT id, status, at_risk_since, suspended_at FROM product").fetchall()
        assert [tuple(r) for r in rows] == [("p1", "filed", None, None)]
        assert migrate_in_own_process("filing", database_url, up_to=8) == []
    finally:
        database.close_all()


def test_a_filing_database_from_before_amendments_gets_the_edition_and_the_amendments(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("filing", database_url, up_to=8) == [1, 2, 3, 4, 5, 6, 7, 8]
        # Version 8 as it was released: no edition on products, no amendment of materials.
        for table, column in (("product", "edition"), ("product", "amended_at"), ("material", "amendment_id")):
            database.execute_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
        database.execute_sql("INSERT INTO product (id, organisation_id, name, brand, model, model_key, industry_code,"
                             " description, variants, status, version, submissions, created_by, created_at,"
                             " updated_at) VALUES ('p1', 'o1', 'n', 'b', 'm', 'b|m', '01', '', '[]', 'filed', 3, 1,"
                             " 'a1', now(), now())")

        assert migrate_in_own_process("filing", database_url, up_to=9) == [9]

        assert {"edition", "amended_at"} <= _columns(database, "product")
        assert "amendment_id" in _columns(database, "material") and "product_amendment" in database.get_tables()
        rows = database.execute_sql("SELECT id, edition, amended_at FROM product").fetchall()
        assert [tuple(r) for r in rows] == [("p1", 1, None)]
        assert migrate_in_own_process("filing", database_url, up_to=9) == []
    finally:
        database.close_all()


def test_a_filing_view_from_before_changes_of_name_gets_the_former_names(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("filing", database_url, up_to=9) == list(range(1, 10))
        database.execute_sql("ALTER TABLE organisation_view DROP COLUMN former_names")
        database.execute_sql("INSERT INTO organisation_view (organisation_id, name, province_code, status, "
                             "aggregate_version) VALUES ('o1', '甲', '440000', 'verified', 3)")
        assert migrate_in_own_process("filing", database_url, up_to=10) == [10]
        rows = database.execute_sql("SELECT organisation_id, former_names FROM organisation_view").fetchall()
        assert [tuple(r) for r in rows] == [("o1", "[]")]
    finally:
        database.close_all()


def test_a_reporting_database_from_before_the_suspensions_gets_the_column(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("reporting", database_url, up_to=6) == [1, 2, 3, 4, 5, 6]
        database.execute_sql("ALTER TABLE product_view DROP COLUMN suspended")
        assert migrate_in_own_process("reporting", database_url, up_to=7) == [7]
        assert "suspended" in _columns(database, "product_view")
    finally:
        database.close_all()
