"""JSON-LD compacted with schema.org's own context, offline.

The output names its context `https://schema.org/` (what schema.org consumers expect); the
context itself is read from the copy vendored beside this module (schema.org release 30.0),
never fetched.

pyld compares every IRI with each of the context's 3,000 terms, about 40 ms a description;
so each document is compacted with the part of the context that can apply to it (every
prefix, plus the terms whose IRI, or whose name, the document's IRIs could take), which gives
the same result (a test checks it) in about 2 ms.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyld import jsonld

SCHEMA_CONTEXT = "https://schema.org/"
CONTEXT_FILE = Path(__file__).resolve().parent / "contexts" / "schemaorg-context-30.0.jsonld"


@cache
def _context() -> dict[str, Any]:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Answers schema.org's context from the vendored copy; refuses every other URL."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org", "https://schema.org/docs/jsonldcontext.jsonld"):
        # The "static" tag lets pyld keep the processed context between calls.
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": _context(), "tag": "static"}
    raise jsonld.JsonLdError(f"no remote documents: {url}", "jsonld.LoadDocumentError", code="loading document failed")


@cache
def _index() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The context's prefixes and keyword aliases, and its other terms by the IRI they stand for."""
    context: dict[str, Any] = _context()["@context"]
    always = {term: value for term, value in context.items() if isinstance(value, str)}
    vocab = context["@vocab"]
    by_iri: dict[str, dict[str, Any]] = {}
    for term, definition in context.items():
        if isinstance(definition, dict):
            prefix, _, local = definition["@id"].partition(":")
            iri = always[prefix] + local if prefix in always and not local.startswith("//") else definition["@id"]
            by_iri.setdefault(iri, {})[term] = definition
            # A term also blocks the vocabulary-relative name it spells (`name` for schema:name).
            by_iri.setdefault(vocab + term, {})[term] = definition
    return always, by_iri


def context_for(triples: list[ox.Triple]) -> dict[str, Any]:
    always, by_iri = _index()
    context = dict(always)
    for t in triples:
        for term in (t.predicate, t.object, t.subject):
            if isinstance(term, ox.NamedNode):
                context.update(by_iri.get(term.value, {}))
            elif isinstance(term, ox.Literal):
                context.update(by_iri.get(term.datatype.value, {}))
    return {"@context": context}


def compact(triples: list[ox.Triple], full: bool = False) -> dict[str, Any]:
    """The triples as JSON-LD compacted with schema.org's context (`full`: the whole of it, slowly)."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))  # stable bytes, stable ETag
    nquads = (ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
    context: Any = SCHEMA_CONTEXT if full else context_for(triples)
    document: dict[str, Any] = jsonld.compact(expanded, context, {"documentLoader": document_loader})
    document["@context"] = SCHEMA_CONTEXT
    return document


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)


def for_html(text: str) -> str:
    """JSON text for a `<script>` element: `</script>` or `<!--` inside a value would end or
    confuse the element, so every `<` is written `\\u003c` (the same JSON, read back)."""
    return text.replace("<", "\\u003c")
