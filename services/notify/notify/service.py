"""notify as the platform runs it: its tables and unit of work, its dependencies from the
settings, its API, its `mail` subscription and its delivery worker."""

from __future__ import annotations

from notify.adapters import orm
from notify.adapters.mail import MailSink, SmtpMailer
from notify.adapters.migrations import MIGRATIONS
from notify.adapters.repository import PeeweeNotifyUnitOfWork
from notify.adapters.templates import MailTemplates
from notify.domain.deliveries import RetryPolicy
from notify.domain.messages import DEFAULT_PUBLIC_URL
from notify.service_layer.dependencies import DEFAULT_SENDER, Mailer, NotifyDependencies
from platform_shared.config import ServiceSettings
from platform_shared.runtime import ServiceDefinition, ServiceRuntime
from platform_shared.sealing import Sealer


def mailer_from_settings(settings: ServiceSettings) -> Mailer:
    """SMTP (`NOTIFY_MAIL_TRANSPORT=smtp`), or `.eml` files under `DATA_DIR/mail` (the default)."""
    setting = settings.setting
    if setting("MAIL_TRANSPORT", "sink") == "smtp":
        return SmtpMailer(setting("SMTP_HOST", "127.0.0.1"), int(setting("SMTP_PORT", "25")),
                          setting("SMTP_SECURITY", "none"), setting("SMTP_USERNAME"), setting("SMTP_PASSWORD"))
    return MailSink(settings.data_dir / "mail")


def dependencies_from_settings(settings: ServiceSettings) -> NotifyDependencies:
    setting = settings.setting
    policy = RetryPolicy(max_attempts=int(setting("MAIL_MAX_ATTEMPTS", "8")),
                         base_delay_seconds=float(setting("MAIL_RETRY_BASE_SECONDS", "30")),
                         lease_seconds=float(setting("MAIL_LEASE_SECONDS", "60")))
    return NotifyDependencies(
        templates=MailTemplates(), mailer=mailer_from_settings(settings),
        # The platform's address as its users reach it (`NOTIFY_PUBLIC_URL` or `PUBLIC_URL`).
        public_url=setting("PUBLIC_URL", DEFAULT_PUBLIC_URL),
        sender=setting("MAIL_FROM", DEFAULT_SENDER), policy=policy,
        poll_seconds=float(setting("MAIL_POLL_SECONDS", "0.5")),
        # `NOTIFY_SECRET_KEYS` (Fernet, newest first; a Secret in deployment, the same in every
        # pod), else a key generated under DATA_DIR (the embedded default's one process).
        sealer=Sealer.from_config(setting("SECRET_KEYS"), settings.data_dir / "notify" / "secret.key"))


def _start(runtime: ServiceRuntime) -> None:
    runtime.dependencies = dependencies_from_settings(runtime.settings)


def definition() -> ServiceDefinition:
    from notify.entrypoints.api import BLUEPRINTS
    from notify.entrypoints.delivery_worker import delivery_worker
    from notify.entrypoints.events import SUBSCRIPTIONS

    return ServiceDefinition(
        name="notify", title="notify — mail deliveries",
        tables=orm.tables, migrations=MIGRATIONS, unit_of_work=PeeweeNotifyUnitOfWork,
        blueprints=lambda: list(BLUEPRINTS), consumes=SUBSCRIPTIONS, on_start=_start,
        workers=[delivery_worker])
