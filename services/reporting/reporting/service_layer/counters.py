"""Applying changes to the counters: one upsert per changed figure, in the event's transaction."""

from __future__ import annotations

from reporting.adapters.orm import Counter


def apply_changes(changes: dict[tuple[str, str, str], int]) -> None:
    for (province, dimension, key), delta in changes.items():
        (Counter.insert(province_code=province, dimension=dimension, key=key, value=delta)
         .on_conflict(conflict_target=[Counter.province_code, Counter.dimension, Counter.key],
                      update={Counter.value: Counter.value + delta})
         .execute())
