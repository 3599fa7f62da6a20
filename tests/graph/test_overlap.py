"""Overlap detection: normalisation, blocking cost, scoring, graph written.

The synthetic parts build small graphs in the shape of docs/model.md by hand.
The corpus part (at the end) checks the pairs found by reading the five bundled
documents: each expected pair is written down with both source lines quoted.
"""

from __future__ import annotations

import random

import pytest
from obligraph.graph.analysis.overlap import CORROBORATED, REWORDED, refresh_overlaps
from obligraph.graph.analysis.textsim import MinHashBlocker, normalise, score
from obligraph.graph.stores import open_store
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from obligraph.base.vocab import OB, Iris

IRIS = Iris()


# -- normalisation -----------------------------------------------------------------------


def test_normalise_drops_tags_numbering_and_assignment_boilerplate():
    tokens = normalise("<p>b) Chủ trì, phối hợp xây dựng tài liệu về phòng, chống đuối nước</p>")
    assert tokens == ["tai", "lieu", "phong", "chong", "duoi", "nuoc"]


def test_stop_words_are_dropped_before_folding():
    # "về" (about) is a stop word, "vệ" of "bảo vệ" is content; folded they are both "ve".
    assert normalise("bảo vệ trẻ em về lâu dài") == ["bao", "ve", "lau", "dai"]
    # "cơ" of "cơ sở" survives although "có" is a stop word.
    assert normalise("có cơ sở dữ liệu") == ["co", "so", "du", "lieu"]


def test_roman_markers_inside_prose_are_dropped():
    text = "Sở Y tế chủ trì triển khai: (i) Hướng dẫn tư vấn; (ii) Thu thập số liệu"
    expected = "so y te huong dan tu van thu thap so lieu".split()
    assert normalise(text) == expected


def test_score_is_order_insensitive_and_low_for_unrelated_texts():
    a = normalise("tổ chức các đoàn thanh tra, kiểm tra liên ngành về bảo vệ trẻ em")
    b = normalise("kiểm tra, thanh tra liên ngành về bảo vệ trẻ em: tổ chức các đoàn")
    c = normalise("dạy bơi an toàn cho học sinh tiểu học trong dịp hè")
    assert score(a, b) == 1.0
    assert score(a, c) < 0.2


# -- blocking: candidate pairs grow near-linearly ----------------------------------------


def _synthetic_corpus(n: int, seed: int = 11) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """n random 12-word texts over a 3,000-word vocabulary; every 10th text is a
    reworded copy (one word swapped, one dropped) of the text before it."""
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(3000)]
    texts: list[list[str]] = []
    planted: set[tuple[int, int]] = set()
    for i in range(n):
        if i % 10 == 9:
            copy = list(texts[i - 1])
            copy[rng.randrange(len(copy))] = rng.choice(vocab)
            del copy[rng.randrange(len(copy))]
            texts.append(copy)
            planted.add((i - 1, i))
        else:
            texts.append(rng.sample(vocab, 12))
    return texts, planted


def test_blocking_finds_planted_duplicates_with_near_linear_candidates():
    blocker = MinHashBlocker()
    per_text = {}
    for n in (500, 1000, 2000, 4000):
        texts, planted = _synthetic_corpus(n)
        pairs = blocker.candidate_pairs(texts)
        assert planted <= pairs, f"blocking lost planted duplicates at n={n}"
        per_text[n] = len(pairs) / n
        # the structural bound: each text sits in `bands` buckets of at most max_bucket
        assert len(pairs) <= blocker.bands * n * blocker.max_bucket
    # all-pairs scoring would compare each text with (n-1)/2 others: 250 .. 2000;
    # blocking proposes under one candidate per text at every size
    assert all(v < 1.0 for v in per_text.values()), per_text
    assert per_text[4000] / per_text[500] < 8  # all-pairs per text grows 8x; this far less


def test_oversized_buckets_fall_back_to_a_sorted_window():
    # the worst case: every text the same, so every band has one bucket holding all
    blocker = MinHashBlocker(max_bucket=20, window=5)
    sizes = {}
    for n in (200, 800):
        texts = [["thanh", "tra", "kiem", "tra", "lien", "nganh"]] * n
        pairs = blocker.candidate_pairs(texts)
        assert len(pairs) <= n * 5
        sizes[n] = len(pairs)
    assert sizes[800] / sizes[200] < 4.5  # linear, not 16x


