"""Corrections, statuses and removing a document, on the bundled corpus (library level).

Read off the document: row a of 704/QĐ-LĐTBXH's annex (corpus file, line 141) names
"Cục Trẻ em" as lead (chủ trì) and Cục Bảo trợ xã hội, Cục Phòng, chống tệ nạn xã
hội, Cục An toàn lao động, Cục Việc làm and Văn phòng Quốc gia về giảm nghèo as
support (phối hợp). ``people_store`` (tests/conftest.py) moves the lead to Vụ Kế
hoạch - Tài chính, gives the task a due date of yesterday and reports it in
progress; a third correction names a task the document does not have.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from obligraph.graph.build import write_documents
from obligraph.graph.corrections import (
    Correction,
    apply_corrections,
    check_correction,
    correction_stats,
    read_corrections,
    stored_corrections,
)
from obligraph.graph.export import obligation_rows
from obligraph.graph.remove import remove_document
from obligraph.graph.status import (
    StatusEntry,
    apply_statuses,
    check_entry,
    current_states,
    read_statuses,
    stored_statuses,
)
from obligraph.graph.stores import open_store
from obligraph.queries.library import run
from rdflib import URIRef

from obligraph.base.errors import InputError
from obligraph.base.vocab import Iris

TASK = "704/QĐ-LĐTBXH#annex-1-a"
TASK_IRI = URIRef("https://w3id.org/obligraph/id/doc/qd/704-qd-ldtbxh/2021/task/annex-1-a")
GRAPH_704 = URIRef("https://w3id.org/obligraph/id/graph/qd/704-qd-ldtbxh/2021")
LEADS = """
PREFIX ob:   <https://w3id.org/obligraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?name WHERE { ?task ob:lead ?u . ?u skos:prefLabel ?name }"""
LEADS_IN_DOCUMENT = """
PREFIX ob:   <https://w3id.org/obligraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?name WHERE {
  GRAPH ?g { ?doc ob:loaded true . ?task ob:lead ?u }  # a document's own graph
  ?u skos:prefLabel ?name }"""


def names(store, query: str) -> set[str]:
    return {str(r["name"]) for r in store.query(query, bindings={"task": TASK_IRI}).dicts()}


@pytest.fixture(scope="module")
def doc_704(corpus_docs):
    return [d for d in corpus_docs if d.number == "704/QĐ-LĐTBXH"]


# ------------------------------------------------------------------ the files


