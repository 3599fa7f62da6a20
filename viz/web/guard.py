"""What every answer of the web app is wrapped in: a Host check and security headers.

A page open in the user's browser could otherwise reach the app through a name
that resolves to 127.0.0.1 (DNS rebinding) and read its answers as same-origin;
the app therefore answers only requests whose ``Host`` is one it serves
(127.0.0.1, localhost, ::1, the interface it is bound to, and names the user
allows). Every answer carries a Content-Security-Policy that lets a page load
nothing from another origin and be framed only by the app's own pages, plus ``X-Frame-Options``,
``X-Content-Type-Options`` and ``Referrer-Policy``.

Starlette's ``TrustedHostMiddleware`` is not used: it cuts ``[::1]:8000`` at the
first colon and so refuses every request to an app bound to IPv6 loopback.

>>> host_name("[::1]:8000"), host_name("LocalHost:80"), host_name("127.0.0.1")
('::1', 'localhost', '127.0.0.1')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

#: Pages are self-contained (graph views inline their scripts and styles); nothing
#: from another origin, no plugin, framed only by the app itself (the unit page
#: embeds its graph view), forms only back to the app.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "font-src 'self' data:; "
    "connect-src 'self'; "
    "worker-src 'self' blob:; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'self'; "
    "frame-ancestors 'self'"
)

SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without its port, lower-cased (IPv6 unbracketed)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_hosts(bound: str = "127.0.0.1", extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` names an app bound to ``bound`` answers: local names, ``bound``, ``extra``.

    >>> sorted(allowed_hosts("0.0.0.0", ["plans.example.org"]))
    ['127.0.0.1', '::1', 'localhost', 'plans.example.org']
    """
    names = {*LOCAL_HOSTS, *(host_name(h) for h in extra)}
    if bound not in ("0.0.0.0", "::", ""):
        names.add(host_name(bound if ":" not in bound else f"[{bound}]"))
    return frozenset(n for n in names if n)


class GuardMiddleware:
    """ASGI middleware: refuse an unknown ``Host`` (400), add the security headers."""

    def __init__(self, app: Any, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if host_name(raw) not in self.hosts:
            body = b"400 Bad Request: unknown Host header (start the app with --allow-host NAME)"
            await send(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        *SECURITY_HEADERS,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
