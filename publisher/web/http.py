"""HTTP done once for every representation: strong ETags from the body, Last-Modified,
conditional requests (304), Link headers, CORS and caching headers.

A representation is keyed by (version id, path with query, format). Its bytes and ETag are
kept in a small per-process LRU, so a repeated or conditional request costs a dictionary
look-up. The ETag hashes the body, not the version id: a publication that changes one record
changes the tags of the representations that show it and of no other.

Caching: `public, max-age=300, must-revalidate`. Proxies and browsers may reuse a
representation for five minutes after a publication (the price of not asking at every
request), then must revalidate, which costs a 304 while nothing changed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

from flask import Response, request
from werkzeug.http import http_date, quote_etag

from publisher.web.media import FORMATS, Format

CACHE_CONTROL = "public, max-age=300, must-revalidate"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, Content-Location, Vary",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def answer_preflight(response: Response) -> Response:
    """A blueprint's `after_request`: an OPTIONS request gets the CORS preflight headers."""
    if request.method == "OPTIONS":
        response.headers.update(PREFLIGHT)
    return response


@dataclass(frozen=True)
class Representation:
    body: bytes
    fmt: Format
    etag: str


def make_representation(body: bytes, fmt: Format) -> Representation:
    return Representation(body, fmt, hashlib.blake2b(body, digest_size=16).hexdigest())


class _HasBody(Protocol):
    @property
    def body(self) -> bytes: ...


V = TypeVar("V", bound=_HasBody)


class BodyCache(Generic[V]):
    """A bounded LRU of representations (or any value with a `body`), shared by the threads of one process.

    Bounded by bytes (64 MiB by default), so that a crawler walking the whole catalogue keeps
    the memory of a process flat.
    """

    def __init__(self, budget: int = 64 * 1024 * 1024, max_body: int = 1024 * 1024) -> None:
        self.budget = budget
        self.max_body = max_body
        self.size = 0
        self._items: OrderedDict[tuple[str, ...], V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def get_or_make(self, key: tuple[str, ...], make: Callable[[], V]) -> V:
        found = self.get(key)
        if found is not None:
            return found
        made = make()  # outside the lock: two threads may both make it, and that is harmless
        self.put(key, made)
        return made

    def put(self, key: tuple[str, ...], made: V) -> None:
        if self.budget and len(made.body) <= self.max_body:
            with self._lock:
                replaced = self._items.pop(key, None)
                self.size += len(made.body) - (len(replaced.body) if replaced else 0)
                self._items[key] = made
                while self.size > self.budget:
                    _, evicted = self._items.popitem(last=False)
                    self.size -= len(evicted.body)


RepresentationCache = BodyCache[Representation]


@dataclass(frozen=True)
class Links:
    """Where a resource lives: its canonical IRI, its path on this server, the dataset's IRI."""

    iri: str
    path: str  # e.g. "/video/abc" (script root included); suffixed variants are path + suffix
    dataset: str


def respond(rep: Representation, links: Links | None, modified: str, *, negotiated: bool, status: int = 200) -> Response:
    response = Response(rep.body, status=status, headers=list(_headers(rep.fmt, rep.etag, links, modified)))
    if negotiated:
        response.headers["Vary"] = "Accept"
    if request.method in ("GET", "HEAD") and any(name in request.environ for name in _CONDITIONAL):
        response.make_conditional(request)  # turns it into a 304 (or 412) in place when the client's copy is current
    return response


# A request without these headers cannot get a 304 or a 412: no need to parse anything.
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


@lru_cache(maxsize=4096)
def _headers(fmt: Format, etag: str, links: Links | None, modified: str) -> tuple[tuple[str, str], ...]:
    """The headers a representation always has, worked out once rather than at every request."""
    headers = [
        ("Content-Type", fmt.content_type),
        ("ETag", quote_etag(etag)),
        ("Last-Modified", http_date(parse_time(modified))),
        ("Cache-Control", CACHE_CONTROL),
    ]
    if links is not None:
        headers.append(("Content-Location", links.path + fmt.suffix))
        headers.append(("Link", link_header(links, fmt)))
    return (*headers, *CORS.items())


def link_header(links: Links, current: Format) -> str:
    parts = [f'<{links.path}{f.suffix}>; rel="alternate"; type="{f.media_type}"' for f in FORMATS if f != current]
    parts.append(f'<{links.dataset}>; rel="describedby"')
    parts.append(f'<{links.iri}>; rel="cite-as"')
    return ", ".join(parts)


def parse_time(text: str) -> datetime:
    """xsd:dateTime as the ledger and the manifest write it (UTC, `Z`)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)
