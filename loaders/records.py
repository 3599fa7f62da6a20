"""Plain records the loaders produce and graph building consumes.

This module is the contract between ``obligraph.loaders`` (which knows text,
not RDF) and ``obligraph.graph`` (which knows RDF, not text). Records are plain
dataclasses: no rdflib inside.

Every fact carries a :class:`SourceSpan` so an auditor can open the line it
came from. Line numbers are 1-based and refer to the file as stored on disk.

>>> span = SourceSpan("plan.txt", 12, 12, "Cục Trẻ em chủ trì", section="II.3.a")
>>> span.lines
'12'
>>> ref = DocRef(number="23/QĐ-TTg", doc_type="Quyết định", date="2021-01-07")
>>> ref.year
2021
>>> Assignment(UnitRef("Cục Trẻ em", "Cục Trẻ em"), "lead", span=span).modality
'obligation'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["lead", "support"]
Modality = Literal["obligation", "request"]
Severity = Literal["error", "warning", "info"]
Relation = Literal["based_on", "implements", "cites"]
Recurrence = Literal["once", "annual", "semiannual", "quarterly", "monthly", "continuous", ""]
Comparator = Literal["at_least", "at_most", "reduce_by", "increase_by", "maintain", "equal", ""]


@dataclass(frozen=True)
class SourceSpan:
    """Where a fact stands: file, 1-based line span, quoted text, section path."""

    file: str
    line_start: int
    line_end: int
    text: str
    section: str = ""

    @property
    def lines(self) -> str:
        """``"12"`` or ``"12-14"``."""
        if self.line_end == self.line_start:
            return str(self.line_start)
        return f"{self.line_start}-{self.line_end}"


@dataclass(frozen=True)
class DocRef:
    """A document as cited (or as loaded): number exactly as printed, normalised.

    ``number`` is normalised for spacing only (``"704 /QĐ-LĐTBXH"`` ->
    ``"704/QĐ-LĐTBXH"``); diacritics and case are kept. ``doc_type`` is the
    Vietnamese type name ("Quyết định", "Nghị định", "Luật", ...). Laws cited by
    name have an empty number and a ``title`` ("Luật Trẻ em").
    """

    number: str = ""
    doc_type: str = ""
    date: str | None = None  # ISO yyyy-mm-dd
    issuer: str = ""
    title: str = ""
    year_hint: int | None = None  # a year known from the number or context when date is absent
    jurisdiction: str = ""  # of the issuer, for numbers unique only per issuer (QĐ-UBND)

    @property
    def year(self) -> int | None:
        if self.date:
            return int(self.date[:4])
        return self.year_hint


@dataclass(frozen=True)
class UnitRef:
    """A unit as named in the text and as resolved through the gazetteer.

    ``canonical`` is the gazetteer's preferred name (or the cleaned mention when
    the gazetteer does not know it: then ``known`` is False). ``generic`` marks
    placeholders such as "Các đơn vị liên quan".
    """

    mention: str
    canonical: str
    known: bool = True
    generic: bool = False
    parent: str = ""  # canonical name of the parent unit, when the gazetteer knows it
    level: str = ""  # central, ministry_unit, province, provincial_department, district, commune


@dataclass
class Assignment:
    """One unit's role in one task."""

    unit: UnitRef
    role: Role
    modality: Modality = "obligation"
    span: SourceSpan | None = None


@dataclass
class TimeFrame:
    """A time frame as written plus its machine-readable reading."""

    text: str = ""
    recurrence: Recurrence = ""
    years: list[int] = field(default_factory=list)
    due_date: str | None = None  # ISO date when a precise end is given


@dataclass
class Task:
    """A task (nhiệm vụ): an annex row, a numbered body item or a prose assignment.

    ``task_id`` is its position, stable across reloads: ``"annex-2-a"``,
    ``"II-3-b"``, ``"nhom-1-i"``. ``heading`` is the parent heading's text and
    ``parent_id`` the parent item's id. ``programme`` is the number of the
    programme document the task serves, when a group or the plan says so.
    """

    task_id: str
    text: str
    span: SourceSpan
    heading: str = ""
    parent_id: str = ""
    assignments: list[Assignment] = field(default_factory=list)
    timeframe: TimeFrame = field(default_factory=TimeFrame)
    indicators: list[str] = field(default_factory=list)  # Chỉ tiêu ids it serves
    # ids of the indicators of the programme it implements
    national_indicators: list[str] = field(default_factory=list)
    programme: str = ""
    modality: Modality = "obligation"
    output: str = ""  # "Sản phẩm" column when present
    # what read it: "table" (annex or task table), "items" (numbered body items),
    # "letter" (a letter's items to its addressees), "duties" (labelled duty blocks,
    # the closing execution clause), "prose" (sentences naming their units)
    extractor: str = ""


