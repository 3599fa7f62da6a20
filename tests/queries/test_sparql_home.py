"""One home for SPARQL (issue 12): the modules listed here hold no query text; they run
the library's files (``queries/*.rq``, ``queries/internal/*.rq``) through
:mod:`obligraph.queries.library`. Every module of the package is scanned but
:data:`EXEMPT` (the library itself and the stores' own protocol).

The scan reads every string constant of a module (docstrings aside; an f-string's
literal parts joined): a text that opens, after comment lines, with a query form or a
PREFIX declaration, or that holds a graph pattern over the project's prefixes
(``?t ob:taskId ?v``), is query text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from obligraph.queries.library import INTERNAL_DIR, catalogue, internal

ROOT = Path(__file__).resolve().parents[2]

#: Where query text may stand: the query library itself, and the stores' own protocol
#: (the update text a backend generates from data and the generic reads behind its
#: interface; docs/architecture.md "One home for SPARQL").
EXEMPT = ("queries/library.py", "graph/stores/")
#: The source folders of the package (pyproject.toml maps them into ``obligraph``).
SOURCE_DIRS = ("obligraph", "loaders", "ontology", "graph", "queries", "viz")
#: Every module of the package but the exempt ones (paths from the repository root).
MODULES = tuple(
    sorted(
        rel
        for folder in SOURCE_DIRS
        for path in (ROOT / folder).rglob("*.py")
        if not (rel := path.relative_to(ROOT).as_posix()).startswith(EXEMPT)
    )
)


def test_every_source_folder_is_scanned() -> None:
    assert len(MODULES) > 100
    assert {"viz/views.py", "graph/analysis/summary.py", "obligraph/cli/core.py"} <= set(MODULES)


_OPENS_AS_QUERY = re.compile(
    r"^\s*(?:#[^\n]*\n\s*)*(?:PREFIX\s+[\w-]*:|(?:SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE)\b"
    r"[\s\S]*(?:\bWHERE\b|\{))",
    re.IGNORECASE,
)
_PATTERN = re.compile(r"\?\w+\s+(?:a|(?:ob|eli|org|skos|prov|rdf|rdfs|dcterms):\w+)\s+[?<\w]")


def _not_queries(tree: ast.AST) -> set[int]:
    """Docstrings, and help texts (``*_HELP = "..."``: examples shown, never run)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            if any(isinstance(t, ast.Name) and t.id.endswith("HELP") for t in node.targets):
                found.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def query_texts(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant of ``source`` that reads as SPARQL.

    >>> query_texts("'''Tasks: SELECT them.'''\\nQ = f'SELECT ?t WHERE {{ ?t a {cls} }}'")
    [(2, 'SELECT ?t WHERE { ?t a  }')]
    >>> query_texts('HELP = "run a query, e.g. obligraph query stats-by-type"')
    []
    """
    tree = ast.parse(source)
    skip = _not_queries(tree)
    inside_fstrings = set()
    texts: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v for v in node.values if isinstance(v, ast.Constant)]
            inside_fstrings.update(id(v) for v in parts)
            texts.append((node.lineno, "".join(str(v.value) for v in parts)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip | inside_fstrings
        ):
            texts.append((node.lineno, node.value))
    return sorted(t for t in texts if _OPENS_AS_QUERY.search(t[1]) or _PATTERN.search(t[1]))


@pytest.mark.parametrize("path", MODULES)
def test_no_sparql_text_outside_the_query_library(path: str) -> None:
    found = query_texts((ROOT / path).read_text(encoding="utf-8"))
    assert not found, f"{path} still holds SPARQL text (move it to queries/internal/): {found}"


@pytest.mark.parametrize(
    "text",
    [
        'Q = """\nPREFIX ob: <x#>\nSELECT ?t WHERE { ?t a ob:Task }"""',
        'Q = f"SELECT ?t WHERE {{ VALUES ?t {{ {iris} }} }}"',
        'BODIES = {"text": "?t ob:text ?v"}',
        'Q = "ASK { ?s ?p ?o }"',
    ],
)
def test_the_scan_sees_query_text(text: str) -> None:
    assert query_texts(text)


def test_every_internal_query_has_a_header_and_parses() -> None:
    from pyoxigraph import Store

    store = Store()
    for path in sorted(INTERNAL_DIR.glob("*.rq")):
        query = internal(path.stem)
        assert query.title and query.description, f"{path.name}: # title: and # description:"
        assert not re.search(r"(?im)^\s*PREFIX\s", path.read_text(encoding="utf-8")), (
            f"{path.name}: the library adds the standard prefixes"
        )
        store.query(re.sub(r"VALUES\s+\?(\w+)\s*\{\s*\}", r"VALUES ?\1 { <urn:x> }", query.text))


def test_internal_queries_are_not_named_queries() -> None:
    names = {q.name for q in catalogue()}
    assert not names & {p.stem for p in INTERNAL_DIR.glob("*.rq")}
