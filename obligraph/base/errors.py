"""The one exception root of obligraph, and its children.

Every error the tool raises on purpose is an :class:`ObligraphError`; it carries
the file, line and row it is about when it has them, so the command line can
print one clear line and exit with code 2.

>>> err = InputError("file is empty", file="plan.txt")
>>> str(err)
'plan.txt: file is empty'
>>> isinstance(err, ObligraphError)
True
>>> str(ParseError("row has 3 cells, expected 5", file="a.txt", line=140, row="2.a"))
'a.txt:140 (row 2.a): row has 3 cells, expected 5'
"""

from __future__ import annotations


class ObligraphError(Exception):
    """Root of every error obligraph raises on purpose.

    ``file``, ``line`` and ``row`` say where the problem is, when known.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        row: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.row = row

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            if self.row:
                where += f" (row {self.row})"
            where += ": "
        return f"{where}{self.message}"

    def __reduce__(self):  # keep file, line, row (and subclass fields) across processes
        return (_restore, (type(self), self.message, dict(self.__dict__)))


def _restore(cls: type, message: str, state: dict) -> ObligraphError:
    """An error sent by a worker process, as it was raised there.

    >>> import pickle
    >>> err = pickle.loads(pickle.dumps(QueryError("bad", file="q.rq", line=3)))
    >>> type(err).__name__, str(err)
    ('QueryError', 'q.rq:3: bad')
    """
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    exc.__dict__.update(state)
    return exc


class InputError(ObligraphError):
    """A document cannot be read: missing, empty, binary, wrong encoding, too large."""


class ParseError(ObligraphError):
    """A document was read but a part of it cannot be understood."""


class StoreError(ObligraphError):
    """The store cannot be opened, is locked, or refused an operation."""


class QueryError(ObligraphError):
    """A query is unknown, malformed, misses a parameter, or the endpoint refused it."""


class LimitError(ObligraphError):
    """A query or a page was stopped at one of its limits; exit code 3.

    ``limit`` is the value passed (seconds or MiB) and ``option`` the option setting it.
    """

    exit_code = 3

    def __init__(self, message: str, *, limit: float = 0, option: str = "") -> None:
        super().__init__(message)
        self.limit = limit
        self.option = option


class TimeLimitError(LimitError):
    """The work ran past its time limit (and, in a worker process, was killed)."""


class MemoryLimitError(LimitError):
    """The work needed more memory than its bound (its worker process was stopped)."""


class OntologyError(ObligraphError):
    """The ontology, the shapes or a gazetteer file cannot be loaded."""


class ReasonerError(ObligraphError):
    """The reasoner cannot run (no Java) or found the graph inconsistent."""


class UsageError(ObligraphError):
    """The command line asked for something a command cannot do: an unknown format, an
    output file extension it cannot write, an option value out of its range."""


class UnitNotFoundError(ObligraphError):
    """A unit name matches no unit; ``suggestions`` holds the closest names."""

    def __init__(self, message: str, *, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []
