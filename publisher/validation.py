"""Check published N-Triples against the project's SHACL shapes, fast.

pySHACL costs milliseconds a record (about 4 ms here on the mapping's output): minutes for a
100k-record build. So the shapes are compiled once into SPARQL SELECT queries, one per
constraint, each returning the violating (focus node, value) pairs, and run by Oxigraph on an
in-memory store holding one batch (about 0.2 ms a record, some 18 times faster). pySHACL stays
available (`validate_pyshacl`) as the reference the tests compare against.

Only the SHACL Core subset the project's shapes need is compiled (see `_VALUE_PARAMS`,
`_PROPERTY_PARAMS`, `_TARGETS`); anything else in a shapes file raises `ShapesError` when the
shapes are loaded, so a constraint is never skipped silently.

In a `Violation`, `focus` and `path` are plain IRIs (a focus node that is a blank node or a
literal is written in N-Triples syntax: `_:b0`), and `value` is in N-Triples syntax, since it
may be a literal (`<http://...>`, `"3:59"^^<http://www.w3.org/2001/XMLSchema#duration>`).
Each engine writes literals in its own canonical form (Oxigraph writes `"01"^^xsd:integer` as
`"1"^^...`, rdflib writes a `Z` offset as `+00:00`), and each decides with its own XSD parsers
which literals are ill-typed: Oxigraph's are the stricter (`"PT"` or `"P1W"` as xsd:duration,
`"2024-01-01T10:00"` as xsd:dateTime are ill-typed for Oxigraph, accepted by rdflib).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pyshacl
from rdflib import RDF, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .errors import ShapesError
from .terms import RDFS

SHAPES_DIR = Path(__file__).resolve().parent.parent / "shapes"

_SH = str(SH)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_ANNOTATIONS = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
# Datatypes whose lexical form Oxigraph can check by casting (an ill-typed literal fails the cast).
_CASTABLE = {
    XSD.string, XSD.boolean, XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.date, XSD.time,
    XSD.dateTime, XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration,
}  # fmt: skip
_CLASSES = (URIRef(f"{RDFS}Class"), URIRef("http://www.w3.org/2002/07/owl#Class"))
_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SUBCLASS = f"<{RDF.type}>/<{RDFS}subClassOf>*"


@dataclass(frozen=True)
class Violation:
    focus: str  # plain IRI; a blank node or a literal in N-Triples syntax
    path: str | None  # plain IRI; None for a constraint on the node itself
    value: str | None  # N-Triples term; None for count, hasValue and uniqueLang results
    component: str  # SHACL constraint component, local name: "MinCountConstraintComponent"
    message: str  # English, for the cataloguer
    message_fr: str
    field: str | None  # the record field (pub:recordField), when the shape names one
    severity: str  # "Violation", "Warning" or "Info"

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.focus}: {where}{self.message}"


@dataclass(frozen=True)
class _Check:
    """One compiled constraint: the query finding its violations, and how to report them."""

    query: str
    shape: Node  # the shape holding the constraint parameter (pySHACL's sh:sourceShape)
    node_shape: Node  # the shape whose targets give the focus nodes
    component: str
    path: str | None
    message: str
    message_fr: str
    field: str | None
    severity: str
    reports_value: bool  # whether the query selects ?value

    def violation(self, focus: str, value: str | None, path: str | None) -> Violation:
        return Violation(
            focus, path, value, self.component, self.message, self.message_fr, self.field, self.severity
        )


class Shapes:
    """Shapes loaded once: the rdflib graph (for pySHACL) and the compiled checks (for Oxigraph)."""

    def __init__(self, graph: Graph, checks: Sequence[_Check], base: str) -> None:
        self.graph = graph
        self.checks = tuple(checks)
        self.base = base
        self._by_source = {(c.shape, c.component): c for c in self.checks}

    def __len__(self) -> int:
        return len(self.checks)

    def without(self, *node_shapes: str) -> Shapes:
        """These shapes switched off (e.g. `BASE shapes#Dataset` when validating a batch of records).

        A shape without targets has no focus node, so dropping its targets switches it off in
        pySHACL as well.
        """
        names = {URIRef(n) for n in node_shapes}
        graph = Graph()
        for triple in self.graph:
            if not (triple[0] in names and triple[1] in _TARGETS):
                graph.add(triple)
        return Shapes(graph, [c for c in self.checks if c.node_shape not in names], self.base)

    def check_for(self, shape: Node, component: str) -> _Check | None:
        return self._by_source.get((shape, component))


# --- loading ----------------------------------------------------------------------------


def load_shapes(base: str, paths: Sequence[Path] | None = None) -> Shapes:
    """Parse shapes files (relative IRIs resolved against `base`) and compile them."""
    if not base.endswith("/"):
        raise ShapesError(f"base IRI must end with '/': {base}")
    files = sorted(SHAPES_DIR.glob("*.ttl")) if paths is None else list(paths)
    if not files:
        raise ShapesError(f"no shapes files: none given, or none in {SHAPES_DIR}")
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle", publicID=base)
        except (OSError, SyntaxError, ValueError) as error:
            raise ShapesError(f"{path}: cannot read shapes: {error}") from error
    return Shapes(graph, _Compiler(graph, base).compile(), base)


class _Compiler:
    def __init__(self, graph: Graph, base: str) -> None:
        self.g = graph
        self.record_field = URIRef(f"{base}ontology#recordField")

    def compile(self) -> list[_Check]:
        self._refuse_unknown_terms()
        checks: list[_Check] = []
        targeted = {s for t in _TARGETS for s in self.g.subjects(t, None)}
        for shape in sorted(targeted, key=str):
            focus = self._focus_pattern(shape)
            if (shape, SH.path, None) in self.g:
                checks += self._property_checks(shape, shape, focus)
                continue
            checks += self._node_checks(shape, focus)
            for prop in self.g.objects(shape, SH.property):
                checks += self._property_checks(prop, shape, focus)
        return checks

    def _refuse_unknown_terms(self) -> None:
        known = set(_VALUE_PARAMS) | set(_PROPERTY_PARAMS) | set(_TARGETS) | _ANNOTATIONS
        known |= {SH.property, SH.path, SH.flags}
        for s, p, o in sorted(self.g):  # sorted: the same error on every run
            if str(p).startswith(_SH) and p not in known:
                raise ShapesError(f"{_name(s)}: {_name(p)} is not supported by the validator")
            if p != RDF.type:
                continue
            if str(o).startswith(_SH) and o not in (SH.NodeShape, SH.PropertyShape):
                raise ShapesError(f"{_name(s)}: shapes of type {_name(o)} are not supported")
            if o in _CLASSES and (s, RDF.type, SH.NodeShape) in self.g:
                raise ShapesError(f"{_name(s)}: implicit class targets (a shape that is a class) are not supported")

    def _focus_pattern(self, shape: Node) -> str:
        """A group binding ?focus to the shape's focus nodes (repeats possible: callers use DISTINCT)."""
        parts = []
        for target in _TARGETS:
            for node in self.g.objects(shape, target):
                parts.append(_target_pattern(target, node, shape))
        return "{ " + " UNION ".join("{ " + p + " }" for p in parts) + " }"

    def _node_checks(self, shape: Node, focus: str) -> list[_Check]:
        for param in _PROPERTY_PARAMS:
            if (shape, param, None) in self.g:
                raise ShapesError(f"{_name(shape)}: {_name(param)} is only supported on property shapes")

        def query(clause: str) -> str:
            return f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} BIND(?focus AS ?value) {clause} }}"

        return self._value_checks(shape, shape, None, query)

    def _property_checks(self, shape: Node, node_shape: Node, focus: str) -> list[_Check]:
        path = self.g.value(shape, SH.path)
        if not isinstance(path, URIRef):
            raise ShapesError(f"{_name(shape)}: only a single IRI is supported as sh:path, not {path!r}")
        if (shape, SH.property, None) in self.g:
            raise ShapesError(f"{_name(shape)}: sh:property inside a property shape is not supported")

        # The failing values are found first, over the whole batch, and only then joined with
        # the focus nodes: violations are rare, and this order is several times faster.
        def query(clause: str) -> str:
            values = f"SELECT ?focus ?value WHERE {{ ?focus <{path}> ?value {clause} }}"
            return f"SELECT DISTINCT ?focus ?value WHERE {{ {{ {values} }} {focus} }}"

        checks = self._value_checks(shape, node_shape, path, query)
        for param, build in _PROPERTY_PARAMS.items():
            for arg in self.g.objects(shape, param):
                text = build(shape, focus, f"<{path}>", arg)
                checks.append(self._check(shape, node_shape, param, path, text))
        return checks

    def _value_checks(
        self, shape: Node, node_shape: Node, path: URIRef | None, query: Callable[[str], str]
    ) -> list[_Check]:
        checks = []
        for param, build in _VALUE_PARAMS.items():
            for arg in self.g.objects(shape, param):
                if param == SH["class"]:  # an anti-join: much faster than an EXISTS per value
                    clause = f"MINUS {{ ?value {_SUBCLASS} {_term(shape, arg)} }}"
                else:  # a failing expression (an ill-typed literal in a comparison) is a violation
                    clause = f"FILTER(!COALESCE({build(self, shape, arg)}, false))"
                checks.append(self._check(shape, node_shape, param, path, query(clause)))
        return checks

    def _check(self, shape: Node, node_shape: Node, param: URIRef, path: URIRef | None, query: str) -> _Check:
        local = param[len(_SH) :]
        component = local[0].upper() + local[1:] + "ConstraintComponent"
        message, message_fr = self._messages(shape, component, path)
        severity = self.g.value(shape, SH.severity, default=SH.Violation)
        if not isinstance(severity, URIRef) or severity not in _SEVERITIES:
            raise ShapesError(f"{_name(shape)}: unknown sh:severity {severity}")
        field = self.g.value(shape, self.record_field)
        return _Check(
            query=query,
            shape=shape,
            node_shape=node_shape,
            component=component,
            path=str(path) if path else None,
            message=message,
            message_fr=message_fr,
            field=str(field) if field is not None else None,
            severity=_SEVERITIES[severity],
            reports_value=param in _VALUE_PARAMS or param == SH.equals,
        )

    def _messages(self, shape: Node, component: str, path: URIRef | None) -> tuple[str, str]:
        texts = {m.language or "en": str(m) for m in self.g.objects(shape, SH.message) if isinstance(m, Literal)}
        generic = f"{component} failed on {path or 'the node'}"
        return texts.get("en", generic), texts.get("fr", texts.get("en", generic))

    # -- value-level constraints: each gives a SPARQL expression true when ?value conforms --

    def datatype_ok(self, shape: Node, dt: Node) -> str:
        if not isinstance(dt, URIRef):
            raise ShapesError(f"{_name(shape)}: sh:datatype must be an IRI, not {dt!r}")
        if dt == RDF.langString:
            return '(isLiteral(?value) && LANG(?value) != "")'
        ok = f"isLiteral(?value) && sameTerm(DATATYPE(?value), <{dt}>)"
        if dt in _CASTABLE:
            ok += f" && sameTerm(DATATYPE(<{dt}>(STR(?value))), <{dt}>)"
        return f"({ok})"

    def class_ok(self, shape: Node, cls: Node) -> str:
        if not isinstance(cls, URIRef):
            raise ShapesError(f"{_name(shape)}: sh:class must be an IRI, not {cls!r}")
        return f"EXISTS {{ ?value {_SUBCLASS} <{cls}> }}"

    def node_kind_ok(self, shape: Node, kind: Node) -> str:
        test = _NODE_KINDS.get(kind) if isinstance(kind, URIRef) else None
        if test is None:
            raise ShapesError(f"{_name(shape)}: unknown sh:nodeKind {kind}")
        return test

    def pattern_ok(self, shape: Node, pattern: Node) -> str:
        flags = list(self.g.objects(shape, SH.flags))
        if len(flags) > 1 or (flags and len(set(self.g.objects(shape, SH.pattern))) > 1):
            raise ShapesError(f"{_name(shape)}: sh:flags is only supported beside a single sh:pattern")
        if flags and not set(str(flags[0])) <= set("ismx"):
            raise ShapesError(f"{_name(shape)}: unsupported sh:flags {flags[0]}")
        flag_arg = f", {_string(str(flags[0]))}" if flags else ""
        return f"(!isBlank(?value) && REGEX(STR(?value), {_string(str(pattern))}{flag_arg}))"

    def min_length_ok(self, shape: Node, n: Node) -> str:
        return f"(!isBlank(?value) && STRLEN(STR(?value)) >= {_count(shape, n)})"

    def max_length_ok(self, shape: Node, n: Node) -> str:
        return f"(!isBlank(?value) && STRLEN(STR(?value)) <= {_count(shape, n)})"

    def in_ok(self, shape: Node, items: Node) -> str:
        members = [f"sameTerm(?value, {_term(shape, m)})" for m in self._list(shape, items)]
        return "(" + (" || ".join(members) or "false") + ")"

    def language_in_ok(self, shape: Node, items: Node) -> str:
        ranges = [str(m) for m in self._list(shape, items)]
        members = [f"LANGMATCHES(LANG(?value), {_string(r)})" for r in ranges]
        return "(isLiteral(?value) && (" + (" || ".join(members) or "false") + "))"

    def or_ok(self, shape: Node, items: Node) -> str:
        return "(" + " || ".join(self._member_ok(m) for m in self._list(shape, items)) + ")"

    def _member_ok(self, member: Node) -> str:
        for p in self.g.predicates(member, None):
            if p not in _VALUE_PARAMS and p not in _ANNOTATIONS and p not in (RDF.type, SH.flags):
                allowed = ", ".join(_name(p) for p in _VALUE_PARAMS)
                raise ShapesError(f"{_name(member)}: sh:or members may only use {allowed}, not {_name(p)}")
        oks = [build(self, member, a) for param, build in _VALUE_PARAMS.items() for a in self.g.objects(member, param)]
        return "(" + (" && ".join(oks) or "true") + ")"

    def _list(self, shape: Node, node: Node) -> list[Node]:
        is_list = node == RDF.nil or (node, RDF.first, None) in self.g
        if not isinstance(node, BNode | URIRef) or not is_list:
            raise ShapesError(f"{_name(shape)}: expected an RDF list, found {node!r}")
        return list(Collection(self.g, node))


