"""Review tasks: what a reviewer's queue holds, and the states a task goes through."""

from __future__ import annotations

from platform_shared.events.catalogue.review import TASK_KINDS  # noqa: F401 - re-exported

TASK_STATES = ("open", "claimed", "decided", "cancelled")


def organisation_task_title(name: str, uscc: str) -> str:
    return f"实名认证审核：{name}（{uscc}）"
