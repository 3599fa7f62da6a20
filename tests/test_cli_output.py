"""What the command line prints and writes (issue 10, the command-line part).

* Tables fit the terminal: at 80 and 120 columns no line is wider than the terminal,
  no Vietnamese syllable is cut, and the 44 obligations of Cục Trẻ em take at most the
  lines their content needs (a bound computed from the cells, not from the output);
  piped, the same command prints plain TSV.
* The format follows ``-o``'s extension for rows, graph dumps, the network and trace;
  an explicit ``--format`` wins; an extension a command cannot write is one line
  naming it and the accepted ones, exit code 2.
* XLSX: frozen header, autofilter, widths, wrapped text, formulas still defused;
  GEXF: the graph views' colours.
* ``check`` grouped by code, ``--select``/``--ignore``; ``--version``.

The terminal runs are real: ``obligraph`` in a pseudo-terminal whose size is set
(``TIOCSWINSZ``) and whose ``COLUMNS`` says the same.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import math
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from obligraph.graph.export import OBLIGATION_FIELDS
from typer.testing import CliRunner

from obligraph.cli import app
from obligraph.output.render_table import MAX_PIECE, display_width, render_lines

CUC_TRE_EM = ["query", "obligations-of-unit", "--param", "unit=Cục Trẻ em"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LETTER_RUN = re.compile(r"[^\W\d_]+")


def cli(*args, home: Path):
    return CliRunner().invoke(app, [str(a) for a in args], env={"OBLIGRAPH_HOME": str(home)})


def ok(*args, home: Path):
    result = cli(*args, home=home)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """An OBLIGRAPH_HOME whose default store holds the bundled corpus (read-only here)."""
    home = tmp_path_factory.mktemp("output-home")
    ok("build", "--quiet", home=home)
    return home


@pytest.fixture(scope="module")
def cuc_tre_em(home) -> list[dict]:
    """The rows of the README's query, as JSON."""
    return json.loads(ok(*CUC_TRE_EM, "--format", "json", home=home).stdout)


