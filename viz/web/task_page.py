"""The page of one task (``/task/<tail>``): its text and source, who leads and supports
it (corrected and as the document reads), the corrections people made, where it
stands, and a form that records its status (behind the update token).

A task is addressed by the tail of its IRI after ``/doc/``:
``/task/qd/704-qd-ldtbxh/2021/task/annex-1-a``. The status form posts to
``/task/<tail>/status`` with the fields of ``status.csv`` and the token; the
report is appended to the status file and applied to the store at once.

>>> task_href("https://w3id.org/obligraph/id/doc/qd/704-qd-ldtbxh/2021/task/annex-1-a")
'/task/qd/704-qd-ldtbxh/2021/task/annex-1-a'
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from obligraph.graph.status import LABELS_VI, state_on
from obligraph.queries.library import internal_rows
from obligraph.viz.web.data import iri_tail
from rdflib import Literal, URIRef

from obligraph.base.errors import ObligraphError


def task_href(iri: str) -> str:
    """The page address of a task IRI."""
    return "/task/" + iri_tail(iri, "doc")


def find_task_iri(store: Any, tail: str) -> str | None:
    """The task IRI ending in ``/doc/{tail}``."""
    found = internal_rows(store, "task-find", bindings={"tail": Literal(f"/doc/{tail}")})
    return found[0]["x"] if found else None


def task_info(store: Any, iri: str, today: date | None = None) -> dict[str, Any]:
    """Everything the task page shows."""
    task = URIRef(iri)
    [info] = internal_rows(store, "task-info", bindings={"t": task}) or [{}]
    state = state_on(info.get("statusCode"), info.get("due"), today or date.today())
    info.update(
        iri=iri,
        doc_href="/doc/" + iri_tail(str(info.get("doc") or ""), "doc"),
        state=state,
        state_vi=LABELS_VI[state],
        assignments=_assignments(store, task),
        extracted=_extracted(store, task),
        corrections=_corrections(store, task),
        reports=_reports(store, task),
    )
    return info


def task_page_data(store: Any, tail: str) -> dict[str, Any] | None:
    """The task page's data for the task at ``tail``; ``None`` when there is none (404).
    Runs where page work runs (a worker process under the page time limit)."""
    iri = find_task_iri(store, tail)
    return None if iri is None else task_info(store, iri)


def record_status(store: Any, status_file: Path, entry: Any) -> None:
    """Append ``entry`` (a checked ``StatusEntry``) to ``status_file`` and apply the file
    to the store. When applying fails the file is cut back to what it held, so the file
    and the store still agree. Runs where writes run (the write gate's writer process)."""
    from obligraph.graph.status import append_status, apply_statuses, read_statuses

    size = status_file.stat().st_size if status_file.exists() else None
    try:
        append_status(status_file, entry)
        apply_statuses(store, read_statuses(status_file))
    except BaseException:
        if size is None:
            status_file.unlink(missing_ok=True)
        else:
            with open(status_file, "r+b") as f:
                f.truncate(size)
        raise


def _assignments(store: Any, task: URIRef) -> list[dict[str, Any]]:
    found = internal_rows(store, "task-assignments", bindings={"t": task})
    for r in found:
        r["unit_href"] = "/unit/" + iri_tail(str(r["u"]), "unit")
        r["corrected"] = r["corrected"] in (True, "true")
    return found


def _extracted(store: Any, task: URIRef) -> list[dict[str, Any]]:
    """Who leads and supports the task as the document itself reads."""
    return internal_rows(store, "task-extracted", bindings={"t": task})


def _corrections(store: Any, task: URIRef) -> list[dict[str, Any]]:
    return internal_rows(store, "task-corrections", bindings={"t": task})


def _reports(store: Any, task: URIRef) -> list[dict[str, Any]]:
    found = internal_rows(store, "task-status-reports", bindings={"t": task})
    for r in found:
        r["code_vi"] = LABELS_VI.get(str(r["code"]), str(r["code"]))
        ev = str(r.get("evidence") or "")
        r["evidence_href"] = ev if ev.startswith(("https://", "http://")) else ""
    return found


def make_task_router(
    store: Any,
    page: Callable[..., HTMLResponse],
    *,
    work: Callable[..., Any] | None = None,
    write: Callable[..., Any] | None = None,
    update_token: str | None,
    status_file: Path,
    on_change: Callable[[], None] = lambda: None,
) -> APIRouter:
    """``GET /task/<tail>`` and ``POST /task/<tail>/status``.

    ``work(fn, *args)`` runs ``fn(store, *args)`` where reads run, ``write(fn, *args)``
    where the store may be written (both default to this process)."""
    router = APIRouter()
    if work is None:

        def work(fn: Callable[..., Any], *args: Any) -> Any:
            return fn(store, *args)

    if write is None:
        write = work

    def not_found(request: Request, tail: str) -> HTMLResponse:
        return page(request, "web_error.html", 404, message=f"task/{tail}", code=404)

    @router.get("/task/{tail:path}", response_class=HTMLResponse)
    def task_page(request: Request, tail: str) -> HTMLResponse:
        info = work(task_page_data, tail)
        if info is None:
            return not_found(request, tail)
        return page(
            request,
            "web_task.html",
            info=info,
            can_update=bool(update_token),
            today=date.today().isoformat(),
        )

    @router.post("/task/{tail:path}/status", response_class=HTMLResponse)
    def status_form(
        request: Request,
        tail: str,
        status: str = Form(""),
        when: str = Form("", alias="date"),
        note: str = Form(""),
        evidence: str = Form(""),
        by: str = Form(""),
        token: str = Form(""),
    ) -> Any:
        from obligraph.graph.status import StatusEntry, check_entry

        if not update_token or not hmac.compare_digest(token.encode(), update_token.encode()):
            message = (
                "status updates are off: start the server with --update-token-file"
                if not update_token
                else "wrong token"
            )
            return page(request, "web_error.html", 403, message=message, code=403)
        iri = work(find_task_iri, tail)
        if iri is None:
            return not_found(request, tail)
        ref = "doc/" + tail
        try:
            entry = check_entry(StatusEntry(ref, status, when or date.today().isoformat(),
                                            note, evidence, by))  # fmt: skip
        except ObligraphError as exc:
            return page(request, "web_error.html", 400, message=exc.message, code=400)
        try:
            write(record_status, status_file, entry)
        finally:
            on_change()
        lang = "?lang=en" if request.query_params.get("lang") == "en" else ""
        return RedirectResponse(f"/task/{tail}{lang}#status", status_code=303)

    return router
