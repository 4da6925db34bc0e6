"""reporting's schema history on PostgreSQL: a database made before counters were kept per month
keeps its figures (as month '', counted in every month) and loses nothing."""

from __future__ import annotations

import pytest

from platform_shared.database import open_database
from platform_shared.migrations import current_version
from tests.support.migrating import migrate_in_own_process

pytestmark = pytest.mark.integration


def test_counters_of_a_version_3_database_move_to_month_blank_and_still_count(database_url):
    # Migrated in a process of its own (tests/support/migrating.py); only raw SQL here.
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("reporting", database_url, up_to=3) == [1, 2, 3]
        # Version 3 as it was released: `counter` without months.
        database.execute_sql("DROP TABLE counter_by_month")
        database.execute_sql("CREATE TABLE counter (province_code VARCHAR(6) NOT NULL, dimension VARCHAR(32) NOT NULL,"
                             " key VARCHAR(64) NOT NULL, value BIGINT NOT NULL DEFAULT 0,"
                             " PRIMARY KEY (province_code, dimension, key))")
        database.execute_sql("INSERT INTO counter VALUES ('350000', 'product_status', 'filed', 7),"
                             " ('440000', 'org_status', 'verified', 3)")

        assert migrate_in_own_process("reporting", database_url) == [4]

        assert current_version(database) == 4
        assert "counter" not in database.get_tables()
        rows = database.execute_sql("SELECT province_code, dimension, key, month, value FROM counter_by_month "
                                    "ORDER BY province_code").fetchall()
        assert [tuple(r) for r in rows] == [("350000", "product_status", "filed", "", 7),
                                            ("440000", "org_status", "verified", "", 3)]
        # A change of a later month goes beside them, under the new key.
        database.execute_sql("INSERT INTO counter_by_month VALUES ('350000', 'product_status', 'filed', "
                             "'2026-11', 2)")
    finally:
        database.close_all()
