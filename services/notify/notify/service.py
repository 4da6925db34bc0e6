"""notify as the platform runs it: deliveries recorded from events, sent by a worker."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from notify.adapters import orm
from notify.adapters.mail import MailSink, SmtpMailer
from notify.adapters.migrations import MIGRATIONS
from notify.adapters.templates import MailTemplates
from notify.domain.messages import DEFAULT_PUBLIC_URL, SUBSCRIBED_TYPES
from notify.service_layer.deliveries import RetryPolicy, deliver_due, record_deliveries
from platform_shared.event_handlers import route
from platform_shared.runtime import Consumes, ServiceDefinition, ServiceRuntime

log = logging.getLogger(__name__)
_templates = MailTemplates()


def public_url(runtime: ServiceRuntime) -> str:
    """The platform's address as its users reach it (`NOTIFY_PUBLIC_URL` or `PUBLIC_URL`): links
    in mails are absolute under it."""
    return runtime.settings.setting("PUBLIC_URL", DEFAULT_PUBLIC_URL)


def mailer_from_settings(runtime: ServiceRuntime):
    setting = runtime.settings.setting
    if setting("MAIL_TRANSPORT", "sink") == "smtp":
        return SmtpMailer(setting("SMTP_HOST", "127.0.0.1"), int(setting("SMTP_PORT", "25")),
                          setting("SMTP_SECURITY", "none"), setting("SMTP_USERNAME"), setting("SMTP_PASSWORD"))
    return MailSink(runtime.settings.data_dir / "mail")


def delivery_worker(runtime: ServiceRuntime) -> Callable[[threading.Event], None]:
    setting = runtime.settings.setting
    policy = RetryPolicy(max_attempts=int(setting("MAIL_MAX_ATTEMPTS", "8")),
                         base_delay_seconds=float(setting("MAIL_RETRY_BASE_SECONDS", "30")),
                         lease_seconds=float(setting("MAIL_LEASE_SECONDS", "60")))
    sender = setting("MAIL_FROM", "专利产品备案平台 <no-reply@patent-filing.platform>")
    mailer = mailer_from_settings(runtime)
    poll = float(setting("MAIL_POLL_SECONDS", "0.5"))

    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                attempted = deliver_due(runtime.database, runtime.unit_of_work, mailer, sender, policy)
            except Exception:
                log.exception("delivery worker: round failed")
                attempted = 0
            if not attempted:
                stop.wait(poll)

    return run


def mail_handler(runtime: ServiceRuntime):
    """The `mail` subscription's handler: each event's deliveries, with links under the public URL."""
    address = public_url(runtime)

    def record(event, uow) -> None:
        record_deliveries(event, uow, _templates, address)

    return route(dict.fromkeys(SUBSCRIBED_TYPES, record))(runtime)


def definition() -> ServiceDefinition:
    from notify.entrypoints.api import blp

    return ServiceDefinition(
        name="notify", title="notify — mail deliveries",
        tables=orm.tables, migrations=MIGRATIONS, blueprints=lambda: [blp],
        consumes=[Consumes("mail", SUBSCRIBED_TYPES, mail_handler)],
        workers=[delivery_worker])

