"""Fixtures for the graph-view tests.

``pages`` renders the six views once per session from ``corpus_store`` (the five
bundled documents, see ``tests/conftest.py``) with the targets people would type;
``graph_of(html)`` (a fixture) reads the vis-network data back out of a page, so tests assert
on what the browser will draw, not on intermediate objects.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

#: view -> the target the tests render it for (as a planner would type it)
TARGETS = {
    "unit": "Cục Trẻ em",
    "document": "704/QĐ-LĐTBXH",
    "programme": "23/QĐ-TTg",
    "overlap": "all",
    "lineage": "4063/QĐ-UBND",
    "indicator": "all",
}

_DATA = re.compile(r'<script id="graph-data" type="application/json">(.*?)</script>', re.S)


def read_graph(page: str) -> dict[str, Any]:
    """The ``{"nodes": [...], "edges": [...]}`` a rendered page hands to vis-network."""
    match = _DATA.search(page)
    assert match, "no graph-data script in the page"
    return json.loads(match.group(1))


def by_label(graph: dict[str, Any], kind: str | None = None) -> dict[str, dict[str, Any]]:
    """Nodes keyed by label (optionally of one kind)."""
    return {n["label"]: n for n in graph["nodes"] if kind is None or n["kind"] == kind}


@pytest.fixture(scope="session")
def graph_of():
    """``graph_of(page)``: the vis-network data of a rendered page (see :func:`read_graph`)."""
    return read_graph


@pytest.fixture(scope="session")
def labels_of():
    """``labels_of(graph, kind=None)``: nodes keyed by label (see :func:`by_label`)."""
    return by_label


@pytest.fixture(scope="session")
def pages(corpus_store) -> dict[str, str]:
    """view -> its Vietnamese HTML page on the bundled corpus."""
    from obligraph.viz.views import build_view

    return {view: build_view(corpus_store, view, target) for view, target in TARGETS.items()}