def test_keep_filter_and_empty_texts():
    blocker = MinHashBlocker()
    texts = [["a", "b", "c", "d"], ["a", "b", "c", "d"], [], ["a", "b", "c", "d"]]
    assert blocker.candidate_pairs(texts) == {(0, 1), (0, 3), (1, 3)}
    assert blocker.candidate_pairs(texts, keep=lambda i, j: 1 not in (i, j)) == {(0, 3)}


# -- refresh_overlaps on hand-made graphs --------------------------------------------------


class Plan:
    """A document graph in the model's shape, written by hand."""

    def __init__(self, number: str, programme: str | None = None) -> None:
        self.doc = IRIS.document(number, "Quyết định", 2020)
        self.programme = IRIS.document(programme, "Quyết định", 2019) if programme else None
        self.triples = [
            (self.doc, RDF.type, URIRef("http://data.europa.eu/eli/ontology#LegalResource")),
            (self.doc, URIRef("http://data.europa.eu/eli/ontology#id_local"), Literal(number)),
        ]
        if self.programme is not None:
            self.triples.append(
                (
                    self.programme,
                    URIRef("http://data.europa.eu/eli/ontology#id_local"),
                    Literal(programme),
                )
            )

    def task(self, task_id: str, text: str, lead=(), support=(), serves=()) -> URIRef:
        t = IRIS.task(self.doc, task_id)
        add = self.triples.append
        add((t, RDF.type, OB.Task))
        add((t, OB.inDocument, self.doc))
        add((t, OB.text, Literal(text, lang="vi")))
        if self.programme is not None:
            add((t, OB.programme, self.programme))
        for role, names in (("lead", lead), ("support", support)):
            for name in names:
                unit = IRIS.unit(name)
                add((unit, SKOS.prefLabel, Literal(name, lang="vi")))
                a = IRIS.assignment(t, role, name)
                add((a, RDF.type, OB.Assignment))
                add((a, OB.task, t))
                add((a, OB.unit, unit))
                add((a, OB.role, OB.LeadRole if role == "lead" else OB.SupportRole))
        for indicator in serves:
            add((t, OB.servesIndicator, indicator))
        return t

    def indicator(self, ind_id: str, measure: str, adapts=None, lead=()) -> URIRef:
        i = IRIS.indicator(self.doc, ind_id)
        add = self.triples.append
        add((i, RDF.type, OB.Indicator))
        add((i, OB.inDocument, self.doc))
        add((i, OB.indicatorId, Literal(ind_id)))
        add((i, OB.measure, Literal(measure, lang="vi")))
        if adapts is not None:
            add((i, OB.adapts, adapts))
        for name in lead:
            add((i, OB.lead, IRIS.unit(name)))
            add((IRIS.unit(name), SKOS.prefLabel, Literal(name, lang="vi")))
        return i


def _store(*plans: Plan):
    store = open_store(memory=True)
    for plan in plans:
        store.replace_graph(IRIS.graph(plan.doc), plan.triples)
    return store


INSPECTION_A = (
    "Xây dựng đề cương, kế hoạch và tổ chức các đoàn thanh tra, kiểm tra liên ngành tại bộ, "
    "ngành, địa phương về bảo vệ trẻ em, phòng, chống bạo lực, xâm hại trẻ em"
)
INSPECTION_B = (
    "5. Xây dựng đề cương, kế hoạch và tổ chức các đoàn thanh tra, kiểm tra liên ngành tại "
    "bộ, ngành, địa phương, tổ chức có liên quan về bảo vệ trẻ em, phòng, chống xâm hại trẻ em"
)
SWIMMING = "Dạy bơi an toàn cho học sinh tiểu học trong dịp hè tại các bể bơi công cộng"
DATABASE = "Đầu tư, nâng cấp cơ sở dữ liệu về lao động trẻ em, chia sẻ dữ liệu số"


