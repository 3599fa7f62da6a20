"""Analyses of the stored graph: each reads the store and writes nothing but its own
derived graph.

- :mod:`~obligraph.graph.analysis.overlap` obligations that overlap across documents
  (read by :mod:`~obligraph.graph.analysis.overlap_read`, explained by
  :mod:`~obligraph.graph.analysis.overlap_reasons`, texts compared by
  :mod:`~obligraph.graph.analysis.textsim`);
- :mod:`~obligraph.graph.analysis.summary` every count the pages and ``stats`` show;
- :mod:`~obligraph.graph.analysis.succession` units merged, renamed or dissolved;
- :mod:`~obligraph.graph.analysis.network` the networkx projection;
- :mod:`~obligraph.graph.analysis.reason` OWL 2 reasoning with owlready2.
"""
