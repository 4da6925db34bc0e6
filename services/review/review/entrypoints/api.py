"""review's HTTP API, the index of its blueprints: the reviewers' queue, and recognition rounds
with their public notice and objections."""

from __future__ import annotations

from platform_shared.web.audit_log import audit_log_blueprint
from review.entrypoints import recognition, tasks

BLUEPRINTS = (tasks.blp, recognition.blp, audit_log_blueprint("review"))
