"""The header vocabulary (``loaders/data/header.toml``), read once.

Type lines, number codes, signing titles, organ head words and a legal portal's
page furniture are data, so a user meeting a new type or title extends the TOML
file, not the code.

>>> v = vocab()
>>> v.types["QUYẾT ĐỊNH"], v.codes["KH"], "KT" in v.delegations
('Quyết định', 'Kế hoạch', True)
>>> v.is_local_code("UBND"), v.is_local_code("SYT"), v.is_local_code("TTg")
(True, True, False)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class HeaderVocab:
    """What ``header.toml`` says, as Python values."""

    types: dict[str, str]
    codes: dict[str, str]
    overriding_codes: frozenset[str]
    local_codes: frozenset[str]
    department_prefix: str
    motto: tuple[str, ...]
    organ_heads: tuple[str, ...]
    not_after: tuple[str, ...]
    organ_codes: dict[str, str]
    delegations: tuple[str, ...]
    titles: tuple[str, ...]
    authority: tuple[str, ...]
    formulas: tuple[str, ...]
    ranks: tuple[str, ...]
    central_heads: tuple[str, ...]
    state: str
    portal_starts: tuple[str, ...]
    portal_exact: frozenset[str]
    portal_closing: tuple[str, ...]
    form_openings: tuple[str, ...]
    form_blank_lines: int

    def is_local_code(self, code: str) -> bool:
        """True when numbers with this organ code are unique only per issuer."""
        if code in self.local_codes:
            return True
        p = self.department_prefix
        return len(code) > 1 and code.startswith(p) and code[1:2].isupper()


@lru_cache(maxsize=1)
def vocab() -> HeaderVocab:
    """The bundled header vocabulary."""
    with open(DATA / "header.toml", "rb") as fh:
        d = tomllib.load(fh)
    by_len = lambda xs: tuple(sorted(xs, key=len, reverse=True))  # noqa: E731
    return HeaderVocab(
        types=dict(d["types"]),
        codes=dict(d["codes"]),
        overriding_codes=frozenset(d["overriding_codes"]["codes"]),
        local_codes=frozenset(d["local_codes"]["codes"]),
        department_prefix=d["local_codes"]["department_prefix"],
        motto=tuple(d["motto"]["phrases"]),
        organ_heads=by_len(d["organ_heads"]["words"]),
        not_after=tuple(d["organ_heads"]["not_after"]),
        organ_codes=dict(d["organ_codes"]),
        delegations=by_len(d["signature"]["delegations"]),
        titles=by_len(t for t in d["signature"]["titles"] if not t.endswith(".")),
        authority=by_len(d["signature"]["authority"]),
        formulas=by_len(d["signature"]["formulas"]),
        ranks=by_len(d["signature"]["ranks"]),
        central_heads=by_len(d["central"]["heads"]),
        state=d["central"]["state"],
        portal_starts=tuple(d["portal"]["line_starts"]),
        portal_exact=frozenset(d["portal"]["exact"]),
        portal_closing=tuple(d["portal"]["closing"]),
        form_openings=tuple(d["unofficial"]["form_openings"]),
        form_blank_lines=int(d["unofficial"]["form_blank_lines"]),
    )
