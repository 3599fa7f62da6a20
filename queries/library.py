"""The named query library: ``queries/*.rq`` files, their headers, a runner, output formats.

Each file opens with a comment header::

    # title: Nghĩa vụ của một đơn vị | Obligations of a unit
    # description: What it answers (may continue on further description lines).
    # description-vi: Câu hỏi mà truy vấn trả lời, bằng tiếng Việt (các trang tiếng Việt).
    # param: unit | unit | Tên đơn vị / unit name | Cục Trẻ em

``param: NAME | TYPE | DESCRIPTION | EXAMPLE`` with TYPE one of literal, iri,
integer, decimal, date, boolean, unit; a last field ``default: VALUE`` makes the
parameter optional (``# param: subunits | boolean | ... | false | default: false``);
a last field ``fold: words`` has a literal folded before the query
(:func:`~obligraph.base.textkeys.fold_words`: lower case, no diacritics, spaces
collapsed) and written into the text as a constant, which the engine plans far better
than a bound variable (``task-search``); a last field ``bind: constant`` has a value of
any type written into the text as its RDF term, unchanged (``legal-basis-chain``: the
engine then starts from the document it names, not from every ``eli:based_on`` path).
The runner binds ``?NAME`` as an RDF term
(never pasted into the text); a ``unit`` is resolved through the gazetteer to
the unit's IRI.

>>> q = parse_query(
...     "# title: Số văn bản | Documents\\n# param: year | integer | Năm | 2021\\nSELECT ...",
...     name="demo")
>>> q.title, [p.name for p in q.params]
('Số văn bản | Documents', ['year'])
>>> convert_param(q.params[0], "2021")
rdflib.term.Literal('2021', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from obligraph.base.errors import QueryError, UnitNotFoundError, UsageError

PARAM_TYPES = ("literal", "iri", "integer", "decimal", "date", "boolean", "unit")
QUERY_DIR = Path(__file__).resolve().parent
_HEADER = re.compile(r"^#\s*(title|description-vi|description|param)\s*:\s*(.*)$")
_QUERY_WORD = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_TRUE = {"true", "1", "yes", "y", "có", "co", "đúng"}
_FALSE = {"false", "0", "no", "n", "không", "khong", "sai"}


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str
    description: str = ""
    example: str = ""
    default: str | None = None  # the value when none is given (None: the parameter is required)
    fold: bool = False  # ``fold: words``: folded, and written into the text as a constant
    constant: bool = False  # ``bind: constant``: written into the text as a constant


@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: name (file stem), title, description, parameters."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    path: str = ""
    description_vi: str = ""  # the ``# description-vi:`` lines (the Vietnamese pages)

    def describe(self, lang: str = "en") -> str:
        """The description in ``lang`` ("vi": the Vietnamese one when there is one).

        >>> q = parse_query("# description: Tasks.\\n# description-vi: Nhiệm vụ.", name="d")
        >>> q.describe("vi"), q.describe("en")
        ('Nhiệm vụ.', 'Tasks.')
        """
        return (self.description_vi or self.description) if lang == "vi" else self.description

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_query(text: str, *, name: str, path: str = "") -> NamedQuery:
    """Read the comment header of a query; the body is kept whole."""
    title, description, description_vi, params = "", [], [], []
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "description-vi":
            description_vi.append(value)
        else:
            parts = [p.strip() for p in value.split("|")]
            if len(parts) < 2 or not re.fullmatch(r"[A-Za-z_]\w*", parts[0]):
                raise QueryError(
                    "param line must read `# param: NAME | TYPE | DESCRIPTION | EXAMPLE`",
                    file=path or name,
                    line=n,
                )
            if parts[1] not in PARAM_TYPES:
                raise QueryError(
                    f"param {parts[0]}: unknown type {parts[1]!r} "
                    f"(one of {', '.join(PARAM_TYPES)})",
                    file=path or name,
                    line=n,
                )
            default, folded, constant = None, False, False
            while len(parts) > 4 and re.match(r"(default|fold|bind)\s*:", parts[-1]):
                option, value = (x.strip() for x in parts.pop().split(":", 1))
                if option == "fold":
                    folded = value == "words"
                elif option == "bind":
                    constant = value == "constant"
                else:
                    default = value
            parts += [""] * (4 - len(parts))
            example = " | ".join(parts[3:]).strip(" |")
            params.append(Param(parts[0], parts[1], parts[2], example, default, folded, constant))
    return NamedQuery(
        name, text, title, " ".join(description), tuple(params), path, " ".join(description_vi)
    )


def catalogue(folder: Path | None = None) -> list[NamedQuery]:
    """Every named query of the library, sorted by name."""
    folder = folder or QUERY_DIR
    return [
        parse_query(p.read_text(encoding="utf-8"), name=p.stem, path=str(p))
        for p in sorted(folder.glob("*.rq"))
    ]


INTERNAL_DIR = QUERY_DIR / "internal"
_VALUES_SLOT = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*\}")


@functools.cache
def internal(name: str) -> NamedQuery:
    """An internal query of the library (``queries/internal/NAME.rq``), the standard
    prefixes declared; hidden from :func:`catalogue` and ``query --list``.

    Modules that need SPARQL read it from these files and run it with
    :func:`run_internal` (no SPARQL text lives in Python modules).

    >>> q = internal("summary-digest")
    >>> "PREFIX ob:" in q.text, q.title
    (True, 'The digest of the stored summary')
    """
    path = INTERNAL_DIR / f"{name}.rq"
    if not (re.fullmatch(r"[\w.-]+", name) and path.is_file()):
        raise QueryError(f"no internal query {name!r}", file=str(path))
    raw = path.read_text(encoding="utf-8")
    query = parse_query(raw, name=name, path=str(path))  # the header, before the prefixes
    return dataclasses.replace(query, text=with_prefixes(raw))


def with_prefixes(text: str) -> str:
    """``text`` with a PREFIX line for each standard prefix it does not declare.

    >>> with_prefixes("PREFIX ob: <x#> ASK {}").count("PREFIX ob:")
    1
    """
    from obligraph.base.vocab import PREFIXES

    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", text))
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    return "\n".join([*lines, text]) if lines else text


def fill(query: NamedQuery, *, values=None, constants=None) -> str:
    """The query's text with data written in: each ``VALUES ?v { }`` slot filled with
    the terms of ``values[v]``, and each ``?c`` of ``constants`` written as its term
    (Oxigraph plans a constant far better than a bound variable; terms are written by
    rdflib's ``n3()``, so a value cannot change the query's shape).

    >>> q = parse_query("SELECT ?t WHERE { VALUES ?t { } ?t ?p ?u }", name="demo")
    >>> fill(q, values={"t": [URIRef("urn:a"), URIRef("urn:b")]}, constants={"u": URIRef("urn:u")})
    'SELECT ?t WHERE { VALUES ?t { <urn:a> <urn:b> } ?t ?p <urn:u> }'
    """
    text = query.text
    values = values or {}
    constants = constants or {}

    def slot(m: re.Match) -> str:
        var = m.group(1)
        if var not in values:
            return m.group(0)
        return f"VALUES ?{var} {{ {' '.join(t.n3() for t in values[var])} }}"

    text = _VALUES_SLOT.sub(slot, text)
    for var, term in constants.items():
        text = re.sub(rf"[?$]{var}\b", lambda _m, t=term: t.n3(), text)
    return text


def run_internal(store, name: str, *, bindings=None, values=None, constants=None, **kw):
    """Run an internal query: ``bindings`` bound by the store, ``values`` and
    ``constants`` written in by :func:`fill`; other keywords go to ``store.query``."""
    query = internal(name)
    text = fill(query, values=values, constants=constants)
    return store.query(text, bindings=bindings or None, **kw)


def internal_text_rows(store, name: str, *, values=None, constants=None) -> list[tuple]:
    """An internal SELECT's rows as the text of each term (``Store.text_rows``): for
    the flat reads that compare and join IRIs and texts.

    >>> from obligraph.graph.stores import open_store
    >>> store, g = open_store(memory=True), URIRef("urn:g")
    >>> internal_text_rows(store, "summary-digest", constants={"g": g})
    []
    """
    return store.text_rows(fill(internal(name), values=values, constants=constants))


def internal_rows(store, name: str, **kw) -> list[dict[str, object]]:
    """The SELECT rows of :func:`run_internal` as dicts of plain values (:func:`cell`:
    numbers and booleans typed, a decimal as ``float``, other terms as text, ``None``
    when unbound), what the pages render and join in Python.

    >>> from obligraph.graph.stores import open_store
    >>> internal_rows(open_store(memory=True), "summary-digest", constants={"g": URIRef("urn:g")})
    []
    """
    result = run_internal(store, name, **kw)
    return [
        {var: cell(term) for var, term in zip(result.vars, row, strict=True)} for row in result.rows
    ]


def text(term) -> str:
    """A term's text in NFC ("" when unbound).

    >>> text(Literal("Cu\u0323c")) == "C\u1ee5c", text(None)
    (True, '')
    """
    from obligraph.base.textkeys import nfc

    return "" if term is None else nfc(str(term))


def get(name: str) -> NamedQuery:
    """A named query by name (the file stem); QueryError with suggestions otherwise."""
    path = QUERY_DIR / f"{name}.rq"
    if re.fullmatch(r"[\w.-]+", name) and path.is_file():
        return parse_query(path.read_text(encoding="utf-8"), name=name, path=str(path))
    import difflib

    names = [q.name for q in catalogue()]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `obligraph query --list`"
    raise QueryError(f"no named query {name!r}{hint}")


def resolve(name_or_text: str) -> NamedQuery:
    """A named query, a ``.rq`` file, or inline SPARQL text."""
    if "\n" not in name_or_text and name_or_text.endswith(".rq"):
        path = Path(name_or_text).expanduser()
        if not path.is_file():
            raise QueryError("no such query file", file=str(path))
        return parse_query(path.read_text(encoding="utf-8"), name=path.stem, path=str(path))
    if _QUERY_WORD.search(name_or_text) and not re.fullmatch(r"[\w.-]+", name_or_text):
        return parse_query(name_or_text, name="(inline)")
    return get(name_or_text)


def _iri(value: str) -> URIRef:
    from obligraph.base.vocab import PREFIXES

    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, _, local = value.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+", value):
        raise ValueError("not an IRI")
    return URIRef(value)


def convert_param(param: Param, value: str, *, gazetteer=None, iris=None) -> Identifier:
    """The RDF term for one parameter value (QueryError when it does not fit the type)."""
    import datetime as dt

    try:
        match param.type:
            case "integer":
                return Literal(int(value.strip()))
            case "decimal":
                return Literal(Decimal(value.strip().replace(",", ".")), datatype=XSD.decimal)
            case "date":
                return Literal(dt.date.fromisoformat(value.strip()))
            case "boolean":
                folded = value.strip().lower()
                if folded in _TRUE | _FALSE:
                    return Literal(folded in _TRUE)
                raise ValueError("not a boolean (true/false)")
            case "iri":
                return _iri(value)
            case "unit":
                return resolve_unit(value, gazetteer=gazetteer, iris=iris)[0]
            case _:
                from obligraph.base.textkeys import nfc

                return Literal(nfc(value))
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(
            f"parameter {param.name}: {value!r} is not a valid {param.type} ({exc})"
        ) from None


def resolve_unit(name: str, store=None, *, gazetteer=None, iris=None) -> tuple[URIRef, str]:
    """The IRI and canonical name of the unit ``name`` denotes: an IRI as given; a name
    in any spelling the gazetteer knows (canonical, abbreviation, variant); with a
    ``store``, also a unit only the documents know (``ob:UnknownUnit``), found by its
    folded name. Else :class:`UnitNotFoundError` with the closest names. The one place a
    unit's name becomes its IRI (named queries' parameters, trace, calendar, views).

    >>> resolve_unit("Cục TE")
    (rdflib.term.URIRef('https://w3id.org/obligraph/id/unit/cuc-tre-em'), 'Cục Trẻ em')
    """
    from obligraph.loaders.units import Gazetteer

    from obligraph.base.textkeys import fold, nfc
    from obligraph.base.vocab import Iris

    clean = nfc(" ".join(name.split()))
    if clean.startswith(("http://", "https://")):
        return URIRef(clean), clean.rsplit("/", 1)[-1]
    if not clean:
        raise UnitNotFoundError("no unit name given")
    gazetteer = gazetteer or Gazetteer.default()
    ref = gazetteer.find(clean)
    canonical = ref.canonical if ref is not None else clean
    if store is not None:
        rows = run_internal(store, "unit-by-key", bindings={"key": Literal(fold(canonical))}).rows
        if rows:
            return URIRef(str(rows[0][0])), text(rows[0][1]) or canonical
    if ref is not None:
        return (iris or Iris()).unit(ref.canonical), ref.canonical
    suggestions = list(gazetteer.suggest(clean, n=5))
    if not suggestions and store is not None:
        from rapidfuzz import fuzz, process, utils

        labels = [text(r[0]) for r in run_internal(store, "unit-labels").rows]
        found = process.extract(clean, labels, scorer=fuzz.WRatio, processor=utils.default_process)
        suggestions = [label for label, _score, _i in found[:5]]
    hint = f"; did you mean: {', '.join(suggestions)}" if suggestions else ""
    raise UnitNotFoundError(f"no unit is named {clean!r}{hint}", suggestions=suggestions)


def bind_params(
    query: NamedQuery, params: dict[str, str] | None, *, gazetteer=None, iris=None
) -> dict[str, Identifier]:
    """Check and convert parameters: every declared one without a default is required,
    no unknown one is accepted.

    >>> q = parse_query("# param: all | boolean | all | true | default: false", name="demo")
    >>> bind_params(q, {})["all"].toPython(), bind_params(q, {"all": "true"})["all"].toPython()
    (False, True)
    """
    params = dict(params or {})
    declared = {p.name for p in query.params}
    bindings: dict[str, Identifier] = {}
    for p in query.params:
        if p.name not in params and p.default is not None:
            params[p.name] = p.default
        if p.name not in params:
            raise QueryError(
                f"query {query.name} needs parameter {p.name!r} ({p.type}): "
                f'--param {p.name}="{p.example}"'
            )
        bindings[p.name] = convert_param(p, params[p.name], gazetteer=gazetteer, iris=iris)
        if p.fold:
            from obligraph.base.textkeys import fold_words

            bindings[p.name] = Literal(fold_words(str(bindings[p.name])))
    extra = sorted(set(params) - declared)
    if extra and query.params:
        raise QueryError(
            f"query {query.name} has no parameter {', '.join(extra)}; "
            f"it takes {', '.join(sorted(declared))}"
        )
    for name in extra:  # an inline query without header: literals, or <IRI>s
        value = params[name]
        bare = Param(name, "iri" if value.startswith("<") else "literal")
        bindings[name] = convert_param(bare, value)
    return bindings


def prepare(
    query: NamedQuery, params: dict[str, str] | None, *, gazetteer=None, iris=None
) -> tuple[str, dict[str, Identifier]]:
    """The text to run and the bindings the store binds: :func:`bind_params`, then each
    ``fold: words`` parameter written into the text as its folded constant and each
    ``bind: constant`` one as its term (what ``run`` and ``obligraph query`` run).

    >>> q = parse_query("# param: q | literal | words | x | fold: words\\n"
    ...                 "SELECT ?t WHERE { ?t ?p ?k FILTER(CONTAINS(?k, ?q)) }", name="demo")
    >>> text, bindings = prepare(q, {"q": " Trẻ  EM"})
    >>> text.splitlines()[-1], bindings
    ('SELECT ?t WHERE { ?t ?p ?k FILTER(CONTAINS(?k, "tre em")) }', {})
    >>> q = parse_query("# param: d | literal | number | x | bind: constant\\n"
    ...                 "SELECT ?x WHERE { ?x ?p ?d }", name="demo")
    >>> prepare(q, {"d": 'Số "1" }'})[0].splitlines()[-1]
    'SELECT ?x WHERE { ?x ?p "Số \\\\"1\\\\" }" }'
    """
    bindings = bind_params(query, params, gazetteer=gazetteer, iris=iris)
    folded = {p.name: bindings.pop(p.name) for p in query.params if p.fold or p.constant}
    return (fill(query, constants=folded) if folded else query.text), bindings


def run(
    store,
    name_or_text: str | NamedQuery,
    params: dict[str, str] | None = None,
    *,
    gazetteer=None,
    iris=None,
):
    """Run a named query, a ``.rq`` file or inline SPARQL against ``store``.

    Returns the store's :class:`~obligraph.graph.stores.QueryResult`.
    """
    query = name_or_text if isinstance(name_or_text, NamedQuery) else resolve(name_or_text)
    text, bindings = prepare(query, params, gazetteer=gazetteer, iris=iris)
    return store.query(text, bindings=bindings or None)


# ------------------------------------------------------------------ output


@dataclass
class Table:
    """A result flattened for output: column names and plain cell values."""

    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)


def cell(term) -> object:
    """A plain Python value for a result cell: numbers and booleans typed, the rest text."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float):
            return value
        if isinstance(value, Decimal):
            return float(value)
        return str(term)
    return str(term)


