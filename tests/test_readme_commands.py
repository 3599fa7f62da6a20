"""Every ``obligraph`` command the README and docs/cli.md show works as written.

The commands are read from the ``bash``/``sh`` blocks of the two pages (a line that
starts with ``obligraph``; ``#`` comments dropped, ``> FILE`` honoured) and each is
run against its own copy of a store built from the bundled corpus, in a scratch
folder holding what the examples name (``plans/``, ``extra/qd-123.docx``,
``my-units.ttl``, ``my-question.rq``, ``my-heavy-question.rq``, ``reports-q1.csv``).
Two addresses are stand-ins and are mapped:
the SPARQL server ``http://127.0.0.1:7878`` becomes a real Oxigraph server of the
test holding the same corpus, ``/data/obligraph-store`` a scratch folder.

Expected exit code: 0, except ``check``, documented to exit 1 when there are
findings (the corpus has some). Not run, each for the reason given in ``NOT_RUN``:
``serve`` (a server that runs until stopped; tests/web starts it for real) and a
push to ``example.org`` (the network).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import obligraph
from obligraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
PAGES = (ROOT / "README.md", ROOT / "docs" / "cli.md")
BLOCK = re.compile(r"```(?:bash|sh|console)\n(.*?)```", re.S)
STAND_IN_SERVER = "http://127.0.0.1:7878"
STAND_IN_STORE = "/data/obligraph-store"
NOT_RUN = {
    r"^obligraph serve\b": "a server that runs until stopped (tests/web runs it)",
    r"--endpoint https?://example\.org": "reaches the network",
}
#: docs/cli.md, check: "exit 0 clean, 1 findings, 2 error"; the corpus has findings.
DOCUMENTED_EXIT = {"check": 1}


def documented_commands() -> list[tuple[str, str]]:
    """``(page, command line)`` for every obligraph command shown in a shell block."""
    found = []
    for page in PAGES:
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                line = line.strip()
                if line.startswith("obligraph "):
                    found.append((page.name, line))
    return found


COMMANDS = documented_commands()


def test_the_pages_show_the_tour():
    lines = [line for _page, line in COMMANDS]
    assert len(lines) > 30
    assert any(line.startswith('obligraph query obligations-of-unit --param unit="Cục Trẻ em"')
               for line in lines)  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """An OBLIGRAPH_HOME holding the bundled corpus, copied for each command."""
    home = tmp_path_factory.mktemp("readme-home")
    result = CliRunner().invoke(app, ["build", "--quiet"], env={"OBLIGRAPH_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture(scope="module")
def server(built, start_oxigraph) -> str:
    """A real Oxigraph server holding the same corpus (for the --endpoint examples)."""
    url = start_oxigraph()
    result = CliRunner().invoke(
        app, ["push", "--endpoint", url, "-q"], env={"OBLIGRAPH_HOME": str(built)}
    )
    assert result.exit_code == 0, result.output
    return url


def scratch(tmp_path: Path) -> Path:
    """A working folder holding the files the examples name."""
    corpus = obligraph.corpus_dir()
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in sorted(p.name for p in corpus.glob("qd-9*.txt")):
        shutil.copy(corpus / name, plans / name)
    (tmp_path / "extra").mkdir()
    formats = ROOT / "tests" / "loaders" / "data" / "formats"
    shutil.copy(formats / "cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.docx",
                tmp_path / "extra" / "qd-123.docx")  # fmt: skip
    (tmp_path / "my-units.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n", encoding="utf-8"
    )
    (tmp_path / "my-question.rq").write_text(
        "# title: Số nhiệm vụ | Tasks\nSELECT (COUNT(?t) AS ?n) WHERE { ?t a ob:Task }\n",
        encoding="utf-8",
    )
    (tmp_path / "my-heavy-question.rq").write_text(
        "SELECT ?u (COUNT(?t) AS ?n) WHERE { ?t ob:lead ?u } GROUP BY ?u\n", encoding="utf-8"
    )
    # docs/corrections.md: status reports of a quarter, the columns of status.csv
    (tmp_path / "reports-q1.csv").write_text(
        "task,status,date,note,evidence,by\n"
        "704/QĐ-LĐTBXH#annex-1-a,done,15/3/2026,Đã ban hành kế hoạch,,Nguyễn Văn A\n",
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(("page", "line"), COMMANDS, ids=[f"{p}: {c}" for p, c in COMMANDS])
def test_documented_command_works(page, line, built, tmp_path, monkeypatch, request):
    for pattern, reason in NOT_RUN.items():
        if re.search(pattern, line):
            pytest.skip(f"not run: {reason}")
    args = shlex.split(line, comments=True)[1:]
    if args[:1] == ["reason"] and not shutil.which("java"):
        pytest.skip("obligraph reason needs Java")
    redirect = None
    if ">" in args:
        at = args.index(">")
        args, redirect = args[:at], args[at + 1]
    if any(STAND_IN_SERVER in a for a in args):
        url = request.getfixturevalue("server")
        args = [a.replace(STAND_IN_SERVER, url) for a in args]
    args = [a.replace(STAND_IN_STORE, str(tmp_path / "data-store")) for a in args]
    home = tmp_path / "home"
    shutil.copytree(built, home)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(scratch(tmp_path / "work"))
    result = CliRunner().invoke(app, args, env={"OBLIGRAPH_HOME": str(home)})
    expected = DOCUMENTED_EXIT.get(args[0], 0)
    assert result.exit_code == expected, f"{page}: {line}\n{result.output}"
    if redirect:
        Path(redirect).write_text(result.stdout, encoding="utf-8")
    if "-o" in args:
        written = Path(args[args.index("-o") + 1])
        assert written.stat().st_size > 0, written
