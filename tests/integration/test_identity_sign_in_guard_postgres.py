"""The lock-out's counting on the real PostgreSQL: wrong passwords arriving at the same moment in
several workers all count (the row is locked while it is read and written), so a guesser cannot
slip extra tries past the limit by sending them in parallel."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

from identity.adapters.orm import SignInGuard
from identity.adapters.repository import PeeweeSignInGuardRepository
from identity.domain.sign_in_guard import LockoutPolicy
from platform_shared.database import open_database

WORKERS = 8
guard = PeeweeSignInGuardRepository()


def test_concurrent_failures_for_one_e_mail_address_all_count(database_url):
    database = open_database(database_url)
    email = f"{uuid.uuid4().hex}@example.cn"
    policy = LockoutPolicy(max_failures=1000, window=dt.timedelta(minutes=15), lock_for=dt.timedelta(minutes=15))
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def fail_once() -> None:
        try:
            start.wait(5)
            with database.connection_context(), database.atomic():
                guard.record_failure(email, policy, dt.datetime.now(dt.UTC).replace(tzinfo=None))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    try:
        with database.bind_ctx([SignInGuard]):
            database.create_tables([SignInGuard])
            threads = [threading.Thread(target=fail_once) for _ in range(WORKERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert not errors, errors
            with database.connection_context():
                assert guard.failures(email).count == WORKERS
                guard.clear(email)
                assert guard.failures(email) is None
    finally:
        database.close_all()
