"""HTTP throughput of the platform's API on the deployed form, against a bare baseline, and where the time goes.

    .venv/bin/python bench/api.py [--n 600] [--clients 32] [--no-profile] [--serving 1x4]

In one run, on this machine's PostgreSQL and RabbitMQ (databases, a vhost and broker users of its
own, removed at the end), it starts:

- the bare baseline (`bench/baseline_app.py`: Flask + marshmallow + a pooled peewee insert) under
  the same gunicorn settings as a service (gthread, one worker, four threads);
- the five services as deployment runs them (serve, consume, relay each, as `tests/e2e` starts
  them) and the proxy gateway in front;

and drives each with `--clients` keep-alive clients (threads of this process, one connection
each), N operations per line: the baseline's insert; the platform's create-draft, submit,
claim + confirm the patent + decide (one operation of three requests), and the public verification
GET — each straight to the service and through the gateway. It prints req/s (operations/s), p50
and p99 in ms and the ratio to the baseline. With py-spy (requirements-test.txt) it samples the
service process during create-draft and submit and says where its time goes: token verification,
schema loading, patent register and rules, audit and outbox writes, the ORM, Flask itself.

`--serving WxT` runs every service's API with W gunicorn workers of T threads each (deployment's
`WEB_WORKERS` × `WEB_THREADS`; the default 1×4 is how `tests/e2e` starts them), so that serving
models are compared by running the bench once per model; the baseline keeps 1×4 throughout.

The clients share the 2 cores with the servers; the baseline pays the same, so compare ratios.
The exit status is 0 whether or not the goals are met: this reports, it does not gate.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
# The repository, not bench/ (whose reporting.py would shadow the reporting service), on the path.
sys.path[0] = str(REPO)

import psycopg2  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

from tests.e2e.conftest import OPERATOR, SERVICES, Mailbox, RunningPlatform, deployed_platform  # noqa: E402
from tests.e2e.test_filing_end_to_end import Enterprise, Reviewer, bearer, product_body  # noqa: E402
from tests.support.processes import ProcessGroup, free_port  # noqa: E402
from tests.support.servers import create_database, drop_database, service_users, throwaway_vhost  # noqa: E402

# Goals of issue 19 on this machine.
GOAL_CREATE_RATIO, GOAL_CREATE_P99_MS = 0.7, 50.0


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expect: tuple[int, ...] = (200, 201, 202)


@dataclass
class Figures:
    name: str
    operations: int
    seconds: float
    latencies: list[float]
    statuses: Counter[int]

    @property
    def rate(self) -> float:
        return self.operations / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def drive(base_url: str, operations: Sequence[Sequence[Call]], clients: int, name: str) -> Figures:
    """Run every operation (its calls in order, on one keep-alive connection) with `clients`
    threads; an operation's latency is that of all its calls."""
    parts = urlsplit(base_url)
    lock = threading.Lock()
    cursor = iter(operations)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()

    def client() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        while True:
            with lock:
                operation = next(cursor, None)
            if operation is None:
                break
            started = time.perf_counter()
            for call in operation:
                body = json.dumps(call.body).encode() if call.body is not None else None
                headers = {"Content-Type": "application/json", **call.headers} if body else dict(call.headers)
                connection.request(call.method, call.path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                with lock:
                    statuses[response.status] += 1
                if response.will_close:
                    connection.close()
                    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            with lock:
                latencies.append(time.perf_counter() - started)
        connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    return Figures(name, len(operations), time.perf_counter() - started, latencies, statuses)


# --- where the time goes ------------------------------------------------------------------------
# Root-down, the first frame naming one of these is what the sample was spent on.
CATEGORIES = (
    ("token verification", ("auth/tokens.py", "/jwt/", "/cryptography/")),
    ("patent register and rules", ("/patents/", "domain/rules.py", "declarations.py")),
    ("audit writes", ("audit.py",)),
    ("outbox writes", ("outbox.py",)),
    ("schema load/dump (marshmallow)", ("/marshmallow/", "/apispec/")),
    ("rate limits and quotas", ("rate_limit", "quotas.py", "/limits/")),
    ("metrics and logs", ("observability/", "/prometheus_client/", "/logging/")),
)
LATE = (("ORM and database (peewee, psycopg2)", ("/peewee", "/psycopg2/", "playhouse")),
        ("Flask, werkzeug, gunicorn", ("/flask", "/werkzeug/", "/gunicorn/", "/http/")))


def classify(stack: str) -> str:
    frames = stack.split(";")
    for frame in frames:
        for name, marks in CATEGORIES:
            if any(mark in frame for mark in marks):
                return name
    for name, marks in LATE:
        if any(mark in frame for frame in frames for mark in marks):
            return name
    return "other (the service's own code, json, uuid…)"


@contextmanager
def sampled(pid: int, folder: Path, name: str) -> Iterator[dict[str, float]]:
    """py-spy on `pid` and its children while the block runs; yields the shares per category."""
    shares: dict[str, float] = {}
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        yield shares
        return
    out = folder / f"{name}.raw"
    recorder = subprocess.Popen([spy, "record", "--pid", str(pid), "--subprocesses", "--format", "raw",
                                 "--rate", "200", "--output", str(out), "--nonblocking"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        yield shares
    finally:
        recorder.send_signal(2)
        recorder.wait(timeout=60)
    counts: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    if out.exists():
        for line in out.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if count.isdigit():
                counts[classify(stack)] += int(count)
                leaves[_where(stack)] += int(count)
    total = sum(counts.values()) or 1
    shares.update({category: counts[category] / total for category, _ in counts.most_common()})
    shares.update({f"  · {frame}": count / total for frame, count in leaves.most_common(8)})


def _where(stack: str) -> str:
    """The innermost frame of the platform's own code (or the leaf, if none): where a sample's work was asked for."""
    frames = stack.split(";")
    for frame in reversed(frames):
        if "/services/" in frame or "/shared/platform_shared/" in frame:
            return frame.split("/work/")[-1] if "/work/" in frame else frame
    return frames[-1]


# --- the run ------------------------------------------------------------------------------------
def baseline(group: ProcessGroup, database_url: str) -> str:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(REPO)}
    process = group.start("baseline", [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", "4",
                                       "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                                       "bench.baseline_app:create_app()"], env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("POST", "/items", body=b"{}", headers={"Content-Type": "application/json"})
            if connection.getresponse().status == 422:
                return url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the baseline did not start:\n" + process.tail())


def rows(database_url: str, sql: str, *params: object) -> list[tuple]:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def serve_pid(platform: RunningPlatform, service: str) -> int:
    return platform.daemons[f"{service} serve"].pid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=600, help="operations per line (each path)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--serving", default="1x4", help="each API's gunicorn workers x threads, e.g. 2x4")
    args = parser.parse_args()
    n, clients = args.n, args.clients
    workers, threads = (int(part) for part in args.serving.lower().split("x"))
    os.environ.update({f"RATE_LIMIT_{scope}": "100000000/hour" for scope in (
        "REGISTRATION", "PUBLIC_VERIFICATION", "PUBLIC_NOTICE", "PASSWORD_SETUP", "FORM_GENERATION")})
    folder = Path(tempfile.mkdtemp(prefix="bench-api-"))
    run = uuid.uuid4().hex[:8]
    names = {service: f"bench_{run}_{service}" for service in (*SERVICES, "baseline")}
    results: list[tuple[Figures, str]] = []
    profiles: dict[str, dict[str, float]] = {}
    with ExitStack() as stack:
        with ThreadPoolExecutor(6) as pool:
            urls = dict(zip(names, pool.map(create_database, names.values()), strict=True))
        stack.callback(lambda: [drop_database(name) for name in names.values()])
        mailbox = Mailbox()
        smtp_port = free_port()
        controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        stack.callback(controller.stop)
        vhost = stack.enter_context(throwaway_vhost("bench"))
        broker_urls = stack.enter_context(service_users(vhost))
        platform = stack.enter_context(deployed_platform(folder, broker_urls, {s: urls[s] for s in SERVICES},
                                                         (mailbox, smtp_port), (workers, threads)))
        group = ProcessGroup(logs=folder / "baseline-logs", cwd=REPO)
        stack.callback(group.stop_all)
        baseline_url = baseline(group, urls["baseline"])

        operator = bearer(platform.sign_in(*OPERATOR))
        reviewer = Reviewer(platform, operator)
        enterprise = Enterprise(platform, "深圳汇川技术股份有限公司", reviewer)
        platform.wait_until(lambda: enterprise.create(product_body(f"W{run}")).status_code == 201,
                            "filing knows the verification", timeout=30)
        print(f"bench/api.py: n={n} per line, {clients} keep-alive clients; platform as deployed, {workers} gunicorn "
              f"worker(s) × {threads} threads per service\n", flush=True)

        def record(figures: Figures, note: str = "") -> None:
            bad = {s: c for s, c in figures.statuses.items() if s >= 400}
            results.append((figures, note + (f" errors {bad}" if bad else "")))
            print(f"  {figures.name:<42} {figures.rate:8.1f}/s  p50 {figures.percentile(0.5):7.1f} ms  "
                  f"p99 {figures.percentile(0.99):7.1f} ms{' errors ' + str(bad) if bad else ''}", flush=True)

        items = [[Call("POST", "/items", {"name": "工业机器人控制器", "model": f"B{i}-{run}", "industry_code": "03",
                                           "variants": ["标准版", "防爆版"]})] for i in range(n)]
        drive(baseline_url, items[: n // 5], clients, "warm-up")
        record(drive(baseline_url, items, clients, "baseline: bare Flask+marshmallow+peewee insert"))
        base_rate = results[-1][0].rate

        targets = {"direct": platform.services["filing"], "gateway": platform.gateway}
        headers = enterprise.headers
        drafts: dict[str, list[str]] = {}
        for path, url in targets.items():
            bodies = [[Call("POST", "/api/v1/filing/products", product_body(f"D{path[0]}{i}-{run}"), headers)]
                      for i in range(n)]
            with sampled(serve_pid(platform, "filing"), folder, f"create-{path}") as shares:
                record(drive(url, bodies, clients, f"create-draft ({path})"))
            if path == "direct" and not args.no_profile:
                profiles["filing, create-draft"] = shares
            drafts[path] = [product_id for (product_id,) in rows(
                platform.databases["filing"], "SELECT id FROM product WHERE status = 'draft' AND model LIKE %s",
                f"D{path[0]}%-{run}")]
        for path, url in targets.items():
            calls = [[Call("POST", f"/api/v1/filing/products/{product_id}/submission", None, headers)]
                     for product_id in drafts[path]]
            with sampled(serve_pid(platform, "filing"), folder, f"submit-{path}") as shares:
                record(drive(url, calls, clients, f"submit ({path})"))
            if path == "direct" and not args.no_profile:
                profiles["filing, submit"] = shares
        expected = sum(len(d) for d in drafts.values())

        def open_tasks() -> list[str] | None:
            found = [task_id for (task_id,) in rows(
                platform.databases["review"], "SELECT id FROM review_task WHERE state = 'open' AND kind = 'product'")]
            return found if len(found) >= expected else None

        tasks = platform.wait_until(open_tasks, "every submission's review task", timeout=300)
        review = {"direct": platform.services["review"], "gateway": platform.gateway}
        half = len(tasks) // 2
        for (path, url), chosen in zip(review.items(), (tasks[:half], tasks[half:]), strict=True):
            operations = [[Call("POST", f"/api/v1/review/tasks/{task_id}/claim", None, reviewer.headers),
                           Call("POST", f"/api/v1/review/tasks/{task_id}/patents/0/confirmation",
                                {"note": "已对照专利证书核对"}, reviewer.headers),
                           Call("POST", f"/api/v1/review/tasks/{task_id}/decision",
                                {"outcome": "approve", "reasons": []}, reviewer.headers)] for task_id in chosen]
            with sampled(serve_pid(platform, "review"), folder, f"decide-{path}") as shares:
                record(drive(url, operations, clients, f"claim+confirm+decide ({path}, 3 requests)"))
            if path == "direct" and not args.no_profile:
                profiles["review, claim+confirm+decide"] = shares

        def numbers() -> list[str] | None:
            found = [number for (number,) in rows(platform.databases["filing"],
                                                  "SELECT filing_number FROM product WHERE status = 'filed'")]
            return found if len(found) >= expected else None

        filed = platform.wait_until(numbers, "every decision filed", timeout=300)
        for path, url in targets.items():
            gets = [[Call("GET", f"/api/v1/filing/public/filings/{filed[i % len(filed)]}")] for i in range(n)]
            record(drive(url, gets, clients, f"public verification GET ({path})"))

    print("\n| step | ops/s | p50 ms | p99 ms | ratio to the bare insert |\n|---|---|---|---|---|")
    for figures, note in results:
        print(f"| {figures.name} | {figures.rate:.1f} | {figures.percentile(0.5):.1f} | "
              f"{figures.percentile(0.99):.1f} | {figures.rate / base_rate:.2f}× |{note}")
    create = next(f for f, _ in results if f.name == "create-draft (direct)")
    met = create.rate / base_rate >= GOAL_CREATE_RATIO and create.percentile(0.99) <= GOAL_CREATE_P99_MS
    print(f"\ngoal: create-draft ≥ {GOAL_CREATE_RATIO}× the bare insert with p99 ≤ {GOAL_CREATE_P99_MS:.0f} ms: "
          f"{create.rate / base_rate:.2f}×, p99 {create.percentile(0.99):.0f} ms — {'met' if met else 'not met'}")
    for name, shares in profiles.items():
        print(f"\nwhere {name} spends its time (py-spy samples of the serving process, busy threads):")
        for category, share in sorted(((c, s) for c, s in shares.items() if not c.startswith(" ")),
                                      key=lambda item: -item[1]):
            print(f"  {share * 100:5.1f} %  {category}")
        print("  the platform's innermost frames with the most samples (self and below):")
        for frame, share in ((c, s) for c, s in shares.items() if c.startswith(" ")):
            print(f"  {share * 100:5.1f} %  {frame.strip(' ·')}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
