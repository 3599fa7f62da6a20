"""The core commands on the bundled corpus: build, stats, export, query, check, push.

Every test drives the real command line (Typer's ``CliRunner`` on ``obligraph.cli.app``)
with ``OBLIGRAPH_HOME`` at a temp folder, so nothing touches the real home. The
module-wide ``corpus_home`` is built ONCE by ``obligraph build`` (the bundled corpus,
``obligraph/corpus/``) and then only read; tests that write build their own store.
``push`` and ``query --endpoint`` run against the real Oxigraph server of the
``oxigraph_server`` fixture (tests/conftest.py).

The export column names are the contract of issue 2 §7 and are spelled out here
on purpose, not imported from ``obligraph.graph.export``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

import obligraph
from obligraph.cli import app

OBLIGATION_COLUMNS = [
    "document",
    "source_file",
    "task_id",
    "task_text",
    "unit",
    "role",
    "modality",
    "timeframe",
    "source_line",
    "unit_now",
    # added with corrections and statuses (docs/corrections.md)
    "due_date",
    "status",
    "status_date",
    "corrected",
]
DOCUMENT_COLUMNS = [
    "source_file",
    "number",
    "doc_type",
    "date",
    "issuer",
    "signer",
    "title",
    "legal_bases",
    "implements",
    "cites",
    "jurisdiction",
    "source_files",
]
INDICATOR_COLUMNS = [
    "source_file",
    "document",
    "programme",
    "indicator",
    "measure",
    "year",
    "value",
    "unit",
    "comparator",
    "lead",
]
COLUMNS = {
    "obligations": OBLIGATION_COLUMNS,
    "documents": DOCUMENT_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
}
SUMMARY_KEYS = ("documents", "tasks", "units", "assignments", "indicators", "findings")
DOC_704 = "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt"
DOC_923 = "qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg.txt"

# A small decision with nothing to report (no task, no finding, every shape met).
CLEAN_DECISION = """\
BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI

Số: 12/QĐ-LĐTBXH

CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Hà Nội, ngày 04 tháng 8 năm 2020

QUYẾT ĐỊNH
Ban hành Kế hoạch thử nghiệm

BỘ TRƯỞNG BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI

