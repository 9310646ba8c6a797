"""Query parameters for a remote store, bound the way pyoxigraph's `substitutions` bind them.

pyoxigraph binds a substituted variable before evaluation, in every group of the query (a FILTER
in a nested group sees it; `FILTER(!BOUND(?x))` is false), but not inside a sub-SELECT that does
not project it. A trailing VALUES clause, the textbook way, joins only at the end: a FILTER in a
nested group then sees the variable unbound (the long-talks question returns nothing), and
Virtuoso evaluates it wrongly after a GROUP BY. So a VALUES block opens every group graph pattern
where pyoxigraph would have bound the variable. Terms are written by pyoxigraph (`str(term)`): no
value is ever pasted into the query as text.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from publisher.store.graph import Substitutions
from publisher.terms import XSD_STRING

_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'  # IRIs
    r"|#[^\n]*"  # comments
    r"|[?$]\w+"  # variables
    r"|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*"  # prefixed names
    r"|[A-Za-z]+|[{}()*]",  # keywords, braces, parentheses, SELECT *
    re.DOTALL,
)


def bind(sparql: str, base: str | None, substitutions: Substitutions | None, form: str) -> str:
    """The query as the store receives it: relative IRIs resolved against `base` (a BASE line in
    front, which a BASE of the query's own overrides, as pyoxigraph's `base_iri` is), and the
    `substitutions` bound. `form`: SELECT, ASK, CONSTRUCT or DESCRIBE."""
    head = f"BASE {ox.NamedNode(base)}\n" if base else ""
    if not substitutions:
        return head + sparql
    for term in substitutions.values():
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise ValueError(f"only IRIs and literals can be bound, not {term!r}")
    given = {variable.value: str(term) for variable, term in substitutions.items()}
    points = _group_openings(sparql, set(given), form)
    if points is None:  # no group to open (DESCRIBE <iri>, CONSTRUCT WHERE): a join at the end
        return f"{head}{sparql}\n{_values(given, set(given))}\n"
    parts, start = [head], 0
    for position, names in points:
        parts += [sparql[start:position], " ", _values(given, names), " "]
        start = position
    parts.append(sparql[start:])
    return "".join(parts)


def without_constant_columns(sparql: str, names: set[str]) -> tuple[str, list[str], set[str]] | None:
    """The SELECT with the variables `names` taken out of its outermost projection, that
    projection whole, in order, and the names taken out; None when none of them is projected
    there by name.

    A bound parameter has the same value on every row: a store that writes each value of each row
    (Virtuoso: 15 µs a literal) need not be asked for it, and `with_constant_columns` puts it back."""
    projection: list[str] = []
    cut: list[tuple[int, int]] = []
    taken: set[str] = set()
    reading = False
    parentheses = 0
    previous = ""
    for lexeme in _LEXEMES.finditer(sparql):
        token = lexeme.group(0)
        if token.startswith("#"):
            continue
        if not reading:
            reading = token.upper() == "SELECT"
            continue
        if token == "{" or (parentheses == 0 and token.upper() in ("WHERE", "FROM")):
            break
        if token in "()":
            parentheses += 1 if token == "(" else -1
        elif token == "*" and parentheses == 0:
            return None
        elif token[0] in "?$" and (parentheses == 0 or previous.upper() == "AS"):
            projection.append(token[1:])
            if parentheses == 0 and token[1:] in names:
                cut.append(lexeme.span())
                taken.add(token[1:])
        previous = token
    if not cut or len(cut) == len(projection):
        return None
    parts, start = [], 0
    for begin, end in cut:
        parts.append(sparql[start:begin])
        start = end
    parts.append(sparql[start:])
    return "".join(parts), projection, taken


def with_constant_columns(answer: bytes, projection: list[str], constants: dict[str, ox.NamedNode | ox.Literal]) -> bytes:
    """A SPARQL XML answer with the `constants` added to every row, its variables in `projection`'s
    order: what the store would have sent for the query `without_constant_columns` shortened."""
    bindings = "".join(f'<binding name="{name}">{_xml_term(term)}</binding>' for name, term in constants.items()).encode()
    head = "".join(f'<variable name="{name}"/>' for name in projection).encode()

    def with_variables(found: re.Match[bytes]) -> bytes:
        return b"<head>" + head + b"".join(_XML_LINK.findall(found[0])) + b"</head>"

    def with_bindings(found: re.Match[bytes]) -> bytes:
        return b"<result>" + bindings + (b"</result>" if found[0].endswith(b"/>") else b"")

    answer = _XML_HEAD.sub(with_variables, answer, count=1)
    return _XML_RESULT.sub(with_bindings, answer)


_XML_HEAD = re.compile(rb"<head\s*/>|<head\s*>.*?</head\s*>", re.DOTALL)
_XML_LINK = re.compile(rb"<link\b[^>]*>")
_XML_RESULT = re.compile(rb"<result\s*/?>")  # not <results>


def _xml_term(term: ox.NamedNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"



def _values(given: dict[str, str], names: set[str]) -> str:
    chosen = [name for name in given if name in names]
    return f"VALUES ({' '.join('?' + n for n in chosen)}) {{ ({' '.join(given[n] for n in chosen)}) }}"


def _group_openings(sparql: str, names: set[str], form: str) -> list[tuple[int, set[str]]] | None:
    """Where each group graph pattern opens, with the variables bound in it; None when the query
    has no group those can go in."""
    points: list[tuple[int, set[str]]] = []
    scopes: list[set[str]] = []  # the variables bound in each open group
    projection: set[str] | None = None  # a SELECT's projection being read
    opened: tuple[int, set[str]] | None = None  # a `{` just read: a group, unless SELECT follows
    in_data = values_next = False
    parentheses = 0
    template = form == "CONSTRUCT"
    previous = ""
    for lexeme in _LEXEMES.finditer(sparql):
        token = lexeme.group(0)
        if token.startswith("#"):
            continue
        if opened is not None:
            if token.upper() != "SELECT" and opened[1]:  # `{ SELECT …}` holds the sub-query alone
                points.append(opened)
            opened = None
        if in_data:
            in_data = token != "}"
        elif token[0] in "?$":
            if projection is not None:
                projection.add(token[1:])
        elif token.upper() == "VALUES":
            values_next = True
        elif token.upper() == "SELECT":
            projection = set()
        elif token in "()":
            parentheses += 1 if token == "(" else -1
        elif token == "*" and projection is not None and parentheses == 0:  # SELECT *, not COUNT(*)
            projection = set(scopes[-1]) if scopes else set(names)
        elif token == "{":
            if values_next:
                in_data, values_next = True, False
                continue
            if template:
                if previous.upper() == "WHERE":
                    return None  # CONSTRUCT WHERE { … }: the pattern is the template too
                template = False
                scopes.append(set())
                continue
            outer = scopes[-1] if scopes else names
            bound = outer & projection if projection is not None and scopes else set(outer)
            projection = None
            scopes.append(bound)
            opened = (lexeme.end(), bound)
        elif token == "}" and scopes:
            scopes.pop()
        previous = token
    return points or None
