"""The source view: an obligation → its lines in the document → its legal basis, in two clicks.

Read off qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt: line 141 is annex row a
("Xây dựng, lồng ghép, hướng dẫn triển khai ...", lead Cục Trẻ em); line 16 is its first
Căn cứ, "Căn cứ Nghị định số 14/2017/NĐ-CP ngày 17 tháng 02 năm 2017 ...".
"""

from __future__ import annotations

import re

import httpx
import pytest

import obligraph

from .conftest import local_page

pytestmark = [pytest.mark.server]

DOC_704 = "qd-704-ldtbxh-2021-ke-hoach-chuong-trinh-vi-tre-em.txt"


def test_source_lines_are_numbered_highlighted_and_linked(site):
    got = httpx.get(site + "/source/qd/704-qd-ldtbxh/2021", params={"hl": "141"})
    assert got.status_code == 200
    row = re.search(r'<li id="L141"[^>]*>(.*?)</li>', got.text, re.S)
    assert row and 'class="hl' in row.group(0)
    assert "Xây dựng, lồng ghép, hướng dẫn triển khai" in row.group(1)
    assert 'href="/task/qd/704-qd-ldtbxh/2021/task/annex-1-a"' in row.group(1)
    basis = re.search(r'<li id="L16"[^>]*>(.*?)</li>', got.text, re.S)
    assert "Căn cứ Nghị định số 14/2017/NĐ-CP" in basis.group(1)
    assert 'href="/doc/nd/14-2017-nd-cp/2017"' in basis.group(1)
    lines = (obligraph.corpus_dir() / DOC_704).read_text(encoding="utf-8").splitlines()
    assert got.text.count('<li id="L') == len(lines)


def test_lines_come_from_the_loaded_file_and_only_while_unchanged(tmp_path, monkeypatch):
    """Built by the command line from a folder of the user's: the store remembers where
    the file is (sources.tsv beside it); a file edited since is not shown."""
    from obligraph.graph.stores import open_store
    from obligraph.viz.web.app import create_app
    from typer.testing import CliRunner

    from obligraph.cli import app

    from .conftest import serve

    folder = tmp_path / "plans"
    folder.mkdir()
    copy = folder / "ke-hoach-704-ban-sao.txt"  # a name the bundled corpus does not have
    text = (obligraph.corpus_dir() / DOC_704).read_text(encoding="utf-8")
    copy.write_text(text + "\n", encoding="utf-8")  # other bytes than the bundled file
    home = tmp_path / "home"
    built = CliRunner().invoke(app, ["build", str(folder), "-q"], env={"OBLIGRAPH_HOME": str(home)})
    assert built.exit_code == 0, built.output
    assert (home / "sources.tsv").read_text(encoding="utf-8").rstrip().endswith(str(copy))
    with open_store(home / "store", read_only=True) as store:
        for base in serve(create_app(store)):
            shown = httpx.get(base + "/source/qd/704-qd-ldtbxh/2021").text
            assert shown.count('<li id="L') == len((text + "\n").splitlines())
            copy.write_text("a changed file\n" + text, encoding="utf-8")
            changed = httpx.get(base + "/source/qd/704-qd-ldtbxh/2021").text
            assert 'id="source-state"' in changed and 'id="L141"' not in changed
            assert "Tệp gốc đã thay đổi" in changed
            copy.unlink()
            assert "Không còn tệp gốc" in httpx.get(base + "/source/qd/704-qd-ldtbxh/2021").text


@pytest.mark.browser
def test_auditor_goes_from_an_obligation_to_its_basis_in_two_clicks(browser, site):
    with local_page(browser, site) as page:
        page.goto(site + "/task/qd/704-qd-ldtbxh/2021/task/annex-1-a")
        page.click("#view-source")  # click 1: the obligation's lines in the document
        page.wait_for_selector("li#L141.hl")
        assert "Cục Trẻ em" in page.inner_text("li#L141")
        page.click("li#L16 a.mark.based_on")  # click 2: the legal basis it rests on
        page.wait_for_url("**/doc/nd/14-2017-nd-cp/2017")
        assert "14/2017/NĐ-CP" in page.inner_text("h1")
