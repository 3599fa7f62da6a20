"""Where each obligation stands: status reports people enter, and the derived state.

People report a task as ``not-started``, ``in-progress`` or ``done`` (Vietnamese
words are understood too: "chưa bắt đầu", "đang thực hiện", "hoàn thành"), with
the date it holds from, a note, an evidence link or document number, and who
says so. Reports are kept in a CSV file beside the store (``status.csv``, see
docs/corrections.md), entered from the command line (``obligraph status set``),
imported from another file, or from a task's web page; every build writes them
into ``graph/status``. A task's current status is its latest report (by date,
then by line).

``overdue`` is never entered: a task is overdue on the day after its due date
(``ob:dueDate``, corrections included) when it is not done.

>>> from datetime import date
>>> task_state("in-progress", date(2026, 3, 31), date(2026, 3, 31))
'in-progress'
>>> task_state("in-progress", date(2026, 3, 31), date(2026, 4, 1))
'overdue'
>>> task_state("done", date(2026, 3, 31), date(2026, 4, 1))
'done'
>>> task_state("", None, date(2026, 4, 1))
'not-started'
>>> normalise_status("Hoàn thành")
'done'
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from obligraph.graph.ledger import append_row, parse_date, read_rows
from obligraph.graph.targets import find_task
from obligraph.queries.library import run_internal
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from obligraph.base.errors import InputError
from obligraph.base.textkeys import fold
from obligraph.base.vocab import OB, Iris

COLUMNS = ("task", "status", "date", "note", "evidence", "by")
REQUIRED = ("task", "status", "date")
#: The statuses a person enters, and the concept of each.
STATUSES = {"not-started": OB.NotStarted, "in-progress": OB.InProgress, "done": OB.Done}
#: Vietnamese names of the states, for pages and terminal output.
LABELS_VI = {
    "not-started": "chưa bắt đầu",
    "in-progress": "đang thực hiện",
    "done": "hoàn thành",
    "overdue": "quá hạn",
}
_ALIASES = {
    "not started": "not-started",
    "not-started": "not-started",
    "chua bat dau": "not-started",
    "chua thuc hien": "not-started",
    "in progress": "in-progress",
    "in-progress": "in-progress",
    "dang thuc hien": "in-progress",
    "dang trien khai": "in-progress",
    "done": "done",
    "completed": "done",
    "hoan thanh": "done",
    "da hoan thanh": "done",
}


def normalise_status(text: str) -> str:
    """The status code of what a person wrote (English or Vietnamese, any case)."""
    code = _ALIASES.get(fold(text).replace("_", " ").strip())
    if code is None:
        if fold(text) in ("overdue", "qua han"):
            raise InputError("overdue is derived from the due date, never entered")
        raise InputError(f"unknown status {text!r}; use one of {', '.join(STATUSES)}")
    return code


def task_state(status: str, due: date | None, today: date) -> str:
    """The state shown to people: the status, or ``overdue`` past the due date."""
    if status == "done":
        return "done"
    if due is not None and today > due:
        return "overdue"
    return status or "not-started"


@dataclass(frozen=True)
class StatusEntry:
    """One status report: a row of the status file."""

    task: str
    status: str
    date: str  # ISO
    note: str = ""
    evidence: str = ""
    by: str = ""
    file: str = ""
    line: int = 0

    def row(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in COLUMNS}


@dataclass
class StatusReport:
    """What became of the status entries at the last application."""

    applied: int = 0
    not_applied: list[dict] = field(default_factory=list)  # entry + reason
    tasks: int = 0  # tasks with a current status


def check_entry(e: StatusEntry, *, file: str = "", line: int | None = None) -> StatusEntry:
    """``e`` with status and date checked and normalised; InputError naming the line."""
    where = {"file": file or None, "line": line}
    if not e.task:
        raise InputError("the status names no task", **where)
    try:
        code = normalise_status(e.status)
    except InputError as exc:
        raise InputError(exc.message, **where) from None
    if not e.date:
        raise InputError("the status has no date (column date)", **where)
    day = parse_date(e.date, **where).isoformat()
    return StatusEntry(e.task, code, day, e.note, e.evidence, e.by, e.file, e.line)


def read_statuses(path: str | Path) -> list[StatusEntry]:
    """The status entries of a file, checked."""
    out = []
    for line, row in read_rows(path, COLUMNS, REQUIRED):
        e = StatusEntry(**{c: row[c] for c in COLUMNS}, file=str(path), line=line)
        out.append(check_entry(e, file=str(path), line=line))
    return out


def append_status(path: str | Path, e: StatusEntry) -> StatusEntry:
    """Append ``e`` to the file (created with its header); ``e`` with file and line."""
    e = check_entry(e)
    line = append_row(path, COLUMNS, e.row())
    return StatusEntry(**{**asdict(e), "file": str(path), "line": line})


def stored_statuses(store, iris: Iris | None = None) -> list[StatusEntry]:
    """The status entries the store holds (re-applied by a build given no file).

    ``iris``: those :func:`apply_statuses` wrote the entries with; only their status
    graph is then read (one graph, not every document's: ~1 s less at 1,000 documents)."""
    constants = {"g": iris.special_graph("status")} if iris is not None else None
    return [
        StatusEntry(
            str(r["task"]),
            str(r["code"]),
            str(r["date"]),
            str(r["note"] or ""),
            str(r["evidence"] or ""),
            str(r["by"] or ""),
            str(r["file"] or ""),
            int(r["line"]),
        )
        for r in run_internal(store, "status-stored", constants=constants).dicts()
    ]


def _report_triples(e: StatusEntry, r: URIRef, task: URIRef | None) -> list[tuple]:
    out = [
        (r, RDF.type, OB.StatusReport),
        (r, OB.targetText, Literal(e.task)),
        (r, OB.status, STATUSES[e.status]),
        (r, OB.statusDate, Literal(e.date, datatype=XSD.date)),
        (r, OB.fileLine, Literal(e.line)),
    ]
    if task is not None:
        out.append((r, OB.statusOf, task))
    for pred, value in ((OB.note, e.note), (OB.evidence, e.evidence), (OB.sourceFile, e.file)):
        if value:
            out.append((r, pred, Literal(value)))
    if e.by:
        agent = URIRef(f"{r}/by")
        out += [(r, PROV.wasAttributedTo, agent), (agent, RDFS.label, Literal(e.by))]
        out.append((agent, RDF.type, PROV.Agent))
    return out


def apply_statuses(
    store, entries: Sequence[StatusEntry], *, iris: Iris | None = None
) -> StatusReport:
    """Write ``entries`` into ``graph/status`` with each task's current status."""
    iris = iris or Iris()
    report = StatusReport()
    triples: set[tuple] = set()
    latest: dict[URIRef, tuple] = {}
    for e in entries:
        key = "\x1f".join((e.task, e.status, e.date, e.note, e.evidence, e.by, str(e.line)))
        r = URIRef(f"{iris.base}status/{hashlib.sha1(key.encode()).hexdigest()[:16]}")
        try:
            task, _doc = find_task(store, e.task, iris)
        except InputError as exc:
            report.not_applied.append({**asdict(e), "reason": exc.message})
            triples.update(_report_triples(e, r, None))
            continue
        report.applied += 1
        triples.update(_report_triples(e, r, task))
        rank = (e.date, e.file, e.line)
        if task not in latest or rank >= latest[task][0]:
            latest[task] = (rank, e)
    for task, (_rank, e) in latest.items():
        triples.add((task, OB.status, STATUSES[e.status]))
        triples.add((task, OB.statusDate, Literal(e.date, datatype=XSD.date)))
    report.tasks = len(latest)
    store.replace_graph(iris.special_graph("status"), triples)
    return report


def as_date(term) -> date | None:
    """A due date or status date (an ``xsd:date`` term or ISO text) as a date; None when
    there is none or it is no date.

    >>> as_date("2026-03-31"), as_date(None), as_date("2026")
    (datetime.date(2026, 3, 31), None, None)
    """
    try:
        return date.fromisoformat(str(term)[:10]) if term is not None and str(term) else None
    except ValueError:
        return None


def state_on(status, due, today: date) -> str:
    """:func:`task_state` of a status code and a due date as the store returns them."""
    return task_state(str(status or ""), as_date(due), today)


def current_states(store, today: date | None = None) -> dict[str, tuple[str, str]]:
    """``{task IRI: (state, status date)}`` for every task with a status or a due date
    past; tasks with neither are ``not-started`` and left out."""
    today = today or date.today()
    out: dict[str, tuple[str, str]] = {}
    for r in run_internal(store, "status-current").dicts():
        out[str(r["task"])] = (state_on(r["code"], r["due"], today), str(r["date"]))
    return out
