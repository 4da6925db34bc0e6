"""The platform's Prometheus metrics, defined once, and the `/metrics` exposition.

Under gunicorn with several workers, set `PROMETHEUS_MULTIPROC_DIR` to an empty folder shared
by the workers (the serve command does this): each process writes its samples there and
`/metrics` aggregates them, so a scrape sees the whole pod, not one worker by chance.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests handled", ["service", "method", "endpoint", "status"]
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds", "HTTP request latency", ["service", "method", "endpoint"]
)
OUTBOX_PUBLISHED = Counter("outbox_published_total", "Events published by the outbox relay", ["service"])
OUTBOX_LAG = Gauge(
    "outbox_oldest_pending_seconds", "Age of the oldest unpublished outbox event",
    ["service"], multiprocess_mode="max",
)
EVENTS_CONSUMED = Counter(
    "events_consumed_total", "Events handled by a consumer", ["service", "queue", "outcome"]
)
EVENTS_DEAD_LETTERED = Counter(
    "events_dead_lettered_total", "Events sent to a dead-letter queue", ["service", "queue"]
)
# Set by review's queue gauge worker from the database, so every process reports the same figure.
REVIEW_QUEUE_LENGTH = Gauge(
    "review_queue_tasks", "Review tasks waiting for a decision (open, claimed, awaiting confirmation)",
    ["service", "kind"], multiprocess_mode="max",
)
REVIEW_QUEUE_OLDEST = Gauge(
    "review_queue_oldest_task_seconds", "Age of the oldest review task waiting for a decision",
    ["service", "kind"], multiprocess_mode="max",
)
MAILS = Counter(
    "mails_total", "Mail delivery attempts by outcome (sent, retried, failed)", ["service", "template", "outcome"]
)


def exposition() -> tuple[bytes, str]:
    """The metrics text and its content type, aggregated across processes when multiprocess."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