def _overlap_pairs(store) -> set[frozenset[str]]:
    rows = store.query(
        "PREFIX ob: <https://w3id.org/obligraph/ontology#> "
        "SELECT ?a ?b WHERE { ?a ob:overlapsWith ?b }"
    ).rows
    return {frozenset((str(a), str(b))) for a, b in rows}


def test_reworded_task_in_two_documents_overlaps_and_unrelated_tasks_do_not():
    a, b = Plan("406/QĐ-LĐTBXH", "1863/QĐ-TTg"), Plan("923/QĐ-LĐTBXH", "23/CT-TTg")
    a1 = a.task("4", INSPECTION_A, lead=["Thanh tra Bộ", "Cục Trẻ em"])
    a2 = a.task("5", SWIMMING, lead=["Cục Trẻ em"])
    b1 = b.task("II-5", INSPECTION_B)
    b2 = b.task("II-6", DATABASE)
    store = _store(a, b)
    report = refresh_overlaps(store, IRIS)
    assert _overlap_pairs(store) == {frozenset((str(a1), str(b1)))}
    [overlap] = report.task_overlaps
    assert overlap.score >= REWORDED
    assert "no shared unit" in overlap.reason
    assert "406/QĐ-LĐTBXH" in overlap.reason and "23/CT-TTg" in overlap.reason
    # both directions of ob:overlapsWith, one ob:Overlap node with two ob:between
    assert store.query(
        "PREFIX ob: <https://w3id.org/obligraph/ontology#> ASK { ?b ob:overlapsWith ?a }",
        bindings={"a": a1, "b": b1},
    ).boolean
    between = store.query(
        "PREFIX ob: <https://w3id.org/obligraph/ontology#> "
        "SELECT ?t WHERE { ?o a ob:Overlap ; ob:between ?t }"
    ).rows
    assert sorted(str(t) for (t,) in between) == sorted([str(a1), str(b1)])
    assert str(a2) not in str(report.to_dict()) and str(b2) not in str(report.to_dict())


def test_same_document_same_programme_is_not_an_overlap_but_two_programmes_are():
    city = Plan("4063/QĐ-UBND")
    # one document, two groups tied to two programmes (as 4063's Nhóm 1..7)
    g3 = IRIS.document("1863/QĐ-TTg", "Quyết định", 2019)
    g7 = IRIS.document("1248/QĐ-TTg", "Quyết định", 2021)
    t1 = city.task("nhom-3-i", INSPECTION_A, lead=["Sở Lao động - Thương binh và Xã hội"])
    t2 = city.task("nhom-3-ii", INSPECTION_B, lead=["Sở Lao động - Thương binh và Xã hội"])
    t3 = city.task("nhom-7-i", INSPECTION_B, lead=["Sở Lao động - Thương binh và Xã hội"])
    city.triples += [(t1, OB.programme, g3), (t2, OB.programme, g3), (t3, OB.programme, g7)]
    store = _store(city)
    refresh_overlaps(store, IRIS)
    assert _overlap_pairs(store) == {
        frozenset((str(t1), str(t3))),
        frozenset((str(t2), str(t3))),
    }


def _reworded_pair() -> tuple[str, str]:
    # 406/QĐ-LĐTBXH line 124 and 704/QĐ-LĐTBXH line 158: the same seminars, two topics
    a = (
        "Tổ chức tọa đàm, hội thảo, sự kiện, chiến dịch truyền thông về phòng, chống bạo lực, "
        "xâm hại trẻ em; thay đổi nhận thức, quan niệm xã hội, tập quán ứng xử với trẻ em"
    )
    b = (
        "Tổ chức tọa đàm, hội thảo, sự kiện, chiến dịch truyền thông về thực hiện quyền trẻ em "
        "và các vấn đề về trẻ em"
    )
    return a, b


