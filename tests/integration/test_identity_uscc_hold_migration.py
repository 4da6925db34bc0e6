"""identity's schema history: version 12 lets a lapsed or suspended registration release its USCC
(a partial unique index instead of a plain one) on a database made before it."""

from __future__ import annotations

import pytest

from platform_shared.database import open_database
from platform_shared.migrations import current_version
from tests.support.migrating import migrate_in_own_process

pytestmark = pytest.mark.integration

ROW = ("INSERT INTO organisation (id, name, uscc, kind, province_code, address, legal_representative_name, "
       "legal_representative_id_encrypted, legal_representative_id_masked, contact_name, contact_phone, "
       "contact_email, status, version, registered_at) VALUES ('{id}', '甲', '914403001922038216', 'enterprise', "
       "'440000', '深圳', '张三', 'x', 'x', '李四', '1', 'a@example.cn', '{status}', 1, '2026-01-01 00:00:00')")


def test_version_12_releases_the_uscc_of_lapsed_registrations_only(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("identity", database_url, up_to=11) == list(range(1, 12))
        # Version 11 as it was released: the USCC unique in every status, no hold columns.
        database.execute_sql('DROP INDEX organisation_uscc_held')
        database.execute_sql('DROP INDEX organisation_uscc')
        database.execute_sql('CREATE UNIQUE INDEX organisation_uscc ON organisation (uscc)')
        database.execute_sql('ALTER TABLE organisation DROP COLUMN hold_warned_at')
        database.execute_sql('ALTER TABLE organisation DROP COLUMN released_at')
        database.execute_sql(ROW.format(id="o-1", status="registered"))

        assert migrate_in_own_process("identity", database_url, up_to=12) == [12]
        assert current_version(database) == 12
        database.execute_sql("UPDATE organisation SET status = 'lapsed', released_at = '2026-02-01 00:00:00'")
        database.execute_sql(ROW.format(id="o-2", status="registered"))  # the USCC is free again
        with pytest.raises(Exception, match="(?i)unique"):
            database.execute_sql(ROW.format(id="o-3", status="verified"))
    finally:
        database.close_all()
