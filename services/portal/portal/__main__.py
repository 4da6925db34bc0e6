"""`python -m portal serve`: the portal as its own process (its own container in deployment),
calling the platform's public API at `PORTAL_API_URL`."""

from __future__ import annotations

import argparse
import os
import sys

from platform_shared.cli import serve_with_gunicorn
from platform_shared.observability.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="the web portal under gunicorn")
    serve.add_argument("--bind", default=os.environ.get("BIND", "0.0.0.0:8080"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
    serve.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    args = parser.parse_args(argv)
    configure_logging("portal", os.environ.get("LOG_LEVEL", "INFO"),
                      os.environ.get("LOG_JSON", "true").lower() == "true")

    from portal.app import create_app
    from portal.config import PortalSettings

    settings = PortalSettings.from_env()  # read (and a session key made) before the workers fork
    serve_with_gunicorn(lambda: create_app(settings), args.bind, args.workers, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