def test_weak_similarity_needs_a_shared_unit():
    a_text, b_text = _reworded_pair()
    value = score(normalise(a_text), normalise(b_text))
    assert CORROBORATED <= value < REWORDED  # the premise of this test
    # without a shared unit: not an overlap
    a, b = Plan("406/QĐ-LĐTBXH"), Plan("704/QĐ-LĐTBXH")
    a.task("1-d", a_text, lead=["Cục Trẻ em"])
    b.task("4-c", b_text, lead=["Trung tâm Thông tin"])
    assert refresh_overlaps(_store(a, b), IRIS).task_overlaps == []
    # the same lead unit on both sides: an overlap, and the reason says why
    a, b = Plan("406/QĐ-LĐTBXH"), Plan("704/QĐ-LĐTBXH")
    a.task("1-d", a_text, lead=["Cục Trẻ em"], support=["Các đơn vị liên quan"])
    b.task("4-c", b_text, lead=["Cục Trẻ em"])
    [overlap] = refresh_overlaps(_store(a, b), IRIS).task_overlaps
    assert overlap.reason.startswith("same lead unit Cục Trẻ em; reworded task")
    assert overlap.shared_units == (str(IRIS.unit("Cục Trẻ em")),)


def test_generic_unit_does_not_corroborate():
    a_text, b_text = _reworded_pair()
    a, b = Plan("406/QĐ-LĐTBXH"), Plan("704/QĐ-LĐTBXH")
    ta = a.task("1-d", a_text, support=["Các đơn vị liên quan"])
    b.task("4-c", b_text, support=["Các đơn vị liên quan"])
    generic = IRIS.unit("Các đơn vị liên quan")
    a.triples.append((generic, RDF.type, OB.GenericUnit))
    assert ta
    assert refresh_overlaps(_store(a, b), IRIS).task_overlaps == []


def test_per_unit_counts_of_near_duplicates():
    a, b = Plan("406/QĐ-LĐTBXH"), Plan("923/QĐ-LĐTBXH")
    a.task("4", INSPECTION_A, lead=["Thanh tra Bộ"], support=["Cục Trẻ em"])
    b.task("5", INSPECTION_B, lead=["Thanh tra Bộ"])
    a.task("2-a", "Xây dựng và ban hành quy trình, tiêu chuẩn cung cấp dịch vụ bảo vệ trẻ em")
    b.task("4-a", "Xây dựng, ban hành tiêu chuẩn, quy trình cung cấp dịch vụ bảo vệ trẻ em")
    report = refresh_overlaps(_store(a, b), IRIS)
    assert len(report.task_overlaps) == 2
    counts = {u.label: (u.pairs, u.shared, u.tasks) for u in report.units}
    assert counts == {"Thanh tra Bộ": (1, 1, 2), "Cục Trẻ em": (1, 0, 1)}


def test_indicator_owned_under_two_documents():
    national = IRIS.indicator(IRIS.document("23/QĐ-TTg", "Quyết định", 2021), "8")
    ministry, city = Plan("704/QĐ-LĐTBXH", "23/QĐ-TTg"), Plan("4063/QĐ-UBND", "23/QĐ-TTg")
    task = ministry.task(
        "annex-1-b",
        "Lồng ghép các chương trình để đạt chỉ tiêu 8",
        lead=["Cục Trẻ em"],
        serves=[national],
    )
    local = city.indicator(
        "8", "Tỷ lệ trẻ em có hoàn cảnh đặc biệt", adapts=national, lead=["Sở Y tế"]
    )
    other = city.indicator("9", "Tỷ lệ trẻ em bị xâm hại", lead=["Công an Thành phố"])
    store = _store(ministry, city)
    report = refresh_overlaps(store, IRIS)
    [overlap] = report.indicator_overlaps
    assert overlap.members == (str(task),)
    assert overlap.indicators == (str(local),)
    assert "indicator 8 of qd/23-qd-ttg/2021" in overlap.reason
    assert "Cục Trẻ em" in overlap.reason and "Sở Y tế" in overlap.reason
    related = store.query(
        "SELECT ?i WHERE { ?o a <https://w3id.org/obligraph/ontology#Overlap> ; ?p ?i }",
        bindings={"p": DCTERMS.relation},
    ).rows
    assert [str(i) for (i,) in related] == [str(local)]
    assert str(other) not in str(report.to_dict())


