"""Addresses: what a host name resolves to, and the guard that keeps a crawl off internal ones.

Two reasons the crawler looks at addresses itself instead of leaving DNS to httpx:

* **Politeness per server**: many ward and district portals are virtual hosts on one provincial
  server, so the politeness slot is the resolved address, not the name (:func:`slot_key`).
* **Safety**: a name on the allowed list, a redirect target or a poisoned DNS answer can point at
  ``127.0.0.1``, ``10.x`` or a cloud metadata address. A production crawl must never connect
  there (StormCrawler alone refuses them by default). :class:`GuardedBackend` checks the address
  at connect time, where it is finally known, and connects to the checked address itself, so a
  DNS answer that changes between check and connect (rebinding) cannot slip through.

A private or loopback address is contacted only when the allowed-hosts list names it literally
(``127.0.0.1:8000``: the tests and the demo) or the crawl sets ``allow_private_addresses``.
Requests sent through a proxy (``trust_env`` with ``HTTP(S)_PROXY``) are the proxy's to guard,
and a crawl given its own ``transport`` (tests) replaces the guard with it.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
import typing
from collections.abc import Iterable, Mapping

import httpcore
import httpx

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "GuardedBackend",
    "GuardedTransport",
    "Resolver",
    "is_ip",
    "is_public",
    "slot_key",
]


class AddressRefused(Exception):
    """The host resolves to a private, loopback or otherwise internal address."""


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        addr = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def is_ip(host: str) -> bool:
    return _ip(host) is not None


def is_public(address: str) -> bool:
    """True for globally routable unicast addresses (not private, loopback, link-local, CGNAT…)."""
    addr = _ip(address)
    return addr is not None and addr.is_global and not addr.is_multicast


def slot_key(addresses: list[str], port: int) -> str:
    """The politeness slot of a server: its address (the first, sorted, of several).

    On loopback every port is a separate test server (the demo and the tests run several on
    127.0.0.1), so there the port is part of the key; no production crawl reaches loopback.
    """
    first = sorted(addresses)[0]
    addr = _ip(first)
    return f"{first}:{port}" if addr is not None and addr.is_loopback else first


class AddressPolicy:
    """Which addresses may be contacted: public ones, plus explicitly allowed internal ones."""

    def __init__(self, allow_private: bool = False, literals: Iterable[str] = ()):
        self.allow_private = allow_private
        self.literals = {str(a) for a in (_ip(x) for x in literals) if a is not None}

    def permits(self, host: str, address: str) -> bool:
        if self.allow_private or is_public(address):
            return True
        # an internal address only when the allowed-hosts list names that very address
        host_ip, addr = _ip(host), _ip(address)
        return host_ip is not None and host_ip == addr and str(host_ip) in self.literals


class Resolver:
    """Host name → addresses, with a static table consulted first (like ``/etc/hosts``).

    ``use_dns=False`` answers from the table and IP literals only (tests that route names through
    their own transport). Answers are cached ``ttl`` seconds, failures ``negative_ttl``.
    """

    def __init__(self, static: Mapping[str, str | list[str]] | None = None, *, use_dns: bool = True,
                 timeout: float = 5.0, ttl: float = 300.0, negative_ttl: float = 60.0):
        self.static = {k.lower(): [v] if isinstance(v, str) else list(v) for k, v in (static or {}).items()}
        self.use_dns = use_dns
        self.timeout = timeout
        self.ttl = ttl
        self.negative_ttl = negative_ttl
        self._cache: dict[str, tuple[list[str], float]] = {}

    async def resolve(self, host: str) -> list[str]:
        host = host.lower().strip("[]")
        if is_ip(host):
            return [str(_ip(host))]
        if host in self.static:
            return list(self.static[host])
        if not self.use_dns:
            return []
        hit = self._cache.get(host)
        if hit is not None and hit[1] > time.monotonic():
            return list(hit[0])
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, None, type=socket.SOCK_STREAM), self.timeout)
            found = list(dict.fromkeys(str(info[4][0]) for info in infos))
        except (TimeoutError, OSError, UnicodeError):
            found = []
        self._cache[host] = (found, time.monotonic() + (self.ttl if found else self.negative_ttl))
        return found


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that resolves, checks and then connects to the checked address.

    TLS still verifies and sends SNI for the host name: httpcore passes the origin's name to
    ``start_tls`` whatever address the socket was opened to.
    """

    def __init__(self, resolver: Resolver, policy: AddressPolicy,
                 inner: httpcore.AsyncNetworkBackend | None = None):
        self.resolver = resolver
        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[typing.Any] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        addresses = await self.resolver.resolve(host)
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        refused = [a for a in addresses if not self.policy.permits(host, a)]
        if refused:  # one internal answer taints the name (rebinding tricks mix them)
            raise AddressRefused(f"{host} resolves to {refused[0]}: internal addresses are not "
                                 "crawled unless allowed explicitly")
        error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout,
                                                    local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not crawled")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's default transport with :class:`GuardedBackend` under its connection pool."""

    def __init__(self, backend: GuardedBackend, *, limits: httpx.Limits, trust_env: bool = False):
        super().__init__(limits=limits, trust_env=trust_env)
        # httpx builds its pool without a backend argument; rebuild it the same way with ours
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=trust_env),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
