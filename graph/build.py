"""The build: files -> records -> RDF -> the store, one named graph per document, then
what is derived from them (overlaps, succession, the summary counts).

:mod:`obligraph.graph.rdf` turns each document's records into the triples of its
named graph; :func:`build` reads files and folders, loads
every document FIRST (a bad file raises before anything is written), then
replaces each document's graph in its own transaction and refreshes the
overlaps.

Loading is done on all cores for big inputs (:func:`prepare_files`: the loaders
are pure functions, so a pool of processes loads files and returns each
document's graph as checked, compressed N-Triples in file order). Only those
bytes and a few counts are kept until every file has passed, not the records or
rdflib triples of the whole corpus; the store then writes them in bulk
(``Store.write_graphs``).
"""

from __future__ import annotations

import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from obligraph.graph.rdf import (
    document_iri,
    document_triples,
    gazetteer_graph,
)
from obligraph.loaders import records as rec
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from obligraph.base.errors import InputError, ObligraphError, ParseError
from obligraph.base.vocab import OB, ORG, Iris

DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".doc")


def _blur(term) -> object:
    if isinstance(term, BNode):
        return "_"
    if isinstance(term, Literal):  # stores may normalise datatypes (nonNegativeInteger)
        return ("literal", str(term), term.language)
    return term


def _shape(triples) -> Counter:
    """Triples with blank nodes and datatypes blurred: equal for two parses of one file."""
    return Counter(tuple(_blur(t) for t in triple) for triple in triples)


def write_ontology(store, iris: Iris | None = None) -> bool:
    """Put the ontology into ``graph/ontology`` unless the same one is there already.

    Its blank nodes (OWL lists, restrictions) are fresh on every write, so the
    graph is rewritten only when its content changed: rebuilding stays idempotent.
    """
    from obligraph.ontology import ontology_graph

    iri = (iris or Iris()).special_graph("ontology")
    new = ontology_graph()
    if _shape(store.graph_triples(iri)) == _shape(new):
        return False
    store.replace_graph(iri, new)
    return True


def expand_paths(
    paths: Iterable[str | Path], unreadable: list[tuple[Path, str]] | None = None
) -> list[Path]:
    """Files to load: files as given, folders expanded to their documents.

    A folder contributes its ``*.txt``, ``*.md``, ``*.html``, ``*.docx``, ``*.pdf`` (and
    ``*.doc``, refused with the conversion to run) files, recursively and sorted,
    except ``README*`` files, which describe a folder rather than being a document. A
    missing path, or a folder with no document, is an InputError. A folder (or
    subfolder) that cannot be listed is never skipped silently: it is appended to
    ``unreadable`` as ``(path, reason)``, or, when no list is given, raises an
    InputError naming it.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("x"); _ = (d / "README.md").write_text("x")
    >>> [p.name for p in expand_paths([d])]
    ['a.txt']
    """
    files: list[Path] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            found, bad = _walk_folder(p)
            for folder, reason in bad:
                if unreadable is None:
                    raise InputError(f"cannot read folder: {reason}", file=str(folder))
                unreadable.append((folder, reason))
            if not found and not bad:
                raise InputError(
                    "folder holds no .txt, .md, .html, .docx or .pdf document", file=str(p)
                )
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise InputError("no such file or folder", file=str(p))
    unique: dict[Path, None] = {}
    for f in files:
        unique.setdefault(f.resolve(), None)
    return list(unique)


