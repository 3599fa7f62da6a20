"""Time frames and reporting deadlines, as written and machine-readable.

A time frame keeps the words of the document ("Hằng năm", "Quý IV/2021",
"2021-2025") and adds what a query needs: a recurrence (once, annual,
semiannual, quarterly, monthly, continuous), the years it covers and, when the
text names a precise end, an ISO due date.

>>> tf = parse_timeframe("Hằng năm")
>>> (tf.text, tf.recurrence, tf.years)
('Hằng năm', 'annual', [])
>>> parse_timeframe("2021-2025").years
[2021, 2022, 2023, 2024, 2025]
>>> tf = parse_timeframe("Quý IV/2021")
>>> (tf.recurrence, tf.years, tf.due_date)
('once', [2021], '2021-12-31')
>>> parse_timeframe("Hằng năm Năm 2022 Năm 2025").years
[2022, 2025]

Reporting deadlines ("trước ngày 10 tháng 6", "trước ngày 25/5 và 20/11 năm
2020") are found in running text by :func:`extract_deadlines`; each date is one
:class:`~obligraph.loaders.records.Deadline`, dated when the text gives the year
and recurring (``month_day`` ``"--06-10"``) when the text says it comes back
every period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from obligraph.loaders import subjects
from obligraph.loaders.outline import Para, Sentence, outline
from obligraph.loaders.records import Deadline, Recurrence, SourceSpan, TimeFrame, UnitRef

from obligraph.base.textkeys import fold, nfc

if TYPE_CHECKING:  # pragma: no cover
    from obligraph.loaders.context import Context, Extracted, Text
    from obligraph.loaders.units import Gazetteer

MIN_YEAR, MAX_YEAR = 1945, 2100

_YEAR = r"(?:19|20)\d\d"
_RANGE = re.compile(rf"\b({_YEAR})\s*[-–—]\s*({_YEAR})\b")
_YEAR_RE = re.compile(rf"\b({_YEAR})\b")
_QUARTER = re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam\s+)\s*(\d{4})\b")
_MONTH_YEAR = re.compile(r"\bthang\s+(\d{1,2})\s*(?:/|nam\s+)\s*(\d{4})\b")
_DAY_MONTH_YEAR = re.compile(
    r"\b(?:ngay\s+)?(\d{1,2})\s*(?:/|-|\s+thang\s+)\s*(\d{1,2})\s*(?:/|-|\s+nam\s+)\s*(\d{4})\b"
)
_UNTIL = re.compile(rf"\bden\s+(?:het\s+)?(?:nam\s+)?({_YEAR})\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# Recurrence words, folded; checked in this order.
_RECURRENCE_WORDS: list[tuple[re.Pattern[str], Recurrence]] = [
    (re.compile(r"\b(?:6|sau)\s+thang\b|\bnua\s+nam\b|\bban\s+nien\b"), "semiannual"),
    (re.compile(r"\b(?:hang|hằng)\s+quy\b|\bdinh\s+ky\s+quy\b|\bmoi\s+quy\b"), "quarterly"),
    (re.compile(r"\b(?:hang|hằng)\s+thang\b|\bmoi\s+thang\b"), "monthly"),
    (re.compile(r"\bhang\s+nam\b|\bmoi\s+nam\b|\bthuong\s+nien\b|\bdinh\s+ky\s+nam\b"), "annual"),
    (re.compile(r"\bthuong\s+xuyen\b|\blien\s+tuc\b"), "continuous"),
]


def _plausible(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _iso(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12) or not (1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def recurrence_of(text: str) -> Recurrence:
    """The recurrence a phrase names, or ``""``.

    >>> recurrence_of("Định kỳ 6 tháng"), recurrence_of("hàng năm"), recurrence_of("Năm 2021")
    ('semiannual', 'annual', '')
    """
    key = fold(text)
    for pattern, recurrence in _RECURRENCE_WORDS:
        if pattern.search(key):
            return recurrence
    return ""


def parse_timeframe(text: str, *, context_year: int | None = None) -> TimeFrame:
    """Read a time frame cell or phrase; ``text`` is kept as written (NFC, spaces collapsed).

    ``context_year`` (the document's year) opens a period written only by its
    end ("giai đoạn đến năm 2030" -> the years from the context year to 2030).

    >>> parse_timeframe("Thường xuyên").recurrence
    'continuous'
    >>> tf = parse_timeframe("Năm 2020, 2021")
    >>> (tf.recurrence, tf.years)
    ('once', [2020, 2021])
    >>> parse_timeframe("giai đoạn đến năm 2025", context_year=2022).years
    [2022, 2023, 2024, 2025]
    >>> parse_timeframe("trước ngày 31/12/2021").due_date
    '2021-12-31'
    >>> parse_timeframe("Năm 2021").due_date is None
    True
    """
    shown = " ".join(nfc(text).split())
    key = fold(shown)
    recurrence = recurrence_of(shown)
    years: list[int] = []
    due: str | None = None

    def add(year: int) -> None:
        if _plausible(year) and year not in years:
            years.append(year)

    consumed = key
    for match in _RANGE.finditer(key):
        start, end = int(match.group(1)), int(match.group(2))
        if _plausible(start) and _plausible(end) and start <= end and end - start <= 50:
            for year in range(start, end + 1):
                add(year)
        consumed = consumed.replace(match.group(0), " ")
    quarter = _QUARTER.search(key)
    if quarter:
        q = _ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        year = int(quarter.group(2))
        if _plausible(year):
            due = _last_day(year, q * 3)
    dated = _DAY_MONTH_YEAR.search(key)
    if dated and due is None:
        day, month, year = (int(g) for g in dated.groups())
        if _plausible(year):
            due = _iso(year, month, day)
    month_year = _MONTH_YEAR.search(key)
    if month_year and due is None:
        month, year = int(month_year.group(1)), int(month_year.group(2))
        if _plausible(year) and 1 <= month <= 12:
            due = _last_day(year, month)
    until = _UNTIL.search(consumed)
    if until and context_year and not _RANGE.search(key):
        end = int(until.group(1))
        if _plausible(end) and context_year <= end and end - context_year <= 50:
            for year in range(context_year, end + 1):
                add(year)
        consumed = consumed.replace(until.group(0), " ")
    for match in _YEAR_RE.finditer(consumed):
        add(int(match.group(1)))
    years.sort()
    if not recurrence and (years or due):
        recurrence = "once"
    if not recurrence and not years and not due and shown:
        recurrence = ""
    # a period (2021-2025) is not done once: leave its recurrence open unless written
    if recurrence == "once" and _RANGE.search(key) and not due:
        recurrence = ""
    return TimeFrame(text=shown, recurrence=recurrence, years=years, due_date=due)


# ---------------------------------------------------------------------------------------------
# Reporting deadlines in running text

# "trước ngày 10 tháng 6", "trước ngày 25/5 và 20/11 năm 2020", "chậm nhất ngày 15/12/2021"
_DEADLINE = re.compile(
    r"\b(?:truoc|cham\s+nhat(?:\s+la)?|han\s+chot(?:\s+la)?|khong\s+muon\s+hon)\s+ngay\s+"
    r"(?P<dates>\d{1,2}\s*(?:/|\s+thang\s+)\s*\d{1,2}"
    r"(?:\s*(?:/|\s+nam\s+)\s*\d{4})?"
    r"(?:\s*(?:,|va|;)\s*(?:ngay\s+)?\d{1,2}\s*(?:/|\s+thang\s+)\s*\d{1,2}"
    r"(?:\s*(?:/|\s+nam\s+)\s*\d{4})?)*)"
    r"(?P<year>\s+nam\s+\d{4})?"
)
_ONE_DATE = re.compile(
    r"(\d{1,2})\s*(?:/|\s+thang\s+)\s*(\d{1,2})(?:\s*(?:/|\s+nam\s+)\s*(\d{4}))?"
)
_PERIOD_WORDS = re.compile(
    r"\b(?:(?:6|sau)\s+thang|nua\s+nam|hang\s+nam|ca\s+nam|nam|hang\s+quy|quy|hang\s+thang)\b"
)
_REPORT_TO = re.compile(
    r"\b(?:bao\s+cao(?:\s+ket\s+qua[^.;]*?)?\s+(?:ve\s+|len\s+)?cho"
    r"|gui(?:\s+bao\s+cao)?\s+(?:ve|den|toi|len)"
    r"|bao\s+cao\s+(?=(?:bo|so|uy\s+ban|cuc|ubnd)\b))\s+"
)


def _period_recurrence(word: str) -> Recurrence:
    word = " ".join(word.split())
    if word in {"6 thang", "sau thang", "nua nam"}:
        return "semiannual"
    if word in {"hang quy", "quy"}:
        return "quarterly"
    if word == "hang thang":
        return "monthly"
    return "annual"


def _subject_of(sentence: str) -> str:
    """What is reported: the words after "báo cáo" up to the deadline or a clause end."""
    key = fold(sentence)
    start = key.find("bao cao")
    if start < 0:
        return ""
    tail = sentence[start:]
    cut = re.search(r"\s+(?:cho|gui|trước|truoc)\b|[;:.(]", fold(tail)[7:])
    text = tail[: 7 + cut.start()] if cut else tail
    return " ".join(text.split()).strip(" ,;")


def extract_deadlines(
    lines: list[str],
    file: str,
    gazetteer: Gazetteer | None = None,
    *,
    context_year: int | None = None,
    issuer: str = "",
) -> list[Deadline]:
    """Every reporting deadline in ``lines`` (line ``i`` of the file is ``lines[i-1]``).

    Hard-wrapped paragraphs are joined first, so a deadline split over lines is
    found whole; its span covers the sentence it stands in. Several dates in
    one phrase give several deadlines. When the sentence pairs periods with
    dates ("6 tháng và hàng năm ... trước ngày 25/5 và 20/11") each date takes
    its period as recurrence. A date with its year is dated; a date that comes
    back every period is recurring (``month_day``); a bare day and month in a
    document of a known year takes ``context_year`` only when nothing says it
    recurs. ``reporter`` is the unit(s) the sentence (or its heading) makes
    report, ``report_to`` those reports go to ("cho ...", "gửi về ...", or a
    following "Báo cáo gửi về ..." paragraph).

    >>> text = ["1. Các đơn vị liên quan:", "",
    ...         "- Định kỳ 6 tháng (trước ngày 10 tháng 6) và hàng năm "
    ...         "(trước ngày 10 tháng 11) báo cáo tình hình thực hiện Kế hoạch."]
    >>> [(d.month_day, d.recurrence) for d in extract_deadlines(text, "x.txt")]
    [('--06-10', 'semiannual'), ('--11-10', 'annual')]
    >>> d = extract_deadlines(["Báo cáo hằng năm trước ngày 15/12/2021."], "x.txt")[0]
    >>> (d.date, d.year, d.recurrence)
    ('2021-12-15', 2021, 'annual')
    """
    if gazetteer is None:
        from obligraph.loaders.units import Gazetteer

        gazetteer = Gazetteer.default()
    reading = _Reading(file, gazetteer, issuer, context_year)
    deadlines: list[Deadline] = []
    paragraphs = outline(lines)
    for index, para in enumerate(paragraphs):
        if "ngay" not in fold(para.text):
            continue
        followers = paragraphs[index + 1 : index + 3]
        for sentence in para.sentences():
            deadlines += _sentence_deadlines(sentence, para, followers, reading)
    return deadlines


@dataclass
class _Reading:
    """What every sentence of one document is read with."""

    file: str
    gazetteer: Gazetteer
    issuer: str
    context_year: int | None

    def opening_units(self, text: str) -> list[UnitRef]:
        """The units ``text`` opens with (its subject), read in the issuer's place."""
        found = subjects.unit_list_at(text, self.gazetteer)
        return [subjects.localise(u, self.issuer, self.gazetteer) for u in found]

    def named_units(self, text: str, limit: int = 5) -> list[UnitRef]:
        """The units named at the start of ``text``, read in the issuer's place."""
        found = subjects.resolve_units_in(text, self.gazetteer, limit)
        return [subjects.localise(u, self.issuer, self.gazetteer) for u in found]


def _sentence_deadlines(
    sentence: Sentence, para: Para, followers: list[Para], reading: _Reading
) -> list[Deadline]:
    """The deadlines one sentence sets, each with its recurrence, reporter and addressee."""
    skey = fold(sentence.text)
    matches = list(_DEADLINE.finditer(skey))
    if not matches:
        return []
    periods = [
        _period_recurrence(m.group(0))
        for m in _PERIOD_WORDS.finditer(skey[: matches[0].start()])
        if not re.match(r"nam$", m.group(0)) or "hang" in m.group(0)
    ]
    sentence_recurrence = recurrence_of(sentence.text)
    dates = _dates_of(sentence.text, matches)
    # reporter: units named in the sentence, else the heading the paragraph sits under
    reporter = _reporters(sentence.text, reading) or _heading_reporter(para, reading)
    report_to = _report_to(sentence.text, reading) or _follower_report_to(followers, reading)
    subject = _subject_of(sentence.text)
    explicit_periods = len(periods) == len(dates)
    deadlines: list[Deadline] = []
    for n, (day, month, year, phrase) in enumerate(dates):
        if explicit_periods:
            recurrence = periods[n]
        else:
            # the period word nearest before this date's phrase, else the sentence's
            recurrence = _nearest_period(skey, phrase) or sentence_recurrence
        when = _when(day, month, year, recurrence, reading.context_year)
        if when is None:
            continue
        deadlines.append(
            Deadline(
                text=" ".join(phrase.split()),
                span=SourceSpan(
                    reading.file,
                    sentence.line_start,
                    sentence.line_end,
                    sentence.text,
                    section=para.section,
                ),
                date=when.date,
                month_day=when.month_day,
                recurrence=when.recurrence,
                year=when.year,
                reporter=list(reporter),
                report_to=list(report_to),
                subject=subject,
            )
        )
    return deadlines


def _dates_of(
    sentence: str, matches: list[re.Match[str]]
) -> list[tuple[int, int, int | None, str]]:
    """``(day, month, year or None, phrase)`` of every date the deadline phrases name."""
    dates: list[tuple[int, int, int | None, str]] = []
    for match in matches:
        year_tail = match.group("year")
        tail_year = int(year_tail.split()[-1]) if year_tail else None
        found = [
            (
                int(one.group(1)),
                int(one.group(2)),
                int(one.group(3)) if one.group(3) else None,
            )
            for one in _ONE_DATE.finditer(match.group("dates"))
        ]
        # a year written once after a list ("25/5 và 20/11 năm 2020") dates them all
        if found and found[-1][2] is not None and all(f[2] is None for f in found[:-1]):
            tail_year = tail_year or found[-1][2]
        phrase = sentence[match.start() : match.end()]
        for day, month, year in found:
            dates.append((day, month, year or tail_year, phrase))
    return dates


@dataclass
class _When:
    """A deadline's date (``yyyy-mm-dd``) or its day in every period (``--mm-dd``)."""

    date: str | None
    month_day: str | None
    year: int | None
    recurrence: Recurrence


def _when(
    day: int, month: int, year: int | None, recurrence: Recurrence, context_year: int | None
) -> _When | None:
    """Date a day and month: with its year, else the document's when nothing says it recurs,
    else as a recurring day; ``None`` when it is no date at all."""
    date: str | None = None
    month_day: str | None = None
    if year is None and not recurrence and context_year:
        year = context_year
        recurrence = "once"
    if year is not None and _plausible(year):
        date = _iso(year, month, day)
        if not recurrence:
            recurrence = "once"
    elif 1 <= month <= 12 and 1 <= day <= 31:
        month_day = f"--{month:02d}-{day:02d}"
    if date is None and month_day is None:
        return None
    return _When(date, month_day, year if date else None, recurrence)


def _nearest_period(skey: str, phrase: str) -> Recurrence:
    at = skey.find(fold(phrase))
    if at < 0:
        return ""
    before = skey[max(0, at - 40) : at]
    found = [m for m in _PERIOD_WORDS.finditer(before) if m.group(0) != "nam"]
    return _period_recurrence(found[-1].group(0)) if found else ""


def _reporters(sentence: str, reading: _Reading) -> list[UnitRef]:
    """Units told to report: the sentence's subject, or whoever is "giao ... cho" the task."""
    key = fold(sentence)
    giao = re.search(r"\b(?:giao|uy\s+quyen)(?:\s+hoac\s+uy\s+quyen)?\s+cho\s+", key)
    if giao:
        rest = sentence[giao.end() :]
        rest = re.sub(r"^(?:Giám đốc|Chủ tịch|Thủ trưởng|Cục trưởng|Vụ trưởng)\s+", "", rest)
        return reading.opening_units(rest)
    return reading.opening_units(sentence)


def _heading_reporter(para: Para, reading: _Reading) -> list[UnitRef]:
    """The units the nearest heading over the paragraph opens with ("1. Các đơn vị liên quan:")."""
    for heading in para.headings():
        reporter = reading.opening_units(heading)
        if reporter:
            return reporter
    return []


def _report_to(sentence: str, reading: _Reading) -> list[UnitRef]:
    """Units reports go to: "cho ...", "gửi về ...", up to the deadline or a purpose clause."""
    key = fold(sentence)
    match = _REPORT_TO.search(key)
    if not match:
        return []
    tail = sentence[match.end() :]
    # stop at the deadline or the purpose clause
    stop = re.search(
        r"\b(?:truoc\s+ngay|de\s+tong\s+hop|theo\s+huong\s+dan|theo\s+quy)", fold(tail)
    )
    if stop:
        tail = tail[: stop.start()]
    return reading.named_units(tail, limit=3)


def _follower_report_to(followers: list[Para], reading: _Reading) -> list[UnitRef]:
    """Where a following "Báo cáo gửi về ..." paragraph sends the reports."""
    for follower in followers:
        fkey = fold(follower.text)
        if fkey.startswith("bao cao") and _REPORT_TO.search(fkey):
            return _report_to(follower.text, reading)
    return []


def extract(text: Text, ctx: Context) -> Extracted[Deadline]:
    """The loaders' contract (:mod:`obligraph.loaders.context`): reporting deadlines."""
    from obligraph.loaders.context import Extracted

    deadlines = extract_deadlines(
        text.lines, text.file, ctx.units, context_year=ctx.year, issuer=ctx.issuer
    )
    return Extracted(deadlines, [])