def _range_ok(op: str) -> Callable[[_Compiler, Node, Node], str]:
    def build(_compiler: _Compiler, shape: Node, bound: Node) -> str:
        return f"(?value {op} {_term(shape, bound)})"

    return build


_VALUE_PARAMS: dict[URIRef, Callable[[_Compiler, Node, Node], str]] = {
    SH.datatype: _Compiler.datatype_ok,
    SH["class"]: _Compiler.class_ok,
    SH.nodeKind: _Compiler.node_kind_ok,
    SH.pattern: _Compiler.pattern_ok,
    SH.minLength: _Compiler.min_length_ok,
    SH.maxLength: _Compiler.max_length_ok,
    SH.minInclusive: _range_ok(">="),
    SH.maxInclusive: _range_ok("<="),
    SH.minExclusive: _range_ok(">"),
    SH.maxExclusive: _range_ok("<"),
    SH["in"]: _Compiler.in_ok,
    SH.languageIn: _Compiler.language_in_ok,
    SH["or"]: _Compiler.or_ok,
}


# --- property-level constraints: each gives a whole query ------------------------------


def _min_count(shape: Node, focus: str, path: str, n: Node) -> str:
    count = _count(shape, n)
    if count == 0:
        return _NOTHING
    if count == 1:
        return f"SELECT DISTINCT ?focus WHERE {{ {focus} MINUS {{ ?focus {path} ?x }} }}"
    enough = f"SELECT ?focus WHERE {{ ?focus {path} ?x }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?x) >= {count})"
    return f"SELECT DISTINCT ?focus WHERE {{ {focus} MINUS {{ {enough} }} }}"


