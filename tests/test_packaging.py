"""Installing obligraph puts ONE top-level name, ``obligraph``, into site-packages.

The project's folders (graph/, loaders/, queries/, viz/, ontology/) must not be
installed as generic top-level packages (PyPI has a ``queries``): they map into
the ``obligraph`` namespace. This test builds a real wheel from a copy of the
sources, installs it into a fresh target folder, and imports from there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "obligraph", "graph", "loaders", "queries", "viz",
           "ontology")  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """A wheel built from a copy of the sources, and the verbose build log."""
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, src / name)
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
        text=True,
    )
    (found,) = out.glob("obligraph-*.whl")
    return found, run.stdout + run.stderr


@pytest.fixture(scope="module")
def wheel(built) -> Path:
    return built[0]


def test_build_has_no_packaging_warnings(built):
    """Regression: data folders (corpus, gazetteer, templates, static) were shipped
    but missing from ``packages``, and setuptools warned about each of them."""
    log = built[1]
    assert "absent from the `packages` configuration" not in log
    assert "BuildBackendWarning" not in log


def test_wheel_has_only_the_obligraph_namespace(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        top = {n.split("/", 1)[0] for n in names}
        dist_info = next(n for n in top if n.endswith(".dist-info"))
        top_level = zf.read(f"{dist_info}/top_level.txt").decode().split()
    assert top == {"obligraph", dist_info}
    assert top_level == ["obligraph"]
    for sub in ("graph", "loaders", "queries", "viz", "ontology"):
        assert f"obligraph/{sub}/__init__.py" in names
    # data the package needs at run time travels with it
    assert any(n.startswith("obligraph/corpus/") and n.endswith(".txt") for n in names)
    assert "obligraph/queries/obligations-of-unit.rq" in names
    assert any(n.startswith("obligraph/ontology/gazetteer/") for n in names)
    assert "obligraph/ontology/obligraph.ttl" in names
    # the SPARQL editor is bundled with its licence, and served from the package
    yasgui = "obligraph/viz/static/vendor/yasgui/"
    assert {yasgui + f for f in ("yasgui.min.js", "yasgui.min.css", "LICENSE", "NOTICE.md")} <= set(
        names
    )
    assert not any("node_modules/" in n for n in names)


def install(wheel: Path, target: Path) -> None:
    """The wheel alone (no dependencies) installed into the folder ``target``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip


def test_installed_wheel_imports_as_one_namespace(wheel, tmp_path):
    target = tmp_path / "site"
    install(wheel, target)
    packages = sorted(
        p.name for p in target.iterdir() if p.name != "bin" and not p.name.endswith(".dist-info")
    )
    assert packages == ["obligraph"]  # "bin" holds the `obligraph` console script
    assert (target / "bin" / "obligraph").exists()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import obligraph, obligraph.loaders, obligraph.graph.stores, obligraph.queries.library;"
        "import importlib.util as u;"
        "print(obligraph.__file__);"
        "print([m for m in ('graph', 'queries', 'loaders', 'viz', 'ontology') if u.find_spec(m)]);"
        "print(len(obligraph.queries.library.catalogue()) > 0)"
    )
    # run from an empty folder so the checkout's folders cannot be imported by accident
    res = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = res.stdout.splitlines()
    assert lines[0].startswith(str(target))
    assert lines[1] == "[]"
    assert lines[2] == "True"
    help_run = subprocess.run(
        [sys.executable, "-m", "obligraph", "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert help_run.returncode == 0, help_run.stderr
    for command in ("build", "stats", "export", "query", "check", "push"):
        assert command in help_run.stdout


def _installed(target: Path, *args: str) -> list[str]:
    """``python -I`` running ``obligraph ARGS`` from the installed wheel in ``target``; its
    dependencies come from this interpreter's site-packages (read as a plain folder, so the
    checkout's editable install is not in play)."""
    import sysconfig

    deps = sysconfig.get_paths()["purelib"]
    boot = (
        f"import sys, runpy; sys.path[:0] = [{str(target)!r}, {deps!r}]; "
        f"sys.argv = ['obligraph', *{list(args)!r}]; "
        "runpy.run_module('obligraph', run_name='__main__')"
    )
    return [sys.executable, "-I", "-c", boot]


def test_installed_wheel_builds_serves_and_opens_the_editor(wheel, tmp_path):
    """The wheel alone (no checkout, no npm, no network) gives the command, the bundled
    corpus and the SPARQL editor: build the corpus, serve it, open /editor."""
    import socket
    import time

    import httpx

    target = tmp_path / "site"
    install(wheel, target)
    env = {**os.environ, "OBLIGRAPH_HOME": str(tmp_path / "home")}
    env.pop("PYTHONPATH", None)
    built = subprocess.run(
        _installed(target, "build", "--quiet"), cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert "documents" in built.stdout and "5" in built.stdout
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        _installed(target, "serve", "--port", str(port)), cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                editor = httpx.get(base + "/editor", timeout=30)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert editor.status_code == 200
        assert '<script src="/vendor/yasgui/yasgui.min.js"></script>' in editor.text
        js = httpx.get(base + "/vendor/yasgui/yasgui.min.js", timeout=30)
        assert js.status_code == 200 and len(js.content) > 500_000
        assert "Yasgui" in js.text[:2000]
        home = httpx.get(base + "/", timeout=60)
        assert (
            home.status_code == 200
            and "Cục Trẻ em" in httpx.get(base + "/unit/cuc-tre-em", timeout=60).text
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
