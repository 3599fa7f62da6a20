"""The app answers only the Host names it serves, and every answer carries security headers.

DNS rebinding: a page from ``evil.example`` whose name is made to resolve to
127.0.0.1 sends ``Host: evil.example``; the app must refuse it (400) before any
page or query runs. Framing by another origin and foreign loads are forbidden by headers on every
answer (pages, /sparql, static files, errors). The update token never comes from
the command line. Requests go to real servers on 127.0.0.1 (``tests/web/conftest.py``
and ``obligraph serve`` started in a child process).
"""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from obligraph.cli import app

from .conftest import serve, serve_cli

pytestmark = pytest.mark.server

PATHS = ["/", "/overview", "/editor", "/sparql?query=ASK%7B%7D", "/static/style.css", "/nowhere"]


def get(url: str, host: str | None = None) -> httpx.Response:
    headers = {"Host": host} if host else {}
    return httpx.get(url, headers=headers, timeout=60)


@pytest.mark.parametrize("path", PATHS)
def test_a_foreign_host_is_refused(site, path):
    res = get(site + path, host="evil.example")
    assert res.status_code == 400
    assert "Host" in res.text
    assert "x-frame-options" in res.headers


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_local_names_are_answered(site, host):
    port = site.rsplit(":", 1)[1]
    assert get(site + "/", host=f"{host}:{port}").status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_carries_the_security_headers(site, path):
    res = get(site + path)
    csp = res.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "default-src 'self'" in csp
    assert "connect-src 'self'" in csp and "object-src 'none'" in csp
    assert res.headers["x-frame-options"] == "SAMEORIGIN"
    assert res.headers["x-content-type-options"] == "nosniff"
    assert res.headers["referrer-policy"] == "no-referrer"


def test_a_name_the_user_allows_is_answered(corpus_store):
    from obligraph.viz.web.app import create_app
    from obligraph.viz.web.guard import allowed_hosts

    web = create_app(corpus_store, hosts=allowed_hosts("0.0.0.0", ["plans.example.org"]))
    for url in serve(web):
        assert get(url + "/", host="plans.example.org").status_code == 200
        assert get(url + "/", host="plans.example.org.evil.example").status_code == 400
        assert get(url + "/").status_code == 200  # 127.0.0.1 stays allowed


def test_a_token_on_the_command_line_is_refused():
    res = CliRunner().invoke(app, ["serve", "--update-token", "s3cret"])
    assert res.exit_code == 2
    assert "--update-token-file" in res.stderr and "OBLIGRAPH_UPDATE_TOKEN" in res.stderr
    assert "s3cret" not in res.output


def test_an_empty_token_file_is_refused(tmp_path):
    empty = tmp_path / "token"
    empty.write_text("\n")
    res = CliRunner().invoke(app, ["serve", "--update-token-file", str(empty)])
    assert res.exit_code == 2
    assert str(empty) in res.stderr and "empty" in res.stderr


UPDATE = "INSERT DATA { <urn:x> <urn:p> 'từ tệp' }"


@pytest.mark.parametrize("source", ["file", "env"])
def test_the_token_from_a_file_or_the_environment_allows_updates(tmp_path, source):
    token = f"tok-{source}-91c2"
    (tmp_path / "token").write_text(token + "\n", "utf-8")
    if source == "file":
        args, env = (
            ("--store", str(tmp_path / "store"), "--update-token-file", str(tmp_path / "token")),
            {},
        )
    else:
        args, env = ("--store", str(tmp_path / "store")), {"OBLIGRAPH_UPDATE_TOKEN": token}
    proc, url = serve_cli(tmp_path, *args, env=env)
    try:
        wrong = httpx.post(
            url + "/sparql", data={"update": UPDATE}, headers={"Authorization": "Bearer no"}
        )
        assert wrong.status_code == 401
        right = httpx.post(
            url + "/sparql", data={"update": UPDATE}, headers={"Authorization": f"Bearer {token}"}
        )
        assert right.status_code in (200, 204), right.text
        ask = httpx.get(url + "/sparql", params={"query": "ASK { <urn:x> <urn:p> 'từ tệp' }"})
        assert ask.json()["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=30)
