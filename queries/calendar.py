"""Deadlines on a calendar: every dated or recurring due day the store holds.

Two kinds of thing fall due:

* a **task** with a due date (``ob:dueDate``: written in the document, or given by a
  ``due`` correction): one day, with the units that lead and support it, and its
  state on a given day (:func:`~obligraph.graph.status.task_state`: the status
  people reported, ``overdue`` the day after the due date when not done);
* an ``ob:Deadline`` (a report the document asks for) with a date
  (``ob:dueDate``: one day, the year written) or a day that comes back
  (``ob:dueMonthDay`` ``--06-10``), with who reports (``ob:reporter``) and to whom
  (``ob:reportTo``). A deadline has no status (statuses are kept for tasks).

How a recurring day repeats (:attr:`Due.rrule`). ``ob:dueMonthDay`` is a day of the
year, so it comes back **every year** (``FREQ=YEARLY``). The deadline's recurrence
(``ob:recurrence``) says how often it comes back only when the sentence gives that
one day: "hằng quý, trước ngày 20/3" is every three months (``FREQ=MONTHLY;
INTERVAL=3``), semi-annual every six (``INTERVAL=6``), monthly every month. When a
sentence pairs periods with days ("Định kỳ 6 tháng (trước ngày 10 tháng 6) và hàng
năm (trước ngày 10 tháng 11)"), each period names *which report* is due on its day:
the six-month report on 10 June, the annual one on 10 November, each once a year
(repeating the June day every six months would invent a 10 December the text does
not have). A recurring day starts on its first occurrence on or after the
document's date (``eli:date_document``; the year of ``today`` when the document
has no date).

>>> from datetime import date
>>> d = Due(iri="x", kind="deadline", start="2023-06-10", month_day="--06-10", every_months=12)
>>> d.rrule
'FREQ=YEARLY'
>>> d.occurrences(date(2025, 1, 1), date(2026, 12, 31))
[datetime.date(2025, 6, 10), datetime.date(2026, 6, 10)]
>>> q = Due(iri="y", kind="deadline", start="2023-03-20", month_day="--03-20", every_months=3)
>>> q.rrule, q.occurrences(date(2024, 1, 1), date(2024, 12, 31))[:2]
('FREQ=MONTHLY;INTERVAL=3', [datetime.date(2024, 3, 20), datetime.date(2024, 6, 20)])
>>> Due(iri="z", kind="task", start="2026-03-31").next_due(date(2026, 4, 1)) is None
True
"""

from __future__ import annotations

import calendar as _calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from obligraph.graph.status import as_date
from obligraph.queries.library import run_internal
from obligraph.queries.library import text as _s
from rdflib import URIRef

from obligraph.base.textkeys import fold

#: Months between two occurrences of a recurring day whose sentence gives that one day.
EVERY_MONTHS = {"semiannual": 6, "quarterly": 3, "monthly": 1}
#: The recurrences of the ontology (``ob:Annual`` ...), as the loaders name them.
RECURRENCES = {
    "Once": "once",
    "Annual": "annual",
    "SemiAnnual": "semiannual",
    "Quarterly": "quarterly",
    "Monthly": "monthly",
    "Continuous": "continuous",
}
#: Vietnamese names of the recurrences (the ontology's ``rdfs:label``@vi).
RECURRENCE_VI = {
    "once": "một lần",
    "annual": "hằng năm",
    "semiannual": "sáu tháng một lần",
    "quarterly": "hằng quý",
    "monthly": "hằng tháng",
    "continuous": "thường xuyên",
}
ROLES = ("lead", "support", "reporter", "report_to")


@dataclass(frozen=True)
class UnitRole:
    """A unit named by an entry, in one role (lead, support, reporter, report_to)."""

    role: str
    name: str
    iri: str


