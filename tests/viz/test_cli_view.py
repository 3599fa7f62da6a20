"""``obligraph view``: one self-contained file per call, clean errors (exit 2) otherwise.

The store is the bundled corpus built by ``obligraph build`` into a temporary
``OBLIGRAPH_HOME`` (once per module), then read by the command as a user would.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    from obligraph.cli import app

    home = tmp_path_factory.mktemp("obligraph-home")
    result = CliRunner().invoke(app, ["build"], env={"OBLIGRAPH_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return home


def run(home, *args: str):
    from obligraph.cli import app

    return CliRunner().invoke(app, list(args), env={"OBLIGRAPH_HOME": str(home)})


@pytest.mark.parametrize(
    ("view", "target"),
    [
        ("unit", "Cục Trẻ em"),
        ("document", "704/QĐ-LĐTBXH"),
        ("programme", "23/QĐ-TTg"),
        ("overlap", "all"),
        ("lineage", "4063/QĐ-UBND"),
        ("indicator", "4063/QĐ-UBND"),
    ],
)
def test_view_writes_one_self_contained_file(home, tmp_path, view, target):
    from obligraph.viz.render import assert_self_contained

    out = tmp_path / "out"
    out.mkdir()
    result = run(home, "view", view, target, "-o", str(out / f"{view}.html"))
    assert result.exit_code == 0, result.output
    assert re.search(rf"wrote .*{view}\.html \(\d+ KiB, [\d.]+ s\)", result.output)
    assert [p.name for p in out.iterdir()] == [f"{view}.html"]  # no lib/ folder beside it
    page = (out / f"{view}.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    assert '<aside id="legend">' in page


def test_view_in_english_and_without_suffix(home, tmp_path):
    result = run(home, "view", "unit", "cuc tre em", "-o", str(tmp_path / "cte"), "--lang", "en")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "cte.html").read_text(encoding="utf-8")
    assert "<h1>Cục Trẻ em: 44 tasks</h1>" in page


def test_unknown_unit_is_a_clean_error(home, tmp_path):
    result = run(home, "view", "unit", "Cục Trẻ", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert result.output.startswith("error: no unit is named 'Cục Trẻ'")
    assert "did you mean: Cục Trẻ em" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_unknown_document_is_a_clean_error(home, tmp_path):
    result = run(home, "view", "document", "999/QĐ-X", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert "error: no document numbered '999/QĐ-X' in the store" in result.output
    assert not (tmp_path / "x.html").exists()


def test_unknown_view_is_a_clean_error(home, tmp_path):
    result = run(home, "view", "map", "all", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert "unknown view 'map'" in result.output


def test_view_needs_an_output(home):
    result = run(home, "view", "overlap", "all")
    assert result.exit_code == 2
    assert "--output" in result.output


def test_view_help_lists_every_view(home):
    result = run(home, "view", "--help")
    assert result.exit_code == 0
    for view in ("unit", "document", "programme", "overlap", "lineage", "indicator"):
        assert view in result.output


def test_written_path_is_printed_whole(home, tmp_path):
    """Regression: Rich wrapped the path over lines and would read "[x]" as markup."""
    dest = tmp_path / ("[draft] " + "very-long-folder-name-" * 4) / "lineage.html"
    dest.parent.mkdir()
    result = run(home, "view", "lineage", "4063/QĐ-UBND", "-o", str(dest))
    assert result.exit_code == 0, result.output
    assert f"wrote {dest} (" in result.output