def _max_count(shape: Node, focus: str, path: str, n: Node) -> str:
    count = _count(shape, n)
    many = f"SELECT ?focus WHERE {{ ?focus {path} ?x }} GROUP BY ?focus HAVING (COUNT(DISTINCT ?x) > {count})"
    return f"SELECT DISTINCT ?focus WHERE {{ {{ {many} }} {focus} }}"


def _has_value(shape: Node, focus: str, path: str, value: Node) -> str:
    return f"SELECT DISTINCT ?focus WHERE {{ {focus} MINUS {{ ?focus {path} {_term(shape, value)} }} }}"


def _equals(shape: Node, focus: str, path: str, other: Node) -> str:
    if not isinstance(other, URIRef):
        raise ShapesError(f"{_name(shape)}: sh:equals must be an IRI, not {other!r}")
    one_way = "{{ ?focus {} ?value MINUS {{ ?focus {} ?value }} }}"
    differ = one_way.format(path, f"<{other}>") + " UNION " + one_way.format(f"<{other}>", path)
    return f"SELECT DISTINCT ?focus ?value WHERE {{ {{ SELECT ?focus ?value WHERE {{ {differ} }} }} {focus} }}"


def _unique_lang(shape: Node, focus: str, path: str, flag: Node) -> str:
    if not (isinstance(flag, Literal) and isinstance(flag.value, bool)):
        raise ShapesError(f"{_name(shape)}: sh:uniqueLang must be true or false, not {flag!r}")
    if not flag.value:
        return _NOTHING
    same = 'FILTER(!sameTerm(?a, ?b) && LANG(?a) != "" && LCASE(LANG(?a)) = LCASE(LANG(?b)))'
    pairs = f"SELECT ?focus (LCASE(LANG(?a)) AS ?lang) WHERE {{ ?focus {path} ?a, ?b {same} }}"
    return f"SELECT DISTINCT ?focus ?lang WHERE {{ {{ {pairs} }} {focus} }}"


