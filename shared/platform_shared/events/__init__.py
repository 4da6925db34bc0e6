"""Domain events: the envelope, the contract registry and the catalogue of contracts."""

from platform_shared.events.contracts import build_event, contract, parse_event
from platform_shared.events.envelope import Envelope, MalformedEvent

__all__ = ["Envelope", "MalformedEvent", "build_event", "contract", "parse_event"]