def in_terminal(args: list[str], columns: int, home: Path) -> tuple[int, str]:
    """Run ``obligraph ARGS`` in a pseudo-terminal ``columns`` wide; (exit code, text)."""
    exe = Path(sys.executable).with_name("obligraph")
    env = {**os.environ, "OBLIGRAPH_HOME": str(home), "COLUMNS": str(columns), "LINES": "50"}
    env.pop("NO_COLOR", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of the asked size
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
        os.execve(str(exe), [str(exe), *args], env)
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return os.waitstatus_to_exitcode(status), ANSI.sub("", text)


def letter_runs(texts) -> Counter:
    """Every maximal run of letters (a Vietnamese syllable is one) in the texts."""
    return Counter(run for text in texts for run in LETTER_RUN.findall(str(text)))


def records_bound(rows: list[dict], width: int) -> int:
    """Lines one record per block may need at ``width``: a rule per record, then per
    filled field its value's width over what a wrapped line surely holds (the value
    column less the longest unbreakable piece), plus a title and a count line."""
    columns = list(rows[0])
    label = min(max(len(c) for c in columns) + 1, width // 3)
    room = width - label - 1 - MAX_PIECE
    lines = 2
    for row in rows:
        lines += 1
        for value in row.values():
            text = "" if value is None else str(value)
            if text.strip():
                lines += math.ceil(display_width(text) / room)
    return lines


# --------------------------------------------------------------------------- terminal


@pytest.mark.parametrize("columns", [80, 120])
def test_query_fits_the_terminal_without_cutting_a_syllable(home, cuc_tre_em, columns):
    code, text = in_terminal(CUC_TRE_EM, columns, home)
    assert code == 0, text
    lines = text.splitlines()
    assert max(display_width(line) for line in lines) <= columns
    # every syllable of every cell is printed whole (a cut one would count short)
    cells = [v for row in cuc_tre_em for v in row.values() if v is not None]
    missing = letter_runs(cells) - letter_runs(lines)
    assert not missing, f"cut or lost: {list(missing)[:10]}"
    bound = records_bound(cuc_tre_em, columns)
    assert len(lines) <= bound, (len(lines), bound)
    assert len(cuc_tre_em) == 44 and len(lines) < 2529 / 3  # the issue measured 2,529


def test_piped_query_is_plain_tsv(home, cuc_tre_em):
    exe = Path(sys.executable).with_name("obligraph")
    env = {**os.environ, "OBLIGRAPH_HOME": str(home)}
    out = subprocess.run([exe, *CUC_TRE_EM], env=env, capture_output=True, check=True).stdout
    lines = out.decode("utf-8").split("\n")
    assert lines[-1] == "" and not out.startswith(b"\xef\xbb\xbf")
    header, *body = lines[:-1]
    assert header.split("\t") == list(cuc_tre_em[0])
    assert len(body) == len(cuc_tre_em)
    assert all(len(line.split("\t")) == len(cuc_tre_em[0]) for line in body)
    from obligraph.base.cells import safe_cell  # TSV cells are defused like CSV ones (docs/cli.md)

    assert [line.split("\t")[5] for line in body] == [safe_cell(r["text"]) for r in cuc_tre_em]


@pytest.mark.parametrize("columns", [80, 120])
def test_stats_and_check_fit_the_terminal(home, columns):
    for args in (["stats"], ["check"], ["query", "--list"], ["network", "load", "--top", "5"]):
        code, text = in_terminal(args, columns, home)
        assert code in (0, 1), text
        assert max(display_width(line) for line in text.splitlines()) <= columns, args


def test_render_lines_keeps_words_and_width():
    text = "Ủy ban nhân dân quận, huyện, thành phố Thủ Đức phối hợp triển khai"
    rows = [["Cục Trẻ em", text, "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt"]]
    for width in (20, 30, 40, 80, 200):
        lines = render_lines(["unit", "text", "file"], rows, width)
        assert max(display_width(line) for line in lines) <= width
        assert not letter_runs(rows[0]) - letter_runs(lines), width
    assert render_lines(["unit"], [], 40) == ["unit", "────"]
    # decomposed input is measured by what the terminal shows
    assert display_width(unicodedata.normalize("NFD", "Trẻ em")) == 6


# --------------------------------------------------------------------------- formats


def read_rows(path: Path) -> tuple[list[str], list[list]]:
    """Header and rows of a rows file, whatever its format (read by its own reader)."""
    suffix = path.suffix
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path).active
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        return header, rows
    raw = path.read_bytes()
    if suffix in (".csv", ".tsv"):
        assert raw.startswith(b"\xef\xbb\xbf"), "CSV/TSV files start with a BOM (Excel)"
        text = raw.decode("utf-8-sig")
        if suffix == ".csv":
            assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
            header, *rows = list(csv.reader(io.StringIO(text)))
        else:
            header, *rows = [line.split("\t") for line in text.split("\n")[:-1]]
        return header, rows
    if suffix == ".json":
        data = json.loads(raw.decode("utf-8"))
        return list(data[0]), [list(r.values()) for r in data]
    if suffix == ".md":
        lines = [ln for ln in raw.decode("utf-8").splitlines() if ln.startswith("|")]
        cells = [[c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]] for ln in lines]
        return cells[0], cells[2:]
    if suffix == ".html":
        text = raw.decode("utf-8")
        assert "<script" not in text and not re.search(r"(?:src|href)=", text)
        assert unicodedata.is_normalized("NFC", text)
        root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>|<meta[^>]*>", "", text))
        header = [th.text for th in root.iter("th")]
        rows = [[td.text or "" for td in tr.iter("td")] for tr in root.iter("tr")][1:]
        return header, rows
    raise AssertionError(suffix)


ROW_EXTENSIONS = [".csv", ".tsv", ".json", ".xlsx", ".md", ".html"]


@pytest.mark.parametrize("suffix", ROW_EXTENSIONS)
def test_export_takes_the_format_from_the_extension(home, tmp_path, suffix):
    reference = json.loads(ok("export", "obligations", "-f", "json", home=home).stdout)
    dest = tmp_path / f"obligations{suffix}"
    ok("export", "obligations", "-o", dest, home=home)
    header, rows = read_rows(dest)
    assert header == list(reference[0])  # the export contract's columns
    assert len(rows) == len(reference)


@pytest.mark.parametrize("suffix", ROW_EXTENSIONS)
def test_query_takes_the_format_from_the_extension(home, tmp_path, cuc_tre_em, suffix):
    dest = tmp_path / f"cuc-tre-em{suffix}"
    ok(*CUC_TRE_EM, "-o", dest, home=home)
    header, rows = read_rows(dest)
    assert header == list(cuc_tre_em[0]) and len(rows) == len(cuc_tre_em)


