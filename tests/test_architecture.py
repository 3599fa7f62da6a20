"""The shape of the code: layers whose imports point one way, and no import cycle.

Read from the source with :mod:`ast` (every ``import``, at module level or inside a
function), so the test fails on the commit that adds an arrow the wrong way. The layers,
bottom to top, are those of docs/architecture.md:

>>> [name for name, _ in LAYERS][:4]
['foundation', 'writers', 'ontology', 'loaders']
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The project's folders as packages of the one ``obligraph`` namespace (pyproject.toml).
PACKAGES = {
    "obligraph": ROOT / "obligraph",
    "obligraph.ontology": ROOT / "ontology",
    "obligraph.loaders": ROOT / "loaders",
    "obligraph.graph": ROOT / "graph",
    "obligraph.queries": ROOT / "queries",
    "obligraph.viz": ROOT / "viz",
}

#: Bottom to top: a module may import from its own layer and the layers below it.
#: A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("obligraph.base",)),
    ("writers", ("obligraph.output",)),
    ("ontology", ("obligraph.ontology",)),
    ("loaders", ("obligraph.loaders",)),
    ("rdf", ("obligraph.graph.rdf",)),
    ("stores", ("obligraph.graph.stores",)),
    ("query library", ("obligraph.queries.library",)),
    ("analyses", ("obligraph.graph.analysis",)),
    ("operations", ("obligraph.graph",)),
    ("reports", ("obligraph.queries",)),
    ("views and app", ("obligraph.viz",)),
    ("doors", ("obligraph.cli", "obligraph.__main__", "obligraph")),
]


def modules() -> dict[str, Path]:
    """Every module of the project by dotted name (data folders and vendored files left out)."""
    found: dict[str, Path] = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            rel = path.relative_to(folder)
            if {"static", "corpus", "__pycache__"} & set(rel.parts):
                continue
            parts = [p for p in rel.with_suffix("").parts if p != "__init__"]
            name = ".".join([package, *parts])
            if (
                name.startswith("obligraph.")
                and name.split(".")[1] in {"ontology", "loaders", "graph", "queries", "viz"}
                and package == "obligraph"
            ):
                continue  # not a folder of the obligraph/ package
            found[name] = path
    return found


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of a module's layer.

    >>> LAYERS[layer_of("obligraph.graph.stores.oxigraph")][0]
    'stores'
    >>> LAYERS[layer_of("obligraph.graph.build")][0]
    'operations'
    """
    best, best_len = -1, -1
    for i, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    return best


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project's modules ``name`` imports. ``from package import submodule`` counts as
    an import of the submodule; ``from package import name`` as one of the package."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                targets.append(sub if sub in known else module)
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    known = modules()
    g = nx.DiGraph()
    g.add_nodes_from(known)
    for name, path in known.items():
        for target in imports(name, path, known):
            g.add_edge(name, target)
    return g


def test_every_module_has_a_layer(graph):
    assert [m for m in graph if layer_of(m) < 0] == []


def test_no_import_cycle(graph):
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def test_imports_point_down(graph):
    upward = [
        f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
        for a, b in graph.edges
        if layer_of(b) > layer_of(a)
    ]
    assert upward == []


def test_the_foundation_imports_nothing_of_the_project(graph):
    base = [m for m in graph if layer_of(m) == 0]
    assert base, "no foundation modules found"
    assert {b for a in base for b in graph.successors(a)} <= set(base)


def test_the_test_sees_the_arrows(graph):
    """The reader finds known arrows (a broken reader would pass every test above)."""
    assert graph.has_edge("obligraph.graph.build", "obligraph.graph.rdf")
    assert graph.has_edge("obligraph.graph.stores.oxigraph", "obligraph.graph.stores.api")
    assert graph.has_edge("obligraph.cli.core", "obligraph.cli.common")
    assert graph.number_of_nodes() > 100


#: The longest a function of the package, the benchmark or the scripts may be.
MAX_FUNCTION_LINES = 80


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """(name, lines) of every function of ``source`` longer than ``limit`` lines, unless
    a comment ``# long: <reason>`` stands on its ``def`` line or the line above it.

    >>> long_functions("def f():\\n" + "    x = 1\\n" * 3, limit=2)
    [('f', 4)]
    >>> long_functions("# long: a table read top to bottom\\ndef f():\\n" + "    x = 1\\n" * 3, 2)
    []
    """
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            size = node.end_lineno - node.lineno + 1
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            near = " ".join(lines[max(start - 2, 0) : node.lineno])
            if size > limit and "# long:" not in near:
                found.append((node.name, size))
    return found


def test_no_function_over_80_lines_without_a_reason():
    folders = ("obligraph", "loaders", "ontology", "graph", "queries", "viz", "bench", "scripts")
    found = {
        path.relative_to(ROOT).as_posix(): long
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (long := long_functions(path.read_text(encoding="utf-8")))
    }
    assert not found, f"functions over {MAX_FUNCTION_LINES} lines: {found}"
