"""review's HTTP API, the index of its blueprints: the reviewers' queue, and recognition rounds
with their public notice and objections."""

from __future__ import annotations

from review.entrypoints import recognition, tasks

BLUEPRINTS = (tasks.blp, recognition.blp)
