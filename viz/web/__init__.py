"""The local web app (FastAPI): pages for planners and auditors, a SPARQL endpoint and editor.

Start it with ``obligraph serve``; build it in code with
:func:`obligraph.viz.web.app.create_app`.
"""
