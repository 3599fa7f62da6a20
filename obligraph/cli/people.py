"""People in the loop: ``corrections``, ``status`` and ``remove``.

``obligraph corrections add`` writes a correction into the corrections file
(beside the store) and applies every correction of the file to the store at
once; ``corrections apply`` re-applies the file after it was edited by hand.
``obligraph status set`` / ``status import`` record where tasks stand.
``obligraph remove`` takes a document out of the store. Exit codes: 0 done;
1 the correction or status cannot be applied (its target is not in the store;
nothing written); 2 bad input or store (one line on stderr).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from obligraph.cli.common import (
    CorrectionsOpt,
    StatusFileOpt,
    StoreOpt,
    _console,
    one_line_errors,
    open_cli_store,
    unwrap,
)

corrections_app = typer.Typer(
    help="Correct what was extracted: a lead or support unit, a unit, a deadline, a "
    "programme, or a task that is no task. Kept in corrections.csv beside the store "
    "and applied at every build.",
    no_args_is_help=True,
)
status_app = typer.Typer(
    help="Record where obligations stand (not started, in progress, done); overdue is "
    "derived from the due date. Kept in status.csv beside the store.",
    no_args_is_help=True,
)


def people_inputs(
    store_path: Path | None, corrections_file: Path | None, status_file: Path | None
) -> tuple[list | None, list | None]:
    """The corrections and statuses a build applies: from the files given, else from
    the default files when they exist, else ``None`` (re-apply what the store holds)."""
    from obligraph.base.config import people_file
    from obligraph.base.errors import InputError
    from obligraph.graph.corrections import read_corrections
    from obligraph.graph.status import read_statuses

    out: list[list | None] = []
    for given, name, read in (
        (corrections_file, "corrections.csv", read_corrections),
        (status_file, "status.csv", read_statuses),
    ):
        if given is not None and not given.is_file():
            raise InputError("no such file", file=str(given))
        path = given or people_file(name, store_path)
        out.append(read(path) if path.is_file() else None)
    return out[0], out[1]


def print_not_applied(out, corrections: list[dict], statuses: list[dict]) -> None:
    """The corrections and statuses that could not be applied, one line each."""
    if corrections:
        out.print(f"corrections not applied ({len(corrections)}; kept):", markup=False)
        for c in corrections:
            where = f"{c['file']}:{c['line']}" if c.get("file") else f"line {c['line']}"
            out.print(f"  {where}: {c['target']} {c['field']}: {c['reason']}", markup=False)
    if statuses:
        out.print(f"statuses not applied ({len(statuses)}; kept):", markup=False)
        for s in statuses:
            where = f"{s['file']}:{s['line']}" if s.get("file") else f"line {s['line']}"
            out.print(f"  {where}: {s['task']}: {s['reason']}", markup=False)


def _today() -> str:
    return date.today().isoformat()


# --------------------------------------------------------------------------- corrections

ADD_HELP = """\
Add a correction and apply it to the store at once.

