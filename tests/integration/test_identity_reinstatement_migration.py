"""identity's schema history: version 13 adds what a reinstatement needs (the status a suspension
came from, when it was reinstated) to a database made before it, keeping its rows."""

from __future__ import annotations

import pytest

from platform_shared.database import open_database
from platform_shared.migrations import current_version
from tests.integration.test_identity_uscc_hold_migration import ROW
from tests.support.migrating import migrate_in_own_process

pytestmark = pytest.mark.integration


def test_version_13_adds_the_reinstatement_columns(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("identity", database_url, up_to=12) == list(range(1, 13))
        # Version 12 as it was released: no reinstatement columns.
        database.execute_sql('ALTER TABLE organisation DROP COLUMN suspended_from')
        database.execute_sql('ALTER TABLE organisation DROP COLUMN reinstated_at')
        database.execute_sql(ROW.format(id="o-1", status="suspended"))

        assert migrate_in_own_process("identity", database_url, up_to=13) == [13]
        assert current_version(database) == 13
        columns = {column.name for column in database.get_columns("organisation")}
        assert {"suspended_from", "reinstated_at"} <= columns
        assert database.execute_sql("SELECT status, suspended_from FROM organisation").fetchall() == [
            ("suspended", None)]
    finally:
        database.close_all()


def test_version_14_makes_the_change_requests_one_pending_per_organisation(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("identity", database_url, up_to=13) == list(range(1, 14))
        assert "organisation_change_request" not in database.get_tables()
        assert migrate_in_own_process("identity", database_url, up_to=14) == [14]
        database.execute_sql(ROW.format(id="o-1", status="verified"))
        request = ("INSERT INTO organisation_change_request (id, organisation_id, requested_by, name, "
                   "legal_representative_name, legal_representative_id_encrypted, legal_representative_id_masked, "
                   "changes, document_ids, requested_at, status, reasons) VALUES ('{id}', 'o-1', 'a-1', '乙', '张三', "
                   "'x', 'x', '[]', '[]', '2026-03-01 00:00:00', '{status}', '[]')")
        database.execute_sql(request.format(id="r-1", status="approved"))
        database.execute_sql(request.format(id="r-2", status="pending"))
        with pytest.raises(Exception, match="(?i)unique"):
            database.execute_sql(request.format(id="r-3", status="pending"))
    finally:
        database.close_all()
