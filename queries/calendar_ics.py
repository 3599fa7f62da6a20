"""The calendar as rows and as an iCalendar file (RFC 5545) that Outlook and Google import.

:func:`write_ics` writes one ``VEVENT`` per entry of
:func:`~obligraph.queries.calendar.read_calendar`: an all-day event on its day
(``DTSTART;VALUE=DATE`` and the next day as ``DTEND``, shown as free time), an
``RRULE`` for a recurring day, a ``UID`` made from the task's or deadline's IRI (so
importing the file again updates the events instead of doubling them), a Vietnamese
``SUMMARY`` (the units, then the task or what is reported) and a ``DESCRIPTION``
with the document number, task id, text, status and ``file:line``; ``URL`` is the
task's page (a deadline: its document's page) when a base URL is given.
:func:`deadline_rows` gives the same entries as rows of :data:`DEADLINE_FIELDS`
(``obligraph export deadlines`` as CSV, JSON, XLSX ...). Text is NFC.

>>> from obligraph.queries.calendar import Due, UnitRole
>>> d = Due(iri="https://w3id.org/obligraph/id/doc/qd/1/2022/deadline/1", kind="deadline",
...         start="2023-06-10", month_day="--06-10", every_months=12, recurrence="annual",
...         document="1/QĐ-UBND", text="trước ngày 10 tháng 6", subject="báo cáo kết quả",
...         units=(UnitRole("reporter", "Sở Y tế", "u"),), source_file="a.txt", line=9)
>>> summary(d)
'Sở Y tế: báo cáo kết quả (hằng năm)'
>>> uid(d.iri)
'bf14f670c85dd62848a0933d8e95a2ca@obligraph'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any

from obligraph.queries.calendar import RECURRENCE_VI, Due

from obligraph.base.textkeys import nfc

#: Columns of ``obligraph export deadlines`` (a contract, like the other exports).
DEADLINE_FIELDS = (
    "kind",
    "document",
    "task_id",
    "text",
    "subject",
    "due_date",
    "month_day",
    "recurrence",
    "rrule",
    "next_due",
    "lead",
    "support",
    "reporter",
    "report_to",
    "status",
    "status_date",
    "corrected",
    "source_file",
    "source_line",
    "uid",
    "iri",
)
#: Vietnamese names of the states (graph/status.py's LABELS_VI).
STATE_VI = {
    "not-started": "chưa bắt đầu",
    "in-progress": "đang thực hiện",
    "done": "hoàn thành",
    "overdue": "quá hạn",
}
#: The period of a report, as a summary names it.
PERIOD_VI = {
    "annual": "hằng năm",
    "semiannual": "định kỳ 6 tháng",
    "quarterly": "hằng quý",
    "monthly": "hằng tháng",
}
PRODID = "-//obligraph//Thời hạn nghĩa vụ//VI"


@dataclass
class DeadlineCalendar:
    """What an iCalendar file holds: the entries, its name, where the pages are."""

    entries: list[Due]
    name: str = "obligraph — thời hạn"
    base_url: str = ""  # e.g. http://127.0.0.1:8000 (URL of each event); "" none
    stamp: datetime | None = None  # DTSTAMP (default: now, UTC)


def uid(iri: str) -> str:
    """A stable UID for the event of ``iri`` (the same IRI, the same UID)."""
    return hashlib.sha1(iri.encode()).hexdigest()[:32] + "@obligraph"


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _units_text(names: list[str], most: int = 2) -> str:
    if len(names) <= most:
        return "; ".join(names)
    return "; ".join(names[:most]) + f" và {len(names) - most} đơn vị khác"


def summary(d: Due) -> str:
    """``units: what`` in Vietnamese: the leads (else supports) of a task and its text;
    the reporters of a deadline, what they report and its period ("định kỳ 6 tháng")."""
    if d.kind == "task":
        who = d.names("lead") or d.names("support")
        what = _short(d.text or f"Nhiệm vụ {d.task_id}", 90)
    else:
        who = d.names("reporter")
        what = _short(d.subject or f"Hạn báo cáo {d.text}".strip(), 70)
        if d.recurrence in PERIOD_VI:
            what += f" ({PERIOD_VI[d.recurrence]})"
    head = _units_text(who)
    return nfc(f"{head}: {what}" if head else what)


def page_url(d: Due, base_url: str) -> str:
    """The task's page (a deadline: its document's page) under ``base_url``."""
    base = base_url.rstrip("/")
    if not base:
        return ""
    if d.kind == "task" and "/doc/" in d.iri:
        return f"{base}/task/{d.iri.split('/doc/', 1)[1]}"
    if "/doc/" in d.doc_iri:
        return f"{base}/doc/{d.doc_iri.split('/doc/', 1)[1]}"
    return ""


def when_text(d: Due) -> str:
    """When it falls due, in Vietnamese: ``10/06 hằng năm (...)`` or ``25/05/2020``."""
    start = d.start_date
    if d.every_months:
        every = {12: "hằng năm", 6: "sáu tháng một lần", 3: "ba tháng một lần", 1: "hằng tháng"}
        day = f"{start.day:02d}/{start.month:02d}"
        return f"ngày {day} {every[d.every_months]}, từ {start:%d/%m/%Y}"
    return f"ngày {start:%d/%m/%Y}"


def description(d: Due, base_url: str = "") -> str:
    """The event's DESCRIPTION: document, task id, text, units, status, file:line."""
    lines = [f"Văn bản: {d.document}"]
    if d.kind == "task":
        lines.append(f"Nhiệm vụ (mục): {d.task_id}")
        lines.append(f"Nội dung: {d.text}")
        for role, label in (("lead", "Chủ trì"), ("support", "Phối hợp")):
            if d.names(role):
                lines.append(f"{label}: {'; '.join(d.names(role))}")
        if d.timeframe:
            lines.append(f"Thời gian: {d.timeframe}")
        due = f"Hạn: {when_text(d)}" + (" (theo đính chính)" if d.corrected else "")
        lines.append(due)
        state = f"Trạng thái: {STATE_VI.get(d.state, d.state)}"
        if d.status_date:
            state += f" (báo cáo ngày {date.fromisoformat(d.status_date[:10]):%d/%m/%Y})"
        lines.append(state)
    else:
        lines.append(f"Báo cáo: {d.subject or '—'}")
        for role, label in (("reporter", "Đơn vị báo cáo"), ("report_to", "Gửi báo cáo cho")):
            if d.names(role):
                lines.append(f"{label}: {'; '.join(d.names(role))}")
        if d.recurrence in RECURRENCE_VI:
            lines.append(f"Kỳ báo cáo: {PERIOD_VI.get(d.recurrence, RECURRENCE_VI[d.recurrence])}")
        lines.append(f"Thời hạn: {d.text}; {when_text(d)}")
        lines.append("Trạng thái: — (thời hạn báo cáo không có trạng thái)")
    where = d.source_file + (f":{d.line}" if d.line is not None else "")
    lines.append(f"Nguồn: {where}")
    url = page_url(d, base_url)
    if url:
        lines.append(f"Xem: {url}")
    return nfc("\n".join(lines))