def test_indicators_with_the_same_measure_under_two_programmes():
    city = Plan("4063/QĐ-UBND")
    p23 = IRIS.document("23/QĐ-TTg", "Quyết định", 2021)
    p782 = IRIS.document("782/QĐ-TTg", "Quyết định", 2021)
    i10 = city.indicator("10", "Giảm tỷ lệ lao động trẻ em và người chưa thành niên từ 5 - 17 tuổi")
    i4 = city.indicator(
        "nhom-4-mt-1", "Giảm tỷ lệ lao động trẻ em và người chưa thành niên từ 5 tuổi đến 17 tuổi"
    )
    i5 = city.indicator("5", "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đủ 8 loại vắc xin")
    city.triples += [(i10, OB.programme, p23), (i4, OB.programme, p782), (i5, OB.programme, p23)]
    report = refresh_overlaps(_store(city), IRIS)
    assert [o.indicators for o in report.indicator_overlaps] == [tuple(sorted((str(i10), str(i4))))]


def test_refresh_replaces_the_whole_graph_and_is_deterministic():
    a, b = Plan("406/QĐ-LĐTBXH"), Plan("923/QĐ-LĐTBXH")
    a.task("4", INSPECTION_A)
    b.task("5", INSPECTION_B)
    store = _store(a, b)
    graph = IRIS.special_graph("overlap")
    stale = (URIRef("urn:stale"), OB.score, Literal(1))
    store.replace_graph(graph, [stale])
    first = refresh_overlaps(store, IRIS)
    dump1 = sorted(store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows)
    second = refresh_overlaps(store, IRIS)
    dump2 = sorted(store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows)
    assert dump1 == dump2
    assert len(dump1) == first.triples == second.triples
    assert all(str(s) != "urn:stale" for s, _, _ in dump1)
    assert [o.to_dict() for o in first.overlaps] == [o.to_dict() for o in second.overlaps]


def test_empty_store_writes_an_empty_overlap_graph():
    store = open_store(memory=True)
    report = refresh_overlaps(store, IRIS)
    assert (report.tasks, report.overlaps, report.triples) == (0, [], 0)


@pytest.mark.parametrize("n_docs", [30])
def test_many_documents_same_task_output_stays_bounded(n_docs):
    # 30 plans repeat one task: 435 true pairs, but each task keeps its best 12
    plans = []
    for k in range(n_docs):
        plan = Plan(f"{k + 1}/QĐ-UBND")
        plan.task("1", INSPECTION_A)
        plans.append(plan)
    report = refresh_overlaps(_store(*plans), IRIS)
    per_task: dict[str, int] = {}
    for o in report.task_overlaps:
        for m in o.members:
            per_task[m] = per_task.get(m, 0) + 1
    assert len(per_task) == n_docs and max(per_task.values()) <= 12


# -- the fast paths give what the plain definitions give ---------------------------------


def _reference_score(a: list[str], b: list[str]) -> float:
    """score() as first written: rapidfuzz's Indel on token sequences."""
    from rapidfuzz.distance import Indel

    if not a or not b:
        return 0.0
    left, right = set(a), set(b)
    common, only_a, only_b = sorted(left & right), sorted(left - right), sorted(right - left)
    if common:
        set_part = max(
            Indel.normalized_similarity(common, common + only_a),
            Indel.normalized_similarity(common, common + only_b),
            Indel.normalized_similarity(common + only_a, common + only_b),
        )
    else:
        set_part = Indel.normalized_similarity(sorted(left), sorted(right))
    sort_part = Indel.normalized_similarity(sorted(a), sorted(b))
    return round((set_part * sort_part) ** 0.5, 4)


def _random_token_lists(rng: random.Random, n: int, vocab_size: int, longest: int):
    vocab = [f"w{i}" for i in range(vocab_size)]
    return [[rng.choice(vocab) for _ in range(rng.randint(1, longest))] for _ in range(n)]


def test_closed_form_score_equals_rapidfuzz_indel():
    rng = random.Random(11)
    lists = _random_token_lists(rng, 400, 25, 14)
    for _ in range(20_000):
        a, b = rng.choice(lists), rng.choice(lists)
        if rng.random() < 0.3:  # reworded: shuffled, shortened, one word added
            kept = rng.sample(a, len(a))[: rng.randint(1, len(a))]
            b = [*kept, rng.choice(rng.choice(lists))]
        assert score(a, b) == _reference_score(a, b), (a, b)


