"""Memory and time of reading ONE large document, by the size of its text.

A synthetic plan is made by repeating the body of the bundled 4063/QĐ-UBND (a prose plan
with tasks, indicators and targets) up to each size; each size is read and turned into
RDF (``load_document`` + ``prepare_document``, what a build does per file) in a fresh
process, and its peak memory (``ru_maxrss``) printed, with the ratio to the smallest size
measured in the same run. The limit of one document's text (``OBLIGRAPH_MAX_TEXT_MB``,
4 MiB by default, loaders/reader.py) comes from these figures.

    python bench/input_memory.py                 # 0.25, 0.5, 1 and 2 MiB
    python bench/input_memory.py --sizes 1 4
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import obligraph
from obligraph.graph.build import prepare_document
from obligraph.loaders import load_document
size, folder = float(sys.argv[1]), Path(sys.argv[2])
src = (obligraph.corpus_dir() / "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt")
lines = src.read_text(encoding="utf-8").splitlines()
head, body = lines[:40], lines[40:]
out = list(head)
while len("\n".join(out).encode()) < size * 2**20:
    out += body
path = folder / f"plan-{size}.txt"
path.write_text("\n".join(out), encoding="utf-8")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
doc = load_document(path)
prepare_document(doc)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"mib": path.stat().st_size / 2**20, "tasks": len(doc.tasks),
                  "seconds": time.perf_counter() - started,
                  "before": before / 1024, "peak": peak / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1, 2])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            run = subprocess.run(
                [sys.executable, "-c", CHILD, str(size), folder],
                env={"OBLIGRAPH_MAX_TEXT_MB": str(max(args.sizes) + 1), **_env()},
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            rows.append(json.loads(run.stdout.strip().splitlines()[-1]))
    base = rows[0]
    heads = ("text MiB", "tasks", "seconds", "peak MiB", "MiB/MiB", "vs first")
    print(" ".join(f"{h:>9}" for h in heads))
    for r in rows:
        grown = r["peak"] - r["before"]
        print(
            f"{r['mib']:9.2f} {r['tasks']:7d} {r['seconds']:8.1f} {r['peak']:9.0f} "
            f"{grown / r['mib']:8.0f} {r['peak'] / base['peak']:8.2f}x"
        )


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "OBLIGRAPH_MAX_TEXT_MB"}


if __name__ == "__main__":
    main()
