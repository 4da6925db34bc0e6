"""Round trips to PostgreSQL per request: create-draft and submit, counted at the driver.

    .venv/bin/python bench/statements.py [--n 20]

The embedded platform in this process, with filing's database on this machine's PostgreSQL (a
database of its own, dropped at the end) and the others on SQLite; an organisation verified as
an enterprise would get it verified; then N create-drafts and N submissions through filing's
API. Every statement psycopg2 sends on the request's own thread is counted — each `execute`,
the `BEGIN` psycopg2 sends before the first statement of a transaction, `COMMIT` and
`ROLLBACK` — so the relay's and the consumers' statements (other threads) are not. Each is one
round trip to the server: on a loaded machine the wait for them is most of a write request.

It prints statements per request (mean, and the kinds of the first request's statements).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import uuid
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[0] = str(REPO)  # the repository, not bench/ (its reporting.py shadows the service)

import psycopg2  # noqa: E402
import psycopg2.extensions  # noqa: E402

from tests.e2e.test_filing_end_to_end import product_body  # noqa: E402
from tests.support.embedded import ApiClient, sign_in, start_platform  # noqa: E402
from tests.support.members import verified_member  # noqa: E402
from tests.support.servers import create_database, drop_database  # noqa: E402

OPERATOR = ("ops@example.cn", "Operator-pass-2026")
_counts: dict[int, list[str]] = {}


def _note(kind: str) -> None:
    _counts.setdefault(threading.get_ident(), []).append(kind)


class CountingCursor(psycopg2.extensions.cursor):
    def execute(self, query, vars=None):  # type: ignore[no-untyped-def]
        connection = self.connection
        if not connection.autocommit and connection.get_transaction_status() == \
                psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            _note("BEGIN")
        text = query.decode() if isinstance(query, bytes) else str(query)
        _note(" ".join(text.split())[:120])
        return super().execute(query, vars)


class CountingConnection(psycopg2.extensions.connection):
    def cursor(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("cursor_factory", CountingCursor)
        return super().cursor(*args, **kwargs)

    def commit(self) -> None:
        if self.get_transaction_status() != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            _note("COMMIT")
        super().commit()

    def rollback(self) -> None:
        if self.get_transaction_status() != psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            _note("ROLLBACK")
        super().rollback()


_connect = psycopg2.connect


def counting_connect(*args, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("connection_factory", CountingConnection)
    return _connect(*args, **kwargs)


def counted(action) -> list[str]:  # type: ignore[no-untyped-def]
    _counts.pop(threading.get_ident(), None)
    action()
    return _counts.pop(threading.get_ident(), [])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--sequence", action="store_true", help="the last request's statements in order")
    args = parser.parse_args()
    psycopg2.connect = counting_connect
    name = f"bench_statements_{uuid.uuid4().hex[:8]}"
    url = create_database(name)
    folder = Path(tempfile.mkdtemp(prefix="bench-statements-"))
    platform = start_platform(folder, FILING_DATABASE_URL=url)
    try:
        client = ApiClient(platform.wsgi)
        member = verified_member(platform, client, sign_in(client, *OPERATOR), "深圳汇川技术股份有限公司")
        results: dict[str, list[list[str]]] = {"create-draft": [], "submit": []}
        ids: list[str] = []
        for i in range(args.n):
            def create(i: int = i) -> None:
                response = client.post("/api/v1/filing/products", json=product_body(f"S{i}-{name}"),
                                       headers=member.auth)
                if response.status_code != 201:
                    raise SystemExit(f"create-draft: {response.status_code} {response.get_json()}")
                ids.append(response.get_json()["id"])
            results["create-draft"].append(counted(create))
        for product_id in ids:
            def submit(product_id: str = product_id) -> None:
                response = client.post(f"/api/v1/filing/products/{product_id}/submission", headers=member.auth)
                if response.status_code not in (200, 202):
                    raise SystemExit(f"submit: {response.status_code} {response.get_json()}")
            results["submit"].append(counted(submit))
        for step, runs in results.items():
            mean = sum(map(len, runs)) / len(runs)
            print(f"{step}: {mean:.1f} statements per request (min {min(map(len, runs))}, max {max(map(len, runs))})")
            if args.sequence:
                print("    " + "\n    ".join(runs[-1]))
            else:
                for kind, count in Counter(runs[-1]).most_common():
                    print(f"    {count:3d}  {kind}")
    finally:
        platform.stop()
        shutil.rmtree(folder, ignore_errors=True)
        drop_database(name)


if __name__ == "__main__":
    main()