def test_vectorised_pair_scores_equal_score():
    import numpy as np
    from obligraph.graph.analysis.overlap import _pair_scores

    rng = random.Random(12)
    lists = _random_token_lists(rng, 300, 120, 25)
    left = np.array([rng.randrange(300) for _ in range(5000)])
    right = np.array([rng.randrange(300) for _ in range(5000)])
    values = _pair_scores(lists, left, right)
    assert [float(v) for v in values] == [
        score(lists[i], lists[j]) for i, j in zip(left, right, strict=True)
    ]


def _reference_pairs(blocker: MinHashBlocker, lists: list[list[str]]) -> set[tuple[int, int]]:
    """candidate_pairs as first written: expand every bucket of every band."""
    pairs: set[tuple[int, int]] = set()
    for members in blocker.buckets(lists).values():
        if len(members) <= blocker.max_bucket:
            proposed = [(x, y) for k, x in enumerate(members) for y in members[k + 1 :]]
        else:
            ordered = sorted(members, key=lambda i: (" ".join(lists[i]), i))
            proposed = [
                (ordered[x], ordered[y])
                for x in range(len(ordered))
                for y in range(x + 1, min(len(ordered), x + 1 + blocker.window))
            ]
        pairs |= {(min(p), max(p)) for p in proposed if p[0] != p[1]}
    return pairs


def test_blocking_equals_expanding_every_bucket():
    rng = random.Random(13)
    for trial in range(25):
        lists = _random_token_lists(rng, rng.randint(2, 300), rng.randint(5, 60), 8)
        lists += [list(lists[0])] * rng.randint(0, 80)  # one text repeated: a big bucket
        lists += [[] for _ in range(rng.randint(0, 5))]
        rng.shuffle(lists)
        blocker = MinHashBlocker(max_bucket=rng.randint(2, 60), window=rng.randint(1, 9))
        assert blocker.candidate_pairs(lists) == _reference_pairs(blocker, lists), trial


def test_vectorised_token_hashes_equal_the_plain_ones():
    blocker = MinHashBlocker()
    rng = random.Random(14)
    tokens = ["".join(rng.choice("abcdđươế") for _ in range(rng.randint(1, 8))) for _ in range(500)]
    vectors = blocker._token_vectors(tokens)
    assert [tuple(int(x) for x in row) for row in vectors] == [
        blocker._token_vector(t) for t in tokens
    ]


def test_unit_names_are_dropped_as_a_longest_first_regex_would():
    import re

    def reference(text: str, names: list[str]) -> list[str]:
        from obligraph.graph.analysis import textsim

        words = " ".join(textsim._text_words(text))
        phrases = sorted({textsim._words(n.lower()) for n in names} - {""}, key=len, reverse=True)
        if phrases:
            pattern = r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b"
            words = re.sub(pattern, " ", words)
        words = textsim._BOILERPLATE_RE.sub(" ", words)
        words = textsim._GENERIC_RE.sub(" ", words)
        return [
            textsim.fold(w)
            for w in words.split()
            if w not in textsim.STOP_WORDS and w != "_" and not w.isdigit()
        ]

    names = ["Sở Y tế", "Sở Y tế Thành phố", "Y tế", "Bộ Y tế", "Thành phố Hồ Chí Minh", "Sở"]
    texts = [
        "Sở Y tế Thành phố Hồ Chí Minh chủ trì phối hợp với Bộ Y tế: thu thập số liệu y tế",
        "Giao Sở Y tế chủ trì, Sở Y tế Thành phố phối hợp thực hiện; Sở Sở Y tế tế",
        "Y tế cơ sở và Bộ Y tế Thành phố Hồ Chí Minh, các đơn vị liên quan",
    ]
    rng = random.Random(15)
    for text in texts:
        for _ in range(30):
            chosen = rng.sample(names, rng.randint(0, len(names)))
            assert normalise(text, chosen) == reference(text, chosen), (text, chosen)
