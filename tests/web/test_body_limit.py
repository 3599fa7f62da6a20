"""A request body over the limit is refused while it is read, not after.

The limit is a query of 20,000 characters fully percent-encoded plus 16 KiB
(196,384 bytes). Over a raw socket to the real server on 127.0.0.1: a declared
``Content-Length`` of 300 MB gets 413 before a byte of body is sent; a chunked
body gets 413 once it passes the limit, while the client still holds most of it
(the answer arrives though the body was never finished: a server that read the
whole body first would never answer, and the socket's time-out would fail the test).
"""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.server

LIMIT = 9 * 20_000 + 16 * 1024


def open_socket(site: str) -> socket.socket:
    host, port = site.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=20)
    return sock


def status_of(sock: socket.socket) -> int:
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return int(head.split(b" ", 2)[1])


def headers(site: str, extra: str) -> bytes:
    host = site.removeprefix("http://")
    return (
        f"POST /sparql HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/sparql-query\r\n{extra}\r\n"
    ).encode()


def test_a_declared_huge_body_is_refused_before_it_is_sent(site):
    with open_socket(site) as sock:
        sock.sendall(headers(site, "Content-Length: 300000000\r\n"))
        assert status_of(sock) == 413


def test_a_chunked_body_is_refused_once_past_the_limit(site):
    chunk = b"#" * 65536
    sent = 0
    with open_socket(site) as sock:
        sock.sendall(headers(site, "Transfer-Encoding: chunked\r\n"))
        while sent <= LIMIT + len(chunk):
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        # the body is never finished (no last chunk): the answer must come anyway
        assert status_of(sock) == 413
    assert sent < 1_000_000


@pytest.mark.parametrize("kind", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_a_body_within_the_limit_is_answered(site, kind):
    import httpx

    query = "ASK { ?s ?p ?o }" + " " * (LIMIT // 2)
    body = query if kind.startswith("application/sparql") else "query=" + query.replace(" ", "+")
    res = httpx.post(site + "/sparql", content=body.encode(), headers={"Content-Type": kind})
    # within the body limit but over the 20,000-character query limit: the query's 400
    assert res.status_code == 400 and "query too long" in res.text
    small = httpx.post(
        site + "/sparql",
        content=b"ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert small.status_code == 200 and small.json()["boolean"] is True
