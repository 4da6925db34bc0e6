"""An event as notify's rules read it: its type and its payload.

The rules are plain Python and know nothing of the envelope's wire format; any object with a
`type` and a `data` mapping will do (the platform's `Envelope` is one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class IncomingEvent(Protocol):
    """What happened (`identity.organisation.registered`) and what the producer said about it."""

    @property
    def type(self) -> str: ...

    @property
    def data(self) -> Mapping[str, Any]: ...
