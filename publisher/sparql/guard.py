"""What a public endpoint must refuse before a query reaches the engine.

Oxigraph evaluates `SERVICE` by calling the remote endpoint itself, so a query naming one
would make the server send requests anywhere. The text is scanned, with comments, strings and
IRIs told apart from keywords, and a `SERVICE` keyword is refused unless it names an
endpoint of the allow-list. The scan errs on the side of refusing: a prefixed name spelt like
the keyword (`ex:a.SERVICE`) is refused too, which costs a rename, never a request.

Updates never run (the engine is only asked to query), but one sent here gets a clear word
rather than a parser message about a missing SELECT.

A remote store may offer more than SPARQL: Virtuoso runs its SQL built-ins when a query calls
an IRI of the `bif:` or `sql:` scheme as a function, so those IRIs are refused everywhere (the
embedded store knows no such function either). `without_dataset` takes a query's own dataset
clauses out, for a remote store that would otherwise let `FROM <another graph>` reach it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from publisher.errors import UsageError

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
      | (?P<word>[^\W\d][\w.:-]*)
      | (?P<other>\S)
    """,
    re.VERBOSE,
)
_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_VENDOR_SCHEMES = ("bif:", "sql:")  # Virtuoso's SQL built-ins, callable as functions by IRI
UPDATE_REFUSED = ("this endpoint answers queries only: SPARQL Update is not accepted; "
                  "the data changes only when `publisher build` publishes")


class QueryRefused(UsageError):
    """A query this endpoint will not evaluate (a 400 on the web)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int = 0  # where it begins and ends in the query text
    end: int = 0

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> Iterator[Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "comment":
            yield Token(kind, match.group(), match.start(), match.end())


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, or an update keyword, from the first keyword after the prologue."""
    return _form(tokens(text))


def _form(listed: Iterable[Token]) -> str | None:
    return next((t.keyword for t in listed if t.keyword in _QUERY_FORMS or t.keyword in _UPDATE_KEYWORDS), None)


def is_update(text: str) -> bool:
    return query_form(text) in _UPDATE_KEYWORDS


def check_query(text: str, allowed_services: frozenset[str] = frozenset()) -> None:
    """Raise QueryRefused for an update or a SERVICE call to an endpoint not allowed."""
    listed = list(tokens(text))
    if _form(listed) in _UPDATE_KEYWORDS:
        raise QueryRefused(UPDATE_REFUSED)
    for token in listed:
        if token.kind == "iri" and token.text[1:].lower().startswith(_VENDOR_SCHEMES):
            raise QueryRefused(f"{token.text} is refused: IRIs of the bif: and sql: schemes name a store's "
                               "own built-in functions, which this endpoint does not offer")
    for position, token in enumerate(listed):
        if token.keyword != "SERVICE":
            continue
        following = [t for t in listed[position + 1:position + 3] if t.keyword != "SILENT"]
        endpoint = following[0].text[1:-1] if following and following[0].kind == "iri" else None
        if endpoint is None or endpoint not in allowed_services:
            named = f" <{endpoint}>" if endpoint else ""
            allowed = ", ".join(sorted(allowed_services)) or "none"
            raise QueryRefused(f"SERVICE{named} is refused: this endpoint sends no requests to other endpoints "
                               f"(allowed endpoints, written as full IRIs: {allowed})")


def without_dataset(text: str) -> tuple[str, bool]:
    """The query without its dataset clauses (`FROM <g>`, `FROM NAMED ex:g`), and whether it had any.

    Only for a text that parsed as SPARQL 1.1, where FROM is a keyword of dataset clauses alone."""
    listed = list(tokens(text))
    spans: list[tuple[int, int]] = []
    for position, token in enumerate(listed):
        if token.keyword != "FROM":
            continue
        graph = listed[position + 1]
        if graph.keyword == "NAMED":
            graph = listed[position + 2]
        # An IRI is one token; a prefixed name runs to the next space or brace (`\` escapes a character).
        end = graph.end if graph.kind == "iri" else _PREFIXED_NAME.match(text, graph.start).end()  # type: ignore[union-attr]
        spans.append((token.start, end))
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return text, bool(spans)


_PREFIXED_NAME = re.compile(r"(?:\\.|[^\s{}#])+")