_NOTHING = "SELECT ?focus WHERE { FILTER(false) }"  # a constraint no data can violate (sh:minCount 0)
_PROPERTY_PARAMS: dict[URIRef, Callable[[Node, str, str, Node], str]] = {
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH.hasValue: _has_value,
    SH.equals: _equals,
    SH.uniqueLang: _unique_lang,
}


def _target_pattern(target: URIRef, node: Node, shape: Node) -> str:
    if target == SH.targetNode:
        return f"VALUES ?focus {{ {_term(shape, node)} }}"
    if not isinstance(node, URIRef):
        raise ShapesError(f"{_name(shape)}: {_name(target)} must be an IRI, not {node!r}")
    if target == SH.targetClass:
        return f"?focus {_SUBCLASS} <{node}> ."
    if target == SH.targetSubjectsOf:
        return f"?focus <{node}> ?t ."
    return f"?t <{node}> ?focus ."


def _term(shape: Node, node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ShapesError(f"{_name(shape)}: blank node {node!r} used as a value is not supported")


def _count(shape: Node, n: Node) -> int:
    value = n.value if isinstance(n, Literal) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ShapesError(f"{_name(shape)}: expected a non-negative integer, not {n!r}")
    return value


def _string(text: str) -> str:
    return Literal(text).n3()


def _name(node: Node) -> str:
    """How a shapes term is named in error messages: `sh:foo`, `<iri>` or a blank node's n3."""
    if isinstance(node, URIRef) and node.startswith(_SH):
        return f"sh:{node[len(_SH) :]}"
    return node.n3() if isinstance(node, URIRef | BNode | Literal) else str(node)


# --- validating -------------------------------------------------------------------------


def validate(ntriples: str | bytes, shapes: Shapes) -> list[Violation]:
    """Every violation of `shapes` in one batch of N-Triples, by Oxigraph (the fast engine)."""
    store = pyoxigraph.Store()
    data = ntriples.encode() if isinstance(ntriples, str) else ntriples
    store.load(input=data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    found = []
    for check in shapes.checks:
        rows = store.query(check.query)
        assert isinstance(rows, pyoxigraph.QuerySolutions)
        for row in rows:
            value = str(row["value"]) if check.reports_value else None
            found.append(check.violation(_plain(row["focus"]), value, check.path))
    return _sorted(found)


def validate_pyshacl(ntriples: str | bytes, shapes: Shapes) -> list[Violation]:
    """The same report by pySHACL, the reference engine (slow: for tests and audits)."""
    data = Graph().parse(data=ntriples, format="nt")
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes.graph, inference="none", advanced=False, allow_warnings=True, allow_infos=True
    )
    assert isinstance(report, Graph)
    return _sorted(_from_report(report, shapes))


def _from_report(report: Graph, shapes: Shapes) -> Iterable[Violation]:
    for result in report.subjects(RDF.type, SH.ValidationResult):
        component = str(report.value(result, SH.sourceConstraintComponent)).split("#")[-1]
        source = report.value(result, SH.sourceShape)
        check = None if source is None else shapes.check_for(source, component)
        focus, path, value = (report.value(result, p) for p in (SH.focusNode, SH.resultPath, SH.value))
        if check is None or focus is None:
            raise ShapesError(f"pySHACL reported {component} from a shape the validator did not compile")
        focus_name = str(focus) if isinstance(focus, URIRef) else focus.n3()
        value_name = None if value is None else value.n3()
        yield check.violation(focus_name, value_name, None if path is None else str(path))


def _plain(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal) -> str:
    return term.value if isinstance(term, pyoxigraph.NamedNode) else str(term)


def _sorted(violations: Iterable[Violation]) -> list[Violation]:
    return sorted(violations, key=lambda v: (v.focus, v.path or "", v.component, v.value or ""))
