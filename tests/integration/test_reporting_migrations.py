"""reporting's schema history on PostgreSQL: a database made before counters were kept per month
keeps its figures (as month '', counted in every month) and loses nothing; one made before the
view kept each product's figures gets them from the event archive."""

from __future__ import annotations

import json

import pytest

from platform_shared.database import open_database
from platform_shared.events.contracts import build_event
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

        assert migrate_in_own_process("reporting", database_url, up_to=4) == [4]

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


def test_version_5_gives_the_products_of_a_version_4_database_their_figures_from_the_archive(database_url):
    database = open_database(database_url)
    try:
        assert migrate_in_own_process("reporting", database_url, up_to=4) == [1, 2, 3, 4]
        # Version 4 as it was released: product_view without the figures (nor the suspension, of 7).
        database.execute_sql("ALTER TABLE product_view DROP COLUMN economic_data")
        database.execute_sql("ALTER TABLE product_view DROP COLUMN suspended")
        identity = {"product_id": "p-1", "organisation_id": "o-1", "organisation_name": "福建甲", "province_code":
                    "350000", "name": "锂电池", "brand": "宁德", "model": "M1", "industry_code": "04"}
        declaration = {**identity, "economic_data": [
            {"year": 2024, "sales_revenue": "100.00", "sales_volume": 1},
            {"year": 2025, "sales_revenue": "200.00", "sales_volume": 2, "profit": "-3.50"}], "patents": []}
        filed = build_event("filing.product.filed", {**declaration, "filing_number": "BA-2026-35-000001",
                                                     "task_id": "t-1", "filed_at": "2026-01-05T00:00:00+00:00"},
                            producer="filing", aggregate_id="p-1", aggregate_version=3)
        update = build_event("filing.product.annual_data_updated", {
            **identity, "filing_number": "BA-2026-35-000001", "updated_at": "2026-02-01T00:00:00+00:00",
            "data": {"year": 2025, "sales_revenue": "250.00", "sales_volume": 5, "ip_investment": "9.00"}},
            producer="filing", aggregate_id="p-1", aggregate_version=4)
        # The archive holds them out of order (the update arrived first); another product's
        # event, whose row is not in the view, is left alone.
        other = build_event("filing.product.filed", {**declaration, "product_id": "p-2",
                                                     "filing_number": "BA-2026-35-000002", "task_id": "t-2",
                                                     "filed_at": "2026-01-05T00:00:00+00:00"},
                            producer="filing", aggregate_id="p-2", aggregate_version=3)
        for event in (update, filed, other):
            database.execute_sql("INSERT INTO event_archive (event_id, type, aggregate_id, aggregate_version, "
                                 "occurred_at, body) VALUES (%s, %s, %s, %s, now(), %s)",
                                 (event.id, event.type, event.aggregate_id, event.aggregate_version, event.to_json()))
        database.execute_sql("INSERT INTO product_view (product_id, organisation_id, organisation_name, "
                             "province_code, name, brand, model, industry_code, status, filing_number, recognised, "
                             "patents, revenue_fen, aggregate_version) VALUES ('p-1', 'o-1', '福建甲', '350000', "
                             "'锂电池', '宁德', 'M1', '04', 'filed', 'BA-2026-35-000001', false, '{}', "
                             "'{\"2024\": 10000, \"2025\": 25000}', 4)")

        assert migrate_in_own_process("reporting", database_url, up_to=5) == [5]

        [(kept,)] = database.execute_sql("SELECT economic_data FROM product_view").fetchall()
        assert json.loads(kept) == {
            "2024": {"year": 2024, "sales_revenue_fen": 10000, "sales_volume": 1, "export_revenue_fen": None,
                     "profit_fen": None, "ip_investment_fen": None},
            "2025": {"year": 2025, "sales_revenue_fen": 25000, "sales_volume": 5, "export_revenue_fen": None,
                     "profit_fen": None, "ip_investment_fen": 900}}
    finally:
        database.close_all()
