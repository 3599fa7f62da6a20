"""``obligraph export deadlines``: the calendar as an iCalendar file and as rows.

Read off the documents: 4063/QĐ-UBND (line 598) asks for a report every 10 June (six
months) and every 10 November (the year), the plan being signed on 25 November 2022,
so the first are 10 June and 10 November 2023; the Ministry's 2020 letter (line 202)
asks the provinces' Sở Lao động - Thương binh và Xã hội for reports by 25/5 and
20/11/2020, to the Ministry through Cục Trẻ em. A ``due`` correction (docs/cli.md,
``corrections``) gives a task a due date, and the task then is an event too.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner

from obligraph.cli import app


def cli(*args, home: Path):
    return CliRunner().invoke(app, [str(a) for a in args], env={"OBLIGRAPH_HOME": str(home)})


def ok(*args, home: Path):
    result = cli(*args, home=home)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("deadlines-home")
    ok("build", "--quiet", home=home)
    return home


def test_export_deadlines_writes_an_ics_file(home, tmp_path):
    dest = tmp_path / "deadlines.ics"
    result = ok("export", "deadlines", "-o", dest, home=home)
    assert "wrote 4 events (ics)" in result.output
    events = list(Calendar.from_ical(dest.read_bytes()).walk("VEVENT"))
    starts = {e.start: e for e in events}
    assert sorted(starts) == [date(2020, 5, 25), date(2020, 11, 20), date(2023, 6, 10),
                              date(2023, 11, 10)]  # fmt: skip
    assert starts[date(2023, 6, 10)]["rrule"].to_ical() == b"FREQ=YEARLY"
    assert "rrule" not in starts[date(2020, 5, 25)]
    assert "url" not in starts[date(2020, 5, 25)]  # no --base-url
    linked = tmp_path / "linked.ics"
    ok("export", "deadlines", "-o", linked, "--base-url", "http://127.0.0.1:8000/", home=home)
    urls = {str(e["url"]) for e in Calendar.from_ical(linked.read_bytes()).walk("VEVENT")}
    assert "http://127.0.0.1:8000/doc/qd/4063-qd-ubnd-thanh-pho-ho-chi-minh/2022" in urls


def test_export_deadlines_as_rows(home, tmp_path):
    from obligraph.queries.calendar_ics import DEADLINE_FIELDS

    as_json = json.loads(ok("export", "deadlines", "--format", "json", home=home).stdout)
    assert [r["due_date"] for r in as_json] == ["2020-05-25", "2020-11-20", "2023-06-10",
                                                "2023-11-10"]  # fmt: skip
    assert all(tuple(r) == DEADLINE_FIELDS for r in as_json)
    dest = tmp_path / "d.csv"
    ok("export", "deadlines", "--unit", "Cục Trẻ em", "-o", dest, home=home)
    rows = list(csv.DictReader(io.StringIO(dest.read_text("utf-8-sig"))))
    assert [(r["due_date"], r["report_to"]) for r in rows] == [
        ("2020-05-25", "Bộ Lao động - Thương binh và Xã hội; Cục Trẻ em"),
        ("2020-11-20", "Bộ Lao động - Thương binh và Xã hội; Cục Trẻ em"),
    ]
    book = tmp_path / "d.xlsx"
    ok("export", "deadlines", "-o", book, home=home)
    header, *cells = list(load_workbook(book).active.iter_rows(values_only=True))
    assert header == DEADLINE_FIELDS and len(cells) == 4


def test_a_unit_calendar_and_errors(home, tmp_path):
    dest = tmp_path / "cuc.ics"
    ok("export", "deadlines", "--unit", "Cục TE", "-o", dest, home=home)
    cal = Calendar.from_ical(dest.read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "obligraph — thời hạn — Cục Trẻ em"
    assert len(list(cal.walk("VEVENT"))) == 2
    unknown = cli("export", "deadlines", "--unit", "Cục Không Có", home=home)
    assert unknown.exit_code == 2 and "no unit is named" in unknown.output
    wrong = cli("export", "deadlines", "-o", tmp_path / "x.gexf", home=home)
    assert wrong.exit_code == 2 and ".ics" in wrong.output
    other = cli("export", "obligations", "--unit", "Cục Trẻ em", home=home)
    assert other.exit_code == 2 and "export deadlines" in other.output
    # the ics format belongs to this export only
    assert cli("export", "obligations", "-o", tmp_path / "o.ics", home=home).exit_code == 2


def test_a_due_correction_is_an_event(home, tmp_path):
    mine = tmp_path / "home"
    shutil.copytree(home, mine)
    ok("corrections", "add", "704/QĐ-LĐTBXH#annex-2-a", "due", "--new", "30/6/2026",
       "--by", "Trần B", home=mine)  # fmt: skip
    dest = tmp_path / "d.ics"
    ok("export", "deadlines", "-o", dest, home=mine)
    [task] = [
        e for e in Calendar.from_ical(dest.read_bytes()).walk("VEVENT")
        if "Nhiệm vụ" in [str(c) for c in e["categories"].cats]
    ]  # fmt: skip
    assert task.start == date(2026, 6, 30)
    assert "Nhiệm vụ (mục): annex-2-a" in str(task["description"])
    assert "(theo đính chính)" in str(task["description"])
