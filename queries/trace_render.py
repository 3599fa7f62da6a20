"""Renderers of a unit trace: terminal (Rich), JSON, Markdown, self-contained HTML.

Every renderer shows the same facts; labels keep their diacritics. The HTML
page carries its own style and needs nothing from the network.

>>> from obligraph.queries.trace import UnitTrace, Obligation, SourceLines
>>> t = UnitTrace("Cục TE", "Cục Trẻ em", "https://w3id.org/obligraph/id/unit/cuc-tre-em", False)
>>> t.obligations.append(Obligation("annex-9-b", "Thanh tra chuyên đề", "support", "obligation",
...     "Cục Trẻ em", "Hằng năm", "704/QĐ-LĐTBXH", "", "qd-704.txt",
...     SourceLines("qd-704.txt", 181, 181, "b\\tXây dựng kế hoạch ...")))
>>> print(to_markdown(t).splitlines()[0])
# Trace: Cục Trẻ em
>>> '"role": "support"' in to_json(t)
True
>>> "<script" in to_html(t) or "http://" in to_html(t).replace("https://w3id.org", "")
False
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

from obligraph.base.cells import strip_controls

if TYPE_CHECKING:
    from obligraph.queries.trace import Obligation, UnitTrace
    from rich.console import Console

ROLE_VI = {"lead": "chủ trì", "support": "phối hợp"}
MODALITY_VI = {"obligation": "nghĩa vụ", "request": "đề nghị"}


def _summary(trace: UnitTrace) -> str:
    c = trace.counts
    return (
        f"{c['obligations']} obligations in {c['documents']} documents: "
        f"{c['lead']} lead (chủ trì), {c['support']} support (phối hợp), "
        f"{c['requests']} requests (đề nghị)"
    )


STATUS_VI = {
    "continues": "giữ nguyên",
    "merger": "sáp nhập",
    "function_transfer": "chuyển giao chức năng",
    "renaming": "đổi tên",
    "split": "chia tách",
    "abolition": "giải thể",
    "unknown": "chưa rõ",
}


def succession_line(trace: UnitTrace) -> str:
    """One line: what became of the unit in 2025 and who holds its duties now ("" if unknown).

    A successor whose source nobody here has read is marked "[chưa chắc chắn]".
    """
    if not trace.status_2025:
        return ""
    now = "; ".join(
        s["name"]
        + (f" ({s['function']})" if s["function"] else "")
        + (f" — {', '.join(s['acts'])}" if s["acts"] else "")
        + ("" if s["sourced"] else " [chưa chắc chắn]")
        for s in trace.successors
    )
    status = STATUS_VI.get(trace.status_2025, trace.status_2025)
    return f"Năm 2025 ({status}): " + (now or "không còn đơn vị kế thừa")


def status_line(ob: Obligation) -> str:
    """``overdue (quá hạn) · due 2026-03-31 · reported 2026-03-01: note · evidence``."""
    from obligraph.graph.status import LABELS_VI

    parts = [f"{ob.status} ({LABELS_VI.get(ob.status, ob.status)})"]
    if ob.due_date:
        parts.append(f"due {ob.due_date}")
    if ob.status_date:
        parts.append(
            f"reported {ob.status_date}" + (f": {ob.status_note}" if ob.status_note else "")
        )
    if ob.status_evidence:
        parts.append(ob.status_evidence)
    return " · ".join(parts)


def correction_lines(ob: Obligation) -> list[str]:
    """One line per correction: ``lead: Cục Trẻ em → Vụ X (Nguyễn Văn A, 2026-03-15: why)``."""
    out = []
    for c in ob.corrections:
        change = " → ".join(x for x in (c["old"], c["new"]) if x) or "wrong"
        why = f": {c['why']}" if c["why"] else ""
        out.append(f"{c['field']}: {change} ({c['by']}, {c['date']}{why})")
    return out


def to_json(trace: UnitTrace) -> str:
    """The trace as JSON (UTF-8, diacritics kept)."""
    return json.dumps(trace.to_dict(), ensure_ascii=False, indent=2)


def to_markdown(trace: UnitTrace) -> str:
    """The trace as Markdown: one section per obligation, source lines quoted."""
    out = [f"# Trace: {trace.unit}", ""]
    if trace.query != trace.unit:
        out += [f"Asked for: {trace.query}", ""]
    out += [f"Unit IRI: <{trace.unit_iri}>", "", _summary(trace), ""]
    if succession_line(trace):
        out += [f"**Who owes it now:** {succession_line(trace)}", ""]
    if not trace.obligations:
        out += ["No obligations of this unit are in the graph.", ""]
    for n, ob in enumerate(trace.obligations, 1):
        out += [f"## {n}. {ob.document} · {ob.task_id} · {ob.role} ({ROLE_VI[ob.role]})", ""]
        out += [f"- **Task:** {ob.text}"]
        if ob.heading:
            out += [f"- **Under:** {ob.heading}"]
        if trace.include_subunits or ob.unit != trace.unit:
            out += [f"- **Unit:** {ob.unit}"]
        out += [
            f"- **Modality:** {ob.modality} ({MODALITY_VI[ob.modality]})",
            f"- **Time frame:** {ob.timeframe or '—'}",
            f"- **Document:** {ob.document}"
            + (f" — {ob.document_title}" if ob.document_title else ""),
            f"- **Programme:** {', '.join(ob.programmes) or '—'}",
            f"- **Status:** {status_line(ob)}",
            f"- **Source:** `{ob.source.where}`",
            "",
        ]
        out += [f"- **Corrected:** {c}" for c in correction_lines(ob)]
        out += [f"> {line}" for line in (ob.source.quote or "").splitlines()] + [""]
        if ob.legal_basis:
            out += ["**Legal basis (Căn cứ):**", ""]
            for step in ob.legal_basis:
                where = f" — `{step.source.where}`" if step.source else ""
                out += [f"{'  ' * (step.depth - 1)}- {step.label}{where}"]
            out += [""]
        if ob.indicators:
            out += ["**Indicators served:**", ""]
            for ind in ob.indicators:
                of = f" of {ind.document}" if ind.document else ""
                measure = f": {ind.measure}" if ind.measure else ""
                out += [f"- Chỉ tiêu {ind.indicator_id}{of}{measure}"]
            out += [""]
        if ob.overlaps:
            out += ["**Overlaps with the unit's other obligations:**", ""]
            for ov in ob.overlaps:
                score = f"{ov.score:.2f}" if ov.score is not None else "?"
                out += [f"- {ov.document} · {ov.task_id} (score {score}; {ov.reason}): {ov.text}"]
            out += [""]
    return "\n".join(out)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#1d2733;line-height:1.45}
h1{margin-bottom:.2rem}.muted{color:#5b6773}
section.ob{border:1px solid #d6dde4;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
section.ob h2{font-size:1.05rem;margin:.1rem 0 .6rem}
.role{display:inline-block;padding:0 .5rem;border-radius:4px;font-size:.85rem;color:#fff}
.role.lead{background:#b5452b}.role.support{background:#2b6cb5}.role.request{background:#7a5cb5}
dl{display:grid;grid-template-columns:9rem 1fr;gap:.2rem .8rem;margin:.4rem 0}
dt{font-weight:600;color:#44515e}dd{margin:0}
blockquote{margin:.5rem 0;padding:.4rem .8rem;background:#f4f6f8;border-left:4px solid #9aa8b6;
white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
code{font-size:.9rem}ul{margin:.3rem 0}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_obligation(n: int, ob: Obligation, trace: UnitTrace) -> str:
    role_class = "request" if ob.modality == "request" else ob.role
    parts = [
        f'<section class="ob" id="ob-{n}">',
        f"<h2>{n}. {_e(ob.document)} · {_e(ob.task_id)} "
        f'<span class="role {role_class}">{_e(ob.role)} ({_e(ROLE_VI[ob.role])})</span></h2>',
        "<dl>",
        f"<dt>Task</dt><dd>{_e(ob.text)}</dd>",
    ]
    if ob.heading:
        parts.append(f"<dt>Under</dt><dd>{_e(ob.heading)}</dd>")
    if trace.include_subunits or ob.unit != trace.unit:
        parts.append(f"<dt>Unit</dt><dd>{_e(ob.unit)}</dd>")
    title = f" — {_e(ob.document_title)}" if ob.document_title else ""
    parts += [
        f"<dt>Modality</dt><dd>{_e(ob.modality)} ({_e(MODALITY_VI[ob.modality])})</dd>",
        f"<dt>Time frame</dt><dd>{_e(ob.timeframe or '—')}</dd>",
        f"<dt>Document</dt><dd>{_e(ob.document)}{title}</dd>",
        f"<dt>Programme</dt><dd>{_e(', '.join(ob.programmes) or '—')}</dd>",
        f"<dt>Status</dt><dd>{_e(status_line(ob))}</dd>",
        *(f"<dt>Corrected</dt><dd>{_e(c)}</dd>" for c in correction_lines(ob)),
        f"<dt>Source</dt><dd><code>{_e(ob.source.where)}</code></dd>",
        "</dl>",
        f"<blockquote>{_e(ob.source.quote)}</blockquote>",
    ]
    if ob.legal_basis:
        parts.append("<h3>Legal basis (Căn cứ)</h3><ul>")
        for step in ob.legal_basis:
            where = f" — <code>{_e(step.source.where)}</code>" if step.source else ""
            via = (
                f" <span class='muted'>cited by {_e(step.cited_by)}</span>" if step.cited_by else ""
            )
            pad = f' style="margin-left:{(step.depth - 1) * 1.5}rem"'
            parts.append(f"<li{pad}>{_e(step.label)}{via}{where}</li>")
        parts.append("</ul>")
    if ob.indicators:
        parts.append("<h3>Indicators served</h3><ul>")
        for ind in ob.indicators:
            of = f" of {_e(ind.document)}" if ind.document else ""
            measure = f": {_e(ind.measure)}" if ind.measure else ""
            parts.append(f"<li>Chỉ tiêu {_e(ind.indicator_id)}{of}{measure}</li>")
        parts.append("</ul>")
    if ob.overlaps:
        parts.append("<h3>Overlaps with the unit's other obligations</h3><ul>")
        for ov in ob.overlaps:
            score = f"{ov.score:.2f}" if ov.score is not None else "?"
            parts.append(
                f"<li>{_e(ov.document)} · {_e(ov.task_id)} (score {score}; {_e(ov.reason)}): "
                f"{_e(ov.text)}</li>"
            )
        parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def to_html(trace: UnitTrace) -> str:
    """A self-contained HTML page (inline style, no script, nothing fetched)."""
    body = [
        f"<h1>Trace: {_e(trace.unit)}</h1>",
        f'<p class="muted">Unit IRI: <code>{_e(trace.unit_iri)}</code>'
        + (f" · asked for “{_e(trace.query)}”" if trace.query != trace.unit else "")
        + "</p>",
        f"<p>{_e(_summary(trace))}</p>",
    ]
    if succession_line(trace):
        body.append(f'<p class="now"><strong>Ai chịu trách nhiệm hôm nay:</strong> '
                    f"{_e(succession_line(trace))}</p>")  # fmt: skip
    if not trace.obligations:
        body.append("<p>No obligations of this unit are in the graph.</p>")
    body += [_html_obligation(n, ob, trace) for n, ob in enumerate(trace.obligations, 1)]
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Trace: {_e(trace.unit)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def render_terminal(trace: UnitTrace, console: Console) -> None:
    """Print the trace with Rich: a panel per obligation, the basis as a tree."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    console.print(Text(f"Trace: {trace.unit}", style="bold"))
    if trace.query != trace.unit:
        console.print(Text(f"asked for: {trace.query}", style="dim"))
    console.print(Text(_summary(trace), style="dim"))
    if succession_line(trace):
        console.print(Text(succession_line(trace), style="bold yellow"))
    if not trace.obligations:
        console.print("No obligations of this unit are in the graph.")
    for n, ob in enumerate(trace.obligations, 1):
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold cyan", no_wrap=True)
        grid.add_column()
        grid.add_row("Task", Text(strip_controls(ob.text)))
        if trace.include_subunits or ob.unit != trace.unit:
            grid.add_row("Unit", Text(ob.unit))
        grid.add_row("Modality", f"{ob.modality} ({MODALITY_VI[ob.modality]})")
        grid.add_row("Time frame", Text(ob.timeframe or "—"))
        grid.add_row("Programme", Text(", ".join(ob.programmes) or "—"))
        grid.add_row("Status", Text(status_line(ob)))
        for c in correction_lines(ob):
            grid.add_row("Corrected", Text(strip_controls(c), style="yellow"))
        grid.add_row("Source", Text(ob.source.where, style="green"))
        grid.add_row("", Text(strip_controls(ob.source.quote), style="italic"))
        if ob.legal_basis:
            tree = Tree("Căn cứ", guide_style="dim")
            nodes = {0: tree}
            for step in ob.legal_basis:
                parent = nodes.get(step.depth - 1, tree)
                where = f"  [{step.source.where}]" if step.source else ""
                nodes[step.depth] = parent.add(Text(step.label + where))
            grid.add_row("Legal basis", tree)
        if ob.indicators:
            inds = "; ".join(
                f"Chỉ tiêu {i.indicator_id}" + (f" of {i.document}" if i.document else "")
                for i in ob.indicators
            )
            grid.add_row("Indicators", Text(inds))
        for ov in ob.overlaps:
            score = f"{ov.score:.2f}" if ov.score is not None else "?"
            grid.add_row("Overlaps", Text(f"{ov.document} · {ov.task_id} ({score}): {ov.text}"))
        role = f"{ob.role} ({ROLE_VI[ob.role]})"
        title = f"{n}. {ob.document} · {ob.task_id} · {role}"
        console.print(Panel(grid, title=Text(title), title_align="left", expand=True))


def render(trace: UnitTrace, fmt: str) -> str:
    """The trace in ``fmt`` (json, markdown, html, or terminal as plain text)."""
    if fmt == "json":
        return to_json(trace)
    if fmt == "markdown":
        return to_markdown(trace)
    if fmt == "html":
        return to_html(trace)
    if fmt == "terminal":
        import io

        from rich.console import Console

        buffer = io.StringIO()
        render_terminal(trace, Console(file=buffer, width=110, color_system=None))
        return buffer.getvalue()
    from obligraph.base.errors import QueryError
    from obligraph.output.formats import names

    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(names('trace'))}")


def write(trace: UnitTrace, stream, fmt: str) -> None:
    """Write the trace in ``fmt`` to a text stream (Unicode NFC): the ``trace`` family's
    writer of :mod:`obligraph.output.formats`."""
    from obligraph.base.textkeys import nfc

    stream.write(nfc(render(trace, fmt)))
