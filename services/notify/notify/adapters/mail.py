"""Sending mail: over SMTP (deployment, tests with aiosmtpd) or into a folder (embedded sink).

Both answer the same way: return when the mail was accepted, raise `TemporaryFailure` when
it may work later (server down, 4xx), `PermanentFailure` when it never will (5xx, bad address).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


def compose(sender: str, recipient: str, subject: str, text: str, html: str, delivery_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # One Message-ID per delivery: a resend after a crash is recognisably the same mail.
    message["Message-ID"] = make_msgid(idstring=delivery_id, domain="patent-filing.platform")
    message["X-Delivery-ID"] = delivery_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


class SmtpMailer:
    def __init__(self, host: str, port: int, security: str = "none", username: str = "",
                 password: str = "", timeout: float = 15.0):
        if security not in ("none", "starttls", "tls"):
            raise ValueError("SMTP security must be none, starttls or tls")
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.timeout = username, password, timeout

    def send(self, message: EmailMessage) -> None:
        try:
            if self.security == "tls":
                client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if self.username:
                    client.login(self.username, self.password)
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            raise _by_code(code, answer) from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, exc.smtp_error) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"SMTP server unreachable: {exc}") from exc


def _by_code(code: int, answer: bytes | str) -> Exception:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    reason = f"{code} {text}"
    return PermanentFailure(reason) if code >= 500 else TemporaryFailure(reason)


class MailSink:
    """The embedded default: each mail an `.eml` file a person can open, under `var/mail/`."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        delivery_id = message["X-Delivery-ID"]
        path = self.folder / f"{delivery_id}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(message))
        tmp.replace(path)