FIELD is lead, support (take --old off the task, put --new on; --old '*' takes
every one off), unit (TARGET is a document: the unit read as --old is really
--new everywhere in it), due (--new is the due date), programme (--new is the
programme's number) or wrong (the task is no task). TARGET is a task written
NUMBER#TASK_ID (see `obligraph query tasks-of-document`), or its IRI. The
correction is written into the corrections file only when it applies.

Examples:

  obligraph corrections add "704/QĐ-LĐTBXH#annex-1-a" lead --old "Cục Trẻ em"
  --new "Vụ Kế hoạch - Tài chính" --by "Nguyễn Văn A" --why "Bảng ghi nhầm"

  obligraph corrections add "4063/QĐ-UBND" unit --old "Sở Y tế"
  --new "Sở Y tế Thành phố Hồ Chí Minh" --by "Trần B"

  obligraph corrections add "704/QĐ-LĐTBXH#annex-2-a" due --new 30/6/2026 --by "Trần B"
"""


@one_line_errors
def add_cmd(
    target: Annotated[str, typer.Argument(help="Task (NUMBER#TASK_ID or IRI), or a document.")],
    field: Annotated[str, typer.Argument(help="lead, support, unit, due, programme or wrong.")],
    by: Annotated[str, typer.Option("--by", help="Who makes the correction.")],
    old: Annotated[str, typer.Option("--old", help="The value that is wrong.")] = "",
    new: Annotated[str, typer.Option("--new", help="The right value.")] = "",
    why: Annotated[str, typer.Option("--why", help="Why (kept with the correction).")] = "",
    when: Annotated[
        str, typer.Option("--date", help="Date of the correction (default today).")
    ] = "",
    store_path: StoreOpt = None,
    corrections_file: CorrectionsOpt = None,
) -> None:
    from obligraph.base.config import people_file
    from obligraph.graph.corrections import (
        Correction,
        append_correction,
        check_correction,
        preview_corrections,
        read_corrections,
    )

    path = corrections_file or people_file("corrections.csv", store_path)
    c = check_correction(Correction(target, field, by, when or _today(), old, new, why))
    existing = read_corrections(path) if path.is_file() else []
    with open_cli_store(store_path, write=True) as store:
        outcome = preview_corrections(store, [*existing, c]).outcomes[-1]
        if not outcome.applied:
            typer.echo(f"error: not applied (nothing written): {outcome.reason}", err=True)
            raise typer.Exit(1)
        saved = append_correction(path, c)
        _apply(store, read_corrections(path))
    out = _console()
    out.print(
        f"applied: {c.target} {c.field}"
        + (f" {c.old!r} →" if c.old else "")
        + (f" {c.new!r}" if c.new else "")
        + f" ({outcome.retracted} statements of the document's reading set aside)",
        markup=False,
    )
    out.print(f"saved: {saved.file}:{saved.line}", markup=False)


def _apply(store, corrections):
    """Apply ``corrections`` (and re-apply statuses, recompute overlaps)."""
    from obligraph.base.vocab import Iris
    from obligraph.graph.build import refresh_derived
    from obligraph.graph.corrections import apply_corrections
    from obligraph.graph.status import apply_statuses, stored_statuses

    iris = Iris()
    report = apply_corrections(store, corrections, iris=iris)
    apply_statuses(store, stored_statuses(store, iris), iris=iris)
    refresh_derived(store, iris)
    return report


@one_line_errors
def apply_cmd(store_path: StoreOpt = None, corrections_file: CorrectionsOpt = None) -> None:
    """Re-apply the corrections file to the store (after editing it by hand)."""
    from obligraph.base.config import people_file
    from obligraph.graph.corrections import read_corrections

    path = corrections_file or people_file("corrections.csv", store_path)
    corrections = read_corrections(path) if path.is_file() else []
    with open_cli_store(store_path, write=True) as store:
        report = _apply(store, corrections)
    out = _console()
    out.print(f"corrections applied: {len(report.applied)} (from {path})", markup=False)
    print_not_applied(out, [o.as_dict() for o in report.not_applied], [])
    raise typer.Exit(1 if report.not_applied else 0)


# --------------------------------------------------------------------------- status

SET_HELP = """\
Record the status of a task: not-started, in-progress or done (Vietnamese
words work too: "đang thực hiện", "hoàn thành"). Overdue is never entered: a
task is overdue on the day after its due date when it is not done.

Examples:

  obligraph status set "704/QĐ-LĐTBXH#annex-1-a" done --date 15/3/2026
  --note "Đã ban hành kế hoạch" --evidence https://example.gov.vn/kh-12 --by "Nguyễn Văn A"

  obligraph status set "704/QĐ-LĐTBXH#annex-2-a" in-progress --by "Trần B"
"""


@one_line_errors
def set_cmd(
    task: Annotated[str, typer.Argument(help="Task: NUMBER#TASK_ID or its IRI.")],
    status: Annotated[str, typer.Argument(help="not-started, in-progress or done.")],
    when: Annotated[
        str, typer.Option("--date", help="Date the status holds from (default today).")
    ] = "",
    note: Annotated[str, typer.Option("--note", help="A note.")] = "",
    evidence: Annotated[str, typer.Option("--evidence", help="Link or document number.")] = "",
    by: Annotated[str, typer.Option("--by", help="Who reports it.")] = "",
    store_path: StoreOpt = None,
    status_file: StatusFileOpt = None,
) -> None:
    from obligraph.graph.status import StatusEntry, check_entry

    entry = check_entry(StatusEntry(task, status, when or _today(), note, evidence, by))
    _record_statuses(store_path, status_file, [entry])


@one_line_errors
def import_cmd(
    source: Annotated[Path, typer.Argument(help="A CSV file with the columns of status.csv.")],
    store_path: StoreOpt = None,
    status_file: StatusFileOpt = None,
) -> None:
    """Import status reports from a CSV file (columns task,status,date,note,evidence,by)."""
    from obligraph.graph.status import read_statuses

    _record_statuses(store_path, status_file, read_statuses(source))


def _record_statuses(store_path, status_file, entries) -> None:
    """Check that every task exists, append the entries, apply the whole file."""
    from obligraph.base.config import people_file
    from obligraph.base.errors import ObligraphError
    from obligraph.base.vocab import Iris
    from obligraph.graph.status import append_status, apply_statuses, read_statuses
    from obligraph.graph.targets import find_task

    path = status_file or people_file("status.csv", store_path)
    with open_cli_store(store_path, write=True) as store:
        iris = Iris()
        for e in entries:  # all or nothing: a task missing stops before anything is written
            try:
                find_task(store, e.task, iris)
            except ObligraphError as exc:
                where = f"{e.file}:{e.line}: " if e.file else ""
                typer.echo(f"error: {where}{exc}", err=True)
                raise typer.Exit(1) from None
        saved = [append_status(path, e) for e in entries]
        report = apply_statuses(store, read_statuses(path), iris=iris)
    out = _console()
    for s in saved:
        out.print(f"{s.task}: {s.status} ({s.date}) saved: {s.file}:{s.line}", markup=False)
    out.print(f"tasks with a status: {report.tasks}", markup=False)


# --------------------------------------------------------------------------- remove

REMOVE_HELP = """\
Take a document out of the store, as if it had never been built with it.

Its graph goes, and the overlaps, counts and findings derived from it are
recomputed. The corrections and statuses that pointed at it stay in their
files and are reported. DOCUMENT is its number, its file name or its IRI.

Examples:

  obligraph remove "704/QĐ-LĐTBXH"

  obligraph remove qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt
"""


@one_line_errors
def remove_cmd(
    document: Annotated[str, typer.Argument(help="Number, file name or IRI of the document.")],
    store_path: StoreOpt = None,
) -> None:
    from obligraph.graph.remove import remove_document

    with open_cli_store(store_path, write=True) as store:
        report = remove_document(store, document)
    out = _console()
    out.print(
        f"removed: {report.number or report.document} ({report.file}; {report.triples} statements)",
        markup=False,
    )
    if report.inferred_dropped:
        out.print("inferred graph dropped: run `obligraph reason` again", markup=False)
    print_not_applied(out, report.corrections_not_applied, report.statuses_not_applied)


def register(app: typer.Typer) -> None:
    """Add ``corrections``, ``status`` and ``remove`` to the app."""
    corrections_app.command("add", help=unwrap(ADD_HELP))(add_cmd)
    corrections_app.command("apply")(apply_cmd)
    status_app.command("set", help=unwrap(SET_HELP))(set_cmd)
    status_app.command("import")(import_cmd)
    app.add_typer(corrections_app, name="corrections")
    app.add_typer(status_app, name="status")
    app.command("remove", help=unwrap(REMOVE_HELP))(remove_cmd)