def to_ical(cal: DeadlineCalendar) -> bytes:
    """The iCalendar file (bytes, UTF-8, CRLF line ends, lines folded at 75 octets)."""
    from icalendar import Calendar, Event

    stamp = cal.stamp or datetime.now(UTC).replace(microsecond=0)
    out = Calendar.new(
        prodid=PRODID, name=nfc(cal.name), method="PUBLISH", calscale="GREGORIAN",
        uid=uid("obligraph-calendar:" + cal.name),
    )  # fmt: skip
    for d in cal.entries:
        start = d.start_date
        event = Event.new(
            uid=uid(d.iri),
            summary=summary(d),
            description=description(d, cal.base_url),
            start=start,
            end=start + timedelta(days=1),
            stamp=stamp,
            transparency="TRANSPARENT",
            categories=["Nhiệm vụ" if d.kind == "task" else "Hạn báo cáo"]
            + ([STATE_VI[d.state]] if d.state in STATE_VI else []),
            url=page_url(d, cal.base_url) or None,
        )
        if d.rrule:
            event.add("rrule", _rrule(d))
        out.add_component(event)
    return out.to_ical()


def _rrule(d: Due) -> dict[str, Any]:
    if d.every_months == 12:
        return {"freq": "yearly"}
    rule: dict[str, Any] = {"freq": "monthly"}
    if d.every_months > 1:
        rule["interval"] = d.every_months
    return rule


def write_ics(cal: DeadlineCalendar, stream: IO[str]) -> None:
    """Write the iCalendar text of ``cal`` to a text stream (opened with ``newline=""``)."""
    stream.write(to_ical(cal).decode("utf-8"))


def deadline_rows(entries: list[Due], today: date | None = None) -> list[dict[str, Any]]:
    """The entries as rows of :data:`DEADLINE_FIELDS`."""
    today = today or date.today()
    rows = []
    for d in entries:
        nxt = d.next_due(today)
        rows.append(
            {
                "kind": d.kind,
                "document": d.document,
                "task_id": d.task_id,
                "text": d.text,
                "subject": d.subject,
                "due_date": d.start,
                "month_day": d.month_day,
                "recurrence": d.recurrence,
                "rrule": d.rrule,
                "next_due": nxt.isoformat() if nxt else "",
                "lead": d.names("lead"),
                "support": d.names("support"),
                "reporter": d.names("reporter"),
                "report_to": d.names("report_to"),
                "status": d.state,
                "status_date": d.status_date,
                "corrected": d.corrected,
                "source_file": d.source_file,
                "source_line": d.line,
                "uid": uid(d.iri),
                "iri": d.iri,
            }
        )
    return rows
