"""Namespaces, document-type codes and IRI minting for the obligraph graph.

IRIs are stable and readable so that two files citing the same decision meet
in one node, and legal staff can write them by hand. The base is configurable
(``OBLIGRAPH_BASE`` or ``--base``); the ontology namespace is fixed.

>>> iris = Iris()
>>> iris.document("23/QĐ-TTg", "Quyết định", 2021)
rdflib.term.URIRef('https://w3id.org/obligraph/id/doc/qd/23-qd-ttg/2021')
>>> iris.document("23/CT-TTg", "Chỉ thị", 2019)
rdflib.term.URIRef('https://w3id.org/obligraph/id/doc/ct/23-ct-ttg/2019')
>>> iris.unit("Cục Trẻ em")
rdflib.term.URIRef('https://w3id.org/obligraph/id/unit/cuc-tre-em')
>>> doc_type_code("Nghị định")
'nd'
"""

from __future__ import annotations

import hashlib
import os

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from obligraph.base.textkeys import fold, slug

OB = Namespace("https://w3id.org/obligraph/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DEFAULT_BASE = "https://w3id.org/obligraph/id/"

PREFIXES: dict[str, str] = {
    "ob": str(OB),
    "eli": str(ELI),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

# Vietnamese document type (folded) -> short code used in IRIs and the ob: type concept.
DOC_TYPES: dict[str, tuple[str, str, str]] = {
    # folded name: (code, concept local name, English)
    "quyet dinh": ("qd", "QuyetDinh", "Decision"),
    "ke hoach": ("kh", "KeHoach", "Plan"),
    "chi thi": ("ct", "ChiThi", "Directive"),
    "cong van": ("cv", "CongVan", "Official letter"),
    "nghi dinh": ("nd", "NghiDinh", "Decree"),
    "nghi quyet": ("nq", "NghiQuyet", "Resolution"),
    "luat": ("luat", "Luat", "Law"),
    "thong tu": ("tt", "ThongTu", "Circular"),
    "thong tu lien tich": ("ttlt", "ThongTuLienTich", "Joint circular"),
    "chuong trinh": ("chtr", "ChuongTrinh", "Programme"),
    "ket luan": ("kl", "KetLuan", "Conclusion"),
    "thong bao": ("tb", "ThongBao", "Notice"),
    "huong dan": ("hd", "HuongDan", "Guidance"),
    "bo luat": ("bl", "BoLuat", "Code"),
    "hien phap": ("hp", "HienPhap", "Constitution"),
    "phap lenh": ("pl", "PhapLenh", "Ordinance"),
}


def doc_type_code(doc_type: str) -> str:
    """Short code of a Vietnamese document type; ``"vb"`` (văn bản) when unknown."""
    entry = DOC_TYPES.get(fold(doc_type))
    return entry[0] if entry else "vb"


def doc_type_concept(doc_type: str) -> URIRef:
    """The ``ob:`` SKOS concept for a document type (``ob:VanBan`` when unknown)."""
    entry = DOC_TYPES.get(fold(doc_type))
    return OB[entry[1]] if entry else OB["VanBan"]


class Iris:
    """Mints every IRI of the data graph from a configurable base."""

    def __init__(self, base: str | None = None) -> None:
        base = base or os.environ.get("OBLIGRAPH_BASE") or DEFAULT_BASE
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def document(
        self,
        number: str,
        doc_type: str,
        year: int | None,
        *,
        title: str = "",
        source_file: str = "",
        scope: str = "",
    ) -> URIRef:
        """``doc/{type}/{number-slug}/{year}``; a law cited by name uses its title slug;
        a document with neither number nor title uses its file name. ``scope``: the
        issuer's jurisdiction for numbers unique only per issuer (``2828/QĐ-UBND``),
        appended to the number: ``doc/qd/2828-qd-ubnd-tinh-quang-tri/2025``."""
        code = doc_type_code(doc_type)
        key = slug(number) if number else (slug(title) if title else "file-" + slug(source_file))
        if number and scope:
            key += "-" + slug(scope)
        path = f"doc/{code}/{key}"
        if year:
            path += f"/{year}"
        return self._iri(path)

    def graph(self, doc_iri: URIRef) -> URIRef:
        """Named graph holding what one loaded document says."""
        return URIRef(str(doc_iri).replace(self.base + "doc/", self.base + "graph/", 1))

    def special_graph(self, name: str) -> URIRef:
        """``graph/gazetteer``, ``graph/overlap``, ``graph/inferred``, ``graph/ontology``."""
        return self._iri(f"graph/{name}")

    def unit(self, canonical_name: str) -> URIRef:
        return self._iri("unit/" + slug(canonical_name))

    def task(self, doc_iri: URIRef, task_id: str) -> URIRef:
        return URIRef(f"{doc_iri}/task/{slug(task_id)}")

    def assignment(self, task_iri: URIRef, role: str, unit_name: str) -> URIRef:
        return URIRef(f"{task_iri}/{role}/{slug(unit_name)}")

    def indicator(self, doc_iri: URIRef, indicator_id: str) -> URIRef:
        return URIRef(f"{doc_iri}/indicator/{slug(indicator_id)}")

    def target(self, indicator_iri: URIRef, year: int, n: int = 0) -> URIRef:
        return URIRef(f"{indicator_iri}/target/{year}" + (f"-{n}" if n else ""))

    def deadline(self, doc_iri: URIRef, n: int) -> URIRef:
        return URIRef(f"{doc_iri}/deadline/{n}")

    def citation(self, doc_iri: URIRef, n: int) -> URIRef:
        return URIRef(f"{doc_iri}/citation/{n}")

    def finding(self, doc_iri: URIRef, n: int) -> URIRef:
        return URIRef(f"{doc_iri}/finding/{n}")

    def source(self, doc_iri: URIRef, line_start: int, line_end: int, section: str = "") -> URIRef:
        tail = f"L{line_start}" if line_start == line_end else f"L{line_start}-{line_end}"
        if section:
            tail += "-" + slug(section)
        return URIRef(f"{doc_iri}/source/{tail}")

    def overlap(self, a: URIRef, b: URIRef) -> URIRef:
        first, second = sorted((str(a), str(b)))
        digest = hashlib.sha1(f"{first} {second}".encode()).hexdigest()[:16]
        return self._iri(f"overlap/{digest}")
