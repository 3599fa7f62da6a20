"""OWL reasoning with owlready2 and HermiT, written back into ``graph/inferred``.

What the reasoner adds (see docs/reasoning.md):

- ``ob:derivesFrom``: the transitive legal-basis closure over ``eli:based_on``
  and ``ob:implements`` (a plan based on a decision based on a law reaches the law);
- ``ob:owes``: a unit is bound to a task (lead or support, requests excluded);
- ``ob:accountableFor``: what a unit owes plus everything its sub-units owe,
  rolled up the ``org:subOrganizationOf`` tree (a ministry answers for its
  departments' tasks);
- ``ob:servesProgramme``: the programmes a task serves (its own ``ob:programme``,
  or what its document implements);
- ``ob:worksUnder``: the programmes a unit owes work under;
- ``org:transitiveSubOrganizationOf``: the whole parent chain of a unit;
- class memberships: ``ob:LeadUnit``, ``ob:MultiProgrammeUnit`` (second pass, see
  below), ``ob:Programme`` and the assignment classes (lead / support /
  obligation / request).

Only what reasoning needs is handed to HermiT: types and object properties.
Literals (``xsd:gYear``, ``xsd:date`` ...) stay out, since HermiT rejects
datatypes outside the OWL 2 map. OWL 2 forbids counting over a property defined
by a chain, so ``ob:MultiProgrammeUnit`` is classified in a second, small pass
over ``ob:programmeOfUnit``, a simple copy of the first pass's ``ob:worksUnder``,
with the programmes declared pairwise different (distinct IRIs are distinct
documents by the identifier scheme).

Without Java (for the example to run anywhere) the Java check says what to do:

>>> import os
>>> saved = os.environ.get("OBLIGRAPH_JAVA")
>>> os.environ["OBLIGRAPH_JAVA"] = "no-such-java-binary"
>>> try:
...     java_executable()
... except ReasonerError as exc:
...     print(str(exc)[:41])
Java is needed to run the HermiT reasoner
>>> _ = os.environ.pop("OBLIGRAPH_JAVA") if saved is None else None

With Java, on a plan based on a decision based on a law::

    data.add((plan, ELI.based_on, decision)); data.add((decision, ELI.based_on, law))
    inferred, seconds = reason_graph(data)
    assert (plan, OB.derivesFrom, law) in inferred
"""

from __future__ import annotations

import io
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from obligraph.graph.analysis.answers import refresh_answers
from obligraph.queries.library import run_internal
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from obligraph.base.errors import ReasonerError
from obligraph.base.vocab import ELI, OB, ORG, Iris

if TYPE_CHECKING:
    from obligraph.graph.stores import Store

_DATA_ONTOLOGY = "https://w3id.org/obligraph/reasoner-input"
_INFERENCES = "http://inferrences/"  # owlready2's own name for what HermiT adds

#: Object properties handed to the reasoner (everything else stays out).
INPUT_PROPERTIES: tuple[URIRef, ...] = (
    ELI.based_on,
    OB.implements,
    ORG.subOrganizationOf,
    OB.lead,
    OB.support,
    OB.unit,
    OB.task,
    OB.role,
    OB.modality,
    OB.programme,
    OB.inDocument,
)

#: Classes whose asserted members are handed to the reasoner.
INPUT_CLASSES: tuple[URIRef, ...] = (
    ELI.LegalResource,
    OB.Programme,
    ORG.Organization,
    OB.GenericUnit,
    OB.UnknownUnit,
    OB.Task,
    OB.Assignment,
    OB.Indicator,
)

#: Inferred properties written to the ``inferred`` graph.
OUTPUT_PROPERTIES: tuple[URIRef, ...] = (
    OB.derivesFrom,
    OB.owes,
    OB.accountableFor,
    OB.worksUnder,
    OB.servesProgramme,
    ORG.transitiveSubOrganizationOf,
)

#: Inferred classes written to the ``inferred`` graph.
OUTPUT_CLASSES: tuple[URIRef, ...] = (
    OB.LeadUnit,
    OB.MultiProgrammeUnit,
    OB.Programme,
    OB.LeadAssignment,
    OB.SupportAssignment,
    OB.ObligationAssignment,
    OB.RequestAssignment,
)