def test_correction_file_errors_name_the_line(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text(
        "target,field,old,new,by,date,why\n"
        f"{TASK},lead,Cục Trẻ em,Cục Việc làm,A,2026-03-15,ok\n"
        f"{TASK},leader,,Cục Việc làm,A,2026-03-15,typo in the field\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="unknown field 'leader'") as err:
        read_corrections(path)
    assert err.value.file == str(path) and err.value.line == 3
    path.write_text(f"target,field,new,by,date\n{TASK},due,31/2/2026,A,2026-03-15\n")
    with pytest.raises(InputError, match="not a date") as err:
        read_corrections(path)
    assert err.value.line == 2
    path.write_text(f"target,field,new,by,when\n{TASK},due,1/2/2026,A,2026-03-15\n")
    with pytest.raises(InputError, match="unknown column 'when'"):
        read_corrections(path)


def test_corrections_file_reads_vietnamese_dates_and_a_bom(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text(
        "\ufefftarget,field,old,new,by,date,why\n"
        f'{TASK},due,,30/6/2026,Nguyễn Văn A,15/3/2026,"Kế hoạch, sửa đổi"\n',
        encoding="utf-8",
    )
    [c] = read_corrections(path)
    assert (c.field, c.new, c.date, c.why, c.line) == (
        "due",
        "2026-06-30",
        "2026-03-15",
        "Kế hoạch, sửa đổi",
        2,
    )


def test_status_file_refuses_overdue_and_unknown_words(tmp_path):
    path = tmp_path / "status.csv"
    path.write_text(f"task,status,date\n{TASK},quá hạn,1/3/2026\n", encoding="utf-8")
    with pytest.raises(InputError, match="derived") as err:
        read_statuses(path)
    assert err.value.line == 2
    path.write_text(f"task,status,date\n{TASK},Hoàn thành,1/3/2026\n", encoding="utf-8")
    assert read_statuses(path)[0].status == "done"


# ------------------------------------------------------------------ the two readings


def test_corrected_reading_is_the_default_and_the_document_keeps_its_own(people_store):
    assert names(people_store, LEADS) == {"Vụ Kế hoạch - Tài chính"}
    assert names(people_store, LEADS_IN_DOCUMENT) == {"Cục Trẻ em"}
    # the document's own graph is untouched: the extracted assignment is still there
    doc = set(people_store.graph_triples(GRAPH_704))
    assert any(p.endswith("#lead") and (s == TASK_IRI) for s, p, _ in doc)


def test_registers_follow_the_corrected_reading(people_store):
    def tasks(unit: str) -> set[tuple[str, str]]:
        rows = run(people_store, "obligations-of-unit", {"unit": unit, "subunits": "false"})
        return {
            (str(r["taskId"]), str(r["role"]))
            for r in rows.dicts()
            if str(r["document"]) == "704/QĐ-LĐTBXH"
        }

    assert ("annex-1-a", "lead") in tasks("Vụ Kế hoạch - Tài chính")
    assert ("annex-1-a", "lead") not in tasks("Cục Trẻ em")
    assert ("annex-1-b", "lead") in tasks("Cục Trẻ em")  # line 142 is not corrected


def test_export_marks_the_corrected_row(people_store):
    rows = [
        r
        for r in obligation_rows(people_store)
        if (r["document"], r["task_id"]) == ("704/QĐ-LĐTBXH", "annex-1-a")
    ]
    leads = [r for r in rows if r["role"] == "lead"]
    assert [(r["unit"], r["corrected"]) for r in leads] == [("Vụ Kế hoạch - Tài chính", True)]
    assert all(not r["corrected"] for r in rows if r["role"] == "support")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert {(r["due_date"], r["status"], r["status_date"]) for r in rows} == {
        (yesterday, "overdue", "2026-03-01")
    }


def test_a_correction_whose_target_is_gone_is_kept_and_reported(people_store):
    rows = run(people_store, "corrections").dicts()
    assert [(str(r["target"]), r["applied"].toPython()) for r in rows] == [
        (TASK, True),
        (TASK, True),
        ("704/QĐ-LĐTBXH#annex-9-z", False),
    ]
    assert "no task 'annex-9-z'" in str(rows[2]["notAppliedBecause"])
    assert [c.line for c in stored_corrections(people_store)] == [2, 3, 4]


def test_check_counts_corrections_per_document_and_extractor(people_store):
    stats = correction_stats(people_store)
    [doc] = stats["documents"]
    # lead: the ob:lead statement and the assignment node's six; due: nothing to set aside
    assert (doc["document"], doc["corrections"], doc["statements_set_aside"]) == (
        "704/QĐ-LĐTBXH",
        2,
        7,
    )
    [table] = stats["extractors"]
    assert table["extractor"] == "table" and table["tasks_corrected"] == 1


def test_unit_correction_rewrites_the_unit_throughout_a_document(doc_704, gazetteer):
    store = open_store(memory=True)
    c = check_correction(
        Correction("704/QĐ-LĐTBXH", "unit", "A", "2026-03-15", "Cục Việc làm", "Cục Trẻ em")
    )
    write_documents(doc_704, store, gazetteer=gazetteer, corrections=[c])
    rows = run(store, "obligations-of-unit", {"unit": "Cục Việc làm", "subunits": "false"})
    assert rows.rows == []
    extracted = store.query(
        "PREFIX ob: <https://w3id.org/obligraph/ontology#> SELECT (COUNT(*) AS ?n) WHERE "
        "{ GRAPH ?g { ?a ob:unit <https://w3id.org/obligraph/id/unit/cuc-viec-lam> } }"
    )
    assert int(extracted.rows[0][0]) > 0  # the document's reading still names it


def test_withdrawing_a_correction_restores_the_document_reading(doc_704, gazetteer):
    store = open_store(memory=True)
    c = check_correction(Correction(TASK, "lead", "A", "2026-03-15", "*", "Cục Việc làm"))
    write_documents(doc_704, store, gazetteer=gazetteer, corrections=[c])
    assert names(store, LEADS) == {"Cục Việc làm"}
    apply_corrections(store, [], gazetteer=gazetteer)
    assert names(store, LEADS) == {"Cục Trẻ em"}


# ------------------------------------------------------------------ status


def test_a_status_makes_a_task_overdue_on_the_right_day(doc_704, gazetteer):
    store = open_store(memory=True)
    due = check_correction(Correction(TASK, "due", "A", "2026-03-15", "", "31/3/2026"))
    started = check_entry(StatusEntry(TASK, "in-progress", "2026-03-01", line=2))
    write_documents(doc_704, store, gazetteer=gazetteer, corrections=[due], statuses=[started])
    assert current_states(store, date(2026, 3, 31))[str(TASK_IRI)][0] == "in-progress"
    assert current_states(store, date(2026, 4, 1))[str(TASK_IRI)][0] == "overdue"
    done = check_entry(StatusEntry(TASK, "done", "2026-04-10", line=3))
    apply_statuses(store, [started, done])
    assert current_states(store, date(2026, 4, 11))[str(TASK_IRI)] == ("done", "2026-04-10")
    [row] = [
        r
        for r in obligation_rows(store, today=date(2026, 4, 11))
        if (r["document"], r["task_id"], r["role"]) == ("704/QĐ-LĐTBXH", "annex-1-a", "lead")
    ]
    assert (row["status"], row["due_date"]) == ("done", "2026-03-31")


def test_a_later_build_re_applies_the_stored_statuses(doc_704, gazetteer):
    """A build given no statuses re-applies those the store holds, read from the status
    graph only (its IRIs given): the same entries as read from every graph."""
    store = open_store(memory=True)
    started = check_entry(StatusEntry(TASK, "in-progress", "2026-03-01", line=2))
    write_documents(doc_704, store, gazetteer=gazetteer, statuses=[started])
    assert stored_statuses(store, Iris()) == stored_statuses(store) != []
    write_documents(doc_704, store, gazetteer=gazetteer)  # statuses=None: those stored
    assert current_states(store, date(2026, 3, 2))[str(TASK_IRI)][0] == "in-progress"
    assert stored_statuses(store, Iris()) == stored_statuses(store)
    assert stored_statuses(store, Iris("https://example.org/other/")) == []


def test_overdue_named_query_lists_the_task_of_the_unit(people_store):
    rows = run(people_store, "overdue-obligations", {"unit": "Vụ Kế hoạch - Tài chính"}).dicts()
    assert [(str(r["taskId"]), str(r["status"]), int(r["daysOverdue"])) for r in rows] == [
        ("annex-1-a", "in-progress", 1)
    ]
    assert str(rows[0]["note"]) == "Đã họp" and int(rows[0]["line"]) == 141


# ------------------------------------------------------------------ removing a document


def test_removing_a_document_leaves_the_store_as_a_build_without_it(corpus_docs, gazetteer):
    built = open_store(memory=True)
    correction = check_correction(Correction(TASK, "lead", "A", "2026-03-15", "*", "Cục Việc làm"))
    write_documents(corpus_docs, built, gazetteer=gazetteer, corrections=[correction])
    report = remove_document(built, "704/QĐ-LĐTBXH", iris=Iris(), gazetteer=gazetteer)
    assert report.triples > 1000 and report.graph == str(GRAPH_704)
    assert [c["target"] for c in report.corrections_not_applied] == [TASK]
    fresh = open_store(memory=True)
    others = [d for d in corpus_docs if d.number != "704/QĐ-LĐTBXH"]
    write_documents(others, fresh, gazetteer=gazetteer, corrections=[correction])
    assert set(built.quads()) == set(fresh.quads())
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert set(built.query(everything).rows) == set(fresh.query(everything).rows)
