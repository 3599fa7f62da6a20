"""Loaders: documents in, plain records out (no RDF here).

>>> from obligraph.loaders import load_document
>>> callable(load_document)
True
"""

from obligraph.loaders.document import load_document

__all__ = ["load_document"]
