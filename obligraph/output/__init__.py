"""Writing what obligraph shows: rows, tables and files, to streams.

- :mod:`~obligraph.output.formats` the ONE registry of output formats (rows, RDF,
  networks, traces, calendars): names, extensions, writers; the command line's choices
  and the web app's downloads come from it;
- :mod:`~obligraph.output.rowwriters` rows to CSV, TSV, JSON, XLSX, Markdown, HTML and
  text, with one CSV policy (UTF-8, a byte-order mark in files, CRLF, formulas
  neutralised);
- :mod:`~obligraph.output.render_table` and :mod:`~obligraph.output.terminal` tables
  that fit the terminal.

>>> from obligraph.output.formats import choose
>>> choose("rows", explicit="csv").name
'csv'
"""
