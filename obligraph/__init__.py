"""obligraph: a knowledge graph of obligations from Vietnamese policy documents.

The package maps the project's top-level folders into one import namespace::

    obligraph.loaders   documents -> plain records (no RDF inside)
    obligraph.graph     records -> RDF, stores, networkx projection, reasoning
    obligraph.queries   the named SPARQL query library, trace, reports
    obligraph.viz       pyvis views and the local web app
    obligraph.ontology  the OWL ontology, SHACL shapes and the unit gazetteer (data)

>>> import obligraph
>>> obligraph.__version__
'0.1.0'
"""

from importlib import resources
from pathlib import Path

__version__ = "0.1.0"


def corpus_dir() -> Path:
    """Folder holding the five bundled documents (the default data).

    >>> sorted(p.name for p in corpus_dir().glob("*.txt"))[0]
    'cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.txt'
    """
    return Path(str(resources.files("obligraph") / "corpus"))