@dataclass(frozen=True)
class Due:
    """One entry of the calendar: a task's due date or a deadline (dated or recurring)."""

    iri: str  # the task or the deadline
    kind: str  # "task" | "deadline"
    start: str  # ISO: the day itself, or the first occurrence of a recurring day
    month_day: str = ""  # "--06-10" for a recurring day
    every_months: int = 0  # 0: one day; 12: every year; 6, 3, 1
    recurrence: str = ""  # annual, semiannual, ... as the document says ("" unknown)
    document: str = ""  # number as printed, else the file
    doc_iri: str = ""
    task_id: str = ""
    text: str = ""  # the task's text; for a deadline the phrase ("trước ngày 10 tháng 6")
    subject: str = ""  # a deadline: what is reported
    timeframe: str = ""  # a task: its time frame as written
    units: tuple[UnitRole, ...] = ()
    status: str = ""  # a task: last status reported (not-started, in-progress, done)
    status_date: str = ""
    state: str = ""  # a task: its state on the day asked (with overdue); "" for a deadline
    corrected: bool = False  # the due date comes from a correction
    source_file: str = ""
    line: int | None = None

    @property
    def start_date(self) -> date:
        return date.fromisoformat(self.start)

    @property
    def rrule(self) -> str:
        """The iCalendar RRULE of a recurring day ('' for one day)."""
        if self.every_months == 12:
            return "FREQ=YEARLY"
        if self.every_months == 1:
            return "FREQ=MONTHLY"
        if self.every_months:
            return f"FREQ=MONTHLY;INTERVAL={self.every_months}"
        return ""

    def names(self, role: str) -> list[str]:
        """Names of the units in ``role``."""
        return [u.name for u in self.units if u.role == role]

    def occurrences(self, first: date, last: date) -> list[date]:
        """The days it falls due from ``first`` to ``last`` (both included), as the
        RRULE gives them (a day a month lacks, like 31 June, is skipped)."""
        start = self.start_date
        if not self.every_months:
            return [start] if first <= start <= last else []
        out = []
        step = self.every_months
        # jump close to ``first`` instead of walking from the start
        months = max(0, ((first.year - start.year) * 12 + first.month - start.month) // step - 1)
        n = months * step
        while True:
            year, month = divmod(start.month - 1 + n, 12)
            year += start.year
            if date(year, month + 1, 1) > last:
                return out
            if start.day <= _calendar.monthrange(year, month + 1)[1]:
                day = date(year, month + 1, start.day)
                if first <= day <= last:
                    out.append(day)
            n += step

    def next_due(self, today: date) -> date | None:
        """The first day on or after ``today`` it falls due (None: past)."""
        found = self.occurrences(today, date(today.year + 2, 12, 31))
        return found[0] if found else None

    def involves(self, unit_iri: str) -> bool:
        """Whether the unit has a role in it."""
        return any(u.iri == unit_iri for u in self.units)


def _local(term: Any) -> str:
    return "" if term is None else str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _first_on_or_after(month_day: str, after: date) -> date | None:
    """The first ``--MM-DD`` on or after ``after`` (29 February: the next leap year)."""
    month, day = int(month_day[2:4]), int(month_day[5:7])
    for year in range(after.year, after.year + 9):
        if day <= _calendar.monthrange(year, month)[1] and date(year, month, day) >= after:
            return date(year, month, day)
    return None


def _units(store: Any) -> dict[str, tuple[UnitRole, ...]]:
    found: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for r in run_internal(store, "calendar-units").dicts():
        key = (str(r["role"]), str(r["unit"]))
        name = _s(r["name"]) or _local(r["unit"])
        held = found[str(r["item"])].get(key)
        if held is None or name < held:  # a unit labelled in several graphs: one name
            found[str(r["item"])][key] = name
    order = {role: n for n, role in enumerate(ROLES)}
    return {
        item: tuple(
            UnitRole(role, name, iri)
            for (role, iri), name in sorted(
                roles.items(), key=lambda kv: (order[kv[0][0]], fold(kv[1]))
            )
        )
        for item, roles in found.items()
    }


def _task_entries(store: Any, units: dict, today: date) -> list[Due]:
    from obligraph.graph.status import task_state

    out: dict[str, Due] = {}
    for r in run_internal(store, "calendar-tasks").dicts():
        due = as_date(r["due"])
        iri = str(r["item"])
        if due is None or (iri in out and out[iri].start <= due.isoformat()):
            continue
        status = _s(r["statusCode"])
        out[iri] = Due(
            iri=iri,
            kind="task",
            start=due.isoformat(),
            document=_s(r["docNumber"]) or _s(r["docFile"]),
            doc_iri=str(r["doc"]),
            task_id=_s(r["taskId"]),
            text=_s(r["text"]),
            timeframe=_s(r["timeframe"]),
            units=units.get(iri, ()),
            status=status,
            status_date=_s(r["statusDate"]),
            state=task_state(status, due, today),
            corrected=str(r["corrected"]).lower() == "true",
            source_file=_s(r["file"]),
            line=int(r["line"]) if r["line"] is not None else None,
        )
    return list(out.values())


def _deadline_entries(store: Any, units: dict, today: date) -> list[Due]:
    rows: dict[str, dict[str, Any]] = {}
    for r in run_internal(store, "calendar-deadlines").dicts():
        rows.setdefault(str(r["item"]), r)
    # recurring days given together in one sentence (same document and line)
    together: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows.values():
        if r["due"] is None and r["monthDay"] is not None:
            together[(str(r["doc"]), _s(r["line"]))].add(str(r["monthDay"]))
    out = []
    for iri, r in rows.items():
        recurrence = RECURRENCES.get(_local(r["recurrence"]), "")
        due, month_day, every = as_date(r["due"]), "", 0
        if due is None:
            month_day = str(r["monthDay"])
            alone = len(together[(str(r["doc"]), _s(r["line"]))]) == 1
            every = EVERY_MONTHS.get(recurrence, 12) if alone else 12
            due = _first_on_or_after(month_day, as_date(r["docDate"]) or date(today.year, 1, 1))
            if due is None:
                continue
        out.append(
            Due(
                iri=iri,
                kind="deadline",
                start=due.isoformat(),
                month_day=month_day,
                every_months=every,
                recurrence=recurrence,
                document=_s(r["docNumber"]) or _s(r["docFile"]),
                doc_iri=str(r["doc"]),
                text=_s(r["text"]),
                subject=_s(r["subject"]),
                units=units.get(iri, ()),
                source_file=_s(r["file"]),
                line=int(r["line"]) if r["line"] is not None else None,
            )
        )
    return out


def read_calendar(
    store: Any, *, unit: str | URIRef | None = None, today: date | None = None
) -> list[Due]:
    """Every task with a due date and every dated or recurring deadline in ``store``,
    sorted by first day, document and line; ``unit`` (an IRI) keeps those it has a
    role in (lead, support, reporter, report to). States are those of ``today``."""
    today = today or date.today()
    units = _units(store)
    found = _task_entries(store, units, today) + _deadline_entries(store, units, today)
    if unit is not None:
        found = [d for d in found if d.involves(str(unit))]
    return sorted(found, key=lambda d: (d.start, d.document, d.line or 0, d.iri))


def unit_calendar(store: Any, name: str, *, today: date | None = None) -> tuple[str, list[Due]]:
    """``(canonical name, entries)`` of the unit written ``name`` (any spelling the
    gazetteer knows; :class:`~obligraph.base.errors.UnitNotFoundError` otherwise)."""
    from obligraph.queries.library import resolve_unit

    iri, canonical = resolve_unit(name, store)
    return canonical, read_calendar(store, unit=iri, today=today)


@dataclass
class Month:
    """What falls due in one month: each day with its entries."""

    year: int
    month: int
    days: list[tuple[date, list[Due]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(entries) for _day, entries in self.days)


def month_of(entries: list[Due], year: int, month: int) -> Month:
    """The entries falling due in ``year``-``month``, day by day (tasks before deadlines)."""
    first = date(year, month, 1)
    last = date(year, month, _calendar.monthrange(year, month)[1])
    days: dict[date, list[Due]] = defaultdict(list)
    for d in entries:
        for day in d.occurrences(first, last):
            days[day].append(d)
    order = {"overdue": 0, "in-progress": 1, "not-started": 2, "done": 3, "": 4}
    return Month(
        year,
        month,
        [
            (day, sorted(days[day], key=lambda d: (order.get(d.state, 4), d.document, d.line or 0)))
            for day in sorted(days)
        ],
    )


def overdue(entries: list[Due]) -> list[Due]:
    """The overdue tasks, the longest overdue first."""
    return sorted((d for d in entries if d.state == "overdue"), key=lambda d: (d.start, d.iri))
