"""reporting's figures at scale on the real PostgreSQL: maintained counters against scanning.

    .venv/bin/python bench/reporting.py [--products 1000000] [--export 100000]

On a database of its own (created here, dropped at the end) it loads N filed products spread
over the 32 provinces into reporting's read model — the product rows and, computed by the same
domain rules the consumer applies event by event, the counters — then measures, each the
median of several runs:

  (a) the province summary and (b) the national summary as the API computes them, from the
      counters (target ≤ 50 ms each);
  (a0) and (b0) the baseline measured in the same run: the same figures by GROUP BY over the
      product rows, which is what a read model without maintained aggregates must do;
  (c) the export of 100,000 products as an XLSX workbook (target ≤ 10 s; issue 19's goal ≤ 3 s).

It reports; it does not gate (exit status 0 either way).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

import psycopg2

# This file is named like the service it measures: keep its folder off the import path, so that
# `import reporting` finds the service, and put the repository's root on it (for tests.support).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from platform_shared.database import open_database  # noqa: E402
from platform_shared.industries import classification  # noqa: E402
from platform_shared.migrations import migrate  # noqa: E402
from platform_shared.principal import Principal  # noqa: E402
from platform_shared.regions import PROVINCES  # noqa: E402
from reporting.adapters import orm  # noqa: E402
from reporting.adapters.migrations import MIGRATIONS  # noqa: E402
from reporting.adapters.report_files import products_xlsx  # noqa: E402
from reporting.adapters.repository import PeeweeReportingUnitOfWork, listed, products_of  # noqa: E402
from reporting.domain.product_list import ProductFilter  # noqa: E402
from reporting.domain.products import ProductFacts, contributions  # noqa: E402
from reporting.domain.queries import ReadSummary  # noqa: E402
from reporting.service_layer.product_list import export_row  # noqa: E402
from reporting.service_layer.summary import summary as summary_query  # noqa: E402
from tests.support.servers import create_database, drop_database  # noqa: E402

PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname={name}"
COLUMNS = ("product_id", "organisation_id", "organisation_name", "province_code", "city_code", "organisation_kind",
           "name", "brand", "model", "industry_code", "status", "filing_number", "filed_at", "filed_month",
           "recognised", "patents", "revenue_fen", "economic_data", "aggregate_version", "suspended")


def generate(n: int, seed: int = 7):
    """N filed (a tenth recognised) products with their counters, as the consumer would make them."""
    rng = random.Random(seed)
    provinces = sorted(PROVINCES)
    fields = list(classification().fields)
    counters: dict[tuple[str, str, str], int] = defaultdict(int)
    rows = io.StringIO()
    for index in range(n):
        province = provinces[index % len(provinces)]
        month = f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}"
        facts = ProductFacts(product_id=str(uuid.UUID(int=rng.getrandbits(128))), province_code=province,
                             status="recognised" if index % 10 == 0 else "filed",
                             industry_code=rng.choice(fields), organisation_kind="enterprise",
                             city_code=province[:2] + f"{rng.randint(1, 20):02d}00", filed_month=month,
                             recognised=index % 10 == 0,
                             patents={"invention": rng.randint(0, 3), "utility_model": rng.randint(0, 5)},
                             revenue_fen={2025: rng.randint(0, 10**11)})
        for key, value in contributions(facts).items():
            counters[key] += value
        rows.write("\t".join((
            facts.product_id, str(uuid.UUID(int=index)), f"企业{index % 50_000}", province, facts.city_code,
            "enterprise", f"产品{index}", "品牌", f"M-{index}", facts.industry_code, facts.status,
            f"BA-{month[:4]}-{province[:2]}-{index:07d}", f"{month}-15 00:00:00", month,
            "t" if facts.recognised else "f", json.dumps(facts.patents), json.dumps({"2025": facts.revenue_fen[2025]}),
            json.dumps({"2025": {"year": 2025, "sales_revenue_fen": facts.revenue_fen[2025], "sales_volume": 1}}),
            "3", "f")) + "\n")
    rows.seek(0)
    return rows, counters


def load(name: str, n: int) -> None:
    rows, counters = generate(n)
    connection = psycopg2.connect(PG_DSN.format(name=name))
    try:
        with connection, connection.cursor() as cursor:
            cursor.copy_from(rows, "product_view", columns=COLUMNS)
            counter_rows = io.StringIO("".join(f"{p}\t{d}\t{k}\t\t{v}\n" for (p, d, k), v in counters.items()))
            cursor.copy_from(counter_rows, "counter_by_month",
                             columns=("province_code", "dimension", "key", "month", "value"))
        with connection, connection.cursor() as cursor:
            cursor.execute("ANALYZE product_view; ANALYZE counter_by_month")
    finally:
        connection.close()


def scan_summary(province: str | None) -> dict:
    """The baseline: the product figures by GROUP BY over the product rows."""
    import peewee

    from reporting.adapters.orm import ProductView

    figures = {}
    for name, column in (("status", ProductView.status), ("industry", ProductView.industry_code),
                         ("city", ProductView.city_code), ("month", ProductView.filed_month)):
        selection = ProductView.select(column, peewee.fn.COUNT(ProductView.product_id))
        if province:
            selection = selection.where(ProductView.province_code == province)
        figures[name] = dict(selection.group_by(column).tuples())
    return figures


OPERATOR = Principal(account_id="bench", role="operator")


def summary(province: str | None) -> dict:
    """The summary as the API computes it: the query with its unit of work (one transaction)."""
    return summary_query(ReadSummary(OPERATOR, province), PeeweeReportingUnitOfWork(orm.tables, producer="bench"))


def timed(action, runs: int = 7) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--export", type=int, default=100_000)
    args = parser.parse_args()
    name = f"bench_reporting_{uuid.uuid4().hex[:8]}"
    url = create_database(name)
    database = open_database(url)
    try:
        orm.database.initialize(database)
        migrate(database, MIGRATIONS, lock_name="reporting.migrations")
        started = time.perf_counter()
        load(name, args.products)
        print(f"loaded {args.products:,} filed products into the read model in {time.perf_counter() - started:.1f} s")
        with database.connection_context():
            province = "440000"
            expected = sum(1 for i in range(args.products) if sorted(PROVINCES)[i % len(PROVINCES)] == province)
            if summary(province)["products"]["filed_total"] != expected:
                raise SystemExit("the counters disagree with the products loaded")
            figures = {
                "(a)  province summary, counters": timed(lambda: summary(province)),
                "(a0) province figures, GROUP BY scan": timed(lambda: scan_summary(province), runs=3),
                "(b)  national summary, counters": timed(lambda: summary(None)),
                "(b0) national figures, GROUP BY scan": timed(lambda: scan_summary(None), runs=3),
            }
            # The export's own selection and mapping (with the products' figures of 2025 and the
            # chart of them), limited to --export products: what the repository's `each` reads.
            selection = listed(None, ProductFilter()).order_by(orm.ProductView.filed_at,
                                                               orm.ProductView.product_id).limit(args.export)
            names = {code: field.name for code, field in classification().fields.items()}
            started, cpu_started = time.perf_counter(), time.process_time()
            sink = io.BytesIO()
            written = products_xlsx((export_row(product, 2025) for product in products_of(selection)), sink, names,
                                    2025)
            export_seconds = time.perf_counter() - started
            export_cpu = time.process_time() - cpu_started
        print(f"{'measure':<42}{'ms':>10}")
        for label, ms in figures.items():
            print(f"{label:<42}{ms:>10.1f}")
        # CPU seconds of this process beside the wall clock: on a shared machine the wall clock
        # counts the others' turns too.
        print(f"(c)  XLSX export of {written:,} products: {export_seconds:.2f} s, {export_cpu:.2f} s CPU "
              f"({len(sink.getvalue()) / 1e6:.1f} MB)")
        province_ratio = figures["(a0) province figures, GROUP BY scan"] / figures["(a)  province summary, counters"]
        national_ratio = figures["(b0) national figures, GROUP BY scan"] / figures["(b)  national summary, counters"]
        print(f"counters against scanning: province {province_ratio:.0f}× faster, national {national_ratio:.0f}×; "
              "targets ≤ 50 ms (a, b), ≤ 10 s (c)")
    finally:
        database.close_all()
        drop_database(name)


if __name__ == "__main__":
    main()
