"""Result formats of the SPARQL 1.1 Protocol, written with a row limit.

SELECT and ASK answers are written here rather than by Oxigraph's serializer, because the
serializer cannot stop after N rows; CONSTRUCT and DESCRIBE answers are cut with `islice`
and written by Oxigraph. A cut answer says so in the `truncated` flag, which the web tier
turns into a response header.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any
from xml.etree import ElementTree as ET

import pyoxigraph as ox

from publisher.terms import PREFIXES, XSD_STRING


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    aliases: tuple[str, ...]
    for_graphs: bool  # CONSTRUCT / DESCRIBE (RDF) rather than SELECT / ASK
    iri: str  # its W3C format IRI, for the service description

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.media_type.startswith("text/") else self.media_type


_FORMATS_NS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", ("application/json",), False, _FORMATS_NS + "SPARQL_Results_JSON"),
    ResultFormat("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), False,
                 _FORMATS_NS + "SPARQL_Results_XML"),
    ResultFormat("csv", "text/csv", (), False, _FORMATS_NS + "SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", (), False, _FORMATS_NS + "SPARQL_Results_TSV"),
    ResultFormat("turtle", "text/turtle", ("application/x-turtle",), True, _FORMATS_NS + "Turtle"),
    ResultFormat("ntriples", "application/n-triples", ("text/plain",), True, _FORMATS_NS + "N-Triples"),
    ResultFormat("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), True, _FORMATS_NS + "RDF_XML"),
    ResultFormat("jsonld", "application/ld+json", ("application/json",), True, _FORMATS_NS + "JSON-LD"),
)
BY_NAME = {f.name: f for f in RESULT_FORMATS}
_RDF = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD}
_NAMESPACE = "http://www.w3.org/2005/sparql-results#"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", _NAMESPACE)


@dataclass(frozen=True)
class Answer:
    body: bytes
    fmt: str  # a RESULT_FORMATS name
    rows: int  # solutions or triples written (1 for ASK)
    truncated: bool


class NotAcceptable(Exception):
    """The client accepts no format of this kind of answer (SELECT/ASK vs CONSTRUCT/DESCRIBE)."""


def write(result: Any, solutions_format: str | None, graph_format: str | None, row_limit: int) -> Answer:
    """`result` as a store's `query` gives it: QuerySolutions, QueryBoolean, or any iterable of
    triples (pyoxigraph's QueryTriples, or the triples a remote store sent)."""
    if not isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        if graph_format is None:
            raise NotAcceptable("CONSTRUCT and DESCRIBE answer RDF: " + _offered(True))
        return _graph(result, graph_format, row_limit)
    if solutions_format is None:
        raise NotAcceptable("SELECT and ASK answer SPARQL results: " + _offered(False))
    if isinstance(result, ox.QueryBoolean):
        return Answer(_boolean(bool(result), solutions_format), solutions_format, 1, False)
    names = [v.value for v in result.variables]
    rows = [list(row) for row in islice(result, row_limit + 1)]  # each row's terms in the variables' order
    truncated = len(rows) > row_limit
    rows = rows[:row_limit]
    return Answer(_WRITERS[solutions_format](names, rows), solutions_format, len(rows), truncated)


def _offered(for_graphs: bool) -> str:
    return "ask for one of " + ", ".join(f.media_type for f in RESULT_FORMATS if f.for_graphs == for_graphs)


def _graph(triples: Iterable[ox.Triple], fmt: str, row_limit: int) -> Answer:
    kept = list(islice(triples, row_limit + 1))
    truncated = len(kept) > row_limit
    kept = kept[:row_limit]
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    body = ox.serialize(kept, format=_RDF[fmt], prefixes=prefixes) or b""
    return Answer(body, fmt, len(kept), truncated)


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return _xml([], None, value)
    return ("_askResult\n" + ("true" if value else "false") + "\n").encode()  # as Jena writes it


Row = list[Any]


def _json(names: list[str], rows: list[Row]) -> bytes:
    """Written as text, an IRI or a literal at a time (C's string encoder, no dict per term):
    building dicts for json.dumps took most of the time of an answer of a few hundred rows."""
    keys = [_string(name) + ": " for name in names]
    bindings = []
    for row in rows:
        fields = []
        for key, term in zip(keys, row, strict=True):
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                fields.append(key + '{"type": "uri", "value": ' + _string(term.value) + "}")
            elif isinstance(term, ox.Literal):
                language, datatype = term.language, term.datatype.value
                tail = (', "xml:lang": ' + _string(language) if language else
                        "" if datatype == XSD_STRING else ', "datatype": ' + _string(datatype))
                fields.append(key + '{"type": "literal", "value": ' + _string(term.value) + tail + "}")
            else:
                fields.append(key + json.dumps(_json_term(term), ensure_ascii=False))
        bindings.append("{" + ", ".join(fields) + "}")
    head = ", ".join(_string(name) for name in names)
    return ('{"head": {"vars": [' + head + ']}, "results": {"bindings": [' + ", ".join(bindings) + "]}}").encode()


_string = json.encoder.encode_basestring  # a JSON string, non-ASCII kept as is (as ensure_ascii=False)


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        value: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            value["datatype"] = term.datatype.value
        return value
    return {"type": "triple", "value": {  # RDF-star, as SPARQL-star results write it
        "subject": _json_term(term.subject), "predicate": _json_term(term.predicate), "object": _json_term(term.object)}}


def _xml(names: list[str], rows: list[Row] | None, boolean: bool | None = None) -> bytes:
    root = ET.Element(_tag("sparql"))
    head = ET.SubElement(root, _tag("head"))
    for name in names:
        ET.SubElement(head, _tag("variable"), name=name)
    if boolean is not None:
        ET.SubElement(root, _tag("boolean")).text = "true" if boolean else "false"
    else:
        results = ET.SubElement(root, _tag("results"))
        for row in rows or []:
            result = ET.SubElement(results, _tag("result"))
            for name, term in zip(names, row, strict=True):
                if term is not None:
                    _xml_term(ET.SubElement(result, _tag("binding"), name=name), term)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _tag(name: str) -> str:
    return f"{{{_NAMESPACE}}}{name}"


def _xml_term(parent: ET.Element, term: Any) -> None:
    if isinstance(term, ox.NamedNode):
        ET.SubElement(parent, _tag("uri")).text = term.value
    elif isinstance(term, ox.BlankNode):
        ET.SubElement(parent, _tag("bnode")).text = term.value
    elif isinstance(term, ox.Literal):
        literal = ET.SubElement(parent, _tag("literal"))
        literal.text = term.value
        if term.language:
            literal.set(_XML_LANG, term.language)
        elif term.datatype.value != XSD_STRING:
            literal.set("datatype", term.datatype.value)
    else:
        triple = ET.SubElement(parent, _tag("triple"))
        for part in ("subject", "predicate", "object"):
            _xml_term(ET.SubElement(triple, _tag(part)), getattr(term, part))


def _csv(names: list[str], rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as the SPARQL CSV format asks
    writer.writerow(names)
    writer.writerows([_csv_term(term) for term in row] for row in rows)
    return out.getvalue().encode()


def _csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _tsv(names: list[str], rows: list[Row]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in names)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]  # N-Triples syntax
    return ("\n".join(lines) + "\n").encode()


_WRITERS = {"json": _json, "xml": lambda names, rows: _xml(names, rows), "csv": _csv, "tsv": _tsv}
