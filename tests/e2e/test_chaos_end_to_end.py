"""The filing journey on the deployed form while its processes are killed and its broker restarts.

The five services run as separate processes (serve, consume, relay each) on PostgreSQL and a
RabbitMQ node of this test's own (tests/support/broker_node.py: restarting the machine's broker
would cut everyone else), behind the proxy gateway, mailing a real SMTP server. Two organisations
submit N products (CHAOS_PRODUCTS, 120 by default; `make chaos` runs 10,000) while two reviewers,
four clients each, claim, confirm and approve every task. Meanwhile, from this thread: review's
consumer, filing's relay, reporting's and notify's consumers are SIGKILLed (no cleanup runs) and
started again, and the broker is stopped and started — twice over. Then everything is counted:

- exactly one review task per product (review's database), and every product filed;
- N distinct filing numbers (filing's database);
- reporting's national count of filed products grew by exactly N;
- one submission mail and one filing mail per product, but for the duplicates the README allows
  (a delivery worker killed mid-send sends that mail again: at most one per kill of notify);
- every dead-letter queue of the vhost empty.
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg2
import pytest
from aiosmtpd.controller import Controller
from kombu import Connection

from tests.e2e.conftest import OPERATOR, SERVICES, Mailbox, RunningPlatform, deployed_platform
from tests.e2e.test_filing_end_to_end import PASSWORD, REVIEW, Enterprise, Reviewer, bearer, product_body
from tests.support.broker_node import BrokerNode, own_broker_node
from tests.support.processes import free_port
from tests.support.servers import create_database, drop_database, rabbitmqctl, service_users

PRODUCTS = int(os.environ.get("CHAOS_PRODUCTS", "120"))
# Submitting clients and, per reviewer, deciding clients.
SUBMITTERS, CLIENTS_PER_REVIEWER = 8, 4
# What is killed (and started again), in this order, twice; "broker" restarts the RabbitMQ node.
KILLS = ("review consume", "filing relay", "reporting consume", "notify consume", "broker")
JOURNEY_SECONDS = 120 + PRODUCTS * 0.5
VHOST = "chaos"

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(int(300 + JOURNEY_SECONDS))]


@pytest.fixture(scope="module")
def chaos_broker() -> Iterator[BrokerNode]:
    with own_broker_node("chaos") as node:
        with node.cli():
            rabbitmqctl("add_vhost", VHOST)
            rabbitmqctl("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*")
        yield node


@pytest.fixture(scope="module")
def chaos_platform(tmp_path_factory, chaos_broker: BrokerNode) -> Iterator[tuple[RunningPlatform, BrokerNode]]:
    run = uuid.uuid4().hex[:10]
    names = {service: f"chaos_{run}_{service}" for service in SERVICES}
    handler = Mailbox()
    smtp_port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        with ThreadPoolExecutor(len(names)) as pool:
            databases = dict(zip(names, pool.map(create_database, names.values()), strict=True))
        with chaos_broker.cli(), service_users(f"{chaos_broker.amqp_base}/{VHOST}") as urls, \
                deployed_platform(Path(tmp_path_factory.mktemp("chaos")), urls, databases,
                                  (handler, smtp_port)) as platform:
            yield platform, chaos_broker
    finally:
        controller.stop()
        with ThreadPoolExecutor(len(names)) as pool:
            list(pool.map(drop_database, names.values()))


def rows(database_url: str, sql: str, *params: object) -> list[tuple]:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Journey:
    """Submitting and deciding, in threads of their own, until every product is filed."""

    def __init__(self, platform: RunningPlatform, drafts: dict[str, Enterprise], reviewers: list[Reviewer]):
        self.platform, self.drafts, self.reviewers = platform, drafts, reviewers
        self.done = threading.Event()
        self.errors: list[str] = []
        self.approved: set[str] = set()
        self.lock = threading.Lock()

    def _request(self, call, what: str, actor: Reviewer | Enterprise):
        """A request through the gateway; signed in again when the access token ran out (a long
        `make chaos`). No process behind the HTTP path is killed, so any 5xx is a failure."""
        response = call()
        if response.status_code == 401:
            actor.headers = bearer(self.platform.sign_in(actor.email, PASSWORD))
            response = call()
        if response.status_code >= 500:
            self.errors.append(f"{what}: {response.status_code} {response.text[:300]}")
        return response

    def submit(self, product_id: str) -> None:
        enterprise = self.drafts[product_id]
        response = self._request(lambda: enterprise.submit(product_id), f"submit {product_id}", enterprise)
        if response.status_code != 202:
            self.errors.append(f"submit {product_id}: {response.status_code} {response.text[:300]}")

    def review(self, reviewer: Reviewer) -> None:
        http = self.platform.session
        while not self.done.is_set():
            page = self._request(lambda: http.get(self.platform.url(f"{REVIEW}/tasks"), headers=reviewer.headers,
                                                   params={"kind": "product", "state": "open", "per_page": 20},
                                                   timeout=15), "list tasks", reviewer)
            if page.status_code != 200:
                self.errors.append(f"list tasks: {page.status_code} {page.text[:300]}")
                return
            tasks = [t for t in page.json()["items"] if t["subject_id"] in self.drafts]
            if not tasks:
                time.sleep(0.2)
                continue
            for task in tasks:
                claimed = self._request(lambda t=task: reviewer.claim(t["id"]), "claim", reviewer)
                if claimed.status_code != 200:
                    continue  # another client holds it
                self._request(lambda t=task: http.post(
                    self.platform.url(f"{REVIEW}/tasks/{t['id']}/patents/0/confirmation"),
                    json={"note": "已对照专利证书核对"}, headers=reviewer.headers, timeout=15), "confirm", reviewer)
                decided = self._request(lambda t=task: http.post(
                    self.platform.url(f"{REVIEW}/tasks/{t['id']}/decision"),
                    json={"outcome": "approve", "reasons": []}, headers=reviewer.headers, timeout=15),
                    "decide", reviewer)
                if decided.status_code == 200:
                    with self.lock:
                        self.approved.add(task["subject_id"])
                elif decided.status_code != 409:  # 409: another client of this reviewer decided it first
                    self.errors.append(f"decide {task['id']}: {decided.status_code} {decided.text[:300]}")

    def submit_all(self) -> None:
        with ThreadPoolExecutor(SUBMITTERS) as pool:
            list(pool.map(self.submit, list(self.drafts)))

    def _recording(self, target, *args) -> None:
        try:
            target(*args)
        except Exception as exc:  # noqa: BLE001 - a client's crash is a finding, reported by the test
            self.errors.append(f"{target.__name__}: {exc!r}")

    def start(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._recording, args=(self.submit_all,))]
        for reviewer in self.reviewers:
            threads += [threading.Thread(target=self._recording, args=(self.review, reviewer))
                        for _ in range(CLIENTS_PER_REVIEWER)]
        for thread in threads:
            thread.start()
        return threads


def test_the_journey_counts_exactly_under_kills_and_a_broker_restart(chaos_platform):
    platform, broker = chaos_platform
    http = platform.session
    operator = bearer(platform.sign_in(*OPERATOR))
    reviewers = [Reviewer(platform, operator), Reviewer(platform, operator)]
    enterprises = [Enterprise(platform, "深圳汇川技术股份有限公司", reviewers[0]),
                   Enterprise(platform, "宁德时代新能源科技股份有限公司", reviewers[1])]
    for enterprise in enterprises:  # filing learns of the verification from identity's event
        platform.wait_until(lambda e=enterprise: e.create(product_body(f"W{uuid.uuid4().hex[:8]}")).status_code == 201,
                            "filing knows the verification")

    def summary() -> int:
        answer = http.get(platform.url("/api/v1/reporting/summary"), headers=operator, timeout=15)
        assert answer.status_code == 200, answer.text
        return answer.json()["products"]["filed_total"]

    filed_before = summary()
    models: dict[str, str] = {}

    def draft(index: int) -> tuple[str, Enterprise]:
        enterprise = enterprises[index % 2]
        model = f"CH{index:05d}-{uuid.uuid4().hex[:6].upper()}"
        created = enterprise.create(product_body(model))
        assert created.status_code == 201, created.text
        models[created.json()["id"]] = model
        return created.json()["id"], enterprise

    with ThreadPoolExecutor(SUBMITTERS) as pool:
        drafts = dict(pool.map(draft, range(PRODUCTS)))

    journey = Journey(platform, drafts, reviewers)
    threads = journey.start()
    kills: Counter[str] = Counter()
    started = time.monotonic()
    # The conductor: kill in turn, twice, while submissions and decisions go on.
    for victim in KILLS * 2:
        time.sleep(1.5)
        if victim == "broker":
            broker.restart()
        else:
            platform.kill_and_restart(victim)
        kills[victim] += 1

    def all_filed() -> bool:
        filed = rows(platform.databases["filing"], "SELECT count(*) FROM product WHERE id = ANY(%s) AND "
                     "status = 'filed'", list(drafts))[0][0]
        return filed == PRODUCTS

    platform.wait_until(all_filed, f"all {PRODUCTS} products filed", timeout=JOURNEY_SECONDS)
    journey.done.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not journey.errors, journey.errors[:10]
    elapsed = time.monotonic() - started

    tasks = rows(platform.databases["review"], "SELECT subject_id, count(*) FROM review_task "
                 "WHERE subject_id = ANY(%s) GROUP BY subject_id", list(drafts))
    assert len(tasks) == PRODUCTS and {count for _, count in tasks} == {1}, "one review task per product"
    numbers = rows(platform.databases["filing"], "SELECT filing_number FROM product WHERE id = ANY(%s)", list(drafts))
    assert len({number for (number,) in numbers if number}) == PRODUCTS, "N distinct filing numbers"
    platform.wait_until(lambda: summary() - filed_before == PRODUCTS, "reporting counting every filing", timeout=60)

    def mails_of(kind: str) -> Counter[tuple[str, tuple[str, ...]]]:
        """(model, recipients) → how many such mails arrived."""
        counted: Counter[tuple[str, tuple[str, ...]]] = Counter()
        for mail in list(platform.mailbox.received):
            found = re.search(r"(CH\d{5}-[0-9A-F]{6})", mail.subject)
            if found and kind in mail.subject:
                counted[found.group(1), mail.recipients] += 1
        return counted

    allowed = kills["notify consume"]  # one mail sent again per delivery worker killed mid-send
    for kind in ("产品已提交审核", "产品备案成功"):
        platform.wait_until(lambda k=kind: {model for model, _ in mails_of(k)} == set(models.values()),
                            f"a {kind} mail for every product", timeout=120)
        counted = mails_of(kind)
        duplicates = {key: count for key, count in counted.items() if count > 1}
        assert sum(count - 1 for count in duplicates.values()) <= allowed, duplicates

    with broker.cli():
        queues = rabbitmqctl("list_queues", "-p", VHOST, "--no-table-headers", "-q", "name", "messages")
    dead = {name: int(count) for name, count in (line.split() for line in queues.splitlines() if line.strip())
            if name.endswith(".dead-letter")}
    assert dead and not any(dead.values()), dead
    with Connection(f"{broker.amqp_base}/{VHOST}") as connection:
        connection.ensure_connection(max_retries=3)  # the node answers after its restarts
    print(f"\nchaos: {PRODUCTS} products filed in {elapsed:.1f} s with {sum(kills.values())} kills "
          f"({dict(kills)}): {PRODUCTS / elapsed:.1f} filings/s")