def to_table(result) -> Table:
    """SELECT rows, an ASK answer or CONSTRUCT triples as a :class:`Table`."""
    if result.boolean is not None:
        return Table(["answer"], [[result.boolean]])
    if result.graph is not None:
        triples = sorted(result.graph, key=lambda t: tuple(map(str, t)))
        return Table(["subject", "predicate", "object"], [[cell(x) for x in t] for t in triples])
    return Table(list(result.vars), [[cell(x) for x in row] for row in result.rows])


def render(result, fmt: str) -> str:
    """The result as text in a rows format of :mod:`obligraph.output.formats` (csv, tsv,
    json with diacritics kept, markdown, html, or ``table``: plain text 200 wide); an ASK
    answer as ``{"boolean": ...}`` in JSON.

    >>> from obligraph.graph.stores import QueryResult
    >>> print(render(QueryResult(["n"], [(Literal(1),)]), "csv").strip())
    n
    1
    """
    import io
    import json

    from obligraph.output import formats

    if fmt == "json" and result.boolean is not None:
        return json.dumps({"boolean": result.boolean})
    try:
        out = formats.get("rows", fmt, command="query")
    except UsageError as exc:  # the registry's message names the formats
        raise QueryError(str(exc)) from None
    if out.binary:
        raise QueryError(f"{out.name} is not text; write it to a file with write()")
    table = to_table(result)
    buffer = io.StringIO()
    if out.name == "table":
        out.writer(table.columns, table.rows, buffer, width=200)
    else:
        out.writer(table.columns, table.rows, buffer)
    text = buffer.getvalue()
    return text.rstrip("\n") if fmt == "json" else text


def write(result, fmt: str, dest: str | Path) -> Path:
    """Write the result to the file ``dest`` in a rows format of
    :mod:`obligraph.output.formats` (CSV/TSV in UTF-8 with a BOM so Excel shows
    Vietnamese; XLSX with text cells, never formulas)."""
    from obligraph.output import formats

    table = to_table(result)
    out = formats.get("rows", fmt, command="query")
    formats.emit_rows(out, table.columns, table.rows, Path(dest))
    return Path(dest)
