"""Imported by the page workers' forkserver (``WORKER_PRELOAD``): loads once what the
first unit page of every worker would otherwise load (the administrative divisions
package and the 2025 succession tables behind "who owes it now", 1.4-3.6 s), so the
workers forked from it start with it.

>>> import obligraph.viz.web.warm
"""

from __future__ import annotations

from obligraph.viz.web.data import _now_line

_now_line("Cục Trẻ em")
