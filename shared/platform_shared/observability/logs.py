"""JSON log lines, each carrying the correlation id of the request or event being handled.

The correlation id lives in a context variable: the HTTP layer sets it from `X-Request-ID`,
the consumer from the event's `correlation_id`, so one registration can be followed through
identity, the bus, notify and reporting by grepping one id.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


class _CorrelationFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self._service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        record.service = self._service
        return True


def configure_logging(service: str, level: str = "INFO", as_json: bool = True) -> None:
    """Send the root logger's records to stderr, one JSON object per line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_CorrelationFilter(service))
    if as_json:
        handler.setFormatter(JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(correlation_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        ))
    else:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s [%(service)s %(correlation_id)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
