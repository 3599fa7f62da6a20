"""Where the files of the loaded documents are on this machine (for the source view).

The graph says what a document is (its file name and SHA-256), never where it lies on
one machine: a store copied elsewhere, or the same files loaded from another folder,
stays the same graph. Where the files are is kept beside the store instead, in
``sources.tsv`` (``sha256<TAB>path``, written by ``obligraph build``), and looked up
by hash: a file is shown only while its bytes are those that were loaded.

>>> import tempfile, pathlib, hashlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> doc = folder / "plan.txt"; _ = doc.write_text("Căn cứ ...\\n", encoding="utf-8")
>>> digest = hashlib.sha256(doc.read_bytes()).hexdigest()
>>> record_sources(folder / "sources.tsv", {digest: str(doc)})
>>> locate(digest, "plan.txt", [folder / "sources.tsv"], []) == (doc, "ok")
True
>>> _ = doc.write_text("Căn cứ ... (sửa)\\n", encoding="utf-8")
>>> locate(digest, "plan.txt", [folder / "sources.tsv"], [folder])
(None, 'changed')
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

#: The environment variable naming more folders to look for document files in.
ROOTS_ENV = "OBLIGRAPH_DOCUMENTS"


def sources_file(store_location: str | Path) -> Path:
    """``sources.tsv`` beside an embedded store folder."""
    return Path(store_location).expanduser().parent / "sources.tsv"


def read_sources(path: Path) -> dict[str, str]:
    """``{sha256: path}`` from a sources file (missing or unreadable: empty)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    out = {}
    for line in text.splitlines():
        digest, _, where = line.partition("\t")
        if len(digest) == 64 and where:
            out[digest] = where
    return out


def record_sources(path: Path, found: Mapping[str, str]) -> None:
    """Add ``{sha256: path}`` to the sources file (the newest path of a hash wins)."""
    known = read_sources(path)
    known.update(found)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(f"{d}\t{p}\n" for d, p in sorted(known.items())), encoding="utf-8")
    tmp.replace(path)


def _same(path: Path, digest: str) -> bool:
    try:
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def default_roots() -> list[Path]:
    """The bundled corpus and the folders of ``$OBLIGRAPH_DOCUMENTS``."""
    from obligraph.base.config import corpus_dir

    extra = [Path(p) for p in os.environ.get(ROOTS_ENV, "").split(os.pathsep) if p]
    return [corpus_dir(), *extra]


def locate(
    digest: str, file_name: str, records: Iterable[Path], roots: Iterable[Path]
) -> tuple[Path | None, str]:
    """``(file, "ok")`` for the file whose bytes hash to ``digest`` (from the sources
    files, else a file named ``file_name`` in one of ``roots``, not their subfolders);
    ``(None, "changed")`` when such a file is there but its bytes changed since it was
    loaded; ``(None, "missing")`` when there is none."""
    seen_other = False
    for record in records:
        where = read_sources(Path(record)).get(digest)
        if where:
            if _same(Path(where), digest):
                return Path(where), "ok"
            seen_other = seen_other or Path(where).is_file()
    for root in roots:
        if not file_name:
            break
        candidate = Path(root) / Path(file_name).name
        if _same(candidate, digest):
            return candidate, "ok"
        seen_other = seen_other or candidate.is_file()
    return None, "changed" if seen_other else "missing"
