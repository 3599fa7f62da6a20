"""Source spans on the bundled corpus: one node quotes one text, and quotes are verbatim.

Two facts of one line each quote their own part of it (HCMC 4063 line 278: the task
"(i) Hỗ trợ trẻ em khuyết tật ..." and the assignment "Sở Y tế chủ trì triển khai: ...",
which is the whole printed paragraph). Before the fix they shared one span node with
two ``ob:quote`` values, so a reader could not tell which text backs which fact.
"""

from __future__ import annotations

F4063 = "qd-4063-ubnd-tphcm-2022-ke-hoach-vi-tre-em-den-2030.txt"
PREFIX = "PREFIX ob: <https://w3id.org/obligraph/ontology#>\n"


def test_every_span_has_exactly_one_quote(corpus_store):
    many = corpus_store.query(
        PREFIX
        + """SELECT ?s WHERE { ?s a ob:SourceSpan ; ob:quote ?q }
             GROUP BY ?s HAVING (COUNT(DISTINCT ?q) != 1)"""
    )
    assert list(many.rows) == []


def test_task_and_assignment_of_one_line_quote_their_own_text(corpus_store, corpus_files):
    lines = next(p for p in corpus_files if p.name == F4063).read_text(encoding="utf-8")
    line278 = lines.splitlines()[277]
    assert line278.startswith("- Sở Y tế chủ trì triển khai: (i) Hỗ trợ trẻ em khuyết tật")
    rows = corpus_store.query(
        PREFIX
        + """SELECT ?taskQuote ?assignmentQuote ?taskSpan ?assignmentSpan WHERE {
               ?task a ob:Task ; ob:source ?taskSpan .
               ?taskSpan ob:lineStart 278 ; ob:sourceFile ?file ; ob:quote ?taskQuote .
               FILTER(STRENDS(STR(?task), "-i"))
               ?a a ob:Assignment ; ob:task ?task ; ob:source ?assignmentSpan .
               ?assignmentSpan ob:quote ?assignmentQuote .
             }""",
    ).rows
    assert len(rows) == 1
    task_quote, assignment_quote, task_span, assignment_span = (str(v) for v in rows[0])
    assert task_quote.startswith("Hỗ trợ trẻ em khuyết tật tiếp cận với các dịch vụ")
    assert task_quote in line278  # verbatim part of the line
    assert assignment_quote.lstrip("- ") in line278 and "Sở Y tế chủ trì" in assignment_quote
    assert task_span != assignment_span
