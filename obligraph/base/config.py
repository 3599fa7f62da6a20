"""Where obligraph keeps its data: the store, the corrections and status files, the corpus.

Nothing is written into the working directory: the embedded store lives under
``$OBLIGRAPH_HOME/store`` when ``OBLIGRAPH_HOME`` is set, else under
``~/.local/share/obligraph/store`` (the XDG data folder).

>>> import os
>>> os.environ["OBLIGRAPH_HOME"] = "/tmp/obligraph-doctest"
>>> str(store_path())
'/tmp/obligraph-doctest/store'
>>> str(people_file("corrections.csv")), str(people_file("status.csv", Path("/data/s/store")))
('/tmp/obligraph-doctest/corrections.csv', '/data/s/status.csv')
>>> del os.environ["OBLIGRAPH_HOME"]
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def home() -> Path:
    """obligraph's data folder: ``$OBLIGRAPH_HOME`` or ``~/.local/share/obligraph``."""
    env = os.environ.get("OBLIGRAPH_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    root = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return root / "obligraph"


def store_path() -> Path:
    """Default location of the embedded on-disk store."""
    return home() / "store"


#: The files people keep beside the store, and the variable that moves each.
PEOPLE_FILES = {"corrections.csv": "OBLIGRAPH_CORRECTIONS", "status.csv": "OBLIGRAPH_STATUS"}


def people_file(name: str, store: Path | None = None) -> Path:
    """Where ``corrections.csv`` or ``status.csv`` is kept: ``$OBLIGRAPH_CORRECTIONS`` /
    ``$OBLIGRAPH_STATUS`` when set, else in the folder that holds the store (for the
    default store, ``$OBLIGRAPH_HOME``)."""
    env = os.environ.get(PEOPLE_FILES[name])
    if env:
        return Path(env).expanduser()
    folder = Path(store).expanduser().parent if store is not None else home()
    return folder / name


def corpus_dir() -> Path:
    """Folder holding the five bundled documents (the default data).

    >>> sorted(p.name for p in corpus_dir().glob("*.txt"))[0]
    'cv-ldtbxh-2020-huong-dan-cong-tac-tre-em.txt'
    """
    return Path(str(resources.files("obligraph") / "corpus"))
