"""Each page speaks one language: Vietnamese by default, English with ``?lang=en``.

The pages a planner, a lawyer and an auditor walk (home with a search, a unit, two
documents, the overview, a task, the named queries, the calendar where there is one)
are read outside the documents' own words (``<blockquote>`` quotes, task texts and
names as written stay as they are) and outside codes (``<code>``: finding codes,
IRIs; a command's option such as ``--gazetteer``). A Vietnamese page may not show
``None``, an English phrase of the finding catalogue or of an overlap reason, a
concept's English label or its CamelCase name, nor a task id such as ``annex-1-a``
where a person reads a row label; an English page may not show the Vietnamese ones.
"""

from __future__ import annotations

import html
import re
import string

import httpx
import pytest
from obligraph.graph.analysis.overlap_reasons import WORDS
from obligraph.viz.web.i18n import labels
from obligraph.viz.web.labels import _concepts

from obligraph.base.finding_codes import catalogue

pytestmark = pytest.mark.server

PAGES = (
    "/?q=tre+em",
    "/unit/cuc-tre-em",
    "/doc/qd/704-qd-ldtbxh/2021",
    "/doc/qd/4063-qd-ubnd-thanh-pho-ho-chi-minh/2022",
    "/overview",
    "/task/qd/704-qd-ldtbxh/2021/task/annex-1-a",
    "/queries",
    "/calendar",
    "/unit/cuc-tre-em?programme=1863/QĐ-TTg&sort=-due",
    "/register/document/qd/704-qd-ldtbxh/2021",
    "/register/search?q=tre+em",
    "/queries/obligations-of-unit",
    "/queries/obligations-of-unit?unit=C%E1%BB%A5c+Tr%E1%BA%BB+em&run=1",
)
#: English words a Vietnamese page's own wording never needs.
ENGLISH_WORDS = (
    "None", "annex", "indicator", "target", "reworded", "score", "shared", "gazetteer",
    "missing", "lead", "support", "body", "row", "item", "the", "and", "of", "is",
)  # fmt: skip
#: A task id shown as text (a link's address or an anchor may hold it).
TASK_ID = re.compile(r"\b(?:annex\d*|[IVX]+)-[\w.-]+|\bannex-\w+")


