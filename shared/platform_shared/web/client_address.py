"""The client's address behind proxies: which hops of `X-Forwarded-For` to believe.

Each proxy appends the address it received a request from to `X-Forwarded-For`; whatever stands
to the left of what the platform's own proxies wrote is what the client sent, and anyone can send
anything. Which proxies are the platform's own is a setting of every service and of the portal:

- `TRUSTED_PROXIES`: the networks (CIDR, comma-separated) the platform's proxies have addresses
  in — the Ingress controller's and the portal's pods, i.e. the cluster's pod network. When the
  peer is in them, the client is the right-most address of `X-Forwarded-For` that is not; so
  every path is right whatever its number of hops (Ingress → service; Ingress → portal →
  Ingress → service). A peer outside them is the client, whatever it sends.
- `TRUSTED_PROXY_HOPS`: exactly that many proxies in front (werkzeug's ProxyFix), for a path
  that always has that many (the local `gateway proxy`). `TRUSTED_PROXIES` wins when both are set.

The address found becomes `REMOTE_ADDR`, which the rate limits and the audit log read; the peer's
own is kept in the WSGI environ as `platform.peer_address`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
PEER_ADDRESS = "platform.peer_address"


def parse_networks(text: str) -> tuple[Network, ...]:
    """`10.244.0.0/16, fd00::/8, 127.0.0.1` as networks; a malformed one is a ValueError (a
    typo here would silently trust nobody, or everybody)."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def _address(text: str) -> Address | None:
    try:
        found = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:198.51.100.7) is that IPv4 address.
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(peer: str, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy; then, walking
    `X-Forwarded-For` from the right, the first address that is not a trusted proxy's (the
    left-most when all are). An entry that is not an address ends the walk: nothing a client
    wrote further left is believed."""
    peer_address = _address(peer)
    if peer_address is None or not _trusted(peer_address, trusted):
        return str(peer_address) if peer_address is not None else peer
    found: Address = peer_address
    for hop in reversed((forwarded_for or "").split(",")):
        hop_address = _address(hop)
        if hop_address is None:
            break
        found = hop_address
        if not _trusted(hop_address, trusted):
            break
    return str(found)


class TrustedProxies:
    """WSGI middleware: `REMOTE_ADDR` becomes the client's address (`client_address`), and with
    `proto`, the scheme a trusted peer says the client used (`X-Forwarded-Proto`, its last value)."""

    def __init__(self, app: WSGIApplication, trusted: Sequence[Network], *, proto: bool = False) -> None:
        self.app = app
        self.trusted = tuple(trusted)
        self.proto = proto

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        peer = environ.get("REMOTE_ADDR", "")
        environ[PEER_ADDRESS] = peer
        environ["REMOTE_ADDR"] = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"), self.trusted)
        peer_address = _address(peer)
        if self.proto and peer_address is not None and _trusted(peer_address, self.trusted):
            scheme = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if scheme in ("http", "https"):
                environ["wsgi.url_scheme"] = scheme
        return self.app(environ, start_response)


def behind_proxies(app: WSGIApplication, *, trusted_proxies: str = "", hops: int = 0,
                   proto: bool = False) -> WSGIApplication:
    """`app` as it must run behind its proxies: `TRUSTED_PROXIES` if given, else
    `TRUSTED_PROXY_HOPS` (ProxyFix), else as it is (nothing in front: the peer is the client)."""
    networks = parse_networks(trusted_proxies)
    if networks:
        return TrustedProxies(app, networks, proto=proto)
    if hops > 0:
        fixed: WSGIApplication = ProxyFix(app, x_for=hops, x_proto=hops if proto else 0)
        return fixed
    return app
