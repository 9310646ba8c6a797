"""The question library: `queries/*.rq`, each one question with a comment header.

A header names the question and its parameters:

    # title: Who has spoken with a person?
    # description: The people who shared at least one talk with a person, ...
    #   (continued on indented lines)
    # param: person (iri, default "person/rival-madina"): the person, relative to the base
    # example: person=person/burlaud-alain

A parameter NAME is bound to the query's `?NAME` through pyoxigraph's `substitutions`, never
written into the query text; the default is bound when the caller gives no value.
pyoxigraph substitutes only variables of the SELECT clause, so each `?NAME` is projected (and
grouped by, in an aggregate); loading a file runs it once with its defaults to check that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import takewhile
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pyoxigraph as ox

from publisher import querying
from publisher.errors import PublisherError, UsageError
from publisher.settings import Settings

QUERIES = Path(__file__).resolve().parent.parent / "queries"
TYPES = ("iri", "string", "integer", "date")
XSD = "http://www.w3.org/2001/XMLSchema#"

_PARAM = re.compile(r'(?P<name>[A-Za-z_]\w*) \((?P<type>\w+), default (?P<default>"[^"]*"|[^)]*)\): (?P<text>.+)')
_FIELD = re.compile(r"# (?P<key>title|description|param|example):(?P<value>.*)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`\x00-\x1f]')
_ABSOLUTE = re.compile(r"https?://[^/?#]+", re.IGNORECASE)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class QueryFileError(PublisherError):
    """A file of queries/ whose header or SPARQL is broken: a bug of the library, not of a caller."""

    exit_code = 2


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str
    text: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: list[Param]
    example: str
    sparql: str
    example_values: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def load_queries(directory: Path = QUERIES) -> dict[str, NamedQuery]:
    """Every `*.rq` of `directory` by name (its file stem); a broken header raises QueryFileError."""
    return {path.stem: load_query(path) for path in sorted(directory.glob("*.rq"))}


def load_query(path: Path) -> NamedQuery:
    sparql = path.read_text(encoding="utf-8")
    fields = _header(path, sparql)
    params = [_param(path, line) for line in fields.get("param", [])]
    if len({p.name for p in params}) != len(params):
        raise QueryFileError(f"{path}: a parameter is declared twice")
    for key in ("title", "description", "example"):
        if key not in fields:
            raise QueryFileError(f"{path}: the header has no `# {key}:` line")
    title, description = fields["title"][0], fields["description"][0]
    if not title or not description:
        raise QueryFileError(f"{path}: the title and the description must not be empty")
    query = NamedQuery(path.stem, title, description, params, fields["example"][0], sparql,
                       _example(path, fields["example"][0], params))
    _check_sparql(path, query)
    return query


def _header(path: Path, text: str) -> dict[str, list[str]]:
    """The header's fields; a `#   ` line continues the field above it."""
    fields: dict[str, list[str]] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if match := _FIELD.fullmatch(line.rstrip()):
            last = match["key"]
            fields.setdefault(last, []).append(match["value"].strip())
        elif line.startswith("#   ") and last is not None:
            fields[last][-1] = f"{fields[last][-1]} {line[1:].strip()}"
        else:
            raise QueryFileError(f"{path}: header line not understood: {line!r}")
    for key in ("title", "description", "example"):
        if len(fields.get(key, [])) > 1:
            raise QueryFileError(f"{path}: the header has more than one `# {key}:` line")
    return fields


def _param(path: Path | str, line: str) -> Param:
    match = _PARAM.fullmatch(line)
    if match is None:
        raise QueryFileError(f"{path}: write a parameter as `# param: NAME (TYPE, default VALUE): text`, not {line!r}")
    if match["type"] not in TYPES:
        raise QueryFileError(f"{path}: parameter {match['name']} has the unknown type {match['type']!r}; "
                             f"use one of {', '.join(TYPES)}")
    default = match["default"].strip()
    if len(default) >= 2 and default[0] == default[-1] == '"':
        default = default[1:-1]
    return Param(match["name"], match["type"], default, match["text"].strip())