def visible(page: str) -> str:
    """The page's text outside quotes of the documents, codes, scripts and tags."""
    for tag in ("blockquote", "code", "script", "style", "datalist", "select"):
        page = re.sub(rf"<{tag}\b.*?</{tag}>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    page = re.sub(r"(?<!\w)--[a-z][a-z-]*", " ", html.unescape(page))  # a command's option
    return " ".join(page.split())


def _pieces(template: str) -> list[str]:
    """The fixed words of a template (between its details), of four words or more (so
    not a phrase any document says too)."""
    out = []
    for literal, *_ in string.Formatter().parse(template):
        out += [p.strip(" ,;:()'“”") for p in re.split(r"[;:()]", literal)]
    return [p for p in out if len(p.split()) >= 4]


def phrases(lang: str) -> set[str]:
    """Phrases only a page in ``lang`` may show."""
    found: set[str] = set()
    for entry in catalogue().values():
        for texts in (entry.texts, *entry.variants.values()):
            found |= set(_pieces(texts[lang]))
        found |= {entry.title[lang]} if len(entry.title[lang].split()) >= 4 else set()
    for template in WORDS[lang].values():
        found |= set(_pieces(template))
    other = "vi" if lang == "en" else "en"
    return {p for p in found if p not in phrases_of(other)}


def phrases_of(lang: str) -> str:
    texts = [e.texts.get(lang, "") for e in catalogue().values()] + list(WORDS[lang].values())
    return " ".join(texts)


def concept_labels(lang: str) -> set[str]:
    other = "vi" if lang == "en" else "en"
    return {v[lang] for v in _concepts().values() if v.get(lang) and v.get(lang) != v.get(other)}


#: Columns whose cells show concepts (severity, role, status, relation, recurrence).
CONCEPT_COLUMNS = ("severity", "role", "status", "relation", "due", "level")


def concept_cells(page: str, lang: str) -> list[str]:
    """The text of the cells of :data:`CONCEPT_COLUMNS` (found by their headings) and of
    the unit's level: where a concept would show as a code or in the other language."""
    t = labels(lang)
    wanted = {t[c] for c in CONCEPT_COLUMNS}
    page = re.sub(r"<blockquote>.*?</blockquote>", " ", page, flags=re.S)
    out = []
    for table in re.findall(r"<table\b.*?</table>", page, flags=re.S):
        heads = [visible(h) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", table, flags=re.S)]
        keep = [i for i, h in enumerate(heads) if h in wanted]
        for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", table, flags=re.S):
            tds = re.findall(r"<td\b[^>]*>(.*?)</td>", row, flags=re.S)
            out += [visible(tds[i]) for i in keep if i < len(tds)]
    for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", page, flags=re.S):
        if visible(dt) in wanted:
            out.append(visible(dd))
    return out


def _has(cell: str, label: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(label)}(?!\w)", cell) is not None


def pages(site: str, lang: str) -> dict[str, str]:
    out = {}
    for path in PAGES:
        url = site + path + (("&" if "?" in path else "?") + "lang=en" if lang == "en" else "")
        r = httpx.get(url, timeout=60)
        if path == "/calendar" and r.status_code == 404:
            continue
        assert r.status_code == 200, (path, r.status_code)
        out[path] = r.text
    return out


@pytest.fixture(scope="module")
def vietnamese(site) -> dict[str, str]:
    return pages(site, "vi")


@pytest.fixture(scope="module")
def english(site) -> dict[str, str]:
    return pages(site, "en")


def test_vietnamese_pages_show_no_english(vietnamese):
    local_names = {k for k in _concepts() if re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+", k)}
    english = phrases("en")
    concept_en = concept_labels("en")
    for path, page in vietnamese.items():
        text = visible(page)
        for word in ENGLISH_WORDS:
            assert not re.search(rf"\b{word}\b", text), (path, word, _around(text, word))
        for name in local_names:
            assert not re.search(rf"\b{name}\b", text), (path, name)
        for phrase in english:
            assert phrase not in text, (path, phrase)
        for cell in concept_cells(page, "vi"):
            assert not any(_has(cell, c) for c in concept_en | local_names), (path, cell)
        assert not TASK_ID.search(text), (path, TASK_ID.search(text).group(0))


def test_english_pages_show_no_vietnamese_labels(english):
    vietnamese = phrases("vi")
    concept_vi = concept_labels("vi")
    ui_vi = {v for k, v in labels("vi").items() if v != labels("en").get(k)}
    for path, page in english.items():
        text = visible(page)
        assert not re.search(r"\bNone\b", text), path
        for phrase in vietnamese:
            assert phrase not in text, (path, phrase)
        for cell in concept_cells(page, "en"):
            assert not any(_has(cell, c) for c in concept_vi), (path, cell)
        for th in re.findall(r"<(?:th|dt)\b[^>]*>(.*?)</(?:th|dt)>", page, flags=re.S):
            assert visible(th) not in ui_vi, (path, visible(th))
        for h in re.findall(r"<h[1-3]\b[^>]*>(.*?)</h[1-3]>", page, flags=re.S):
            heading = re.sub(r"\s*\(\d+\)$", "", visible(h))
            assert heading not in ui_vi, (path, heading)
        assert not re.search(r"Phụ lục, (mục|dòng)|gạch đầu dòng \d", text), path
        assert not TASK_ID.search(text), (path, TASK_ID.search(text).group(0))


def test_rows_are_labelled_as_in_the_document(vietnamese, english):
    task = "/task/qd/704-qd-ldtbxh/2021/task/annex-1-a"
    assert "Phụ lục, mục 1, điểm a" in visible(vietnamese[task])
    assert "Annex, item 1, point a" in visible(english[task])
    # the id stays where programs read it: the row's anchor and the task's address
    assert 'id="task-annex-1-a"' in vietnamese["/doc/qd/704-qd-ldtbxh/2021"]
    assert "/task/qd/704-qd-ldtbxh/2021/task/annex-1-a" in vietnamese["/unit/cuc-tre-em"]


def test_findings_speak_the_page_language(vietnamese, english):
    doc = "/doc/qd/704-qd-ldtbxh/2021"
    vi, en = visible(vietnamese[doc]), visible(english[doc])
    assert "Vụ Pháp chế vừa chủ trì vừa phối hợp ở phụ lục, mục 2, điểm c" in vi
    assert "Vụ Pháp chế is both lead and support of annex row 2-c" in en
    assert "Cảnh báo" in vi and "Warning" in en and "Lỗi" in vi and "Error" in en


def test_recurrences_and_reasons_speak_the_page_language(vietnamese, english):
    unit = "/unit/cuc-tre-em"
    vi, en = visible(vietnamese[unit]), visible(english[unit])
    assert "Hằng năm" in vi and "Sáu tháng một lần" in vi
    assert "Annual" in en and "Semi-annual" in en
    assert "mức giống" in vi and "score" in en


def _around(text: str, word: str) -> str:
    m = re.search(rf"\b{word}\b", text)
    return text[max(0, m.start() - 80) : m.end() + 80] if m else ""