def test_explicit_format_wins_over_the_extension(home, tmp_path):
    dest = tmp_path / "rows.json"
    ok("export", "documents", "--format", "csv", "-o", dest, home=home)
    assert dest.read_bytes().startswith(b"\xef\xbb\xbfsource_file,number")


@pytest.mark.parametrize(
    "args, suffix",
    [
        (["export", "obligations"], ".gexf"),
        (["export", "graph"], ".xlsx"),
        (CUC_TRE_EM, ".nq"),
        (["trace", "Cục Trẻ em"], ".pdf"),
        (["network", "export"], ".csv"),
        (["network", "load"], ".graphml"),
    ],
)
def test_an_extension_the_command_cannot_write_is_one_line(home, tmp_path, args, suffix):
    dest = tmp_path / f"out{suffix}"
    result = cli(*args, "-o", dest, home=home)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert suffix in lines[0] and "it writes ." in lines[0]
    assert not dest.exists()


@pytest.mark.parametrize(
    "suffix, parser, dataset",
    [(".nq", "nquads", True), (".trig", "trig", True), (".ttl", "turtle", False),
     (".jsonld", "json-ld", True)],
)  # fmt: skip
def test_graph_export_takes_the_format_from_the_extension(home, tmp_path, suffix, parser, dataset):
    from rdflib import Dataset, Graph

    dest = tmp_path / f"graph{suffix}"
    ok("export", "graph", "-o", dest, home=home)
    data = Dataset() if dataset else Graph()
    data.parse(dest, format=parser)
    assert len(data) > 0 or sum(len(g) for g in data.graphs()) > 0


def test_xlsx_is_ready_to_read(home, tmp_path):
    from openpyxl import load_workbook

    dest = tmp_path / "obligations.xlsx"
    ok("export", "obligations", "-o", dest, home=home)
    sheet = load_workbook(dest).active
    assert sheet.freeze_panes == "A2"
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(OBLIGATION_FIELDS))  # every column of the export contract
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    assert all(cell.font.b for cell in sheet[1])
    text_col = [c.value for c in sheet[1]].index("task_text") + 1
    letter = "ABCDEFGHIJ"[text_col - 1]
    assert 30 <= sheet.column_dimensions[letter].width <= 62
    assert sheet.cell(row=2, column=text_col).alignment.wrap_text
    assert not [c for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "f"]


def test_gexf_carries_the_views_colours(home, tmp_path):
    from obligraph.viz.style import NODE_KINDS

    dest = tmp_path / "network.gexf"
    ok("network", "export", "-o", dest, home=home)
    assert dest.read_bytes().startswith(b"<?xml")
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    root = ET.parse(dest).getroot()
    attributes = root.iterfind(".//g:attributes/g:attribute", ns)
    kind_id = next(a.get("id") for a in attributes if a.get("title") == "kind")
    seen = {}
    for node in root.iterfind(".//g:node", ns):
        kind = next(
            v.get("value") for v in node.iterfind(".//g:attvalue", ns) if v.get("for") == kind_id
        )
        colour = node.find("viz:color", ns)
        seen[kind] = "#{:02x}{:02x}{:02x}".format(*(int(colour.get(c)) for c in "rgb"))
    assert seen["unit"] == NODE_KINDS["unit"][0] and seen["task"] == NODE_KINDS["task"][0]
    assert root.find(".//g:edge/viz:color", ns) is not None
    graphml = tmp_path / "network.graphml"
    ok("network", "export", "-o", graphml, home=home)
    import networkx as nx

    assert nx.read_graphml(graphml).number_of_nodes() == len(root.findall(".//g:node", ns))


def test_trace_takes_the_format_from_the_extension(home, tmp_path):
    page = tmp_path / "trace.html"
    ok("trace", "Cục Trẻ em", "-o", page, home=home)
    text = page.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Cục Trẻ em" in text
    assert "<script" not in text and not re.search(r"(?:src|href)=\"?https?:", text)
    assert unicodedata.is_normalized("NFC", text)
    as_json = tmp_path / "trace.json"
    ok("trace", "Cục Trẻ em", "-o", as_json, home=home)
    documented = ok("trace", "Cục Trẻ em", "--format", "json", home=home).stdout
    assert json.loads(as_json.read_text("utf-8")) == json.loads(documented)
    as_md = tmp_path / "trace.md"
    ok("trace", "Cục Trẻ em", "-o", as_md, home=home)
    assert as_md.read_text("utf-8").strip() == (
        ok("trace", "Cục Trẻ em", "--format", "markdown", home=home).stdout.strip()
    )