def _example(path: Path, example: str, params: list[Param]) -> dict[str, str]:
    """`a=1 b=x y` -> {"a": "1", "b": "x y"}: a value runs to the next `name=`."""
    names = [p.name for p in params]
    if not example:
        return {}
    pattern = re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, names)) + r")=") if names else None
    marks = list(pattern.finditer(example)) if pattern else []
    if not marks or marks[0].start() != 0:
        raise QueryFileError(f"{path}: write the example as NAME=VALUE pairs of its parameters, not {example!r}")
    ends = [m.start() for m in marks[1:]] + [len(example)]
    return {m[1]: example[m.end():end].strip() for m, end in zip(marks, ends, strict=True)}


def _check_sparql(path: Path, query: NamedQuery) -> None:
    """Each parameter is a `?NAME` of the query, and the query runs with every default bound."""
    for param in query.params:
        if not re.search(r"[?$]" + re.escape(param.name) + r"\b", query.sparql):
            raise QueryFileError(f"{path}: parameter {param.name} is not used as ?{param.name} in the query")
    try:
        substitutions = bind(query, {}, "http://example.org/")
        ox.Store().query(query.sparql, base_iri="http://example.org/", substitutions=substitutions)
    except (SyntaxError, RuntimeError, UsageError) as problem:
        raise QueryFileError(f"{path}: the query does not run with its defaults: {problem}") from None


def header_defaults(sparql: str, base: str) -> dict[ox.Variable, Any]:
    """The default of each `# param:` of a query's leading comments (none for an ad-hoc query),
    so that a library file run as is (`publisher query queries/x.rq`) answers its default question."""
    lines = takewhile(lambda line: line.startswith("#"), sparql.splitlines())
    params = [_param("the query", line[len("# param:"):].strip()) for line in lines if line.startswith("# param:")]
    return {ox.Variable(p.name): term(p, p.default, base) for p in params}


# --- binding ------------------------------------------------------------------------------

def bind(query: NamedQuery, given: Mapping[str, str], base: str) -> dict[ox.Variable, Any]:
    """Each parameter as a term: the given value, else the default; an unknown or malformed
    value raises UsageError."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise UsageError(f"{query.name} has no parameter {', '.join(unknown)} (its parameters: {known})")
    return {ox.Variable(p.name): term(p, given.get(p.name, p.default), base) for p in query.params}


def term(param: Param, value: str, base: str) -> ox.NamedNode | ox.Literal:
    if param.type == "iri":
        return ox.NamedNode(_iri(param.name, value, base))
    if param.type == "integer":
        if not _INTEGER.fullmatch(value):
            raise UsageError(f"{param.name} must be an integer (digits, with an optional sign), not {value!r}")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if param.type == "date":
        return ox.Literal(_date(param.name, value), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(value)


def _iri(name: str, value: str, base: str) -> str:
    if not value or _IRI_FORBIDDEN.search(value):
        raise UsageError(f'{name} must be an IRI without spaces or any of <>"{{}}|\\^`, not {value!r}')
    if _ABSOLUTE.match(value):
        return value
    if _SCHEME.match(value) or value.startswith("//"):
        raise UsageError(f"{name} must be an http(s) IRI or one relative to {base}, not {value!r}")
    return urljoin(base, value)


def _date(name: str, value: str) -> str:
    if _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise UsageError(f"{name} must be a real date written YYYY-MM-DD, not {value!r}")


# --- running -----------------------------------------------------------------------------

def run_named(settings: Settings, name: str, given: Mapping[str, str] | None = None,
              queries: Mapping[str, NamedQuery] | None = None) -> Any:
    """Answer the question `name` over the published version, with `given` parameter values."""
    library = load_queries() if queries is None else queries
    if name not in library:
        raise UsageError(f"no question named {name!r}; the questions are: {', '.join(sorted(library))}")
    query = library[name]
    version = querying.published(settings)
    base = version.manifest.base
    return version.query(query.sparql, base, substitutions=bind(query, given or {}, base))


def run_file(settings: Settings, path: Path, given: Mapping[str, str]) -> Any:
    """Answer a question written in a .rq file with a header, with `given` parameter values."""
    query = load_query(path)
    return run_named(settings, query.name, given, {query.name: query})


__all__ = ["NamedQuery", "Param", "QueryFileError", "bind", "header_defaults", "load_queries", "run_file", "run_named"]
