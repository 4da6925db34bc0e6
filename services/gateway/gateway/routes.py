"""Which service answers which path: `/api/v1/<service>/…`, the contract's one rule."""

from __future__ import annotations

SERVICES = ("identity", "filing", "review", "reporting", "notify")
# The web portal: every path outside /api/ (a client of the API, not one of its services).
PORTAL = "portal"


def service_for(path: str) -> str | None:
    parts = path.split("/", 4)
    # ['', 'api', 'v1', '<service>', ...]
    if len(parts) >= 4 and parts[1] == "api" and parts[2] == "v1" and parts[3] in SERVICES:
        return parts[3]
    return None