def test_formats_come_from_one_registry():
    from obligraph.output import formats

    seen: dict[tuple[str, str], str] = {}
    for family, entries in formats.REGISTRY.items():
        for fmt in entries.values():
            for ext in fmt.extensions:
                assert (family, ext) not in seen, f"{ext} is two {family} formats"
                seen[(family, ext)] = fmt.name
    wanted = {
        "rows": [".csv", ".tsv", ".json", ".xlsx", ".md", ".html"],
        "rdf": [".nq", ".trig", ".ttl", ".jsonld"],
        "network": [".graphml", ".gexf"],
        "trace": [".html", ".json", ".md"],
    }
    for family, extensions in wanted.items():
        assert set(extensions) <= set(formats.extensions(family)), family


# --------------------------------------------------------------------------- check


@pytest.fixture(scope="module")
def check_rows(home) -> list[dict]:
    result = cli("check", "--format", "json", home=home)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_check_json_keeps_its_keys_and_names_the_task(check_rows):
    keys = {"kind", "severity", "code", "file", "line", "message", "focus"}
    assert all(keys <= set(r) for r in check_rows)
    lead = [r for r in check_rows if r["code"] == "TaskHasLead"]
    assert lead and all(r["document"] and r["task_id"] and r["task_text"] for r in lead)
    assert all(r["code"] for r in check_rows), "every result has a code to select"
    rows = [json.dumps(r, sort_keys=True) for r in check_rows]
    assert len(rows) == len(set(rows)), "no result twice"


def test_check_groups_by_code(home, check_rows):
    text = ok_or_1("check", "--format", "table", home=home)
    counts = Counter(r["code"] for r in check_rows)
    for code, n in counts.items():
        headers = [ln for ln in text.splitlines() if ln.startswith(f"{code} · ")]
        assert len(headers) == 1, code
        assert re.search(rf"· {n} (?:SHACL results?|findings?)$", headers[0]), headers[0]
    # examples name the task: its document, id and the start of its text
    row = next(r for r in check_rows if r["code"] == "TaskHasLead")
    assert f"{row['document']} {row['task_id']} «{row['task_text'][:20]}" in text
    # far fewer lines than one per result (the issue counted 586 lines for 93)
    assert len(text.splitlines()) < len(check_rows) + 10 * len(counts)


def ok_or_1(*args, home: Path) -> str:
    result = cli(*args, home=home)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_check_select_and_ignore(home, check_rows):
    codes = Counter(r["code"] for r in check_rows)
    info_only = sorted({r["code"] for r in check_rows if r["severity"] == "info"})
    assert info_only
    picked = cli("check", "-f", "json", "--select", ",".join(info_only), home=home)
    assert picked.exit_code == 0  # info findings are listed, not counted
    assert {r["code"] for r in json.loads(picked.stdout)} == set(info_only)
    everything = list(codes)
    dropped = cli("check", "-f", "json", "--ignore", ",".join(everything[:2]),
                  "--ignore", ",".join(everything[2:]), home=home)  # fmt: skip
    assert dropped.exit_code == 0 and json.loads(dropped.stdout) == []
    one = cli("check", "-f", "tsv", "--select", "taskhaslead", home=home)
    assert one.exit_code == 1
    assert len(one.stdout.splitlines()) == codes["TaskHasLead"] + 1


# --------------------------------------------------------------------------- version


def test_version_from_the_package_metadata():
    from importlib.metadata import version

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"obligraph {version('obligraph')}\n"


def test_docs_list_every_format():
    from obligraph.output import formats

    text = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text("utf-8")
    section = text.split("## Output formats", 1)[1].split("\n## ", 1)[0]
    for entries in formats.REGISTRY.values():
        for fmt in entries.values():
            assert f"`{fmt.name}`" in section, fmt.name
            for ext in fmt.extensions:
                assert f"`{ext}`" in section, ext


def test_check_writes_every_result_to_a_file(home, tmp_path, check_rows):
    from openpyxl import load_workbook

    dest = tmp_path / "findings.xlsx"
    result = cli("check", "-o", dest, "--ignore", "relabelled", home=home)
    assert result.exit_code == 1, result.output
    header, *rows = list(load_workbook(dest).active.iter_rows(values_only=True))
    assert list(header[:7]) == ["kind", "severity", "code", "file", "line", "message", "focus"]
    assert len(rows) == len([r for r in check_rows if r["code"] != "relabelled"])
