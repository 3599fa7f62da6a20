"""The examples in the docstrings run: every module of the ``obligraph`` namespace.

A docstring example is documentation a reader copies; this keeps it true. Each
module is imported by its installed name (``obligraph.loaders.units``, ...) and
its examples are run by :mod:`doctest` with ``ELLIPSIS`` and
``NORMALIZE_WHITESPACE``.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = (
    "obligraph",
    "obligraph.loaders",
    "obligraph.graph",
    "obligraph.ontology",
    "obligraph.queries",
    "obligraph.viz",
    "obligraph.viz.web",
)


def _modules() -> list[str]:
    names: set[str] = set()
    for package in PACKAGES:
        names.add(package)
        found = importlib.import_module(package)
        names.update(m.name for m in pkgutil.iter_modules(found.__path__, package + "."))
    return sorted(n for n in names if not n.endswith("__main__"))


MODULES = _modules()


def test_every_subpackage_is_searched():
    """The walk reaches the mapped folders (loaders/, graph/, ...), not only obligraph/
    (``obligraph.ontology`` is a single ``__init__`` module)."""
    for package in ("obligraph.loaders", "obligraph.graph", "obligraph.queries", "obligraph.viz"):
        assert any(m.startswith(package + ".") for m in MODULES), package
    assert "obligraph.ontology" in MODULES and "obligraph.viz.web.app" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, report=True, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
