"""The calendar page (``/calendar``) and its iCalendar download (``/calendar.ics``).

What falls due in a month (``?month=2026-03``, previous and next months linked), the
overdue tasks first whatever their month, one unit's (``?unit=cuc-tre-em``: the tail of
its IRI, as unit pages are addressed); each entry links to its task page and its
document page. ``/calendar.ics?unit=...`` is the same calendar as an iCalendar file
(:mod:`obligraph.queries.calendar_ics`), every event linking to its page on this
server. The store work runs through ``work`` (a worker process under the page time
limit, like every page).

>>> parse_month("2026-03")
(2026, 3)
>>> shift(2026, 12, 1), shift(2026, 1, -1)
('2027-01', '2025-12')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from obligraph.queries.calendar import Due, month_of, overdue, read_calendar
from obligraph.viz.web.data import find_iri, iri_tail

from obligraph.base.errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str) -> tuple[int, int]:
    """``(year, month)`` of ``yyyy-mm``; InputError otherwise."""
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or not 1900 <= int(found.group(1)) <= 2200:
        raise InputError(f"not a month: {text!r} (write yyyy-mm, e.g. 2026-03)")
    return int(found.group(1)), int(found.group(2))


def shift(year: int, month: int, by: int) -> str:
    """``yyyy-mm`` of the month ``by`` months away."""
    y, m = divmod(year * 12 + month - 1 + by, 12)
    return f"{y:04d}-{m + 1:02d}"


def _entry(d: Due, day: date | None = None) -> dict[str, Any]:
    """What the page shows of one entry (plain data: it crosses from the worker)."""
    tail = iri_tail(d.iri, "doc")
    units = {
        role: [{"name": u.name, "href": "/unit/" + iri_tail(u.iri, "unit")} for u in d.units
               if u.role == role]
        for role in ("lead", "support", "reporter", "report_to")
    }  # fmt: skip
    return {
        "kind": d.kind,
        "day": (day or d.start_date).isoformat(),
        "weekday": (day or d.start_date).weekday(),
        "due": d.start,
        "every_months": d.every_months,
        "recurrence": d.recurrence,
        "document": d.document,
        "doc_href": "/doc/" + iri_tail(d.doc_iri, "doc") if "/doc/" in d.doc_iri else "",
        "task_id": d.task_id,
        "task_href": "/task/" + tail if d.kind == "task" and tail else "",
        "text": d.text,
        "subject": d.subject,
        "units": units,
        "state": d.state,
        "status": d.status,
        "status_date": d.status_date,
        "corrected": d.corrected,
        "source": d.source_file + (f":{d.line}" if d.line is not None else ""),
    }


def _label(store: Any, iri: str) -> str:
    from obligraph.queries.library import run_internal
    from rdflib import URIRef

    found = run_internal(store, "calendar-unit-label", bindings={"u": URIRef(iri)}).rows
    return min((str(r[0]) for r in found), default="")


def calendar_data(store: Any, month: str, unit: str, today: str) -> dict[str, Any] | None:
    """The page's data; ``None`` when ``unit`` names no unit (404).

    ``month``: ``yyyy-mm`` ('' for ``today``'s); ``unit``: a unit's IRI tail ('' for all).
    """
    day = date.fromisoformat(today)
    year, mon = parse_month(month) if month else (day.year, day.month)
    found = read_calendar(store, today=day)
    units: dict[str, str] = {}
    for d in found:
        for u in d.units:
            units.setdefault(iri_tail(u.iri, "unit"), u.name)
    unit_name = ""
    if unit:
        iri = find_iri(store, "unit", unit)
        if iri is None:
            return None
        unit_name = units.get(unit) or _label(store, iri) or unit
        found = [d for d in found if d.involves(iri)]
    shown = month_of(found, year, mon)
    after = date(*map(int, shift(year, mon, 1).split("-")), 1)
    upcoming = [n for n in (d.next_due(after) for d in found) if n is not None]
    before = date(year, mon, 1)
    earlier = [o for d in found for o in d.occurrences(date(1900, 1, 1), before) if o < before]
    return {
        "month": f"{year:04d}-{mon:02d}",
        "year": year,
        "mon": mon,
        "prev": shift(year, mon, -1),
        "next": shift(year, mon, 1),
        "this_month": f"{day.year:04d}-{day.month:02d}",
        "today": today,
        "unit": unit,
        "unit_name": unit_name,
        "units": sorted(units.items(), key=lambda kv: kv[1].lower()),
        "overdue": [_entry(d) for d in overdue(found)],
        "days": [(when.isoformat(), [_entry(d, when) for d in ds]) for when, ds in shown.days],
        "count": shown.count,
        "total": len(found),
        "next_due": min(upcoming).isoformat() if upcoming else "",
        "last_before": max(earlier).isoformat() if earlier else "",
    }


def calendar_ics(store: Any, unit: str, base_url: str) -> tuple[str, bytes] | None:
    """``(file name, iCalendar bytes)`` of everything (or one unit's); None: no such unit."""
    from obligraph.queries.calendar_ics import DeadlineCalendar, to_ical

    name, iri = "obligraph — thời hạn", None
    if unit:
        iri = find_iri(store, "unit", unit)
        if iri is None:
            return None
    found = read_calendar(store)
    if iri is not None:
        found = [d for d in found if d.involves(iri)]
        label = next((u.name for d in found for u in d.units if u.iri == iri), unit)
        name += f" — {label}"
    raw = to_ical(DeadlineCalendar(found, name, base_url))
    return (f"deadlines-{unit}.ics" if unit else "deadlines.ics"), raw


def make_calendar_router(
    store: Any,
    page: Callable[..., HTMLResponse],
    *,
    work: Callable[..., Any] | None = None,
) -> APIRouter:
    """``GET /calendar`` and ``GET /calendar.ics``."""
    router = APIRouter()
    if work is None:

        def work(fn: Callable[..., Any], *args: Any) -> Any:
            return fn(store, *args)

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(request, "web_error.html", 404, message=what, code=404)

    @router.get("/calendar", response_class=HTMLResponse)
    def calendar_page(request: Request, month: str = "", unit: str = "") -> HTMLResponse:
        found = work(calendar_data, month, unit, date.today().isoformat())
        if found is None:
            return not_found(request, f"unit/{unit}")
        return page(request, "web_calendar.html", **found)

    @router.get("/calendar.ics")
    def calendar_file(request: Request, unit: str = "") -> Response:
        base = str(request.base_url).rstrip("/")
        found = work(calendar_ics, unit, base)
        if found is None:
            return not_found(request, f"unit/{unit}")
        name, raw = found
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(raw, media_type="text/calendar; charset=utf-8", headers=headers)

    return router
