"""Find a loaded document or a task from what a person writes.

People name a document by its number (``704/QĐ-LĐTBXH``), its IRI, the IRI's
tail after the base (``doc/qd/704-qd-ldtbxh/2021``, as in the web app's
addresses) or its file (``704-QD-LDTBXH.txt``, with or without folders); a task
by ``NUMBER#TASK_ID`` (``704/QĐ-LĐTBXH#annex-1-a``), its IRI or its IRI's tail.
Numbers are compared without case and diacritics. A name that matches nothing,
or several documents, raises :class:`~obligraph.base.errors.InputError` saying so.

>>> split_task_ref("704/QĐ-LĐTBXH#annex-1-a")
('704/QĐ-LĐTBXH', 'annex-1-a')
>>> split_task_ref("doc/qd/704-qd-ldtbxh/2021/task/annex-1-a")
('doc/qd/704-qd-ldtbxh/2021', 'annex-1-a')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from obligraph.queries.library import run_internal
from rdflib import URIRef

from obligraph.base.errors import InputError
from obligraph.base.textkeys import fold
from obligraph.base.vocab import Iris


@dataclass(frozen=True)
class LoadedDocument:
    """A document loaded into the store: IRI, number, file."""

    iri: URIRef
    number: str
    file: str


def split_task_ref(ref: str) -> tuple[str, str]:
    """``(document part, task id)`` of a task reference."""
    ref = ref.strip()
    if "#" in ref and not ref.startswith("http"):
        doc, _, task = ref.rpartition("#")
        return doc.strip(), task.strip()
    if "/task/" in ref:
        doc, _, task = ref.rpartition("/task/")
        return doc, task
    raise InputError(f"not a task reference: {ref!r} (write NUMBER#TASK_ID, e.g. 704/QĐ-LĐTBXH#1)")


def loaded_documents(store) -> list[LoadedDocument]:
    """Every document loaded into ``store`` (not those only cited)."""
    out = []
    for r in run_internal(store, "targets-loaded-documents").dicts():
        out.append(LoadedDocument(URIRef(r["doc"]), str(r["number"] or ""), str(r["file"] or "")))
    return out


def matches(doc: LoadedDocument, ref: str, iris: Iris) -> bool:
    """Whether ``ref`` (number, IRI, IRI tail or file) names the loaded ``doc``."""
    if ref in (str(doc.iri), str(doc.iri)[len(iris.base) :]):
        return True
    if doc.number and fold(doc.number) == fold(ref):
        return True
    if doc.file and "/" not in ref and PurePath(doc.file).name == ref:
        return True
    return bool(doc.file) and doc.file == ref


def find_document(store, ref: str, iris: Iris | None = None) -> LoadedDocument:
    """The loaded document ``ref`` names (number, IRI, IRI tail or file)."""
    iris = iris or Iris()
    ref = ref.strip().strip("<>").strip("/")
    docs = loaded_documents(store)
    found = [d for d in docs if matches(d, ref, iris)]
    if len(found) > 1:
        exact = [d for d in found if ref in (str(d.iri), str(d.iri)[len(iris.base) :])]
        if len(exact) == 1:
            return exact[0]
        names = ", ".join(str(d.iri)[len(iris.base) :] for d in found)
        raise InputError(f"{ref!r} names {len(found)} documents ({names}); give the IRI's tail")
    if not found:
        raise InputError(f"no loaded document is {ref!r} (give its number, file or IRI)")
    return found[0]


def find_task(store, ref: str, iris: Iris | None = None) -> tuple[URIRef, LoadedDocument]:
    """``(task IRI, its document)`` for ``NUMBER#TASK_ID``, a task IRI or its tail."""
    iris = iris or Iris()
    doc_ref, task_id = split_task_ref(ref.strip().strip("<>"))
    doc = find_document(store, doc_ref, iris)
    rows = run_internal(store, "targets-document-tasks", bindings={"doc": doc.iri}).dicts()
    ids = {str(r["id"]): URIRef(r["task"]) for r in rows}
    by_tail = {str(t).rsplit("/task/", 1)[-1]: t for t in ids.values()}
    task = ids.get(task_id) or by_tail.get(task_id)
    if task is None:
        folded = {fold(k): v for k, v in ids.items()}
        task = folded.get(fold(task_id))
    if task is None:
        raise InputError(
            f"{doc.number or doc.iri} has no task {task_id!r} "
            f"({len(ids)} tasks; `obligraph query tasks-of-document` lists them)"
        )
    return task, doc