_JAVA_MISSING = (
    "Java is needed to run the HermiT reasoner but no `{java}` was found on PATH; "
    "install a Java runtime (Debian/Ubuntu: sudo apt-get install default-jre-headless) "
    "and run `obligraph reason` again"
)


@dataclass
class ReasonReport:
    """What one reasoning run did: counts per inferred fact kind and timings."""

    graph: str
    input_triples: int
    inferred_triples: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reasoner_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "graph": self.graph,
            "input_triples": self.input_triples,
            "inferred_triples": self.inferred_triples,
            "counts": dict(self.counts),
            "seconds": round(self.seconds, 3),
            "reasoner_seconds": round(self.reasoner_seconds, 3),
        }


def _label(term: URIRef) -> str:
    for prefix, ns in (("ob:", str(OB)), ("org:", str(ORG)), ("eli:", str(ELI))):
        if str(term).startswith(ns):
            return prefix + str(term)[len(ns) :]
    return str(term)


def java_executable() -> str:
    """The Java command owlready2 will run; :class:`ReasonerError` if there is none.

    ``OBLIGRAPH_JAVA`` names a specific ``java`` binary; otherwise ``java`` is
    looked up on ``PATH``.
    """
    wanted = os.environ.get("OBLIGRAPH_JAVA") or "java"
    found = shutil.which(wanted)
    if not found:
        raise ReasonerError(_JAVA_MISSING.format(java=wanted))
    return found


# ---------------------------------------------------------------------------
# Running HermiT through owlready2
# ---------------------------------------------------------------------------


def _ntriples(graph: Graph) -> bytes:
    return graph.serialize(format="nt", encoding="utf-8")


def _run_hermit(data: Graph) -> tuple[Graph, float]:
    """Load the ontology (RDF/XML) and ``data`` into a fresh owlready2 world, run
    HermiT, and return what it added (as an rdflib graph) and its run time."""
    import owlready2
    from obligraph.ontology import owl_path
    from owlready2 import reasoning

    java = java_executable()
    owlready2.JAVA_EXE = java
    memory = os.environ.get("OBLIGRAPH_JAVA_MEMORY")
    if memory and memory.isdigit():
        reasoning.JAVA_MEMORY = int(memory)

    world = owlready2.World()
    try:
        world.get_ontology(owl_path().as_uri()).load()
        world.get_ontology(_DATA_ONTOLOGY).load(
            fileobj=io.BytesIO(_ntriples(data)), format="ntriples"
        )
        started = time.perf_counter()
        try:
            owlready2.sync_reasoner_hermit(
                world,
                infer_property_values=True,
                debug=0,
                ignore_unsupported_datatypes=True,
            )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            raise ReasonerError(explain_inconsistency(data)) from exc
        except owlready2.OwlReadyJavaError as exc:
            detail = str(exc).strip().splitlines()
            tail = detail[-1] if detail else "no message"
            raise ReasonerError(f"the HermiT reasoner failed: {tail}") from exc
        except FileNotFoundError as exc:  # java vanished between the check and the run
            raise ReasonerError(_JAVA_MISSING.format(java=java)) from exc
        seconds = time.perf_counter() - started
        buffer = io.BytesIO()
        world.get_ontology(_INFERENCES).save(buffer, format="ntriples")
    finally:
        world.close()
    added = Graph()
    if buffer.getvalue().strip():
        added.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    return added, seconds


def _keep(added: Graph, data: Graph) -> Graph:
    """The inferred facts worth writing: whitelisted properties and classes, none
    already asserted, no reflexive legal-basis loops."""
    out = Graph()
    props = set(OUTPUT_PROPERTIES)
    classes = set(OUTPUT_CLASSES)
    for s, p, o in added:
        if not isinstance(s, URIRef) or not isinstance(o, URIRef):
            continue
        if p in props or (p == RDF.type and o in classes):
            if (s, p, o) not in data:
                out.add((s, p, o))
    return out


