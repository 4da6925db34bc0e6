"""identity's schema history on PostgreSQL: a database made before accounts could be deactivated
gets the columns, and each organisation's oldest account becomes its admin (who deactivates and
reactivates its members); staff and later members are not admins."""

from __future__ import annotations

import pytest

from platform_shared.database import open_database
from tests.support.migrating import migrate_in_own_process

pytestmark = pytest.mark.integration
ORGANISATION = ("INSERT INTO organisation (id, name, uscc, kind, province_code, address, legal_representative_name, "
                "legal_representative_id_encrypted, legal_representative_id_masked, contact_name, contact_phone, "
                "contact_email, status, version, registered_at) VALUES (%s, %s, %s, 'enterprise', '440000', '深圳', "
                "'张三', 'x', '110105********002X', '李四', '13800138000', 'c@example.cn', 'verified', 1, "
                "'2026-01-01')")
ACCOUNT = ("INSERT INTO account (id, email, password_hash, role, organisation_id, active, created_at) "
           "VALUES (%s, %s, '', %s, %s, TRUE, %s)")


def test_version_11_makes_each_organisations_oldest_account_its_admin(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("identity", database_url, up_to=10) == list(range(1, 11))
        # Version 2 as it was released: accounts without admins or deactivation.
        database.execute_sql("ALTER TABLE account DROP COLUMN organisation_admin")
        database.execute_sql("ALTER TABLE account DROP COLUMN deactivated_at")
        for organisation, uscc in (("org-a", "91440300MA5AAAAAA1"), ("org-b", "91440300MA5BBBBBB2")):
            database.execute_sql(ORGANISATION, (organisation, f"单位{organisation}", uscc))
        for row in (("a-first", "a1@example.cn", "enterprise", "org-a", "2026-01-01"),
                    ("a-later", "a2@example.cn", "enterprise", "org-a", "2026-02-01"),
                    ("b-only", "b1@example.cn", "enterprise", "org-b", "2026-03-01"),
                    ("staff", "s@example.cn", "reviewer", None, "2025-12-01")):
            database.execute_sql(ACCOUNT, row)

        assert migrate_in_own_process("identity", database_url, up_to=11) == [11]

        rows = database.execute_sql("SELECT id, organisation_admin, deactivated_at FROM account ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [("a-first", True, None), ("a-later", False, None),
                                           ("b-only", True, None), ("staff", False, None)]
    finally:
        database.close_all()
