"""The foundation: what every layer of obligraph uses, importing nothing of the project.

- :mod:`~obligraph.base.errors` the one exception root and its documented exit codes;
- :mod:`~obligraph.base.config` where the store, corrections and status files live;
- :mod:`~obligraph.base.vocab` namespaces, prefixes, document-type codes, IRI minting;
- :mod:`~obligraph.base.textkeys` Unicode NFC and the diacritic-folded search keys;
- :mod:`~obligraph.base.cells` cleaning a value before it is shown or written;
- :mod:`~obligraph.base.finding_codes` the finding codes with their severities and texts
  (``data/findings.toml``), worded by :mod:`~obligraph.base.item_labels`.

>>> from obligraph.base.textkeys import fold
>>> fold("Sở Tài chính")
'so tai chinh'
"""
