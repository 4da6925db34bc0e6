"""The whole filing journey on the deployed form: filings per second end to end, and each hop's lag.

    .venv/bin/python bench/pipeline.py [--n 2000]

The five services as deployment runs them (serve, consume, relay each; one gunicorn worker × 4
threads per API, as `tests/e2e` starts them) on this machine's PostgreSQL and RabbitMQ, behind
the proxy gateway, mailing a local SMTP server. Two verified organisations have N drafts; then, at
once, eight clients submit them all while two reviewers with four clients each claim, confirm
the patent and approve every task (the chaos test's journey, without the kills). It prints:

- filings/s end to end: from the first submission to the N-th product filed in filing, and to
  reporting counting the N-th (each measured by polling, so ± 0.2 s);
- per hop, from the events' own timestamps in the services' databases: the outbox row written →
  published by the relay (`outbox.created_at` → `published_at`), and published → handled by each
  consumer (`published_at` → the consumer's `inbox.handled_at`, committed with the effect), as
  p50 and p99, for the journey's events: filing.product.submitted (to review, reporting,
  notify), review.decision.made (to filing), filing.product.filed (to reporting, notify).

Goals of issue 19: ≥ 300 filings/s end to end, every hop's p99 ≤ 1 s. Reports, does not gate.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[0] = str(REPO)  # the repository, not bench/ (its reporting.py would shadow the service)

from aiosmtpd.controller import Controller  # noqa: E402

from tests.e2e.conftest import OPERATOR, SERVICES, Mailbox, deployed_platform  # noqa: E402
from tests.e2e.test_chaos_end_to_end import Journey, rows  # noqa: E402
from tests.e2e.test_filing_end_to_end import Enterprise, Reviewer, bearer, product_body  # noqa: E402
from tests.support.processes import free_port  # noqa: E402
from tests.support.servers import create_database, drop_database, service_users, throwaway_vhost  # noqa: E402

HOPS = {  # event type: (producer, consumers)
    "filing.product.submitted": ("filing", ("review", "reporting", "notify")),
    "review.decision.made": ("review", ("filing",)),
    "filing.product.filed": ("filing", ("reporting", "notify")),
}
GOAL_RATE, GOAL_LAG_P99 = 300.0, 1.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    n = args.n
    os.environ.update({f"RATE_LIMIT_{scope}": "100000000/hour" for scope in ("REGISTRATION", "PASSWORD_SETUP")})
    run = uuid.uuid4().hex[:8]
    names = {service: f"pipe_{run}_{service}" for service in SERVICES}
    with ExitStack() as stack:
        with ThreadPoolExecutor(5) as pool:
            databases = dict(zip(names, pool.map(create_database, names.values()), strict=True))
        stack.callback(lambda: [drop_database(name) for name in names.values()])
        mailbox, smtp_port = Mailbox(), free_port()
        controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        stack.callback(controller.stop)
        broker_urls = stack.enter_context(service_users(stack.enter_context(throwaway_vhost("pipeline"))))
        platform = stack.enter_context(deployed_platform(Path(tempfile.mkdtemp(prefix="bench-pipeline-")),
                                                         broker_urls, databases, (mailbox, smtp_port)))
        operator = bearer(platform.sign_in(*OPERATOR))
        reviewers = [Reviewer(platform, operator), Reviewer(platform, operator)]
        enterprises = [Enterprise(platform, "深圳汇川技术股份有限公司", reviewers[0]),
                       Enterprise(platform, "宁德时代新能源科技股份有限公司", reviewers[1])]
        for enterprise in enterprises:
            platform.wait_until(lambda e=enterprise: e.create(product_body(f"W{uuid.uuid4().hex[:8]}")).status_code
                                == 201, "filing knows the verification", timeout=30)

        def draft(index: int) -> tuple[str, Enterprise]:
            enterprise = enterprises[index % 2]
            created = enterprise.create(product_body(f"P{index:05d}-{run}"))
            if created.status_code != 201:
                raise RuntimeError(f"draft {index}: {created.status_code} {created.text}")
            return created.json()["id"], enterprise

        with ThreadPoolExecutor(8) as pool:
            drafts = dict(pool.map(draft, range(n)))
        print(f"bench/pipeline.py: {n} drafts of 2 organisations; 8 submitting clients, 2 reviewers × 4 clients",
              flush=True)
        journey = Journey(platform, drafts, reviewers)
        started = time.monotonic()
        threads = journey.start()
        ids = list(drafts)

        def filed() -> bool:
            return rows(databases["filing"], "SELECT count(*) FROM product WHERE id = ANY(%s) AND status = 'filed'",
                        ids)[0][0] == n

        try:
            platform.wait_until(filed, "every product filed", timeout=60 + n)
        except AssertionError:
            print("the clients' errors:", journey.errors[:20] or "none", flush=True)
            raise
        all_filed = time.monotonic() - started

        def counted() -> bool:
            return rows(databases["reporting"], "SELECT count(DISTINCT event_id) FROM inbox WHERE type = "
                        "'filing.product.filed'")[0][0] >= n

        platform.wait_until(counted, "reporting counting every filing", timeout=120)
        all_counted = time.monotonic() - started
        journey.done.set()
        for thread in threads:
            thread.join(timeout=60)
        errors = journey.errors

        print(f"\nend to end: {n} submitted → filed in {all_filed:.1f} s = {n / all_filed:.1f} filings/s; "
              f"→ counted by reporting in {all_counted:.1f} s = {n / all_counted:.1f} filings/s "
              f"(goal ≥ {GOAL_RATE:.0f}/s: {'met' if n / all_counted >= GOAL_RATE else 'not met'})")
        if errors:
            print(f"client errors ({len(errors)}): {errors[:3]}")
        print("\n| event | hop | events | p50 s | p99 s |\n|---|---|---|---|---|")
        worst = 0.0
        for event_type, (producer, consumers) in HOPS.items():
            published = {event_id: (created, sent) for event_id, created, sent in rows(
                databases[producer], "SELECT event_id, created_at, published_at FROM outbox WHERE type = %s "
                "AND published_at IS NOT NULL", event_type)}
            relay = [(sent - created).total_seconds() for created, sent in published.values()]
            worst = max(worst, percentile(relay, 0.99))
            print(f"| {event_type} | {producer} outbox → published | {len(relay)} | {percentile(relay, 0.5):.3f} | "
                  f"{percentile(relay, 0.99):.3f} |")
            for consumer in consumers:
                handled = [(at - published[event_id][1]).total_seconds() for event_id, at in rows(
                    databases[consumer], "SELECT event_id, handled_at FROM inbox WHERE type = %s", event_type)
                    if event_id in published]
                worst = max(worst, percentile(handled, 0.99))
                print(f"| {event_type} | published → handled by {consumer} | {len(handled)} | "
                      f"{percentile(handled, 0.5):.3f} | {percentile(handled, 0.99):.3f} |")
        print(f"\ngoal: every hop's p99 ≤ {GOAL_LAG_P99:.0f} s: worst {worst:.2f} s — "
              f"{'met' if worst <= GOAL_LAG_P99 else 'not met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
