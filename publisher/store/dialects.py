"""What differs between SPARQL stores, in one place: where their endpoints are, and their quirks
(Virtuoso's ASK answers and xsd:duration values; its DROP GRAPH on graphs it did not see created,
and on large ones). Virtuoso's bulk loader, reached over SQL, is in virtuoso_bulk.py.

A remote store is named by a URL whose scheme says which store it is:

    oxigraph+http://127.0.0.1:7878/     Oxigraph server: /query, /update, /store (Graph Store Protocol)
    virtuoso+http://127.0.0.1:8890/     Virtuoso: /sparql for reads; /sparql-auth and
                                        /sparql-graph-crud-auth (digest auth) for writes
    sparql+http://host/path/sparql      any SPARQL 1.1 store: this URL for queries; the update and
                                        Graph Store endpoints come from --store-update-url and --store-gsp-url
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

from publisher.errors import UsageError
from publisher.fields import duration_lexical


@dataclass(frozen=True)
class Endpoints:
    dialect: str
    query: str  # SPARQL 1.1 Protocol, queries
    update: str  # SPARQL 1.1 Protocol, updates (credentials needed)
    graph_store: str  # Graph Store HTTP Protocol, writes (credentials needed); `?graph=<iri>` is appended
    graph_read: str  # Graph Store HTTP Protocol, anonymous reads
    # Graph Store posts at once into one graph: Virtuoso 7.2 can hang two of them on each other's locks.
    concurrent_posts: int = 2
    # The most one Graph Store post carries. Virtuoso 7.2 parses a post on its HTTP thread and hands
    # the statements to its loader's threads, a new request (thread, transaction) each time the parsed
    # part passes 30 MB or 1M statements (TTLP_V in its ttlpv.sql): a larger post is inserted by
    # transactions running at once, which deadlock (SR172, sent again) or stop for good, a loader
    # thread waiting on a lock with no deadlock reported and nothing running: the hangs at 100k
    # videos (docs/benchmarks.md, "Graph Store posts that hung"). At 8 MB no lock wait was seen.
    post_bytes: int = 16 << 20

    @property
    def origin(self) -> str:
        """How messages name the store: scheme, host and port only."""
        parts = urlsplit(self.query)
        return f"{self.dialect} store at {parts.scheme}://{parts.netloc}/"


def endpoints(store: str, update_url: str = "", gsp_url: str = "") -> Endpoints:
    """The endpoints a `store` URL names (`update_url`, `gsp_url`: a generic store's others)."""
    scheme, _, rest = store.partition("://")
    dialect, _, transport = scheme.partition("+")
    if transport not in ("http", "https") or not rest:
        raise UsageError(f"--store {store!r}: a directory, or a URL such as oxigraph+http://127.0.0.1:7878/")
    if "@" in urlsplit(f"{transport}://{rest}").netloc:
        raise UsageError("--store: give credentials with --store-user and --store-password (or PUBLISHER_STORE_USER "
                         "and PUBLISHER_STORE_PASSWORD), not in the URL")
    url = f"{transport}://{rest}"
    root = url if url.endswith("/") else url + "/"
    if dialect == "oxigraph":
        return Endpoints(dialect, urljoin(root, "query"), urljoin(root, "update"), urljoin(root, "store"),
                         urljoin(root, "store"))
    if dialect == "virtuoso":
        return Endpoints(dialect, urljoin(root, "sparql"), urljoin(root, "sparql-auth"),
                         urljoin(root, "sparql-graph-crud-auth"), urljoin(root, "sparql-graph-crud"), concurrent_posts=1,
                         post_bytes=8 << 20)
    if dialect == "sparql":
        if not update_url or not gsp_url:
            raise UsageError("--store sparql+http://…: give the store's update and Graph Store endpoints too "
                             "(--store-update-url, --store-gsp-url)")
        return Endpoints(dialect, url, update_url, gsp_url, gsp_url)
    raise UsageError(f"--store {store!r}: unknown store {dialect!r} (oxigraph, virtuoso or sparql)")


def timeout_params(dialect: str, seconds: float | None) -> list[tuple[str, str]]:
    """Virtuoso stops a query at `timeout` (ms) itself, and says so (X-SQL-State S1TAT), so that its CPU
    is freed; other stores go on until they finish after the client stops waiting."""
    if dialect == "virtuoso" and seconds is not None:
        return [("timeout", str(max(1, round(seconds * 1000))))]
    return []


def is_deadlock(message: str) -> bool:
    """A write the store rolled back whole, to be sent again: SQL state 40001 (Virtuoso: "SR172:
    Transaction deadlocked", between a long insert and its own checkpoint or lock escalation)."""
    return "40001" in message or "deadlock" in message.lower()


def drop_graph(iri: str, dialect: str = "") -> str:
    """Virtuoso refuses DROP GRAPH on a graph it did not see created; SILENT is standard and works everywhere.
    Virtuoso drops a graph in one transaction, and tens of millions of statements outlast its
    transaction timeout (SR171): its `sql:log-enable 3` pragma commits row by row instead (its
    maintainers' advice for large graphs). Readers never see the half-dropped graph: the pointer
    names another version by then."""
    pragma = "DEFINE sql:log-enable 3 " if dialect == "virtuoso" else ""
    return f"{pragma}DROP SILENT GRAPH <{iri}>"


def fix_results(dialect: str, answer: bytes) -> bytes:
    """A SPARQL XML answer as the standard has it. (XML, not JSON: Virtuoso writes JSON five times
    slower.)"""
    if dialect != "virtuoso":
        return answer
    if b"__ASK_RETVAL" in answer:  # Virtuoso may answer ASK as a one-row SELECT of `__ASK_RETVAL`
        found = _ASK_VALUE.search(answer)
        value = b"true" if found and found[1] in (b"1", b"true") else b"false"
        return b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>%s</boolean></sparql>' % value
    if XSD_DURATION.encode() not in answer:
        return answer
    return _XML_DURATION.sub(lambda m: m[1] + _duration(m[2].decode()).encode() + b"<", answer)


def fix_ntriples(dialect: str, ntriples: bytes) -> bytes:
    if dialect != "virtuoso" or XSD_DURATION.encode() not in ntriples:
        return ntriples
    return _VIRTUOSO_DURATION.sub(lambda m: b'"%s"^^<%s>' % (_duration(m[1].decode()).encode(), XSD_DURATION.encode()),
                                  ntriples)


XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
_XML_DURATION = re.compile(rb'(<literal datatype="' + re.escape(XSD_DURATION.encode()) + rb'">)([0-9]+\.[0-9]+)<')
_ASK_VALUE = re.compile(rb"__ASK_RETVAL.*?<literal[^>]*>([^<]*)<", re.DOTALL)
_VIRTUOSO_DURATION = re.compile(rb'"([0-9]+\.[0-9]+)"\^\^<' + re.escape(XSD_DURATION.encode()) + rb">")


def _duration(lexical: str) -> str:
    """Virtuoso 7.2 keeps an xsd:duration as its seconds, and writes them back wrongly: PT3M59S comes
    back as "239.59" (the total, then the seconds digits again, trailing zeros dropped: PT24M10S as
    "1450.1"), PT3M59.5S as "239.5". Both are turned back into the lexical form the mapping writes.
    Where the two readings meet (PT24M10.1S also comes back as "1450.1"), whole seconds win: the
    platform writes durations to the second."""
    whole, dot, fraction = lexical.partition(".")
    if not (dot and whole.isdigit() and fraction.isdigit()):
        return lexical
    seconds_digits = str(int(whole) % 60)
    repeated = fraction in (seconds_digits, seconds_digits.rstrip("0") or "0")
    return duration_lexical(Decimal(whole) if repeated else Decimal(lexical))
