"""Server-side SVG pictures for the overview page (no chart library, no JS, no CDN).

>>> svg = heat_map(["Cục Trẻ em"], ["23/QĐ-TTg"], {("Cục Trẻ em", "23/QĐ-TTg"): (3, 2)})
>>> svg.startswith("<svg") and ">3/2<" in svg and "Cục Trẻ em" in svg
True
>>> "<rect" in bar_chart([("Cục Trẻ em", 3, 2)], lead_label="lead", support_label="support")
True
"""

from __future__ import annotations

from html import escape

LEAD = "#d62728"
SUPPORT = "#1f77b4"


def _shade(value: int, top: int) -> str:
    """White to deep orange by value/top."""
    if value <= 0 or top <= 0:
        return "#f7f7f7"
    t = 0.15 + 0.85 * (value / top)
    r, g, b = 255, int(245 - 160 * t), int(235 - 215 * t)
    return f"#{r:02x}{g:02x}{b:02x}"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def heat_map(
    rows: list[str],
    cols: list[str],
    cells: dict[tuple[str, str], tuple[int, int]],
    *,
    title: str = "",
    cell_note: str = "lead/support",
) -> str:
    """Rows × columns; each cell coloured by lead+support and labelled ``lead/support``."""
    cw, ch, left, top = 92, 24, 250, 110
    width, height = left + cw * len(cols) + 10, top + ch * len(rows) + 30
    top_value = max((a + b for a, b in cells.values()), default=0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heat" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for j, col in enumerate(cols):
        x = left + j * cw + cw / 2
        out.append(
            f'<text x="{x}" y="{top - 8}" transform="rotate(-30 {x} {top - 8})" '
            f'font-size="11" text-anchor="start">{escape(_clip(col, 26))}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * ch
        out.append(
            f'<text x="{left - 6}" y="{y + ch * 0.68}" font-size="12" text-anchor="end">'
            f"{escape(_clip(row, 38))}</text>"
        )
        for j, col in enumerate(cols):
            lead, support = cells.get((row, col), (0, 0))
            x = left + j * cw
            tip = f"{row} × {col}: {lead}/{support} ({cell_note})"
            out.append(
                f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" '
                f'fill="{_shade(lead + support, top_value)}" data-row="{escape(row)}" '
                f'data-col="{escape(col)}"><title>{escape(tip)}</title></rect>'
            )
            if lead or support:
                out.append(
                    f'<text x="{x + cw / 2 - 1}" y="{y + ch * 0.68}" font-size="11" '
                    f'text-anchor="middle">{lead}/{support}</text>'
                )
    out.append(
        f'<text x="{left}" y="{height - 8}" font-size="11" fill="#555">'
        f"{escape(cell_note)}</text></svg>"
    )
    return "".join(out)


def bar_chart(
    items: list[tuple[str, int, int]], *, lead_label: str, support_label: str, title: str = ""
) -> str:
    """Horizontal stacked bars (lead solid, support lighter) for ``(label, lead, support)``."""
    bh, left, scale_w = 20, 250, 420
    width, height = left + scale_w + 60, 30 + bh * len(items) + 10
    top_value = max((a + b for _, a, b in items), default=1) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<rect x="{left}" y="6" width="12" height="12" fill="{LEAD}"/>'
        f'<text x="{left + 16}" y="16" font-size="11">{escape(lead_label)}</text>'
        f'<rect x="{left + 110}" y="6" width="12" height="12" fill="{SUPPORT}" opacity="0.6"/>'
        f'<text x="{left + 126}" y="16" font-size="11">{escape(support_label)}</text>',
    ]
    for i, (label, lead, support) in enumerate(items):
        y = 30 + i * bh
        wl = scale_w * lead / top_value
        ws = scale_w * support / top_value
        out.append(
            f'<text x="{left - 6}" y="{y + bh * 0.7}" font-size="12" text-anchor="end">'
            f"{escape(_clip(label, 38))}</text>"
            f'<rect x="{left}" y="{y + 2}" width="{wl:.1f}" height="{bh - 5}" fill="{LEAD}">'
            f"<title>{escape(label)}: {lead} {escape(lead_label)}</title></rect>"
            f'<rect x="{left + wl:.1f}" y="{y + 2}" width="{ws:.1f}" height="{bh - 5}" '
            f'fill="{SUPPORT}" opacity="0.6"><title>{escape(label)}: {support} '
            f"{escape(support_label)}</title></rect>"
            f'<text x="{left + wl + ws + 4:.1f}" y="{y + bh * 0.7}" font-size="11">'
            f"{lead + support}</text>"
        )
    out.append("</svg>")
    return "".join(out)