@dataclass
class Target:
    """A target of an indicator for one year."""

    year: int
    value: float | None
    unit: str = ""  # "%", "per 1,000 live births", "per 100,000 children", "count", ...
    comparator: Comparator = ""
    text: str = ""
    span: SourceSpan | None = None


@dataclass
class Indicator:
    """A Chỉ tiêu (or a group objective) with its targets and owners."""

    indicator_id: str  # "3", or "nhom-2-mt-1" for a group objective
    measure: str
    span: SourceSpan
    targets: list[Target] = field(default_factory=list)
    lead: list[UnitRef] = field(default_factory=list)
    programme: str = ""  # number of the programme document it belongs to
    adapts: DocRef | None = None  # the national programme whose indicator this adapts
    adapts_indicator: str = ""  # that indicator's id
    group: str = ""


@dataclass
class Deadline:
    """A reporting or completion deadline, dated or recurring."""

    text: str
    span: SourceSpan
    date: str | None = None  # ISO date when fully dated
    month_day: str | None = None  # "--06-10" when recurring each year
    recurrence: Recurrence = ""
    year: int | None = None
    reporter: list[UnitRef] = field(default_factory=list)
    report_to: list[UnitRef] = field(default_factory=list)
    subject: str = ""  # what is reported


@dataclass
class Citation:
    """A link from the loaded document to another document."""

    target: DocRef
    relation: Relation
    span: SourceSpan


@dataclass
class Finding:
    """Something an auditor should look at: an inconsistency, a gap, an unknown unit."""

    code: str  # "unknown-unit", "lead-and-support", "missing-annex", "number-mismatch", ...
    severity: Severity
    message: str
    span: SourceSpan | None = None
    about: str = ""  # task_id or indicator id it concerns, when any
    # its details, by the names of its texts in obligraph/base/data/findings.toml ("unit",
    # "item" for a task id, ...), and the wording it takes there when it has several
    args: dict[str, str] = field(default_factory=dict)
    variant: str = ""


@dataclass
class Document:
    """Everything one loaded file says."""

    source_file: str  # file name
    path: str  # absolute path as loaded
    sha256: str
    line_count: int
    number: str = ""
    doc_type: str = ""
    date: str | None = None
    place: str = ""
    issuer: str = ""  # canonical unit name of the issuing body
    signer: str = ""
    signer_title: str = ""
    title: str = ""
    header_span: SourceSpan | None = None
    citations: list[Citation] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    units: list[UnitRef] = field(default_factory=list)  # every unit met, resolved
    issuer_parent: str = ""  # the organ the issuer belongs to ("Bộ Tài chính" for Cục Thuế)
    jurisdiction: str = ""  # "tỉnh Lai Châu", "thành phố Hà Nội"; "Việt Nam" for the State
    subject: str = ""  # a letter's "V/v ..." subject
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận" items, as written
    official: bool = True  # False for a text that is no official document (an article, a form)
    source_format: str = "text"  # text, docx, pdf, html
    # where line n (1-based) stands in the original, locations[n - 1]: "trang 3, dòng 12" in a
    # PDF, "bảng 2, hàng 5" in a Word file; empty for a text file (its lines are the file's)
    locations: list[str] = field(default_factory=list)

    @property
    def ref(self) -> DocRef:
        """This document as a :class:`DocRef`."""
        return DocRef(
            self.number, self.doc_type, self.date, self.issuer, self.title,
            jurisdiction=self.jurisdiction,
        )  # fmt: skip

    def implements(self) -> list[DocRef]:
        """Documents this one implements."""
        return [c.target for c in self.citations if c.relation == "implements"]
