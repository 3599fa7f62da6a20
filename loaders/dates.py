"""Vietnamese dates: "ngày 07 tháng 01 năm 2021", "29/10/2018", "04/9/2025", "25/5 và 20/11".

:func:`find_dates` returns every date in a text with its span; a day and month
whose year is written once after a list ("trước ngày 25/5 và 20/11 năm 2020")
all take that year; a day and month with no year at all keep ``year=None`` and
give a recurring ``--MM-DD`` reading, or take ``context_year`` when asked.

>>> parse_date("Hà Nội, ngày 22 tháng 6 năm 2021")
'2021-06-22'
>>> parse_date("ngày 04  tháng  8 năm 2020")
'2020-08-04'
>>> parse_date("Quyết định số 1437/QĐ-TTg ngày 29/10/2018")
'2018-10-29'
>>> parse_date("hạn 04/9/2025")
'2025-09-04'
>>> [(d.iso, d.month_day) for d in find_dates("trước ngày 25/5 và 20/11 năm 2020")]
[('2020-05-25', '--05-25'), ('2020-11-20', '--11-20')]
>>> [(d.iso, d.month_day) for d in find_dates("trước ngày 10 tháng 6")]
[(None, '--06-10')]
>>> parse_date("trước ngày 10 tháng 6", context_year=2022)
'2022-06-10'
>>> parse_date("ngày 31 tháng 02 năm 2021") is None
True
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

MIN_YEAR, MAX_YEAR = 1945, 2100  # outside this a year is implausible for a policy document

_LONG = re.compile(
    r"(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})(?:\s*(?:năm|,)\s*(\d{4}))?", re.IGNORECASE
)
_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?(?![\d/])")
_YEAR_AFTER = re.compile(r"^\s*(?:năm\s*)?(\d{4})\b", re.IGNORECASE)
_LIST_GLUE = re.compile(r"^\s*(?:,|và|;|hoặc|-)\s*(?:ngày\s*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: span, parts, and whether the year was written."""

    start: int
    end: int
    day: int
    month: int
    year: int | None
    text: str
    year_written: bool = True

    @property
    def iso(self) -> str | None:
        """``yyyy-mm-dd`` when the year is known, else None."""
        if self.year is None:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def month_day(self) -> str:
        """``--MM-DD`` (xsd:gMonthDay)."""
        return f"--{self.month:02d}-{self.day:02d}"


def _valid(day: int, month: int, year: int | None) -> bool:
    try:
        _dt.date(year or 2000, month, day)  # 2000 is a leap year: 29/2 stays valid
    except ValueError:
        return False
    return True


def find_dates(text: str, *, context_year: int | None = None) -> list[DateMatch]:
    """Every day-month(-year) date in ``text``, left to right.

    Numeric forms need a year or a preceding "ngày" so that "1/2" in
    "1/2 số xã" is not taken for a date.
    """
    raw: list[tuple[int, int, int, int, int | None]] = []
    taken: list[tuple[int, int]] = []
    for m in _LONG.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        if _valid(day, month, year):
            raw.append((m.start(), m.end(), day, month, year))
            taken.append((m.start(), m.end()))
    for m in _NUMERIC.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        day, month = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if year is None and "ngày" not in before and not re.search(r"(và|,)\s*$", before):
            continue
        if _valid(day, month, year):
            raw.append((m.start(), m.end(), day, month, year))
    raw.sort()
    out: list[DateMatch] = []
    # a year written once after a list of day/months applies to the whole list
    pending: list[int] = []
    for idx, (start, end, day, month, year) in enumerate(raw):
        written = year is not None
        if year is None:
            after = _YEAR_AFTER.match(text[end:])
            if after:
                year = int(after.group(1))
                end = end + after.end()
                written = True
                for p in pending:
                    out[p] = _with_year(out[p], year)
                pending = []
            else:
                nxt = raw[idx + 1] if idx + 1 < len(raw) else None
                if nxt is not None and _LIST_GLUE.match(text[end : nxt[0]]):
                    pending.append(len(out))
                else:
                    pending = []
        else:
            pending = []
        out.append(DateMatch(start, end, day, month, year, text[start:end], written))
    if context_year is not None:
        out = [d if d.year is not None else _with_year(d, context_year, False) for d in out]
    return out


def _with_year(d: DateMatch, year: int, written: bool = True) -> DateMatch:
    return DateMatch(d.start, d.end, d.day, d.month, year, d.text, written)


def parse_date(text: str, *, context_year: int | None = None) -> str | None:
    """ISO date of the first date in ``text`` (None when there is none or no year)."""
    found = find_dates(text, context_year=context_year)
    return found[0].iso if found else None


def plausible_year(year: int) -> bool:
    """Whether a year can belong to a policy document of our time."""
    return MIN_YEAR <= year <= MAX_YEAR
