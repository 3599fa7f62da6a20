"""Regenerate ontology/obligraph.owl (RDF/XML) from ontology/obligraph.ttl (Turtle).

The Turtle file is the source of truth; owlready2 and Protégé read the RDF/XML.
Run after every edit of the Turtle and commit both files:

    python scripts/ontology_rdfxml.py            # rewrite ontology/obligraph.owl
    python scripts/ontology_rdfxml.py --check    # exit 1 if the .owl is out of date
    python scripts/ontology_rdfxml.py -o /tmp/o.owl

tests/ontology/test_ontology.py runs the same conversion into a temporary
folder and checks it is isomorphic with the Turtle and with the committed file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def write_rdfxml(dest: Path) -> int:
    """Write the RDF/XML rendition of the ontology to ``dest``; return its triple count."""
    from obligraph.ontology import ontology_graph, rdfxml

    graph = ontology_graph()
    dest.write_text(rdfxml(graph), encoding="utf-8")
    return len(graph)


def is_up_to_date(owl_file: Path) -> bool:
    """True when ``owl_file`` holds the same graph as the Turtle source."""
    from obligraph.ontology import ontology_graph
    from rdflib import Graph
    from rdflib.compare import isomorphic

    if not owl_file.exists():
        return False
    return isomorphic(ontology_graph(), Graph().parse(owl_file, format="xml"))


def main(argv: list[str] | None = None) -> int:
    from obligraph.ontology import owl_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=None, help="where to write")
    parser.add_argument("--check", action="store_true", help="only check the .owl is current")
    args = parser.parse_args(argv)
    dest = args.output or owl_path()
    if args.check:
        if is_up_to_date(dest):
            print(f"{dest} is up to date")
            return 0
        print(f"{dest} is out of date: run python scripts/ontology_rdfxml.py", file=sys.stderr)
        return 1
    count = write_rdfxml(dest)
    print(f"wrote {dest} ({count} triples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
