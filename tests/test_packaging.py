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
    # the SPARQL editor, installed from npm at set-up, is served from the package
    yasgui = "obligraph/viz/web/yasgui-npm/node_modules/@zazuko/yasgui/build/"
    assert {yasgui + "yasgui.min.js", yasgui + "yasgui.min.css"} <= set(names)
    assert not any("node_modules/" in n and not n.startswith(yasgui) for n in names)


def test_installed_wheel_imports_as_one_namespace(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    packages = sorted(
        p.name for p in target.iterdir() if p.name != "bin" and not p.name.endswith(".dist-info")
    )
    assert packages == ["obligraph"]  # "bin" holds the `obligraph` console script
    assert (target / "bin" / "obligraph").exists()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import obligraph, obligraph.loaders, obligraph.graph.store, obligraph.queries.library;"
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