Căn cứ Nghị định số 14/2017/NĐ-CP ngày 17 tháng 02 năm 2017 của Chính phủ quy định chức \
năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Lao động - Thương binh và Xã hội;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thử nghiệm.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Nguyễn Thị Hà
"""


def cli(*args: str | Path, home: Path | None = None):
    """Run ``obligraph ARGS`` in-process; ``home`` sets OBLIGRAPH_HOME for the call."""
    env = {"OBLIGRAPH_HOME": str(home)} if home is not None else None
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def ok(*args: str | Path, home: Path | None = None):
    result = cli(*args, home=home)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory) -> Path:
    """An OBLIGRAPH_HOME whose default store holds the bundled corpus (read-only here)."""
    home = tmp_path_factory.mktemp("cli-home")
    ok("build", "--quiet", home=home)
    return home


@pytest.fixture(scope="module")
def stats(corpus_home) -> dict:
    return json.loads(ok("stats", "--format", "json", home=corpus_home).stdout)


def summary_counts(text: str) -> dict[str, int]:
    """``{what: count}`` from the build summary table."""
    counts = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("│┃| ").split("│")]
        if len(cells) == 2 and cells[1].isdigit():
            counts[cells[0]] = int(cells[1])
    return counts


# --------------------------------------------------------------------------- build


def test_build_default_corpus_prints_summary_and_store(tmp_home):
    result = ok("build", "--quiet")
    counts = summary_counts(result.stdout)
    for key in SUMMARY_KEYS:
        assert key in counts, result.stdout
    assert counts["documents"] == 5
    assert counts["tasks"] > 100 and counts["assignments"] > counts["tasks"]
    assert counts["indicators"] > 50 and counts["findings"] > 0 and counts["units"] > 20
    assert f"store: {tmp_home / 'store'}" in result.stdout.replace("\n", "")
    assert (tmp_home / "store" / "CURRENT").exists()
    # the default store is where stats looks, and rebuilding changes nothing
    first = json.loads(ok("stats", "--format", "json").stdout)
    assert first["documents"] == 5 and first["store"] == str(tmp_home / "store")
    ok("build", "--quiet")
    again = json.loads(ok("stats", "--format", "json").stdout)
    assert again == first


def test_build_a_folder_and_single_files(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in (DOC_704, DOC_923):
        shutil.copy(obligraph.corpus_dir() / name, folder / name)
    (folder / "README.md").write_text("# notes, not a document\n", encoding="utf-8")
    store = tmp_path / "store"
    counts = summary_counts(ok("build", folder, "--store", store, "-q").stdout)
    assert counts["documents"] == 2
    one = summary_counts(ok("build", folder / DOC_704, "--store", tmp_path / "s1", "-q").stdout)
    assert one["documents"] == 1 and one["tasks"] > 0
    # files added to an existing store keep what is there
    ok("build", obligraph.corpus_dir() / DOC_923, "--store", tmp_path / "s1", "-q")
    data = json.loads(ok("stats", "--store", tmp_path / "s1", "-f", "json").stdout)
    assert data["documents"] == 2


def test_build_memory_keeps_nothing(tmp_home):
    result = ok("build", "--memory", "-q")
    assert "in memory" in result.stdout
    assert not (tmp_home / "store").exists()


# --------------------------------------------------------------------------- stats


def test_stats_table_and_json(corpus_home, stats):
    for key in (
        "documents",
        "tasks",
        "assignments",
        "units",
        "indicators",
        "targets",
        "findings",
        "named graphs",
        "triples",
    ):
        assert isinstance(stats[key], int), key
    assert stats["documents"] == 5
    assert stats["named graphs"] >= 5 and stats["triples"] > 1000
    table = ok("stats", home=corpus_home).stdout
    assert "documents" in table and str(stats["triples"]) in table
    bad = cli("stats", "--format", "yaml", home=corpus_home)
    assert bad.exit_code == 2 and "yaml" in bad.stderr


# --------------------------------------------------------------------------- export


def export(home: Path, kind: str, fmt: str, dest: Path) -> Path:
    ok("export", kind, "--format", fmt, "-o", dest, home=home)
    return dest


@pytest.mark.parametrize("kind", ["obligations", "documents", "indicators"])
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_export_columns_are_the_contract(corpus_home, tmp_path, kind, fmt):
    dest = export(corpus_home, kind, fmt, tmp_path / f"{kind}.{fmt}")
    raw = dest.read_bytes()
    if fmt == "json":
        assert b"\\u" not in raw  # diacritics kept as they are
        rows = json.loads(raw.decode("utf-8"))
        assert rows and all(list(r) == COLUMNS[kind] for r in rows)
        assert "Trẻ em".lower() in raw.decode("utf-8").lower()
    elif fmt == "csv":
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel shows Vietnamese
        reader = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
        header, *rows = list(reader)
        assert header == COLUMNS[kind]
        assert rows and all(len(r) == len(header) for r in rows)
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(dest, read_only=True).active
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert header == COLUMNS[kind]
        assert rows
    json_rows = json.loads(export(corpus_home, kind, "json", tmp_path / "same.json").read_text())
    assert len(rows) == len(json_rows)


@pytest.fixture(scope="module")
def obligations(corpus_home, tmp_path_factory) -> list[dict]:
    dest = tmp_path_factory.mktemp("exports") / "obligations.json"
    return json.loads(export(corpus_home, "obligations", "json", dest).read_text("utf-8"))


def test_obligation_rows(obligations):
    assert {r["role"] for r in obligations} == {"lead", "support", ""}
    assert {r["modality"] for r in obligations} <= {"obligation", "request"}
    row = next(
        r
        for r in obligations
        if r["source_file"] == DOC_704 and r["unit"] == "Cục Trẻ em" and r["role"] == "lead"
    )
    assert row["document"] == "704/QĐ-LĐTBXH"
    assert isinstance(row["source_line"], int) and row["source_line"] > 0
    assert row["task_id"] and len(row["task_text"]) > 20
    # one row per (task, unit, role)
    keys = [(r["source_file"], r["task_id"], r["unit"], r["role"]) for r in obligations]
    assert len(keys) == len(set(keys))


def test_task_without_unit_gets_one_row_with_empty_unit_and_role(obligations):
    by_task: dict[tuple, list[dict]] = {}
    for r in obligations:
        by_task.setdefault((r["source_file"], r["task_id"]), []).append(r)
    unassigned = [rows for rows in by_task.values() if any(not r["unit"] for r in rows)]
    assert unassigned, "the corpus has tasks without a unit (406's annex rows)"
    for rows in unassigned:
        assert len(rows) == 1
        assert rows[0]["unit"] == "" and rows[0]["role"] == ""
        assert rows[0]["task_text"]


def test_document_rows(corpus_home, tmp_path):
    rows = json.loads(export(corpus_home, "documents", "json", tmp_path / "d.json").read_text())
    assert len(rows) == 5
    doc = next(r for r in rows if r["source_file"] == DOC_704)
    assert doc["number"] == "704/QĐ-LĐTBXH"
    assert doc["doc_type"] == "Quyết định"
    assert doc["date"] == "2021-06-22"
    assert doc["implements"] == ["23/QĐ-TTg"]
    assert doc["issuer"].startswith("Bộ Lao động")
    for basis in doc["legal_bases"]:
        assert list(basis) == ["number", "doc_type", "date", "issuer", "title"]
    assert "14/2017/NĐ-CP" in {b["number"] for b in doc["legal_bases"]}
    assert isinstance(doc["implements"], list) and isinstance(doc["cites"], list)
    # in CSV the legal bases are JSON text and the lists are "; "-joined
    text = export(corpus_home, "documents", "csv", tmp_path / "d.csv").read_text("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["source_file"] == DOC_704)
    assert json.loads(row["legal_bases"]) == doc["legal_bases"]
    assert row["cites"] == "; ".join(doc["cites"])
    # the jurisdiction the issuer acts for (the State for a ministry), every file it came from
    assert doc["jurisdiction"] == "Việt Nam" and doc["source_files"] == [DOC_704]
    hcmc = next(r for r in rows if r["number"] == "4063/QĐ-UBND")
    assert hcmc["jurisdiction"] == "thành phố Hồ Chí Minh"


def test_indicator_rows(corpus_home, tmp_path):
    rows = json.loads(export(corpus_home, "indicators", "json", tmp_path / "i.json").read_text())
    assert rows
    assert all(isinstance(r["lead"], list) for r in rows)
    assert any(r["lead"] for r in rows)
    assert all(r["year"] is None or isinstance(r["year"], int) for r in rows)
    assert {r["comparator"] for r in rows} - {""} <= {
        "at_least",
        "at_most",
        "reduce_by",
        "increase_by",
        "maintain",
        "equal",
    }
    hcmc = [r for r in rows if r["document"] == "4063/QĐ-UBND"]
    assert hcmc and all(r["source_file"].startswith("qd-4063") for r in hcmc)


def test_export_rows_to_the_screen(corpus_home):
    text = ok("export", "documents", "--format", "json", home=corpus_home).stdout
    assert len(json.loads(text)) == 5
    csv_text = ok("export", "indicators", "--format", "csv", home=corpus_home).stdout
    assert csv_text.splitlines()[0] == ",".join(INDICATOR_COLUMNS)
    for args in (
        ("export", "documents", "-f", "xlsx"),  # xlsx needs -o
        ("export", "nothing"),
        ("export", "documents", "-f", "pdf"),
    ):
        bad = cli(*args, home=corpus_home)
        assert bad.exit_code == 2 and bad.stderr.startswith("error: "), args


@pytest.mark.parametrize(
    "fmt, parser, dataset",
    [
        ("nquads", "nquads", True),
        ("trig", "trig", True),
        ("json-ld", "json-ld", True),
        ("turtle", "turtle", False),
    ],
)
def test_export_graph_dumps_reparse(corpus_home, stats, tmp_path, fmt, parser, dataset):
    dest = tmp_path / f"graph.{fmt}"
    ok("export", "graph", "--format", fmt, "-o", dest, home=corpus_home)
    assert "Cục Trẻ em" in dest.read_text("utf-8")
    if dataset:
        ds = Dataset()
        ds.parse(dest, format=parser)
        named = [g for g in ds.graphs() if g.identifier != ds.default_graph.identifier]
        assert sum(len(g) for g in named) == stats["triples"]
        assert len([g for g in named if len(g)]) == stats["named graphs"]
    else:
        g = Graph().parse(dest, format=parser)
        assert 0 < len(g) <= stats["triples"]


def test_export_graph_to_the_screen(corpus_home, stats):
    text = ok("export", "graph", "--format", "nquads", home=corpus_home).stdout
    assert len([line for line in text.splitlines() if line.strip()]) == stats["triples"]


# --------------------------------------------------------------------------- query


def test_query_named_with_parameter(corpus_home):
    res = ok(
        "query",
        "tasks-of-document",
        "--param",
        "document=704/QĐ-LĐTBXH",
        "--format",
        "json",
        home=corpus_home,
    )
    rows = json.loads(res.stdout)
    assert rows and "\\u" not in res.stdout


def test_query_rq_file_and_inline_text(corpus_home, tmp_path):
    text = (
        "PREFIX ob: <https://w3id.org/obligraph/ontology#>\n"
        "SELECT (COUNT(?t) AS ?n) WHERE { ?t a ob:Task }"
    )
    rq = tmp_path / "count.rq"
    rq.write_text("# Count tasks\n" + text + "\n", encoding="utf-8")
    from_file = json.loads(ok("query", rq, "-f", "json", home=corpus_home).stdout)
    inline = json.loads(ok("query", text, "-f", "json", home=corpus_home).stdout)
    assert from_file == inline
    assert from_file[0]["n"] > 100


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xlsx"])
def test_query_output_formats(corpus_home, tmp_path, fmt):
    args = ["query", "lead-support-counts", "--format", fmt]
    if fmt == "xlsx":
        dest = tmp_path / "out.xlsx"
        ok(*args, "-o", dest, home=corpus_home)
        from openpyxl import load_workbook

        rows = list(load_workbook(dest, read_only=True).active.iter_rows(values_only=True))
        assert len(rows) > 1
        return
    out = ok(*args, home=corpus_home).stdout
    assert "Cục Trẻ em" in out
    if fmt == "json":
        assert json.loads(out)
    elif fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        header = out.splitlines()[0]
        assert sep in header
        dest = tmp_path / f"out.{fmt}"
        ok(*args, "-o", dest, home=corpus_home)
        assert dest.read_bytes().startswith(b"\xef\xbb\xbf")


def test_query_errors_are_one_line(corpus_home):
    for args in (
        ("query", "no-such-query"),
        ("query", "tasks-of-document"),  # missing parameter
        ("query", "SELECT WHERE {"),
        ("query", "lead-support-counts", "-f", "xlsx"),  # xlsx needs -o
    ):
        bad = cli(*args, home=corpus_home)
        assert bad.exit_code == 2, (args, bad.output)
        assert bad.stderr.startswith("error: ") and len(bad.stderr.strip().splitlines()) == 1
    listed = ok("query", "--list", home=corpus_home).stdout
    assert "obligations-of-unit" in listed


# --------------------------------------------------------------------------- check


def test_check_exit_codes(corpus_home, tmp_path):
    # the corpus has findings (e.g. 406's annex caption names another number): exit 1
    res = cli("check", "--format", "json", home=corpus_home)
    assert res.exit_code == 1, res.output
    rows = json.loads(res.stdout)
    assert {"kind", "severity", "code", "file", "line", "message", "focus"} <= set(rows[0])
    assert any(r["code"] == "number-mismatch" for r in rows)
    grouped = cli("check", "--format", "table", home=corpus_home).stdout
    assert f"obligraph check: {len(rows)} result(s)" in grouped
    # a clean document: exit 0
    plan = tmp_path / "qd-12-clean.txt"
    plan.write_text(CLEAN_DECISION, encoding="utf-8")
    ok("build", plan, "--store", tmp_path / "clean", "-q")
    clean = cli("check", "--store", tmp_path / "clean", "--format", "table")
    assert clean.exit_code == 0, clean.output
    assert "clean" in clean.stdout
    # an error (no store there): exit 2
    missing = cli("check", "--store", tmp_path / "nowhere")
    assert missing.exit_code == 2 and "nowhere" in missing.stderr


# --------------------------------------------------------------------------- push


def server_graph_sizes(url: str, graphs: list[str]) -> dict[str, int]:
    from obligraph.graph.stores import open_store

    remote = open_store(endpoint=url)
    values = " ".join(f"<{g}>" for g in graphs)
    res = remote.query(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
        "GROUP BY ?g"
    )
    return {str(g): int(n) for g, n in res.rows}


def test_push_to_oxigraph_and_query_it(corpus_home, oxigraph_server):
    from obligraph.graph.stores import open_store

    with open_store(corpus_home / "store", read_only=True) as local:
        expected = {str(g): local.triples_count(g) for g in local.graphs()}
    res = ok("push", "--endpoint", oxigraph_server, "-q", home=corpus_home)
    assert f"pushed {len(expected)} named graphs" in res.stdout
    assert server_graph_sizes(oxigraph_server, list(expected)) == expected
    # pushing again replaces each graph whole: nothing doubles
    ok("push", "--endpoint", oxigraph_server, "-q", home=corpus_home)
    assert server_graph_sizes(oxigraph_server, list(expected)) == expected
    # the same named query answers the same over HTTP
    args = ["query", "tasks-of-document", "-p", "document=704/QĐ-LĐTBXH", "-f", "json"]
    local_rows = json.loads(ok(*args, home=corpus_home).stdout)
    remote_rows = json.loads(ok(*args, "--endpoint", oxigraph_server).stdout)
    key = lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert sorted(remote_rows, key=key) == sorted(local_rows, key=key) != []
    remote_docs = json.loads(
        ok("export", "documents", "-f", "json", "--endpoint", oxigraph_server).stdout
    )
    local_docs = json.loads(ok("export", "documents", "-f", "json", home=corpus_home).stdout)
    assert remote_docs == local_docs


def test_push_to_a_dead_endpoint_is_one_line(corpus_home):
    bad = cli("push", "--endpoint", "http://127.0.0.1:9", "-q", home=corpus_home)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: ") and "127.0.0.1:9" in bad.stderr


def test_help_teaches_with_examples():
    for command in ("build", "stats", "export", "query", "check", "push"):
        text = ok(command, "--help").stdout
        assert "Examples" in text and f"obligraph {command}" in text, command
