"""A task's history: every action on it, with who and when, written in the action's transaction."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from review.adapters.orm import TaskHistory


def note(task_id: str, action: str, actor_id: str | None, actor_role: str | None, at: dt.datetime,
         **detail: Any) -> None:
    TaskHistory.create(task=task_id, at=at, actor_id=actor_id, actor_role=actor_role, action=action,
                       detail=json.dumps(detail, ensure_ascii=False, default=str))
