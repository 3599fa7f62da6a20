"""Fixtures for the query-library and trace tests.

``ask(name, **params)`` runs a named query of ``queries/`` against the session's
``corpus_store`` (the five bundled documents built by the real loaders and
builder, see ``tests/conftest.py``) and returns its rows as dicts of strings.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

Rows = list[dict[str, str | None]]


def as_rows(result) -> Rows:
    """SELECT rows as ``{column: str(value) or None}``."""
    return [
        {v: (None if t is None else str(t)) for v, t in zip(result.vars, row, strict=True)}
        for row in result.rows
    ]


@pytest.fixture(scope="session")
def ask(corpus_store) -> Callable[..., Rows]:
    from obligraph.queries.library import run

    def _ask(name: str, **params: str) -> Rows:
        return as_rows(run(corpus_store, name, params))

    return _ask
