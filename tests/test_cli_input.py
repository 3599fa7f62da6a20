"""Bad input at the command line: one line naming the file, exit code 2, store untouched.

A store is first built from the bundled corpus (``obligraph/corpus/``); then a
build that includes a file that cannot be read (missing, empty, blank, binary,
not UTF-8) must fail with ONE line on stderr that names the file, exit 2, and
leave every quad of the store as it was (compared by a full N-Quads dump and
``stats``). UTF-16 files (with a BOM) are read like UTF-8 ones. A store path that
is not a store, or a store another process holds, gets a clear one-line message.
Bad files are written by the tests themselves, byte by byte.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import obligraph
from obligraph.cli import app

DOC_923 = "qd-923-ldtbxh-2020-ke-hoach-chi-thi-23-ct-ttg.txt"


def cli(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def snapshot(store: Path, tmp: Path) -> tuple[dict, list[str]]:
    """``stats`` and the sorted N-Quads of the store, as the CLI reports them."""
    stats = json.loads(cli("stats", "--store", store, "-f", "json").stdout)
    dump = tmp / "snapshot.nq"
    assert cli("export", "graph", "-f", "nquads", "-o", dump, "--store", store).exit_code == 0
    return stats, sorted(dump.read_text("utf-8").splitlines())


@pytest.fixture(scope="module")
def corpus_built(tmp_path_factory) -> Path:
    """A store holding the bundled corpus, built once (copied, never written)."""
    store = tmp_path_factory.mktemp("corpus") / "store"
    assert cli("build", "--store", store, "-q").exit_code == 0
    return store


@pytest.fixture
def built(corpus_built, tmp_path) -> Path:
    """A fresh copy of the corpus store for one test."""
    return Path(shutil.copytree(corpus_built, tmp_path / "store"))


BAD_FILES = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\r\n\t\n", "empty"),
    "binary.txt": (bytes(range(256)) * 8, "binary"),
    "latin1.txt": ("Số: 12/QĐ-UBND\nKế hoạch\n".encode("cp1258", "replace"), "UTF-8"),
    "cp1252.txt": ("Kế hoạch về trẻ em".encode()[:-3] + b"\xe9m\n", "UTF-8"),
}


@pytest.mark.parametrize("name", [*BAD_FILES, "missing.txt"])
def test_bad_file_is_one_line_and_store_unchanged(built, tmp_path, name):
    before = snapshot(built, tmp_path)
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    if name in BAD_FILES:
        bad.write_bytes(BAD_FILES[name][0])
        reason = BAD_FILES[name][1]
    else:
        reason = "no such file"
    # good files first, so a build that wrote as it went would have written them
    result = cli("build", obligraph.corpus_dir() / DOC_923, bad, "--store", built, "-q", "--strict")
    assert_one_line_error(result, str(bad), reason)
    assert snapshot(built, tmp_path) == before


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_is_reported_and_the_good_one_loads(tmp_path, name):
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(BAD_FILES[name][0])
    store = tmp_path / "store"
    result = cli("build", obligraph.corpus_dir() / DOC_923, bad, "--store", store, "-q")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    report = result.stdout[result.stdout.index("not loaded (1;") :]
    assert name in report and BAD_FILES[name][1] in report
    res = cli("export", "documents", "-f", "json", "--store", store)
    assert [d["source_file"] for d in json.loads(res.stdout)] == [DOC_923]


def test_only_bad_files_exit_2_and_store_unchanged(built, tmp_path):
    before = snapshot(built, tmp_path)
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, (data, _reason) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    result = cli("build", folder, "--store", built, "-q")
    assert_one_line_error(result, "no file could be loaded", "5 failed")
    assert snapshot(built, tmp_path) == before


def test_bad_file_inside_a_folder_is_named(built, tmp_path):
    before = snapshot(built, tmp_path)
    folder = tmp_path / "plans"
    shutil.copytree(obligraph.corpus_dir(), folder)
    (folder / "zz-broken.txt").write_bytes(b"\x00\x01\x02 not text")
    result = cli("build", folder, "--store", built, "-q", "--strict")
    assert_one_line_error(result, "zz-broken.txt", "binary")
    assert snapshot(built, tmp_path) == before
    # without --strict the five documents load (unchanged) and the broken file is reported
    result = cli("build", folder, "--store", built, "-q")
    assert result.exit_code == 1 and "zz-broken.txt" in result.stdout
    assert snapshot(built, tmp_path) == before


def test_folder_without_documents(built, tmp_path):
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "image.png").write_bytes(b"\x89PNG")
    assert_one_line_error(cli("build", tmp_path / "nothing", "--store", built), "nothing")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_files_are_read(tmp_path, encoding):
    text = (obligraph.corpus_dir() / DOC_923).read_text("utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # the codec writes no BOM of its own
    plain, other = tmp_path / "utf8" / DOC_923, tmp_path / encoding / DOC_923
    plain.parent.mkdir()
    other.parent.mkdir()
    plain.write_text(text, encoding="utf-8")
    other.write_bytes(data)
    rows = []
    for path in (plain, other):
        store = path.parent / "store"
        assert cli("build", path, "--store", store, "-q").exit_code == 0
        res = cli("export", "obligations", "-f", "json", "--store", store)
        rows.append(json.loads(res.stdout))
    assert rows[0] == rows[1] and rows[0]


def test_store_path_that_is_not_a_store(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello", encoding="utf-8")
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    for path in (a_file, foreign):
        for args in (
            ("build", "-q"),
            ("stats",),
            ("export", "obligations"),
            ("query", "lead-support-counts"),
            ("check",),
            ("push", "--endpoint", "http://127.0.0.1:9"),
        ):
            assert_one_line_error(cli(*args, "--store", path), "not a store", str(path))
    assert a_file.read_text(encoding="utf-8") == "hello"
    assert sorted(p.name for p in foreign.iterdir()) == ["cat.jpg"]
    assert_one_line_error(cli("stats", "--store", tmp_path / "new"), "no store here yet")
    assert not (tmp_path / "new").exists()


def test_store_locked_by_another_process(built, tmp_path):
    """Another process holds the store: writing says so in one line; reading still works."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, pyoxigraph
                store = pyoxigraph.Store({str(built)!r})
                print("ready", flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        # through the real entry point, as a user runs it
        run = subprocess.run(
            [sys.executable, "-m", "obligraph", "build", "-q", "--store", str(built)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 2, run.stderr
        assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
        assert "locked by another process" in run.stderr and str(built) in run.stderr
        stats = json.loads(cli("stats", "--store", built, "-f", "json").stdout)
        assert stats["documents"] == 5
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def cli_without_override(*args: str | Path) -> subprocess.CompletedProcess:
    """The real CLI in a child process whose permission checks apply.

    Root reads everything whatever the mode bits (CAP_DAC_OVERRIDE), so under root
    the child runs without that capability (``setpriv``); otherwise as it is.
    """
    import os

    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and util-linux setpriv is missing: modes not enforced")
        drop = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--bounding-set={drop}", f"--inh-caps={drop}"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "obligraph", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_unreadable_subfolder_and_file_are_reported_alike(tmp_path):
    """A subfolder that cannot be listed is counted like a file that cannot be read."""
    folder = tmp_path / "plans"
    shutil.copytree(obligraph.corpus_dir(), folder)
    locked = folder / "locked"
    locked.mkdir()
    shutil.copy(obligraph.corpus_dir() / DOC_923, locked / "copy.txt")
    shut = folder / "shut.txt"
    shut.write_bytes((obligraph.corpus_dir() / DOC_923).read_bytes())
    locked.chmod(0)
    shut.chmod(0)
    store = tmp_path / "store"

    res = cli_without_override("build", folder, "--store", store, "-q")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr
    report = res.stdout[res.stdout.index("not loaded (2;") :]
    assert "locked" in report and "cannot read folder" in report
    assert "shut.txt" in report and "cannot read file" in report
    assert report.count("Permission denied") == 2

    strict = cli_without_override("build", folder, "--store", tmp_path / "other", "-q", "--strict")
    assert strict.returncode == 2, strict.stdout + strict.stderr
    lines = strict.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "locked" in lines[0]
    locked.chmod(0o755)  # pytest must be able to remove tmp_path
    shut.chmod(0o644)
