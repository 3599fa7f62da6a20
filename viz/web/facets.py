"""Filters, facet counts, sort and paging of a register, over rows already read.

A register (a unit's, a document's, a programme's, a search's) is first read as a flat
table of *keys*, one per row (task, unit, role), each carrying the values its facets
and sort need (:mod:`obligraph.viz.web.registers`). Everything a page asks of the
table — which rows pass the filters, how many rows each facet value has, the order,
the page — is computed here in Python, the way Datasette serves a table:

* a filter is one value per facet (``?programme=1863/QĐ-TTg&role=lead``); filters of
  different facets all apply;
* a facet's counts are over the rows that pass the filters (a row with two
  programmes counts under each), most rows first;
* ``?sort=due`` (ascending) or ``?sort=-due`` (descending) on one of :data:`SORTS`;
  the default is by document and the task's place in it;
* a page holds :data:`PAGE_SIZE` rows; ``?page=N``.

>>> rows = [
...     {"task": "t1", "role": "lead", "programme": ("A",), "document": "D1", "place": (1,)},
...     {"task": "t2", "role": "support", "programme": ("A", "B"), "document": "D1",
...      "place": (2,)},
...     {"task": "t3", "role": "lead", "programme": ("B",), "document": "D2", "place": (1,)},
... ]
>>> view = View.parse({"programme": "B", "sort": "-document"})
>>> result = apply(rows, view)
>>> [r["task"] for r in result.rows], result.total, result.shown
(['t3', 't2'], 3, 2)
>>> result.facets["role"]
[('lead', 1), ('support', 1)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Rows a register page shows at once (the downloads hold every row that passes).
PAGE_SIZE = 100

#: The facets, in the order a page shows them; each is a query parameter too.
FACETS = ("programme", "document", "year", "role", "level", "modality")

#: Facets whose value on a row is a tuple (a row may have several).
MULTI = frozenset({"programme", "year"})

#: Columns a register can be sorted by (``?sort=NAME``, ``?sort=-NAME``).
SORTS = ("document", "unit", "role", "programme", "year", "due")


@dataclass(frozen=True)
class View:
    """What a request asks of a register: filters, sort, page."""

    filters: tuple[tuple[str, str], ...] = ()
    sort: str = ""
    descending: bool = False
    page: int = 1

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> View:
        """The view a page's query parameters describe; unknown or empty ones ignored.

        >>> View.parse({"role": "lead", "sort": "-due", "page": "2", "x": "y"})
        View(filters=(('role', 'lead'),), sort='due', descending=True, page=2)
        >>> View.parse({"sort": "nonsense", "page": "0"}).sort, View.parse({"page": "z"}).page
        ('', 1)
        """
        filters = tuple((f, str(params[f])) for f in FACETS if str(params.get(f) or "").strip())
        sort = str(params.get("sort") or "")
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        if sort not in SORTS:
            sort, descending = "", False
        number = str(params.get("page") or "1")
        page = max(int(number), 1) if number.isdigit() and len(number) < 7 else 1
        return cls(filters, sort, descending, page)

    def value(self, facet: str) -> str:
        """The value the view filters ``facet`` by ("" when none)."""
        return dict(self.filters).get(facet, "")

    def params(self, **change: Any) -> dict[str, str]:
        """The view's query parameters, with ``change`` applied (a value of "" or None
        drops the parameter; any change but ``page`` goes back to page 1).

        >>> View.parse({"role": "lead", "page": "3"}).params(year="2021")
        {'role': 'lead', 'year': '2021'}
        """
        out: dict[str, str] = dict(self.filters)
        if self.sort:
            out["sort"] = ("-" if self.descending else "") + self.sort
        if self.page > 1 and not change:
            out["page"] = str(self.page)
        for key, value in change.items():
            if value in ("", None):
                out.pop(key, None)
            else:
                out[key] = str(value)
        return out


@dataclass
class Result:
    """One page of a register: the rows shown, the counts and the facets."""

    rows: list[dict[str, Any]]
    total: int  # rows of the register, no filter
    shown: int  # rows that pass the filters (every page)
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _has(row: Mapping[str, Any], facet: str, value: str) -> bool:
    got = row.get(facet)
    if facet in MULTI:
        return value in (got or ())
    return str(got or "") == value


def _sort_key(sort: str) -> Any:
    def first(row: Mapping[str, Any], facet: str) -> str:
        values = row.get(facet) or ()
        return min(values) if values else ""

    def key(row: Mapping[str, Any]) -> tuple:
        place = (row.get("document") or "", row.get("place") or (), row.get("role") or "")
        if sort == "unit":
            return (row.get("unit_label") or "", *place)
        if sort == "role":
            return (row.get("role") or "", *place)
        if sort in ("programme", "year"):
            return (first(row, sort), *place)
        if sort == "due":
            due = row.get("due") or ""
            return (due == "", due, *place)  # rows without a date go last
        return place

    return key


def facet_counts(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its values among ``rows`` and how many rows have each (most
    first, then by value); rows without a value are not counted.

    >>> facet_counts([{"year": ("2021", "2022")}, {"year": ("2021",)}])["year"]
    [('2021', 2), ('2022', 1)]
    """
    out: dict[str, list[tuple[str, int]]] = {}
    for facet in FACETS:
        counts: Counter[str] = Counter()
        for row in rows:
            got = row.get(facet)
            values = set(got or ()) if facet in MULTI else ({str(got)} if got else set())
            counts.update(values)
        out[facet] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return out


def select(rows: Sequence[Mapping[str, Any]], view: View) -> list[Mapping[str, Any]]:
    """Every row that passes the view's filters, in its order (every page: what the
    downloads hold).

    >>> select([{"role": "lead"}, {"role": "support"}], View.parse({"role": "lead"}))
    [{'role': 'lead'}]
    """
    kept = [r for r in rows if all(_has(r, f, v) for f, v in view.filters)]
    kept.sort(key=_sort_key(view.sort), reverse=view.descending)
    return kept


def apply(rows: Sequence[Mapping[str, Any]], view: View, size: int = PAGE_SIZE) -> Result:
    """Filter, count, sort and page ``rows`` as ``view`` asks (see the module)."""
    kept = select(rows, view)
    pages = max(1, -(-len(kept) // size))
    page = min(view.page, pages)
    start = (page - 1) * size
    return Result(
        rows=[dict(r) for r in kept[start : start + size]],
        total=len(rows),
        shown=len(kept),
        page=page,
        pages=pages,
        facets=facet_counts(kept),
    )
