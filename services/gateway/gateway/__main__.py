"""`python -m gateway embedded` (the whole platform in one process),
`python -m gateway proxy identity=http://… filing=http://…` (in front of separate services) or
`python -m gateway broker-users` (each service's broker user and permissions, `broker_users`)."""

from __future__ import annotations

import argparse
import os
import sys
from wsgiref.types import WSGIApplication

from platform_shared.cli import serve_with_gunicorn
from platform_shared.observability.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    sub = parser.add_subparsers(dest="mode", required=True)
    embedded = sub.add_parser("embedded", help="all five services in this process (SQLite, memory://)")
    embedded.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    embedded.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")))
    proxy = sub.add_parser("proxy", help="forward /api/v1/<service>/ to separately running services")
    proxy.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    proxy.add_argument("--workers", type=int, default=2)
    proxy.add_argument("upstreams", nargs="+", metavar="SERVICE=URL")
    broker_users = sub.add_parser("broker-users", help="show or provision each service's broker user")
    from gateway import broker_users as users

    users.add_arguments(broker_users)
    args = parser.parse_args(argv)
    if args.mode == "broker-users":
        return users.run(args, os.environ)
    configure_logging("gateway", os.environ.get("LOG_LEVEL", "INFO"),
                      os.environ.get("LOG_JSON", "true").lower() == "true")

    if args.mode == "proxy":
        from gateway.proxy import ProxyGateway

        upstreams = dict(item.split("=", 1) for item in args.upstreams)
        serve_with_gunicorn(lambda: ProxyGateway(upstreams), args.bind, args.workers, 8)
        return 0

    from gateway.embedded import EmbeddedPlatform

    platform = EmbeddedPlatform()

    def load_app() -> WSGIApplication:
        return platform.open().wsgi

    def post_worker_init(worker: object) -> None:
        # memory:// is per process: the consumers and relays must live in the serving worker.
        platform.start_background()

    print(f"专利产品备案平台 running at http://{args.bind}/  (data in {platform.data_dir})", file=sys.stderr)
    serve_with_gunicorn(load_app, args.bind, 1, args.threads, post_worker_init=post_worker_init)
    return 0


if __name__ == "__main__":
    sys.exit(main())
