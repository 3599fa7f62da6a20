"""How ``obligraph check`` shows its results: grouped by code, filtered, one row each.

The rows come from :func:`obligraph.graph.check.check_store` (SHACL results and the
loaders' findings). A person reads them grouped: one block per code, with its
severity, its count, the message and a few examples naming the task (document,
task id, the start of its text, file:line), instead of the same warning 44 times.
A program reads them one per row (TSV, CSV, JSON). Part of the doors.

>>> rows = [{"code": "TaskHasLead", "severity": "warning"}, {"code": "x", "severity": "info"}]
>>> [r["code"] for r in filter_codes(rows, ["taskhaslead"], None)]
['TaskHasLead']
>>> [r["code"] for r in filter_codes(rows, None, ["TaskHasLead,y"])]
['x']
>>> exit_code(rows), exit_code(rows[1:]), exit_code([])
(1, 0, 0)
"""

from __future__ import annotations

from collections.abc import Sequence

from obligraph.output import formats
from obligraph.output.render_table import display_width, wrap

#: The keys of a check row, in the order TSV/CSV columns show them (JSON keeps them all).
#: The formats `check` writes its results in (names of the ``rows`` family).
CHECK_FORMATS = ("table", "json", "tsv", "csv", "xlsx", "markdown", "html")

COLUMNS = (
    "kind",
    "severity",
    "code",
    "file",
    "line",
    "message",
    "focus",
    "document",
    "task_id",
    "task_text",
)
_SEVERITY_ORDER = {"violation": 0, "error": 0, "warning": 1, "info": 2}


def check_format(name: str | None, output=None):
    """The output format of ``check``: ``name``, else ``output``'s extension, else a table
    in a terminal and TSV when piped."""

    return formats.choose("rows", explicit=name, output=output, only=CHECK_FORMATS, command="check")


def _codes(values: Sequence[str] | None) -> set[str]:
    return {c.strip().lower() for v in values or () for c in v.split(",") if c.strip()}


def filter_codes(
    rows: list[dict], select: Sequence[str] | None, ignore: Sequence[str] | None
) -> list[dict]:
    """Rows whose code is selected (all when no --select) and not ignored (case ignored)."""
    keep, drop = _codes(select), _codes(ignore)
    return [
        r for r in rows if (not keep or r["code"].lower() in keep) and r["code"].lower() not in drop
    ]


def exit_code(rows: list[dict]) -> int:
    """1 when a row other than an info finding remains, else 0."""
    return 1 if any(r["severity"] != "info" for r in rows) else 0


def groups(rows: list[dict]) -> list[tuple[str, str, str, list[dict]]]:
    """``(severity, kind, code, rows)`` per code: the most severe first, then the largest."""
    by_code: dict[tuple[str, str, str], list[dict]] = {}
    for row in rows:
        by_code.setdefault((row["severity"], row["kind"], row["code"]), []).append(row)
    ordered = sorted(
        by_code.items(),
        key=lambda item: (_SEVERITY_ORDER.get(item[0][0], 3), -len(item[1]), item[0][2]),
    )
    return [(sev, kind, code, members) for (sev, kind, code), members in ordered]


def _start(text: str, width: int = 60) -> str:
    """The first words of a text, at most ``width`` columns, ``…`` when cut."""
    words = " ".join(text.split())
    if display_width(words) <= width:
        return words
    cut = words[:width].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def example(row: dict, *, with_message: bool) -> str:
    """One line naming what a result is about: document, task id, text start, file:line.

    >>> example({"document": "704/QĐ-LĐTBXH", "task_id": "annex-1-b", "file": "qd-704.txt",
    ...          "line": 142, "task_text": "Xây dựng tài liệu", "message": "m"},
    ...         with_message=False)
    '704/QĐ-LĐTBXH annex-1-b «Xây dựng tài liệu» (qd-704.txt:142)'
    """
    where = row.get("file") or ""
    document = row.get("document", "")
    parts = [p for p in (document if document != where else "", row.get("task_id", "")) if p]
    if row.get("task_text"):
        parts.append(f"«{_start(row['task_text'])}»")
    if with_message and row.get("message"):
        parts.append(f"— {row['message']}" if parts else row["message"])
    if where and row.get("line"):
        where += f":{row['line']}"
    if where:
        parts.append(f"({where})")
    return " ".join(parts) or row.get("focus", "")


def summary(rows: list[dict]) -> str:
    """``104 results in 15 codes: 2 errors, 97 warnings, 5 info``."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["severity"]] = counts.get(row["severity"], 0) + 1
    order = sorted(counts, key=lambda s: _SEVERITY_ORDER.get(s, 3))
    plural = {"violation": "violations", "error": "errors", "warning": "warnings"}
    parts = [f"{counts[s]} {plural.get(s, s) if counts[s] != 1 else s}" for s in order]
    n_codes = len({r["code"] for r in rows})
    return (
        f"{len(rows)} result(s) in {n_codes} code(s): " + ", ".join(parts)
        if rows
        else "clean: no SHACL results and no findings"
    )


def grouped_lines(rows: list[dict], width: int, *, examples: int = 3) -> list[tuple[str, str]]:
    """The grouped report as ``(line, style)`` pairs wrapped to ``width`` columns."""
    width = max(width, 24)
    out: list[tuple[str, str]] = [(f"obligraph check: {summary(rows)}", "bold")]
    for severity, kind, code, members in groups(rows):
        out.append(("", ""))
        what = "SHACL result" if kind == "shacl" else "finding"
        count = f"{len(members)} {what}{'s' if len(members) != 1 else ''}"
        style = {"warning": "bold yellow", "info": "bold"}.get(severity, "bold red")
        out.append((f"{code or '(no code)'} · {severity} · {count}", style))
        same = len({m["message"] for m in members}) == 1
        if same and members[0]["message"]:
            out.extend(("  " + line, "") for line in wrap(members[0]["message"], width - 2))
        shown = members if examples == 0 else members[:examples]
        for row in shown:
            lines = wrap(example(row, with_message=not same), width - 4)
            out.append(("  - " + lines[0], ""))
            out.extend(("    " + line, "") for line in lines[1:])
        if len(shown) < len(members):
            more = len(members) - len(shown)
            hint = f"--select {code} --examples 0" if code else "--format tsv"
            out.append((f"  … and {more} more ({hint})", "dim"))
    return out


def emit(rows: list[dict], fmt, *, examples: int = 3, output=None) -> None:
    """Write the rows: grouped (``table`` on a terminal), else one row each."""
    import json

    if fmt.name == "json":
        with formats.opened(fmt, output) as stream:
            stream.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt.name != "table" or output is not None:
        formats.emit_rows(fmt, list(COLUMNS), rows, output, title="obligraph check", sheet="check")
        return
    from rich.text import Text

    from obligraph.output.terminal import console

    out = console()
    for line, style in grouped_lines(rows, out.width, examples=examples):
        out.print(Text(line, style=style), soft_wrap=True)
