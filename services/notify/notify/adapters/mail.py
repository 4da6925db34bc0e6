"""Sending mail: over SMTP (deployment, tests with aiosmtpd) or into a folder (embedded sink).

Both are the service layer's `Mailer` and answer the same way: return when the mail was
accepted, raise `TemporaryFailure` when it may work later (server down, 4xx), `PermanentFailure`
when it never will (5xx, bad address).

`session()` sends several mails over one connection, and returns from each `send` as soon as
the server accepted the mail (before QUIT): the delivery worker commits its `sent` mark right
then, which keeps the moment when a mail is out but not yet marked as short as it can be.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from notify.domain.deliveries import OutgoingMail
from notify.service_layer.dependencies import PermanentFailure, Send, TemporaryFailure

MESSAGE_ID_DOMAIN = "patent-filing.platform"


def message_id(delivery_id: str) -> str:
    """The delivery's own Message-ID: a mail sent again (after a crash) is the same mail."""
    return f"<{delivery_id}@{MESSAGE_ID_DOMAIN}>"


def compose(sender: str, recipient: str, subject: str, text: str, html: str, delivery_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # Derived from the delivery alone (no time, no random part): a resend after a crash carries
    # the same Message-ID, so a second copy is recognisably the same mail (and mail clients
    # that thread or deduplicate by Message-ID show it once).
    message["Message-ID"] = message_id(delivery_id)
    message["X-Delivery-ID"] = delivery_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _message(mail: OutgoingMail) -> EmailMessage:
    return compose(mail.sender, mail.recipient, mail.subject, mail.text, mail.html, mail.delivery_id)


class SmtpMailer:
    def __init__(self, host: str, port: int, security: str = "none", username: str = "",
                 password: str = "", timeout: float = 15.0) -> None:
        if security not in ("none", "starttls", "tls"):
            raise ValueError("SMTP security must be none, starttls or tls")
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.timeout = username, password, timeout

    @contextlib.contextmanager
    def session(self) -> Iterator[Send]:
        """A `send` that keeps one connection for the mails of a round (opened at the first
        mail, again after a failure); QUIT when the round ends."""
        connection = _SmtpConnection(self)
        try:
            yield connection.send
        finally:
            connection.close()

    def connect(self) -> smtplib.SMTP:
        client: smtplib.SMTP
        if self.security == "tls":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if self.username:
                client.login(self.username, self.password)
        except BaseException:
            client.close()
            raise
        return client


class _SmtpConnection:
    def __init__(self, mailer: SmtpMailer) -> None:
        self._mailer = mailer
        self._client: smtplib.SMTP | None = None

    def send(self, mail: OutgoingMail) -> None:
        message = _message(mail)
        if self._client is not None:
            try:
                self._client.send_message(message)
                return
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                # The kept connection went away between two mails (an idle timeout): the
                # server never answered for this one, so it goes again over a fresh one.
                self._drop()
            except smtplib.SMTPResponseException as exc:
                if exc.smtp_code != 421:  # 421: the server closes this connection; try a new one
                    self._fail(exc)
                self._drop()
            except (smtplib.SMTPException, OSError) as exc:
                self._fail(exc)
        try:
            self._client = self._mailer.connect()
            self._client.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        """The connection is not trusted after a failure (the next mail opens another); raise
        the failure as temporary or permanent."""
        self._drop()
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            code, answer = next(iter(exc.recipients.values()))
            raise _by_code(code, answer) from exc
        if isinstance(exc, smtplib.SMTPResponseException):
            raise _by_code(exc.smtp_code, exc.smtp_error) from exc
        raise TemporaryFailure(f"SMTP server unreachable: {exc}") from exc

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def _by_code(code: int, answer: bytes | str) -> Exception:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    reason = f"{code} {text}"
    return PermanentFailure(reason) if code >= 500 else TemporaryFailure(reason)


class MailSink:
    """The embedded default: each mail an `.eml` file a person can open, under `var/mail/`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, mail: OutgoingMail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{mail.delivery_id}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(_message(mail)))
        tmp.replace(path)

    @contextlib.contextmanager
    def session(self) -> Iterator[Send]:
        yield self.send
