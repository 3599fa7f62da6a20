"""Text similarity for overlap detection: normalise, block, score.

Three small steps, each deterministic (no Python ``hash()``, no clock, no
randomness that is not seeded):

1. :func:`normalise` turns a task text into comparison tokens: NFC, HTML tags
   dropped (``<p>``), diacritics folded (``trẻ em`` -> ``tre em``), item numbers
   dropped (``a)``, ``2.3.``, ``(iv)``), assignment boilerplate dropped
   (``chủ trì, phối hợp``, ``các đơn vị liên quan``), generic plan verbs and
   Vietnamese function words dropped. Tokens are syllables.
2. :class:`MinHashBlocker` proposes candidate pairs with MinHash locality
   sensitive hashing: ``bands`` bands of ``rows`` minimum hashes each; two texts
   become candidates when one band matches exactly. A bucket larger than
   ``max_bucket`` is not expanded into all its pairs: its members are sorted by
   text and each is paired with its ``window`` next neighbours (the sorted
   neighbourhood method), so at most ``bands * n * max(max_bucket, window)``
   pairs are ever proposed: cost grows linearly with the number of texts.
3. :func:`score` compares two token lists with rapidfuzz's Indel similarity
   (the metric behind ``fuzz.ratio``) applied to token sequences, not to
   characters: character ratios give about 0.5 to two unrelated Vietnamese
   sentences because syllables share letters, token ratios give about 0. The
   score is the geometric mean of a token-set similarity (rapidfuzz's
   ``token_set_ratio`` construction: robust to a clause added on one side) and
   a sorted-token similarity (``token_sort_ratio``: robust to reordering, but it
   penalises length differences). Either alone misleads: the set form gives 1.0
   whenever one text's words are a subset of the other's, so a short heading
   matches every long task; the sorted form drops fast when one plan adds a
   clause to the same task. Their geometric mean is high only when both agree.
   Both Indel similarities have a closed form on counts (:func:`score_prepared`),
   so :func:`score` computes them without rapidfuzz, to the same floating-point
   value (``tests/graph/test_overlap.py`` checks it against rapidfuzz).

Speed (the build refreshes overlaps every time): normalisation caches the folded
words, and drops unit names word by word instead of compiling a regex per task;
:meth:`MinHashBlocker.candidate_arrays` computes one signature per distinct token
set, finds every band's buckets at once and expands each distinct bucket once,
with numpy; ``obligraph.graph.analysis.overlap`` scores each distinct pair of token
multisets once, with bit sets.

>>> normalise("<p>b) Chủ trì, phối hợp xây dựng tài liệu về phòng, chống đuối nước trẻ em</p>")
['tai', 'lieu', 'phong', 'chong', 'duoi', 'nuoc']
>>> a = normalise("Xây dựng và ban hành quy trình, tiêu chuẩn cung cấp dịch vụ bảo vệ trẻ em")
>>> b = normalise("a) Xây dựng, ban hành tiêu chuẩn, quy trình cung cấp dịch vụ bảo vệ trẻ em;")
>>> round(score(a, b), 2)
1.0
>>> score(a, normalise("Tổ chức thi bơi an toàn cho học sinh tiểu học")) < 0.2
True
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np

from obligraph.base.textkeys import fold, nfc

#: Vietnamese function words (lower case, with diacritics: folding first would merge
#: "về" with "vệ" of "bảo vệ", "có" with "cơ" of "cơ quan", "tại" with "tài" of "tài liệu").
STOP_WORDS: frozenset[str] = frozenset(
    """
    và các của cho về trong với để là những một được tại theo từ đến ở nhằm đối khi có
    này đó thì mà hoặc như đã sẽ đang bị việc cũng hơn nhất sau trước giữa qua ra lên vào
    còn mọi từng nhiều ít rất
    """.split()
)

#: Phrases that say who does the task or how it is assigned, not what it is.
BOILERPLATE: tuple[str, ...] = (
    "chủ trì phối hợp",
    "chủ trì triển khai",
    "chủ trì thực hiện",
    "phối hợp với",
    "chủ trì",
    "các cơ quan tổ chức đơn vị liên quan",
    "các đơn vị liên quan",
    "cơ quan tổ chức đơn vị liên quan",
    "trong phạm vi chức năng nhiệm vụ quyền hạn được giao",
    "theo chức năng nhiệm vụ",
    "theo chức năng của ngành",
    "theo quy định",
    "có trách nhiệm triển khai và phối hợp tổ chức thực hiện",
    "có trách nhiệm",
    "mục tiêu của nhóm",
)

#: Generic plan words present in nearly every task: they make unrelated tasks look alike.
GENERIC_WORDS: tuple[str, ...] = (
    "xây dựng",
    "tổ chức",
    "triển khai",
    "thực hiện",
    "tăng cường",
    "nâng cao",
    "hoạt động",
    "cơ quan",
    "đơn vị",
    "liên quan",
    "hiệu quả",
    "trẻ em",
    "bảo đảm",
    "đảm bảo",
)

_TAGS = re.compile(r"<[^>]*>")
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[ivxlc]+\.|\d+(?:\.\d+)*\.?|[a-z]\)|[a-z]\.|\([a-z0-9]+\))\s+"
)
_ROMAN_MARK = re.compile(r"\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)")
_WORD = re.compile(r"\w+")


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b")


_BOILERPLATE_RE = _phrase_pattern(BOILERPLATE)
_GENERIC_RE = _phrase_pattern(GENERIC_WORDS)


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text))


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=1 << 15)
def _text_words(text: str) -> tuple[str, ...]:
    """The words of a text: NFC, lower case, tags, item numbers and (iv) marks dropped."""
    text = _TAGS.sub(" ", nfc(text)).lower()
    text = _LEADING_NUMBER.sub(" ", text)
    text = _ROMAN_MARK.sub(" ", text)
    return tuple(_WORD.findall(text))


@lru_cache(maxsize=1 << 15)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(nfc(name).lower()))


def _drop_phrases(words: tuple[str, ...], names: Sequence[str]) -> str:
    """``words`` joined by spaces, each occurrence of a name's words replaced by a gap.

    The same as substituting ``\\b(?:longest|...|shortest)\\b`` on the joined words
    (leftmost match, longest first), without compiling a pattern per task: both sides
    are whole ``\\w+`` words, so a match starts and ends on word boundaries, and two
    names matching at one position are a word prefix of one another. The gap (an
    empty word, so two spaces) keeps later phrases from matching across it.
    """
    starts: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        phrase = _name_words(name)
        if phrase and phrase not in starts.get(phrase[0], ()):
            starts.setdefault(phrase[0], []).append(phrase)
    if not starts:
        return " ".join(words)
    for phrases in starts.values():
        phrases.sort(key=len, reverse=True)
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        for phrase in starts.get(words[i], ()):
            k = len(phrase)
            if words[i : i + k] == phrase:
                out.append("")
                i += k
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def normalise(text: str, names: Sequence[str] = ()) -> list[str]:
    """Comparison tokens of a task text (folded syllables, content only).

    ``names`` are the task's own unit names (labels, abbreviations): the text
    often repeats who does the task ("Sở Y tế chủ trì triển khai: ..."); that
    says who, not what, so it is dropped too. Numbers are dropped (item and
    indicator numbers differ between plans for the same work).

    >>> normalise("(iii) Tổ chức thanh tra, kiểm tra việc thực hiện chính sách 2025")
    ['thanh', 'tra', 'kiem', 'tra', 'chinh', 'sach']
    >>> normalise("Sở Y tế chủ trì triển khai: Thu thập số liệu về tai nạn", ["Sở Y tế"])
    ['thu', 'thap', 'so', 'lieu', 'tai', 'nan']
    """
    words = _drop_phrases(_text_words(text), names)
    words = _BOILERPLATE_RE.sub(" ", words)
    words = _GENERIC_RE.sub(" ", words)
    return [
        _fold_word(w) for w in words.split() if w not in STOP_WORDS and w != "_" and not w.isdigit()
    ]


def _indel(lensum: int, lcs: int) -> float:
    """rapidfuzz's ``Indel.normalized_similarity`` from the two lengths' sum and the LCS:
    ``1 - (lensum - 2 * lcs) / lensum``, the same floating-point operations."""
    return 1.0 - (lensum - 2 * lcs) / lensum if lensum else 1.0


#: What :func:`score` needs of a token list: its length, its token set, and its
#: occurrences ``(token, k)`` (the k-th repeat of a token), see :func:`prepare`.
Prepared = tuple[int, frozenset[str], frozenset[tuple[str, int]]]


def prepare(tokens: Sequence[str]) -> Prepared:
    """A token list as :func:`score_prepared` compares it (compute once per text).

    >>> prepare(["thanh", "tra", "kiem", "tra"])[0:2] == (4, {"thanh", "tra", "kiem"})
    True
    """
    seen: dict[str, int] = {}
    occurrences = []
    for token in tokens:
        k = seen.get(token, 0)
        seen[token] = k + 1
        occurrences.append((token, k))
    return len(tokens), frozenset(seen), frozenset(occurrences)


def score_prepared(a: Prepared, b: Prepared) -> float:
    """:func:`score` of two :func:`prepare`\\ d token lists, without building sequences.

    Both parts are Indel similarities whose longest common subsequence has a closed
    form. Sorted-token part: the LCS of two sorted sequences is their multiset
    intersection (the common occurrences). Token-set part (rapidfuzz's
    ``token_set_ratio`` construction on ``common``, ``common + only_a``, ``common +
    only_b``): ``common`` is a prefix of the other two and ``only_a``, ``only_b`` share
    no token, so each LCS is ``len(common)``; with nothing in common the two sorted
    sets share nothing (similarity 0).
    """
    len_a, set_a, occ_a = a
    len_b, set_b, occ_b = b
    if not len_a or not len_b:
        return 0.0
    common = len(set_a & set_b)
    if common:
        only_a, only_b = len(set_a) - common, len(set_b) - common
        set_part = max(
            _indel(2 * common + only_a, common),
            _indel(2 * common + only_b, common),
            _indel(2 * common + only_a + only_b, common),
        )
    else:
        set_part = _indel(len(set_a) + len(set_b), 0)
    sort_part = _indel(len_a + len_b, len(occ_a & occ_b))
    return round((set_part * sort_part) ** 0.5, 4)


def score(a: Sequence[str], b: Sequence[str]) -> float:
    """Similarity in [0, 1] of two token lists (see the module docstring).

    >>> score(["thanh", "tra", "kiem", "tra"], ["kiem", "tra", "thanh", "tra"])
    1.0
    >>> score(["thanh", "tra", "lien", "nganh"], ["thanh", "tra", "lien", "nganh", "dinh", "ky"])
    0.8944
    >>> score([], ["x"])
    0.0
    """
    if not a or not b:
        return 0.0
    return score_prepared(prepare(a), prepare(b))


_PRIME = (1 << 61) - 1


def _token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "big")


class MinHashBlocker:
    """MinHash LSH candidate generation over token sets, bounded per bucket.

    ``rows`` minimum hashes form a band; ``bands`` bands make the signature. Two
    token sets with Jaccard similarity ``s`` share at least one band with
    probability ``1 - (1 - s**rows)**bands`` (the defaults rows=3, bands=64 give
    0.06 at s=0.1, 0.40 at s=0.2, 0.82 at s=0.3, 0.98 at s=0.4). On the bundled
    corpus this proposes about 6 % of the cross-document pairs and keeps every
    pair but one scoring 0.6 or more (measured against all pairs).

    >>> blocker = MinHashBlocker()
    >>> docs = [["thanh", "tra", "lien", "nganh"], ["thanh", "tra", "lien", "nganh", "dinh", "ky"],
    ...         ["boi", "an", "toan", "hoc", "sinh"]]
    >>> sorted(blocker.candidate_pairs(docs))
    [(0, 1)]
    """

    def __init__(
        self,
        *,
        bands: int = 64,
        rows: int = 3,
        max_bucket: int = 60,
        window: int = 8,
        seed: int = 20210107,
    ) -> None:
        self.bands = bands
        self.rows = rows
        self.max_bucket = max_bucket
        self.window = window
        rng = random.Random(seed)
        size = bands * rows
        self._a = [rng.randrange(1, _PRIME) for _ in range(size)]
        self._b = [rng.randrange(0, _PRIME) for _ in range(size)]
        self._cache: dict[str, tuple[int, ...]] = {}

    def _token_vector(self, token: str) -> tuple[int, ...]:
        vector = self._cache.get(token)
        if vector is None:
            x = _token_hash(token)
            vector = tuple((a * x + b) % _PRIME for a, b in zip(self._a, self._b, strict=True))
            self._cache[token] = vector
        return vector

    def signature(self, tokens: Sequence[str]) -> tuple[int, ...]:
        """Minimum of each of the ``bands * rows`` hash functions over the token set."""
        vectors = [self._token_vector(t) for t in set(tokens)]
        if not vectors:
            return ()
        return tuple(map(min, zip(*vectors, strict=True)))

    def buckets(self, token_lists: Sequence[Sequence[str]]) -> dict[tuple, list[int]]:
        """Band key -> indices of the token lists sharing it (empty lists skipped)."""
        table: dict[tuple, list[int]] = defaultdict(list)
        for index, tokens in enumerate(token_lists):
            sig = self.signature(tokens)
            if not sig:
                continue
            for band in range(self.bands):
                key = (band, *sig[band * self.rows : (band + 1) * self.rows])
                table[key].append(index)
        return table

    def candidate_arrays(
        self,
        token_lists: Sequence[Sequence[str]],
        keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The pairs of :meth:`candidate_pairs` as two index arrays ``(i, j)``, ``i < j``,
        sorted; ``keep(i_array, j_array)`` returns a boolean mask of the pairs to keep.

        The same pairs as expanding every bucket, without the repeats: token lists
        with one token set share every band, so each set's signature is computed once
        (vectorised over the vocabulary); buckets are found for all bands at once,
        each distinct bucket (the same sets) is expanded once, small buckets of one
        size together, and the pairs are deduplicated as integer arrays.
        """
        n = len(token_lists)
        empty = np.zeros(0, dtype=np.int64)
        groups: dict[frozenset[str], list[int]] = {}
        for index, tokens in enumerate(token_lists):
            if tokens:
                groups.setdefault(frozenset(tokens), []).append(index)
        if not groups:
            return empty, empty
        members = list(groups.values())
        sizes = np.array([len(m) for m in members], dtype=np.int64)
        buckets = self._distinct_buckets(list(groups), sizes)
        rank: list[np.ndarray] = []  # window order, computed when a bucket needs it

        def window(bucket: list[int]) -> np.ndarray:
            if not rank:
                ordered = sorted(
                    (i for i in range(n) if token_lists[i]),
                    key=lambda i: (" ".join(token_lists[i]), i),
                )
                order = np.zeros(n, dtype=np.int64)
                order[np.array(ordered, dtype=np.int64)] = np.arange(len(ordered))
                rank.append(order)
            items = np.array(bucket, dtype=np.int64)
            items = items[np.argsort(rank[0][items], kind="stable")]
            steps = range(1, min(self.window, len(items) - 1) + 1)
            lo = np.concatenate([items[:-d] for d in steps])
            hi = np.concatenate([items[d:] for d in steps])
            return np.minimum(lo, hi) * n + np.maximum(lo, hi)

        pairs = _PairSet(n, keep)
        by_size: dict[int, list[list[int]]] = defaultdict(list)
        for key in buckets:
            if len(key) == 1:
                bucket = members[key[0]]
            else:
                bucket = sorted(i for g in key for i in members[g])
            if len(bucket) > self.max_bucket:
                pairs.add(window(bucket))
            elif len(bucket) > 1:
                by_size[len(bucket)].append(bucket)
        for size, lists in by_size.items():
            left, right = _upper_pairs(size)
            for start in range(0, len(lists), _ROWS_AT_ONCE):
                stacked = np.array(lists[start : start + _ROWS_AT_ONCE], dtype=np.int64)
                pairs.add((stacked[:, left] * n + stacked[:, right]).ravel())  # left < right
        codes = pairs.codes()
        return codes // n, codes % n

    def _distinct_buckets(
        self, token_sets: list[frozenset[str]], sizes: np.ndarray
    ) -> list[tuple[int, ...]]:
        """The distinct buckets holding at least two texts, as sorted tuples of the
        indices of ``token_sets`` (``sizes``: how many texts each set stands for)."""
        vocabulary = sorted({t for tokens in token_sets for t in tokens})
        position = {t: i for i, t in enumerate(vocabulary)}
        vectors = self._token_vectors(vocabulary)
        flat = np.array([position[t] for tokens in token_sets for t in tokens], dtype=np.int64)
        starts = np.cumsum([0] + [len(tokens) for tokens in token_sets[:-1]], dtype=np.int64)
        sigs = np.minimum.reduceat(vectors[flat], starts, axis=0)  # one signature per set
        count = len(token_sets)
        keys = np.empty((count, self.bands, self.rows + 1), dtype=np.uint64)
        keys[:, :, 0] = np.arange(self.bands, dtype=np.uint64)
        keys[:, :, 1:] = sigs.reshape(count, self.bands, self.rows)
        flat_keys = keys.reshape(count * self.bands, self.rows + 1)
        order = np.lexsort(flat_keys.T[::-1])  # by band, then the band's hashes
        ordered = flat_keys[order]
        new_bucket = np.ones(len(order), dtype=bool)
        new_bucket[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
        bucket = np.empty(len(order), dtype=np.int64)
        bucket[order] = np.cumsum(new_bucket) - 1
        owner = np.repeat(np.arange(count, dtype=np.int64), self.bands)
        sets = np.bincount(bucket)
        texts = np.bincount(bucket, weights=sizes[owner]).astype(np.int64)
        alone = (sets[bucket] == 1) & (texts[bucket] > 1)
        found: list[tuple[int, ...]] = [(g,) for g in sorted(set(owner[alone].tolist()))]
        shared = sets[bucket] > 1
        order = np.lexsort((owner[shared], bucket[shared]))
        ids = bucket[shared][order]
        owners = owner[shared][order].tolist()
        bounds = [0, *(np.flatnonzero(np.diff(ids)) + 1).tolist(), len(owners)]
        seen: set[tuple[int, ...]] = set()
        for start, end in pairwise(bounds):
            key = tuple(owners[start:end])
            if key and key not in seen:
                seen.add(key)
                found.append(key)
        return found

    def band_keys(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Each token list's band keys, ``len x bands x rows`` (zeros for an empty list,
        which is in no bucket): two lists share the bucket of band ``b`` when their keys
        of that band are equal (what :meth:`candidate_arrays` groups by).

        >>> keys = MinHashBlocker().band_keys([["a", "b"], ["b", "a", "a"], []])
        >>> keys.shape, bool((keys[0] == keys[1]).all()), bool(keys[2].any())
        ((3, 64, 3), True, False)
        """
        keys = np.zeros((len(token_lists), self.bands, self.rows), dtype=np.uint64)
        groups: dict[frozenset[str], list[int]] = {}  # one signature per distinct set
        for index, tokens in enumerate(token_lists):
            if tokens:
                groups.setdefault(frozenset(tokens), []).append(index)
        if not groups:
            return keys
        sets = [sorted(tokens) for tokens in groups]
        vocabulary = sorted({t for tokens in sets for t in tokens})
        position = {t: i for i, t in enumerate(vocabulary)}
        vectors = self._token_vectors(vocabulary)
        flat = np.array([position[t] for tokens in sets for t in tokens], dtype=np.int64)
        starts = np.cumsum([0] + [len(tokens) for tokens in sets[:-1]], dtype=np.int64)
        sigs = np.minimum.reduceat(vectors[flat], starts, axis=0)
        sigs = sigs.reshape(len(sets), self.bands, self.rows)
        owner = np.repeat(np.arange(len(sets)), [len(m) for m in groups.values()])
        keys[np.fromiter((i for m in groups.values() for i in m), dtype=np.int64)] = sigs[owner]
        return keys

    def _token_vectors(self, tokens: Sequence[str]) -> np.ndarray:
        """:meth:`_token_vector` of many tokens at once, as a ``len(tokens) x size`` array.

        ``(a * x + b) mod (2**61 - 1)`` in 64-bit integers: 31-bit halves keep every
        product below ``2**62``, and ``2**61 = 1`` modulo the prime folds the high parts.
        """
        x = _mod_prime(np.array([_token_hash(t) for t in tokens], dtype=np.uint64))[:, None]
        a = np.array(self._a, dtype=np.uint64)[None, :]
        b = np.array(self._b, dtype=np.uint64)[None, :]
        low31, low30 = np.uint64((1 << 31) - 1), np.uint64((1 << 30) - 1)
        a1, a0 = a >> np.uint64(31), a & low31
        x1, x0 = x >> np.uint64(31), x & low31
        high = (a1 * x1) << np.uint64(1)  # a1 * x1 * 2**62, and 2**62 = 2
        mid = a1 * x0 + a0 * x1  # times 2**31
        mid = (mid >> np.uint64(30)) + ((mid & low30) << np.uint64(31))
        total = _mod_prime(_mod_prime(high) + _mod_prime(mid) + _mod_prime(a0 * x0))
        return _mod_prime(total + b)

    def candidate_pairs(
        self,
        token_lists: Sequence[Sequence[str]],
        keep: Callable[[int, int], bool] | None = None,
    ) -> set[tuple[int, int]]:
        """Index pairs ``(i, j)``, ``i < j``, worth scoring; ``keep`` filters them.

        The pairs of every bucket (see the class docstring), from
        :meth:`candidate_arrays`.
        """
        left, right = self.candidate_arrays(token_lists)
        pairs = zip(left.tolist(), right.tolist(), strict=True)
        if keep is None:
            return set(pairs)
        return {(i, j) for i, j in pairs if keep(i, j)}


def _mod_prime(values: np.ndarray) -> np.ndarray:
    """``values mod (2**61 - 1)`` for unsigned 64-bit integers."""
    prime = np.uint64(_PRIME)
    values = (values & prime) + (values >> np.uint64(61))
    values = (values & prime) + (values >> np.uint64(61))
    return np.where(values >= prime, values - prime, values)


#: Pair codes gathered before they are filtered and deduplicated (memory: 8 bytes each).
_PENDING_CODES = 4_000_000
#: Small buckets of one size expanded this many at a time.
_ROWS_AT_ONCE = 50_000


class _PairSet:
    """Candidate pairs as sorted distinct codes ``i * n + j``, gathered from buckets.

    The same pair stands in up to one bucket per band, so the codes of every bucket
    together are many times the distinct pairs (the 10,000-document build held 6.8 GB
    of them). Codes are filtered by ``keep`` and merged into the distinct set every
    :data:`_PENDING_CODES`, so memory follows the distinct pairs; the result is the
    same sorted array as deduplicating everything at the end.

    >>> s = _PairSet(10, keep=None)
    >>> s.add(np.array([12, 3, 12])); s.add(np.array([3, 45]))
    >>> s.codes().tolist()
    [3, 12, 45]
    """

    def __init__(self, n: int, keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None):
        self.n, self.keep = n, keep
        self.distinct = np.zeros(0, dtype=np.int64)
        self.pending: list[np.ndarray] = []
        self.waiting = 0

    def add(self, codes: np.ndarray) -> None:
        self.pending.append(codes)
        self.waiting += len(codes)
        if self.waiting >= _PENDING_CODES:
            self._merge()

    def _merge(self) -> None:
        if not self.pending:
            return
        fresh = _sorted_distinct(np.concatenate(self.pending))
        self.pending, self.waiting = [], 0
        if self.keep is not None:
            fresh = fresh[np.asarray(self.keep(fresh // self.n, fresh % self.n), dtype=bool)]
        self.distinct = _sorted_distinct(np.concatenate([self.distinct, fresh]))

    def codes(self) -> np.ndarray:
        """The distinct kept codes, sorted."""
        self._merge()
        return self.distinct


def _sorted_distinct(codes: np.ndarray) -> np.ndarray:
    """``codes`` sorted, each once (``np.unique``'s answer: a sort and a comparison with
    the neighbour, 50x faster here than ``np.unique`` of NumPy 2.4 on millions of codes).

    >>> _sorted_distinct(np.array([5, 1, 5, 3])).tolist()
    [1, 3, 5]
    """
    codes = np.sort(codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes


@lru_cache(maxsize=256)
def _upper_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``x < y`` below ``size`` (the pairs of one small bucket)."""
    left, right = np.triu_indices(size, 1)
    return left.astype(np.int64), right.astype(np.int64)