def _sub_properties(prop: URIRef, onto: Graph | None = None) -> set[URIRef]:
    """Every property declared (transitively) ``rdfs:subPropertyOf`` ``prop``."""
    if onto is None:
        from obligraph.ontology import ontology_graph

        onto = ontology_graph()
    found: set[URIRef] = set()
    todo = [prop]
    while todo:
        for sub in onto.subjects(RDFS.subPropertyOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _complete_sub_properties(inferred: Graph, data: Graph) -> None:
    """HermiT prints, for each property, only the pairs its sub-properties do not
    already explain (``ob:derivesFrom`` lists plan -> law but not plan ->
    decision, which ``eli:based_on`` explains). Add those pairs back: each
    ``(s, sub, o)`` entails ``(s, super, o)`` (RDFS rule rdfs7)."""
    for prop in OUTPUT_PROPERTIES:
        for sub in _sub_properties(prop):
            for source in (data, inferred):
                for s, o in list(source.subject_objects(sub)):
                    if isinstance(s, URIRef) and isinstance(o, URIRef):
                        if (s, prop, o) not in data:
                            inferred.add((s, prop, o))


def _programme_pass(first: Graph, data: Graph) -> tuple[Graph, float]:
    """Second pass: classify ``ob:MultiProgrammeUnit`` over ``ob:programmeOfUnit``."""
    pairs = [(u, p) for u, p in first.subject_objects(OB.worksUnder)]
    if not pairs:
        return Graph(), 0.0
    small = Graph()
    programmes = sorted({p for _u, p in pairs})
    for unit, programme in pairs:
        small.add((unit, OB.programmeOfUnit, programme))
        small.add((unit, RDF.type, ORG.Organization))
        small.add((programme, RDF.type, OB.Programme))
    if len(programmes) > 1:
        node = BNode()
        small.add((node, RDF.type, OWL.AllDifferent))
        members = BNode()
        Collection(small, members, list(programmes))
        small.add((node, OWL.distinctMembers, members))
    added, seconds = _run_hermit(small)
    out = Graph()
    for unit in added.subjects(RDF.type, OB.MultiProgrammeUnit):
        if isinstance(unit, URIRef) and (unit, RDF.type, OB.MultiProgrammeUnit) not in data:
            out.add((unit, RDF.type, OB.MultiProgrammeUnit))
    return out, seconds


def count_inferred(inferred: Graph) -> dict[str, int]:
    """Counts per output property and class, e.g. ``{"ob:derivesFrom": 12, ...}``."""
    counts: dict[str, int] = {}
    for prop in OUTPUT_PROPERTIES:
        counts[_label(prop)] = sum(1 for _ in inferred.triples((None, prop, None)))
    for cls in OUTPUT_CLASSES:
        counts[_label(cls)] = sum(1 for _ in inferred.triples((None, RDF.type, cls)))
    return counts


def reason_graph(data: Graph) -> tuple[Graph, float]:
    """Reason over ``data`` (types and object properties); return the inferred
    facts not already in ``data`` and the seconds HermiT ran (both passes).

    Raises :class:`ReasonerError` when Java is missing, HermiT fails, or the
    graph is inconsistent (with the likely cause in plain words).
    """
    added, seconds = _run_hermit(data)
    inferred = _keep(added, data)
    _complete_sub_properties(inferred, data)
    multi, more = _programme_pass(inferred, data)
    for triple in multi:
        inferred.add(triple)
    return inferred, seconds + more


# ---------------------------------------------------------------------------
# Explaining an inconsistency in plain words
# ---------------------------------------------------------------------------


def _uses(onto: Graph, data: Graph, prop: URIRef) -> Iterable[tuple[Any, Any, str]]:
    """Pairs ``(s, o)`` for which ``data`` entails ``prop(s, o)`` in one of the
    simple ways: asserted, asserted on a sub-property, or a property chain of
    ``prop`` (or of a sub-property) walked through asserted triples. The third
    item says how, for the explanation."""
    from rdflib.collection import Collection

    subs = sorted(_sub_properties(prop, onto))
    for s, o in data.subject_objects(prop):
        yield s, o, _label(prop)
    for sub in subs:
        for s, o in data.subject_objects(sub):
            yield s, o, f"{_label(sub)} (a sub-property of {_label(prop)})"
    for owner in (prop, *subs):
        for chain_node in onto.objects(owner, OWL.propertyChainAxiom):
            chain = [p for p in Collection(onto, chain_node) if isinstance(p, URIRef)]
            if not chain:
                continue
            how = " then ".join(_label(p) for p in chain)
            for start in set(data.subjects(chain[0])):
                ends = {start}
                for step in chain:
                    ends = {o for e in ends for o in data.objects(e, step)}
                for end in ends:
                    yield start, end, f"{_label(owner)} (through {how})"


def explain_inconsistency(data: Graph, *, limit: int = 5) -> str:
    """Say, in plain words, why HermiT found ``data`` inconsistent with the ontology.

    Checks the usual causes: a node that would belong to two disjoint classes
    (asserted, or implied by a property's domain or range), and a node with two
    different values of a single-valued property among known distinct
    individuals (a role both lead and support).

    >>> from rdflib import Graph, URIRef
    >>> from obligraph.base.vocab import OB, ORG
    >>> g = Graph()
    >>> x = URIRef("https://example.org/doc/1/task/1")
    >>> _ = g.add((x, RDF.type, OB.Task))
    >>> _ = g.add((x, RDF.type, ORG.Organization))
    >>> print(explain_inconsistency(g))  # doctest: +NORMALIZE_WHITESPACE
    The graph contradicts the ontology: https://example.org/doc/1/task/1 is both
    org:Organization (it is typed org:Organization) and ob:Task (it is typed ob:Task),
    which cannot overlap
    """
    from obligraph.ontology import ontology_graph

    onto = ontology_graph()
    closure = _class_closure(onto)
    disjoint = _disjoint_groups(onto)
    why = _why_typed(onto, data, closure)
    causes = [
        *_disjoint_causes(why, disjoint),
        *_union_causes(onto, data, why, disjoint, closure),
        *_functional_causes(onto, data),
    ]
    if not causes:
        return (
            "The graph contradicts the ontology (HermiT found it inconsistent), "
            "but no simple cause was found; run `obligraph check` to see SHACL results"
        )
    causes.sort()
    more = f" (and {len(causes) - limit} more)" if len(causes) > limit else ""
    return "The graph contradicts the ontology: " + "; ".join(causes[:limit]) + more


def _class_closure(onto: Graph) -> Callable[[URIRef], set[URIRef]]:
    """A function giving a class with all its superclasses in the ontology."""
    supers: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in onto.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            supers[sub].add(sup)

    def closure(cls: URIRef) -> set[URIRef]:
        seen, todo = {cls}, [cls]
        while todo:
            for sup in supers.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen

    return closure


def _disjoint_groups(onto: Graph) -> list[set[URIRef]]:
    """The member sets of the ontology's owl:AllDisjointClasses."""
    disjoint: list[set[URIRef]] = []
    for node in onto.subjects(RDF.type, OWL.AllDisjointClasses):
        members = onto.value(node, OWL.members)
        if members is not None:
            disjoint.append({m for m in Collection(onto, members) if isinstance(m, URIRef)})
    return disjoint


def _why_typed(
    onto: Graph, data: Graph, closure: Callable[[URIRef], set[URIRef]]
) -> dict[Any, dict[URIRef, str]]:
    """For each node, each class it belongs to and the first reason why: asserted, or
    the domain or range of a property it is used with."""
    why: dict[Any, dict[URIRef, str]] = defaultdict(dict)
    for s, cls in data.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            for c in closure(cls):
                why[s].setdefault(c, f"it is typed {_label(cls)}")
    for prop, kind in ((RDFS.domain, "subject"), (RDFS.range, "object")):
        for p, cls in onto.subject_objects(prop):
            if not isinstance(cls, URIRef) or not isinstance(p, URIRef):
                continue
            for s, o, how in _uses(onto, data, p):
                node = s if kind == "subject" else o
                reason = f"it is the {kind} of {how}"
                for c in closure(cls):
                    why[node].setdefault(c, reason)
    return why


def _disjoint_causes(why: dict[Any, dict[URIRef, str]], disjoint: list[set[URIRef]]) -> list[str]:
    """Nodes that would belong to two disjoint classes (one cause per node)."""
    causes: list[str] = []
    for node, classes in why.items():
        for group in disjoint:
            hit = sorted(c for c in classes if c in group)
            if len(hit) >= 2:
                first, second = hit[0], hit[1]
                causes.append(
                    f"{node} is both {_label(first)} ({classes[first]}) and "
                    f"{_label(second)} ({classes[second]}), which cannot overlap"
                )
                break
    return causes


def _union_causes(
    onto: Graph,
    data: Graph,
    why: dict[Any, dict[URIRef, str]],
    disjoint: list[set[URIRef]],
    closure: Callable[[URIRef], set[URIRef]],
) -> list[str]:
    """A domain or range that is a union ("a task or an indicator"): a node is out when
    what it is cannot overlap with any member of the union."""

    def clashes(classes: dict[URIRef, str], member: URIRef) -> URIRef | None:
        wanted = closure(member)
        for group in disjoint:
            for c in sorted(classes):
                if c in group and c not in wanted and any(m in group for m in wanted):
                    return c
        return None

    causes: list[str] = []
    for prop, kind in ((RDFS.domain, "subject"), (RDFS.range, "object")):
        for p, union in onto.subject_objects(prop):
            members_node = onto.value(union, OWL.unionOf) if isinstance(p, URIRef) else None
            if members_node is None:
                continue
            members = [m for m in Collection(onto, members_node) if isinstance(m, URIRef)]
            for s, o, how in _uses(onto, data, p):
                node = s if kind == "subject" else o
                hits = [clashes(why.get(node, {}), m) for m in members]
                if members and all(hits):
                    c = hits[0]
                    assert c is not None
                    causes.append(
                        f"{node} is {_label(c)} ({why[node][c]}) but, as the {kind} of {how}, "
                        f"must be {' or '.join(_label(m) for m in members)}, "
                        "which cannot overlap with it"
                    )
    return causes


def _functional_causes(onto: Graph, data: Graph) -> list[str]:
    """Nodes with several values of a functional property, all known to be distinct."""
    distinct: list[set[Any]] = []
    for node in onto.subjects(RDF.type, OWL.AllDifferent):
        members = onto.value(node, OWL.distinctMembers)
        if members is not None:
            distinct.append(set(Collection(onto, members)))
    causes: list[str] = []
    for prop in onto.subjects(RDF.type, OWL.FunctionalProperty):
        for s in set(data.subjects(prop)):
            values = set(data.objects(s, prop))
            if len(values) > 1 and any(values <= group for group in distinct):
                shown = ", ".join(sorted(_label(v) for v in values))
                causes.append(f"{s} has several {_label(prop)} values ({shown}) but allows one")
    return causes


# ---------------------------------------------------------------------------
# The store side
# ---------------------------------------------------------------------------


def reasoner_input(store: Store, *, iris: Iris | None = None) -> Graph:
    """What the reasoner needs from the store: chosen types and object
    properties from every named graph except the ``inferred`` graph itself."""
    iris = iris or Iris()
    bindings = {"inferred": iris.special_graph("inferred")}
    graph = Graph()
    for name, values in (
        ("reason-input-properties", {"p": INPUT_PROPERTIES}),
        ("reason-input-classes", {"c": INPUT_CLASSES}),
    ):
        result = run_internal(store, name, bindings=bindings, values=values)
        for triple in result.graph:
            graph.add(triple)
    return graph


def reason(store: Store, *, iris: Iris | None = None) -> ReasonReport:
    """Reason over the store and replace its ``graph/inferred`` with the result.

    The store is left untouched when reasoning fails (no Java, inconsistency).
    """
    started = time.perf_counter()
    java_executable()  # fail first, before any work, when Java is missing
    iris = iris or Iris()
    data = reasoner_input(store, iris=iris)
    if len(data) == 0:
        raise ReasonerError("the store holds no documents to reason over; run `obligraph build`")
    inferred, reasoner_seconds = reason_graph(data)
    target = iris.special_graph("inferred")
    store.replace_graph(target, inferred)
    refresh_answers(store, iris)  # the inferred types are counted by stats-by-type
    return ReasonReport(
        graph=str(target),
        input_triples=len(data),
        inferred_triples=len(inferred),
        counts=count_inferred(inferred),
        seconds=time.perf_counter() - started,
        reasoner_seconds=reasoner_seconds,
    )
