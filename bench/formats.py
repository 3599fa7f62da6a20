"""Real documents as Word and PDF: do they load like their text?

For documents of ``../shared/realdocs/`` (read in place), writes each as an HTML page
with its tables as real tables, converts it to .docx and .pdf with LibreOffice
(headless; Debian's ``libreoffice-writer``) into a temporary folder, loads every
rendition and prints how many of the text version's tasks (id, lead, support) and
which header fields each rendition reproduces, and the time each reader took.
Nothing is written into the project. Skips cleanly without LibreOffice or realdocs::

    python bench/formats.py                       # the three plans with task tables + 3 more
    python bench/formats.py realdoc-073 realdoc-124
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT.parent / "shared" / "realdocs"
DEFAULT = ["realdoc-001", "realdoc-002", "realdoc-008", "realdoc-073", "realdoc-082", "realdoc-124"]


def _maker():
    spec = importlib.util.spec_from_file_location(
        "make_format_fixtures", ROOT / "scripts" / "make_format_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _signature(doc) -> tuple[tuple, set]:
    header = (doc.number, doc.doc_type, doc.date, doc.issuer, doc.signer)
    tasks = {
        (
            t.task_id,
            tuple(sorted(a.unit.canonical for a in t.assignments if a.role == "lead")),
            tuple(sorted(a.unit.canonical for a in t.assignments if a.role == "support")),
        )
        for t in doc.tasks
    }
    return header, tasks


def main(argv: list[str]) -> int:
    if not (REALDOCS / "metadata.tsv").exists():
        print(f"no realdocs folder at {REALDOCS}: skipped")
        return 0
    if shutil.which("soffice") is None:
        print("no LibreOffice (soffice): skipped")
        return 0
    from obligraph.loaders import load_document

    make = _maker().make
    names = argv or DEFAULT
    print(f"{'document':<14} {'format':<6} {'header':<7} {'tasks same':>12} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            text = REALDOCS / f"{name}.txt"
            started = time.perf_counter()
            base_header, base_tasks = _signature(load_document(text))
            took = time.perf_counter() - started
            print(f"{name:<14} {'text':<6} {'-':<7} {len(base_tasks):>12} {took:>8.2f}")
            for made in make(text, Path(tmp)):
                started = time.perf_counter()
                header, tasks = _signature(load_document(made))
                took = time.perf_counter() - started
                fmt = made.suffix[1:]
                same = len(tasks & base_tasks)
                ok = "same" if header == base_header else "differs"
                print(f"{'':<14} {fmt:<6} {ok:<7} {same:>5}/{len(base_tasks):<6} {took:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