def _walk_folder(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The documents under ``folder`` (sorted) and the subfolders that could not be listed."""
    bad: list[tuple[Path, str]] = []

    def failed(exc: OSError) -> None:
        bad.append((Path(exc.filename or folder), exc.strerror or str(exc)))

    found = [
        Path(root) / name
        for root, _dirs, names in os.walk(folder, onerror=failed)
        for name in names
        if Path(name).suffix.lower() in DOCUMENT_SUFFIXES
        and not name.lower().startswith("readme")
        and (Path(root) / name).is_file()
    ]
    return sorted(found), sorted(bad)


@dataclass
class BuildReport:
    """What a build loaded (counts over the documents of this build)."""

    documents: int = 0
    tasks: int = 0
    units: int = 0
    assignments: int = 0
    indicators: int = 0
    targets: int = 0
    findings: int = 0
    triples: int = 0
    seconds: float = 0.0
    store: str = ""
    # the store's counts after the build, as graph/summary defines them (``units``
    # above: the units the built documents name, issuers included)
    units_known: int = 0
    units_with_tasks: int = 0
    overlaps: int = 0
    overlapping_pairs: int = 0
    files: list[str] = field(default_factory=list)
    # where each loaded file lies on this machine, by SHA-256 (kept beside the store,
    # never in the graph: graph/sources.py)
    sources: dict[str, str] = field(default_factory=dict)
    graphs: list[str] = field(default_factory=list)
    failed: list[LoadFailure] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    unofficial: list[str] = field(default_factory=list)
    # people's corrections and statuses applied after the documents were written
    corrections_applied: int = 0
    corrections_not_applied: list[dict] = field(default_factory=list)
    statuses_applied: int = 0
    statuses_not_applied: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        skip = ("files", "graphs", "failed", "duplicates", "unofficial", "sources")
        out = {k: v for k, v in self.__dict__.items() if k not in skip}
        out["failed"] = [f.as_dict() for f in self.failed]
        out["duplicates"] = list(self.duplicates)
        out["unofficial"] = list(self.unofficial)
        return out

    @property
    def exit_code(self) -> int:
        """0: every file loaded; 1: some files were reported and the rest loaded."""
        return 1 if self.failed else 0


@dataclass(frozen=True)
class LoadFailure:
    """A file a build could not load: where and why (the rest of the build goes on)."""

    file: str
    path: str
    line: int | None
    reason: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "reason": self.reason}

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        return f"{where}: {self.reason}"


Progress = Callable[[str, int, int, str], None]

#: Inputs with fewer files than this are loaded in this process (a pool costs ~1 s to start).
PARALLEL_MIN_FILES = 24


@dataclass
class PreparedDocument:
    """One loaded document, ready to write: its graph as zlib-compressed N-Triples
    (checked by pyoxigraph) and what the build report counts.

    >>> from obligraph.loaders.records import Document
    >>> prep = prepare_document(Document("a.txt", "/tmp/a.txt", "0" * 64, 1, number="9/KH-UBND"))
    >>> prep.graph_iri.endswith("/graph/vb/9-kh-ubnd"), prep.tasks
    (True, 0)
    >>> b"9/KH-UBND" in prep.ntriples()
    True
    """

    source_file: str
    path: str
    doc_iri: str
    graph_iri: str
    data: bytes
    units: frozenset[str]
    tasks: int = 0
    assignments: int = 0
    indicators: int = 0
    targets: int = 0
    findings: int = 0
    sha256: str = ""
    official: bool = True
    also_from: list[str] = field(default_factory=list)  # other files holding this document

    def ntriples(self) -> bytes:
        """The document's graph as N-Triples (UTF-8), with every file it came from."""
        data = zlib.decompress(self.data)
        if not self.also_from:
            return data
        extra = "".join(
            f"<{self.doc_iri}> <{OB.duplicateFile}> {Literal(name).n3()} .\n"
            for name in self.also_from
        )
        return data + extra.encode("utf-8")


def prepare_document(doc: rec.Document, iris: Iris | None = None) -> PreparedDocument:
    """Build one document's triples, serialise and check them (QueryError on a bad term)."""
    from obligraph.graph.stores.terms import ntriples

    iris = iris or Iris()
    doc_iri = document_iri(doc, iris)
    triples = document_triples(doc, iris)
    units = frozenset(str(s) for s, p, o in triples if p == RDF.type and o == ORG.Organization)
    return PreparedDocument(
        source_file=doc.source_file,
        path=doc.path or doc.source_file,
        doc_iri=str(doc_iri),
        graph_iri=str(iris.graph(doc_iri)),
        data=zlib.compress(ntriples(triples), 1),
        units=units,
        tasks=len(doc.tasks),
        assignments=sum(len(t.assignments) for t in doc.tasks),
        indicators=len(doc.indicators),
        targets=sum(len(i.targets) for i in doc.indicators),
        findings=len(doc.findings),
        sha256=doc.sha256,
        official=doc.official,
    )


def _prepare_or_fail(path: Path, gazetteer, iris: Iris) -> PreparedDocument | LoadFailure:
    """Load and prepare one file, or say why it could not be (a build goes on)."""
    try:
        return _prepare_path(path, gazetteer, iris)
    except ObligraphError as exc:
        return LoadFailure(path.name, str(path), exc.line, exc.message)


def _prepare_path(path: Path, gazetteer, iris: Iris) -> PreparedDocument:
    """Load and prepare one file; every error names the file."""
    from obligraph.loaders import load_document

    try:
        return prepare_document(load_document(path, gazetteer=gazetteer), iris)
    except ObligraphError as exc:
        if not exc.file:
            exc.file = str(path)
        raise
    except Exception as exc:  # a loader bug must still name the file
        raise ParseError(f"cannot load: {type(exc).__name__}: {exc}", file=str(path)) from exc


_WORKER: dict = {}


def _init_worker(gazetteer, iris: Iris) -> None:
    _WORKER.update(gazetteer=gazetteer, iris=iris)


def _prepare_in_worker(path: Path) -> PreparedDocument:
    return _prepare_path(path, _WORKER["gazetteer"], _WORKER["iris"])


def _prepare_or_fail_in_worker(path: Path) -> PreparedDocument | LoadFailure:
    return _prepare_or_fail(path, _WORKER["gazetteer"], _WORKER["iris"])


def default_jobs(files: int) -> int:
    """Processes to load ``files`` files with: the usable cores (at most 8), or 1 for few."""
    if files < PARALLEL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def prepare_files(
    paths: Sequence[Path],
    gazetteer,
    iris: Iris | None = None,
    progress: Progress | None = None,
    *,
    jobs: int | None = None,
    strict: bool = True,
) -> list:
    """Load and prepare every file, in order.

    ``strict``: the first bad file (in input order) raises. Otherwise a bad file
    becomes a :class:`LoadFailure` in its place and the others load. With ``jobs``
    > 1 (default: :func:`default_jobs`) the files are loaded by a pool of
    processes; the results and the error are the same as with one.
    """
    iris = iris or Iris()
    jobs = default_jobs(len(paths)) if jobs is None else jobs
    executor = None
    one = _prepare_path if strict else _prepare_or_fail
    if jobs <= 1:
        results = (one(p, gazetteer, iris) for p in paths)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: workers start at once with the loaders imported, and a caller's script
        # without a ``__main__`` guard still works (spawn and forkserver re-run it).
        # They run only the pure loaders and never touch the store or its threads.
        # (macOS and Windows spawn: fork is unsafe or missing there.)
        ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        executor = ProcessPoolExecutor(
            jobs, mp_context=ctx, initializer=_init_worker, initargs=(gazetteer, iris)
        )
        worker = _prepare_in_worker if strict else _prepare_or_fail_in_worker
        results = executor.map(worker, paths, chunksize=4)
    prepared: list = []
    try:
        for n, (path, item) in enumerate(zip(paths, results, strict=False), 1):
            prepared.append(item)
            if progress:
                progress("load", n, len(paths), path.name)
    except ObligraphError:
        raise
    except Exception as exc:  # a worker died (killed, out of memory)
        raise ParseError(f"loading failed: {type(exc).__name__}: {exc}") from exc
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
    return prepared


def build(
    paths: Iterable[str | Path],
    store,
    *,
    gazetteer=None,
    iris: Iris | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    strict: bool = False,
    corrections: Sequence | None = None,
    statuses: Sequence | None = None,
) -> BuildReport:
    """Load files and folders into ``store``; each document whole or absent.

    Every document is read, turned into triples and checked before the store is
    touched. A file that cannot be loaded is reported in
    :attr:`BuildReport.failed` (file, line, reason) and the others are written;
    when no file can be loaded, :class:`~obligraph.base.errors.InputError` is raised and
    nothing changes. ``strict``: all-or-nothing, the first bad file raises
    (naming it) and nothing changes. The same document twice (a copy of a file,
    or the same number, type, year and issuer) is written once, lists every file
    it came from and is reported in :attr:`BuildReport.duplicates`. Each
    document's named graph is replaced (rebuilding is idempotent), the gazetteer
    is written into ``graph/gazetteer`` and the overlaps are refreshed. ``jobs``:
    processes that load files (default: all cores for 24 files or more).
    ``corrections`` and ``statuses`` (from :mod:`obligraph.graph.corrections` and
    :mod:`obligraph.graph.status`) are applied after the documents are written;
    ``None`` re-applies those the store already holds.
    """
    started = time.perf_counter()
    iris = iris or Iris()
    if gazetteer is None:
        from obligraph.loaders.units import Gazetteer

        gazetteer = Gazetteer.default()
    unreadable: list[tuple[Path, str]] | None = None if strict else []
    files = expand_paths(paths, unreadable)
    loaded = prepare_files(files, gazetteer, iris, progress, jobs=jobs, strict=strict)
    failed = [
        LoadFailure(
            folder.name, str(folder), None, f"cannot read folder: {why}; its files were not loaded"
        )
        for folder, why in unreadable or ()
    ]
    failed += [x for x in loaded if isinstance(x, LoadFailure)]
    prepared = [x for x in loaded if not isinstance(x, LoadFailure)]
    if not prepared:
        first = failed[0]
        raise InputError(
            f"no file could be loaded ({len(failed)} failed; first: {first.reason})",
            file=first.path,
            line=first.line,
        )
    report = write_prepared(
        prepared,
        store,
        gazetteer=gazetteer,
        iris=iris,
        progress=progress,
        started=started,
        release=True,
        corrections=corrections,
        statuses=statuses,
    )
    report.failed = failed
    return report


def apply_people(
    store,
    report: BuildReport | None = None,
    *,
    iris: Iris,
    gazetteer=None,
    corrections: Sequence | None = None,
    statuses: Sequence | None = None,
) -> BuildReport:
    """Apply people's corrections and statuses (``None``: those the store holds)."""
    from obligraph.graph.corrections import apply_corrections, stored_corrections
    from obligraph.graph.status import apply_statuses, stored_statuses

    report = report or BuildReport(store=store.location)
    if corrections is None:
        corrections = stored_corrections(store)
    done = apply_corrections(store, corrections, iris=iris, gazetteer=gazetteer)
    report.corrections_applied = len(done.applied)
    report.corrections_not_applied = [o.as_dict() for o in done.not_applied]
    if statuses is None:
        statuses = stored_statuses(store, iris)
    st = apply_statuses(store, statuses, iris=iris)
    report.statuses_applied = st.applied
    report.statuses_not_applied = st.not_applied
    return report


def refresh_derived(
    store,
    iris: Iris,
    progress: Progress | None = None,
    succession=None,
    *,
    changed: set[str] | None = None,
    state=None,
):
    """Recompute what is derived from every document: succession findings, overlaps,
    the counts of ``graph/summary`` (:mod:`obligraph.graph.analysis.summary`), the
    folded task texts of ``graph/search`` (:mod:`~obligraph.graph.analysis.search_keys`)
    and, last (they count every type, the summary's too), the stored answers of the
    aggregate named queries (:mod:`obligraph.graph.analysis.answers`); returns the
    counts.

    ``changed``: the documents (IRIs) written or removed since the last refresh, and
    ``state`` what that refresh kept (:func:`~obligraph.graph.analysis.overlap_update.
    take_state`): the overlaps, the summary and the succession findings are then
    refreshed incrementally when they can be
    (:func:`~obligraph.graph.analysis.overlap_update.update_overlaps`), else in full.
    Either way the state for the next refresh is kept.
    """
    from obligraph.graph.analysis.answers import refresh_answers, update_answers
    from obligraph.graph.analysis.overlap import refresh_overlaps
    from obligraph.graph.analysis.overlap_update import (
        keep_state,
        state_of,
        take_state,
        update_overlaps,
    )
    from obligraph.graph.analysis.search_keys import refresh_search_keys, update_search_keys
    from obligraph.graph.analysis.succession import (
        load_events,
        succession_findings,
        succession_graph,
    )
    from obligraph.graph.analysis.summary import read_inputs, refresh_summary, summary_nodes

    if progress:
        progress("overlap", 0, 1, "overlaps")
    updated = update_overlaps(store, iris, state, changed) if changed is not None else None
    previous = None
    if updated is not None:
        found, state = updated
        previous = state.summary_nodes
    else:
        found = refresh_overlaps(store, iris)
        state = state_of(*found.items, found.overlaps, store, found.eligible)
    if progress:
        progress("overlap", 1, 1, "overlaps")
    if succession is None:
        succession = succession_graph(load_events(), iris)
    # who owes it now: the change events, and findings on what the obligations rest on
    succession += succession_findings(store, iris, state.leads, state.context["pref_all"])
    store.replace_graph(iris.special_graph("succession"), succession)
    inputs = read_inputs(store, state.summary_tasks)
    counts = refresh_summary(store, iris, found.overlaps, inputs, previous)
    state.summary_nodes = summary_nodes(counts)
    if state.scope is not None:  # only the tasks and units of the changed documents
        update_search_keys(store, iris, state.scope[0])
        update_answers(store, iris, *state.scope)
        keep_state(store, state, counts.digest)
        store.settle()
        return counts
    # In full: the state is kept first and let go, so the answers' reads of the whole store
    # do not come on top of every task and overlap (at 10,000 documents, 3.1 GB instead
    # of 2.5); if they fail, the state goes too, and the next refresh is a full one.
    keep_state(store, state, counts.digest)
    del found, state, inputs, updated
    try:
        refresh_search_keys(store, iris)
        refresh_answers(store, iris)
    except BaseException:
        take_state(store)
        raise
    store.settle()  # one compaction for the large graphs written above
    return counts


def write_documents(
    docs: Sequence[rec.Document],
    store,
    *,
    gazetteer=None,
    iris: Iris | None = None,
    progress: Progress | None = None,
    started: float | None = None,
    corrections: Sequence | None = None,
    statuses: Sequence | None = None,
) -> BuildReport:
    """Write loaded documents (and the gazetteer) into ``store``; refresh overlaps."""
    started = time.perf_counter() if started is None else started
    iris = iris or Iris()
    prepared = [prepare_document(doc, iris) for doc in docs]
    return write_prepared(
        prepared,
        store,
        gazetteer=gazetteer,
        iris=iris,
        progress=progress,
        started=started,
        corrections=corrections,
        statuses=statuses,
    )


def _count_kept(prepared: Sequence[PreparedDocument], report: BuildReport) -> list:
    """The documents to write (the first of each, a later copy noted as a duplicate),
    counted into ``report``.

    >>> from obligraph.loaders.records import Document
    >>> prep = prepare_document(Document("a.txt", "/tmp/a.txt", "0" * 64, 1, number="9/KH-UBND"))
    >>> report = BuildReport()
    >>> [p.source_file for p in _count_kept([prep, prep], report)], len(report.duplicates)
    (['a.txt'], 1)
    """
    first: dict[str, PreparedDocument] = {}
    by_bytes: dict[str, PreparedDocument] = {}
    kept: list[PreparedDocument] = []
    units: set[str] = set()
    for prep in prepared:
        same = first.get(prep.doc_iri) or (by_bytes.get(prep.sha256) if prep.sha256 else None)
        if same is not None:
            if prep.source_file != same.source_file:
                same.also_from.append(prep.source_file)
            report.duplicates.append(
                {"file": prep.source_file, "same_as": same.source_file, "document": same.doc_iri}
            )
            continue
        first[prep.doc_iri] = prep
        if prep.sha256:
            by_bytes[prep.sha256] = prep
        kept.append(prep)
        if not prep.official:
            report.unofficial.append(prep.source_file)
        units.update(prep.units)
        report.documents += 1
        report.tasks += prep.tasks
        report.assignments += prep.assignments
        report.indicators += prep.indicators
        report.targets += prep.targets
        report.findings += prep.findings
        report.files.append(prep.source_file)
        if prep.sha256 and prep.path:
            report.sources[prep.sha256] = prep.path
    report.units = len(units)
    return kept


def write_prepared(
    prepared: Sequence[PreparedDocument],
    store,
    *,
    gazetteer=None,
    iris: Iris | None = None,
    progress: Progress | None = None,
    started: float | None = None,
    corrections: Sequence | None = None,
    statuses: Sequence | None = None,
    release: bool = False,
) -> BuildReport:
    """Write prepared documents (and the gazetteer) into ``store``; refresh overlaps.

    Two files that are the same document (the same bytes, or the same IRI: type,
    number, year and, for local numbers, jurisdiction) are written once, from the
    first; the document lists both files and the report names the duplicate.
    ``release``: once written, drop each document's graph from ``prepared`` (what
    :func:`build`, which owns them, asks, so the refresh after has that memory).
    """
    started = time.perf_counter() if started is None else started
    iris = iris or Iris()
    report = BuildReport(store=store.location)
    kept = _count_kept(prepared, report)
    # The ontology goes in too: queries on any backend then see the labels of
    # document types, roles and levels.
    write_ontology(store, iris)
    if gazetteer is not None:
        store.replace_graph(iris.special_graph("gazetteer"), gazetteer_graph(gazetteer, iris))
    from obligraph.graph.analysis.succession import load_events, succession_graph

    succession = succession_graph(load_events(), iris)
    written = 0

    def done(graph_iri: URIRef) -> None:
        nonlocal written
        written += 1
        report.graphs.append(str(graph_iri))
        if progress:
            progress("write", written, len(kept), str(graph_iri))

    from obligraph.graph.analysis.overlap_update import take_state

    state = take_state(store)  # taken away before writing: kept again after the refresh
    store.write_graphs(((URIRef(p.graph_iri), p.ntriples()) for p in kept), done)
    if release:  # the compressed graphs (140 MB at 10,000 documents) are not read again
        for p in prepared:
            p.data = b""
    apply_people(
        store, report, iris=iris, gazetteer=gazetteer, corrections=corrections, statuses=statuses
    )
    corrected = report.corrections_applied or report.corrections_not_applied
    changed = None if corrected else {p.doc_iri for p in kept}
    counts = refresh_derived(store, iris, progress, succession, changed=changed, state=state)
    counts = counts.totals
    report.units_known = counts["units"]
    report.units_with_tasks = counts["units with tasks"]
    report.overlaps = counts["overlaps"]
    report.overlapping_pairs = counts["overlapping pairs"]
    report.triples = store.triples_count()
    report.seconds = time.perf_counter() - started
    return report
