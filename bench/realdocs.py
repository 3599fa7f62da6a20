"""Measure the loaders on real documents: header fields and lead/support assignments.

Runs the loaders over ``../shared/realdocs/`` (162 real documents copied from a
legal portal; read in place, never copied into the project) and prints:

* per header field (number, type, date, signer, issuer), the share of documents
  whose value matches the portal's own metadata (``metadata.tsv``), among those
  that have the portal's value; the files that crash or that the loader reports;
* per hand-annotated expectation file, assignment precision, recall and F1 of
  (row or duty block, role, unit): the real plans' task tables and prose duties
  (``tests/loaders/expected/realdocs/``) and the project's own layout fixtures
  (``tests/loaders/data/layouts/*.expected.tsv``).

Usage::

    python bench/realdocs.py                 # both parts
    python bench/realdocs.py --headers -v    # header fields, with every mismatch
    python bench/realdocs.py --assignments -v
    python bench/realdocs.py --dir /path/to/realdocs

Exits 0 with a note when the folder is absent. How a value is compared:
numbers and names on folded keys (case, diacritics and spaces aside); the
portal's issuer is the jurisdiction ("Tỉnh Lai Châu") for local organs and the
organ ("Cục Thuế") for central ones, so it is compared with both; a portal that
still names a province merged in 2025 matches its successor (counted apart).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from obligraph.base.textkeys import fold

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = Path(os.environ.get("OBLIGRAPH_REALDOCS", ROOT.parent / "shared" / "realdocs"))
EXPECTED = ROOT / "tests" / "loaders" / "expected" / "realdocs"
LAYOUTS = ROOT / "tests" / "loaders" / "data" / "layouts"
FIELDS = ("number", "doc_type", "date", "signer", "issuer")


def _key(text: str) -> str:
    return fold(text).replace(" ", "")


@dataclass
class FieldScore:
    matched: int = 0
    total: int = 0
    via_successor: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.matched / self.total if self.total else 0.0


def _issuer_matches(expected: str, issuer: str, jurisdiction: str) -> tuple[bool, bool]:
    """(matched, matched only through the successor of a merged province)."""
    exp = _key(expected)
    if exp and exp in (_key(issuer), _key(jurisdiction)):
        return True, False
    from obligraph.loaders.divisions import find_province, successor_of

    prov = find_province(expected)
    if prov is not None and not prov.current:
        succ = successor_of(prov)
        if succ is not None and _key(succ.full_name) == _key(jurisdiction):
            return True, True
    return False, False


def header_scores(folder: Path) -> tuple[dict[str, FieldScore], list[tuple[str, str]], int]:
    """Scores per field, the (file, error) of files that failed, and the files read."""
    from obligraph.loaders import load_document

    scores = {f: FieldScore() for f in FIELDS}
    failures: list[tuple[str, str]] = []
    with open(folder / "metadata.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        try:
            doc = load_document(folder / row["file"])
        except Exception as exc:  # a crash is what this script is here to find
            failures.append((row["file"], f"{type(exc).__name__}: {exc}"))
            continue
        for name in FIELDS:
            expected = row.get(name, "").strip()
            if not expected:
                continue
            got = getattr(doc, name) or ""
            score = scores[name]
            score.total += 1
            if name == "issuer":
                ok, via = _issuer_matches(expected, got, doc.jurisdiction)
                score.via_successor += via
                got = f"{got} | {doc.jurisdiction}"
            else:
                ok = _key(expected) == _key(str(got))
            if ok:
                score.matched += 1
            else:
                score.misses.append((row["file"], expected, str(got)))
    return scores, failures, len(rows)


# ------------------------------------------------------------------ assignments


@dataclass(frozen=True)
class Expected:
    line: int
    role: str
    unit: str
    mention: str


@dataclass
class AssignmentScore:
    name: str
    expected: int = 0
    predicted: int = 0
    correct: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_expected(path: Path) -> list[Expected]:
    """Rows of an expectation file (columns line, role, mention, unit; others ignored)."""
    with open(path, encoding="utf-8") as fh:
        return [
            Expected(int(r["line"]), r["role"].strip(), r["unit"].strip(), r["mention"].strip())
            for r in csv.DictReader(fh, delimiter="\t")
            if r.get("line", "").strip()
        ]


def score_assignments(doc_path: Path, expected: list[Expected], kind: str) -> AssignmentScore:
    """Match predicted assignments to expected ones: same role, same unit (its full
    name, or the mention as written for a generic unit), expected line within the
    predicted task's span. ``kind``: "tables" scores annex-table tasks, "prose" the
    others."""
    from obligraph.loaders import load_document

    doc = load_document(doc_path)
    preds: list[tuple[int, int, str, str, str, bool]] = []
    for t in doc.tasks:
        from_table = t.task_id.startswith("annex")
        if (kind == "tables") != from_table:
            continue
        for a in t.assignments:
            preds.append(
                (t.span.line_start, t.span.line_end, a.role, a.unit.canonical, a.unit.mention,
                 a.unit.generic)
            )  # fmt: skip
    if kind == "prose":
        return _score_blocks(doc_path.name, preds, expected)
    score = AssignmentScore(doc_path.name, expected=len(expected), predicted=len(preds))
    used: set[int] = set()
    for e in expected:
        hit = None
        for k, (start, end, role, canonical, mention, _generic) in enumerate(preds):
            if k in used or role != e.role or not (start <= e.line <= end):
                continue
            # a generic unit ("các cơ quan liên quan") may be the gazetteer's one node for
            # its variants: it matches by the words written
            if _key(canonical) == _key(e.unit) or (
                _key(mention) == _key(e.mention) and (_generic or _key(canonical) == _key(mention))
            ):
                hit = k
                break
        if hit is None:
            score.misses.append(f"{e.line} {e.role} {e.unit}")
        else:
            used.add(hit)
            score.correct += 1
    for k, (start, _end, role, canonical, _m, _g) in enumerate(preds):
        if k not in used:
            score.extras.append(f"{start} {role} {canonical}")
    return score


def _unit_matches(canonical: str, mention: str, generic: bool, e: Expected) -> bool:
    return _key(canonical) == _key(e.unit) or (
        _key(mention) == _key(e.mention) and (generic or _key(canonical) == _key(mention))
    )


def _score_blocks(name: str, preds: list, expected: list[Expected]) -> AssignmentScore:
    """Prose duties as (duty block, role, unit) sets.

    A duty block runs from its annotated line to the next block's; a predicted task
    belongs to the block its first line falls in, and each (block, role, unit) counts
    once however many sentences of the block repeat it.
    """
    starts = sorted({e.line for e in expected})

    def block(line: int) -> int | None:
        inside = [s for s in starts if s <= line]
        return inside[-1] if inside else None

    got: dict[tuple, tuple] = {}
    for start, _end, role, canonical, mention, generic in preds:
        b = block(start)
        got.setdefault((b, role, _key(canonical)), (b, role, canonical, mention, generic))
    score = AssignmentScore(name, expected=len(expected), predicted=len(got))
    used: set[tuple] = set()
    for e in expected:
        hit = next(
            (
                k
                for k, (b, role, canonical, mention, generic) in got.items()
                if k not in used
                and b == e.line
                and role == e.role
                and _unit_matches(canonical, mention, generic, e)
            ),
            None,
        )
        if hit is None:
            score.misses.append(f"{e.line} {e.role} {e.unit}")
        else:
            used.add(hit)
            score.correct += 1
    for k, (b, role, canonical, _m, _g) in got.items():
        if k not in used:
            score.extras.append(f"{b} {role} {canonical}")
    return score


def expectation_sets(folder: Path | None) -> list[tuple[str, Path, Path, str]]:
    """(set name, document, expectation file, kind) for every expectation file present."""
    out: list[tuple[str, Path, Path, str]] = []
    if folder is not None:
        for kind in ("tables", "prose"):
            for exp in sorted((EXPECTED / kind).glob("*.tsv")):
                out.append((f"realdocs {kind}", folder / f"{exp.stem}.txt", exp, kind))
    for exp in sorted(LAYOUTS.glob("*.expected.tsv")):
        doc = exp.with_name(exp.name.replace(".expected.tsv", ".txt"))
        out.append(("layout fixtures", doc, exp, "tables"))
    return out


def _print_headers(folder: Path, verbose: bool) -> None:
    scores, failures, n = header_scores(folder)
    print(f"header fields on {n} real documents (share matching the portal's metadata)")
    for name, s in scores.items():
        extra = (
            f"  ({s.via_successor} via a merged province's successor)" if s.via_successor else ""
        )
        print(f"  {name:<9} {s.matched:>4}/{s.total:<4} {s.share:.3f}{extra}")
        if verbose:
            for file, expected, got in s.misses:
                print(f"      {file}: portal {expected!r}, read {got!r}")
    print(f"  crashes or load errors: {len(failures)}")
    for file, err in failures:
        print(f"      {file}: {err}")


def _print_assignments(folder: Path | None, verbose: bool) -> None:
    sets: dict[str, list[AssignmentScore]] = {}
    for name, doc, exp, kind in expectation_sets(folder):
        sets.setdefault(name, []).append(score_assignments(doc, read_expected(exp), kind))
    print("lead/support assignments (row or duty block, role, unit) against hand annotation")
    for name, scores in sets.items():
        tp = sum(s.correct for s in scores)
        pred = sum(s.predicted for s in scores)
        gold = sum(s.expected for s in scores)
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {name}: P {p:.3f} R {r:.3f} F1 {f:.3f}  ({tp} of {gold} expected, {pred} read)")
        for s in scores:
            print(f"      {s.name:<32} P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}")
            if verbose:
                for m in s.misses:
                    print(f"          missed {m}")
                for x in s.extras:
                    print(f"          extra  {x}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the realdocs folder")
    ap.add_argument("--headers", action="store_true", help="header fields only")
    ap.add_argument("--assignments", action="store_true", help="assignments only")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    args = ap.parse_args(argv)
    folder: Path | None = args.dir
    if folder is None or not (folder / "metadata.tsv").exists():
        print(f"no realdocs folder at {args.dir}: real-document measures skipped")
        folder = None
    both = not (args.headers or args.assignments)
    if folder is not None and (both or args.headers):
        _print_headers(folder, args.verbose)
    if both or args.assignments:
        _print_assignments(folder, args.verbose)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
