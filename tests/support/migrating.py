"""A service's migrations run against a throwaway database in a process of their own: migrating
binds the service's models to the database being migrated for a while, which in this process
would turn the session's embedded platform (its relays and consumers use the same models) to it."""

from __future__ import annotations

import json
import subprocess
import sys

_SCRIPT = """
import json, sys
from platform_shared.database import open_database
from platform_shared.migrations import migrate
from {service}.adapters.migrations import MIGRATIONS
database = open_database(sys.argv[1])
steps = MIGRATIONS if sys.argv[2] == "all" else MIGRATIONS[:int(sys.argv[2])]
print(json.dumps(migrate(database, steps, lock_name="test-" + "{service}")))
database.close_all()
"""


def migrate_in_own_process(service: str, database_url: str, up_to: int | None = None) -> list[int]:
    """The versions applied (as `migrate` returns them), all of them or the first `up_to`."""
    done = subprocess.run([sys.executable, "-c", _SCRIPT.format(service=service), database_url,
                           "all" if up_to is None else str(up_to)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    applied: list[int] = json.loads(done.stdout.strip().splitlines()[-1])
    return applied
