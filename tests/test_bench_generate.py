"""The benchmark's synthetic corpus generator (bench/generate.py).

* Deterministic: the same seed writes the same bytes; another seed other bytes.
* Faithful: every generated document loads through ``obligraph.loaders.load_document``
  and the loader reads exactly what the generator meant to write: header, citations,
  every assigned task with its lead and support units (canonical names from the
  bundled gazetteer), time frames, requests, indicators with their targets and owners,
  reporting deadlines, and no unknown unit.
* Safe: it refuses to write a corpus into the repository.

Small sizes only; nothing here measures time.
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gen():
    """``bench.generate`` (the bench folder is not an installed package)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    return importlib.import_module("bench.generate")


@pytest.fixture(scope="module")
def generated(gen, tmp_path_factory, gazetteer):
    """Twenty-four documents of every kind, written once, with what each intends."""
    from bench.units import UnitPool

    folder = tmp_path_factory.mktemp("synthetic")
    intended = gen.write_corpus(folder, 24, seed=11, pool=UnitPool.from_gazetteer(gazetteer))
    return folder, intended


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))}


def test_same_seed_same_bytes(gen, tmp_path):
    gen.write_corpus(tmp_path / "a", 15, seed=5)
    gen.write_corpus(tmp_path / "b", 15, seed=5)
    gen.write_corpus(tmp_path / "c", 15, seed=6)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert len(a) == 15
    assert a == b
    assert a != c


def test_every_kind_is_generated(generated):
    _, intended = generated
    kinds = Counter(d.kind for d in intended)
    assert kinds == {"programme": 1, "ministry_plan": 17, "province_plan": 6}
    assert len({d.number for d in intended}) == 24  # one node per document
    # Plans implement programmes, province plans rest on a generated ministry plan too,
    # so legal-basis chains run province plan -> ministry plan -> programme -> law.
    numbers = {d.number for d in intended}
    province = [d for d in intended if d.kind == "province_plan"]
    assert all(any(n in numbers for n in d.based_on if "LĐTBXH" in n) for d in province)
    assert any(d.implements[0] in numbers for d in intended if d.kind == "ministry_plan")


def _norm(text: str) -> str:
    return " ".join(text.split()).rstrip(".;")


def _assigned(doc) -> Counter:
    """(text, leads, supports, modality) of every task that has units."""
    out: Counter = Counter()
    for t in doc.tasks:
        if not t.assignments:
            continue
        leads = tuple(sorted(a.unit.canonical for a in t.assignments if a.role == "lead"))
        supports = tuple(sorted(a.unit.canonical for a in t.assignments if a.role == "support"))
        modality = {a.modality for a in t.assignments}.pop()
        out[(_norm(t.text), leads, supports, modality)] += 1
    return out


def _intended_assigned(doc) -> Counter:
    return Counter(
        (_norm(t.text), tuple(sorted(t.leads)), tuple(sorted(t.supports)), t.modality)
        for t in doc.tasks
    )


def test_documents_load_as_intended(generated, gazetteer):
    from obligraph.loaders import load_document

    folder, intended = generated
    for want in intended:
        doc = load_document(folder / want.file_name, gazetteer=gazetteer)
        where = want.file_name
        assert (doc.number, doc.doc_type, doc.date) == (want.number, "Quyết định", want.date), where
        assert doc.issuer == want.issuer, where
        assert [f for f in doc.findings if f.code == "unknown-unit"] == [], where
        cited = {
            c.target.number or c.target.title for c in doc.citations if c.relation == "based_on"
        }
        assert set(want.based_on) <= cited, where
        implemented = {c.target.number for c in doc.citations if c.relation == "implements"}
        assert implemented == set(want.implements), where
        assert _assigned(doc) == _intended_assigned(want), where
        if want.kind != "province_plan":
            frames = Counter(t.timeframe.text for t in doc.tasks if t.assignments)
            assert frames == Counter(t.timeframe for t in want.tasks), where
        got = {
            i.indicator_id: (
                {t.year: t.value for t in i.targets},
                [u.canonical for u in i.lead],
            )
            for i in doc.indicators
        }
        assert got == {i.indicator_id: (i.targets, [i.lead]) for i in want.indicators}, where
        served = {
            (
                tuple(sorted(a.unit.canonical for a in t.assignments if a.role == "lead")),
                tuple(t.indicators),
            )
            for t in doc.tasks
            if t.indicators
        }
        assert served == {(tuple(t.leads), tuple(t.indicators)) for t in want.tasks if t.indicators}
        assert len(doc.deadlines) == want.deadlines, where


def test_generated_requests_are_requests(generated, gazetteer):
    """ "Đề nghị <mass organisation> phối hợp thực hiện" items are requests, not obligations."""
    from obligraph.loaders import load_document

    folder, intended = generated
    requests = [(d, t) for d in intended for t in d.tasks if t.modality == "request"]
    assert requests, "the sample should hold at least one request"
    for want, task in requests:
        doc = load_document(folder / want.file_name, gazetteer=gazetteer)
        match = [t for t in doc.tasks if _norm(t.text) == _norm(task.text)]
        assert match and all(a.modality == "request" for a in match[0].assignments)


def test_refuses_to_write_into_the_repository(gen):
    target = REPO / "synthetic-corpus-should-not-exist"
    with pytest.raises(ValueError, match="inside the repository"):
        gen.write_corpus(target, 3, seed=1)
    assert not target.exists()
