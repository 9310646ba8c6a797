"""Queries and dumps of the published version, for the CLI (the web tier has its own adapters)."""

from __future__ import annotations

from typing import IO, Any

import pyoxigraph as ox

from publisher import named_queries
from publisher.errors import StoreUnavailable, UsageError
from publisher.settings import Settings
from publisher.store import open_store
from publisher.store.version import PublishedVersion

DUMP_FORMATS = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}


def published(settings: Settings) -> PublishedVersion:
    version = open_store(settings).current()
    if version is None:
        raise StoreUnavailable(f"nothing is published in {settings.store} yet: run `publisher build` first")
    return version


def run_query(settings: Settings, sparql: str, base: str | None = None) -> Any:
    """Evaluate SPARQL; relative IRIs resolve against `base`, else the published base.
    A query of the library (queries/*.rq) gets its parameters' defaults."""
    version = published(settings)
    base = base or version.manifest.base
    try:
        return version.query(sparql, base, substitutions=named_queries.header_defaults(sparql, base) or None)
    except SyntaxError as problem:
        raise UsageError(f"the query is not valid SPARQL: {problem}") from None


def check_base(settings: Settings, base: str) -> None:
    published_base = published(settings).manifest.base
    if base != published_base:
        raise UsageError(
            f"{settings.store} was published with the base {published_base}, not {base}; "
            f"run `publisher build --full --base {base}` to republish under it"
        )


def print_results(results: Any, fmt: str, out: IO[str]) -> None:
    if isinstance(results, ox.QueryBoolean):
        out.write(("true" if bool(results) else "false") + "\n")
    elif not isinstance(results, ox.QuerySolutions):  # CONSTRUCT, DESCRIBE: triples, from any store
        out.write(bytes(ox.serialize(results, format=ox.RdfFormat.TURTLE) or b"").decode("utf-8"))
    elif fmt == "table":
        _table(results, out)
    else:
        out.write(bytes(results.serialize(format=RESULT_FORMATS[fmt]) or b"").decode("utf-8"))
        if fmt == "json":
            out.write("\n")


def _table(solutions: ox.QuerySolutions, out: IO[str]) -> None:
    names = [v.value for v in solutions.variables]
    rows = [[_text(row[name]) for name in names] for row in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    out.write("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def _text(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def dump(settings: Settings, fmt: str, out: IO[bytes]) -> None:
    published(settings).dump(out, DUMP_FORMATS[fmt])


__all__ = ["dump", "print_results", "run_query"]
