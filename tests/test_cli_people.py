"""``obligraph corrections``, ``status`` and ``remove`` on the bundled corpus, on disk.

Read off 704/QĐ-LĐTBXH (corpus file, line 141): annex row a is led by Cục Trẻ em.
The correction moves the lead to Vụ Kế hoạch - Tài chính; it must survive two
rebuilds and show in the register (the unit page's CSV), ``trace`` and the JSON
export, with the extracted reading still queryable.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from obligraph.graph.stores import open_store
from typer.testing import CliRunner

from obligraph.cli import app

TASK = "704/QĐ-LĐTBXH#annex-1-a"
NEW_LEAD = "Vụ Kế hoạch - Tài chính"
EXTRACTED = """
PREFIX ob:   <https://w3id.org/obligraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE {
  GRAPH ?g { ?doc ob:loaded true . ?t ob:taskId "annex-1-a" ; ob:inDocument ?doc ; ob:lead ?u }
  ?doc <http://data.europa.eu/eli/ontology#id_local> "704/QĐ-LĐTBXH" .
  ?u skos:prefLabel ?name }"""


def cli(home: Path, *args: str):
    return CliRunner().invoke(app, [str(a) for a in args], env={"OBLIGRAPH_HOME": str(home)})


def ok(home: Path, *args: str):
    result = cli(home, *args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def corrected_home(tmp_path_factory) -> Path:
    """A home whose store holds the corpus, corrected, then rebuilt twice."""
    home = tmp_path_factory.mktemp("people-home")
    ok(home, "build", "--quiet")
    added = ok(home, "corrections", "add", TASK, "lead", "--old", "Cục Trẻ em", "--new", NEW_LEAD,
               "--by", "Nguyễn Văn A", "--why", "Bảng ghi nhầm", "--date", "15/3/2026")  # fmt: skip
    assert "applied" in added.stdout and "corrections.csv:2" in added.stdout
    ok(home, "status", "set", TASK, "đang thực hiện", "--date", "2026-03-01", "--note", "Đã họp")
    for _ in range(2):
        built = ok(home, "build", "--quiet")
        assert "corrections applied" in built.stdout
    return home


def _lead_rows(rows: list[dict]) -> list[tuple[str, bool]]:
    return [
        (r["unit"], r["corrected"])
        for r in rows
        if (r["document"], r["task_id"], r["role"]) == ("704/QĐ-LĐTBXH", "annex-1-a", "lead")
    ]


def test_correction_survives_two_rebuilds_in_the_export(corrected_home, tmp_path):
    out = tmp_path / "obligations.json"
    ok(corrected_home, "export", "obligations", "--format", "json", "-o", out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert _lead_rows(rows) == [(NEW_LEAD, True)]
    [row] = [r for r in rows if r["unit"] == NEW_LEAD and r["task_id"] == "annex-1-a"]
    assert (row["status"], row["status_date"]) == ("in-progress", "2026-03-01")
    text = (corrected_home / "corrections.csv").read_text(encoding="utf-8-sig")
    assert text.count("\n") == 2  # the header and the one correction, not one per build


def test_correction_shows_in_trace(corrected_home):
    trace = json.loads(ok(corrected_home, "trace", NEW_LEAD, "--format", "json").stdout)
    [ob] = [o for o in trace["obligations"] if o["task_id"] == "annex-1-a"]
    assert ob["role"] == "lead" and ob["source"]["line_start"] == 141
    assert ob["corrections"] == [
        {"field": "lead", "old": "Cục Trẻ em", "new": NEW_LEAD, "by": "Nguyễn Văn A",
         "date": "2026-03-15", "why": "Bảng ghi nhầm"}
    ]  # fmt: skip
    assert (ob["status"], ob["status_note"]) == ("in-progress", "Đã họp")
    old = json.loads(ok(corrected_home, "trace", "Cục Trẻ em", "--format", "json").stdout)
    assert not [
        o
        for o in old["obligations"]
        if (o["document"], o["task_id"], o["role"]) == ("704/QĐ-LĐTBXH", "annex-1-a", "lead")
    ]


def test_correction_shows_in_the_register_and_the_task_page(corrected_home):
    from obligraph.viz.web.app import create_app

    with open_store(corrected_home / "store", read_only=True) as store:
        client = TestClient(create_app(store), base_url="http://127.0.0.1")
        got = client.get("/unit/vu-ke-hoach-tai-chinh/obligations.csv")
        assert got.status_code == 200
        rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
        [row] = [r for r in rows if (r["document"], r["task_id"]) == ("704/QĐ-LĐTBXH", "annex-1-a")]
        assert (row["role"], row["status"], row["corrected"]) == ("lead", "in-progress", "True")
        page = client.get("/task/qd/704-qd-ldtbxh/2021/task/annex-1-a")
        assert page.status_code == 200
        assert "đang thực hiện" in page.text and "Bảng ghi nhầm" in page.text
        assert "--update-token-file" in page.text  # no token: the form is not offered
        # the extracted reading is still queryable
        names = {str(r["name"]) for r in store.query(EXTRACTED).dicts()}
        assert names == {"Cục Trẻ em"}


def test_a_correction_that_does_not_apply_is_not_written(corrected_home):
    before = (corrected_home / "corrections.csv").read_text(encoding="utf-8-sig")
    result = cli(corrected_home, "corrections", "add", "704/QĐ-LĐTBXH#annex-1-zz", "lead",
                 "--new", NEW_LEAD, "--by", "A")  # fmt: skip
    assert result.exit_code == 1
    assert "no task 'annex-1-zz'" in result.stderr
    assert (corrected_home / "corrections.csv").read_text(encoding="utf-8-sig") == before


def test_status_errors(corrected_home, tmp_path):
    missing = cli(corrected_home, "status", "set", "704/QĐ-LĐTBXH#annex-1-zz", "done")
    assert missing.exit_code == 1 and "annex-1-zz" in missing.stderr
    bad = tmp_path / "reports.csv"
    bad.write_text(f"task,status,date\n{TASK},done,1/3/2026\n{TASK},xong rồi,2/3/2026\n")
    result = cli(corrected_home, "status", "import", bad)
    assert result.exit_code == 2
    assert f"{bad}:3" in result.stderr and "unknown status" in result.stderr


def test_remove_leaves_the_store_as_a_build_without_the_document(tmp_path):
    built, fresh = tmp_path / "built", tmp_path / "fresh"
    ok(built, "build", "--quiet")
    removed = ok(built, "remove", "923/QĐ-LĐTBXH")
    assert "removed: 923/QĐ-LĐTBXH" in removed.stdout
    import obligraph

    others = [p for p in sorted(obligraph.corpus_dir().glob("*.txt")) if "qd-923" not in p.name]
    ok(fresh, "build", "--quiet", *others)
    with open_store(built / "store", read_only=True) as a, open_store(fresh / "store") as b:
        assert set(a.quads()) == set(b.quads())
    again = cli(built, "remove", "923/QĐ-LĐTBXH")
    assert again.exit_code == 2 and "no loaded document" in again.stderr
