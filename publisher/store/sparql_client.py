"""HTTP to a SPARQL 1.1 store: queries through SPARQLWrapper, updates and Graph Store Protocol writes
through urllib with the store's credentials. Every failure becomes one of our typed errors, whose
message names the store (never the password).
"""

from __future__ import annotations

import ast
import base64
import http.client
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO

from SPARQLWrapper import POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException, Unauthorized

from publisher.errors import StoreTimeout, StoreUnavailable
from publisher.store.dialects import Endpoints, is_deadlock

_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*", re.IGNORECASE)
_KEYWORD = re.compile(r"[A-Za-z]+")
TIMED_OUT = "S1TAT"  # Virtuoso's SQL state for an "anytime" answer cut at MaxQueryExecutionTime
RETRIES = 5
MAX_ROWS = "X-SPARQL-MaxRows"  # Virtuoso's word that a SELECT answer reached ResultSetMaxRows (cut, or just that long)


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue (upper-cased)."""
    rest = sparql[_PROLOGUE.match(sparql).end():]  # type: ignore[union-attr]  # the pattern matches the empty string
    keyword = _KEYWORD.match(rest)
    return keyword.group(0).upper() if keyword else ""


class SparqlClient:
    def __init__(self, endpoints: Endpoints, user: str = "", password: str = "") -> None:
        self.endpoints = endpoints
        self.user = user
        self._password = password
        # Its own opener: SPARQLWrapper's digest support installs a process-wide one.
        handlers: list[urllib.request.BaseHandler] = []
        if user:
            self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (endpoints.update, endpoints.graph_store, endpoints.graph_read):
                self._passwords.add_password(None, url, user, password)  # type: ignore[arg-type]  # None: any realm
            handlers = [urllib.request.HTTPDigestAuthHandler(self._passwords),
                        urllib.request.HTTPBasicAuthHandler(self._passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self._plain = urllib.request.build_opener()

    @property
    def origin(self) -> str:
        return self.endpoints.origin

    def query(self, sparql: str, accept: str, params: Sequence[tuple[str, str]], timeout: float | None) -> bytes:
        """The store's answer to a query, in the `accept` media type."""
        client = SPARQLWrapper(self.endpoints.query)
        # Set directly, not through setQuery: its guess of the query form warns on queries it cannot
        # read, and this client never sends updates through here (SELECT keeps it on the query endpoint).
        client.queryString, client.queryType = sparql, SELECT
        client.setMethod(POST)  # form-encoded: Virtuoso never answers a direct application/sparql-query POST
        client.setOnlyConneg(True)  # no `format=` parameters: Virtuoso would prefer them to Accept
        client.addCustomHttpHeader("Accept", accept)
        for name, value in params:
            client.addParameter(name, value)
        client.timeout = timeout  # type: ignore[assignment]  # setTimeout would round it down to whole seconds
        with self._errors(timeout), client.query().response as response:
            if TIMED_OUT in (response.headers.get("X-SQL-State") or ""):
                raise StoreTimeout(f"the {self.origin} stopped the query at its own time limit")
            if cut := response.headers.get(MAX_ROWS):  # a partial answer is never passed on as whole
                raise StoreUnavailable(f"the {self.origin} cut its answer at {cut} rows: raise its limit "
                                       "(Virtuoso: [SPARQL] ResultSetMaxRows) above the longest answer asked for")
            return bytes(response.read())

    def update(self, sparql: str, timeout: float = 300) -> None:
        self._send(self.endpoints.update, urllib.parse.urlencode({"update": sparql}).encode("utf-8"),
                   "application/x-www-form-urlencoded", timeout)

    def post_graph(self, graph: str, ntriples: bytes, timeout: float = 600) -> None:
        """Add N-Triples to `graph` (Graph Store HTTP Protocol, POST merges)."""
        url = f"{self.endpoints.graph_store}?{urllib.parse.urlencode({'graph': graph})}"
        self._send(url, ntriples, "application/n-triples", timeout)

    def read_graph(self, graph: str, out: IO[bytes], timeout: float = 600) -> None:
        """Every statement of `graph`, as N-Triples (Graph Store HTTP Protocol, GET)."""
        url = f"{self.endpoints.graph_read}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        with self._errors(timeout), self._opener.open(request, timeout=timeout) as response:
            while chunk := response.read(1 << 20):
                out.write(chunk)

    def _send(self, url: str, body: bytes, media_type: str, timeout: float) -> None:
        """POST with the credentials the store asks for. Its challenge is fetched first with an empty
        body: sent a 4 MB body without credentials, Virtuoso answers 401 before reading it, and the
        client, still writing, waits for ever. A write the store rolled back as deadlocked (it
        happens to Virtuoso under load) is sent again."""
        for attempt in range(RETRIES + 1):
            request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": media_type})
            try:
                with self._errors(timeout):
                    if self.user and (authorization := self._authorization(request, timeout)):
                        request.add_header("Authorization", authorization)
                    with self._plain.open(request, timeout=timeout) as response:
                        response.read()
                return
            except StoreUnavailable as problem:
                if attempt == RETRIES or not is_deadlock(str(problem)):
                    raise
                time.sleep(0.5 * (attempt + 1))

    def _authorization(self, request: urllib.request.Request, timeout: float) -> str | None:
        """The Authorization header for `request`, None if the store asks for no credentials."""
        probe = urllib.request.Request(request.full_url, data=b"", method="POST",
                                       headers={"Content-Type": request.get_header("Content-type") or ""})
        try:
            with self._plain.open(probe, timeout=timeout) as response:
                response.read()
            return None
        except urllib.error.HTTPError as challenged:
            with challenged:
                if challenged.code != 401:
                    return None
                challenge = challenged.headers.get("WWW-Authenticate") or ""
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            answer = urllib.request.HTTPDigestAuthHandler(self._passwords).get_authorization(request, fields)
            if answer:
                return f"Digest {answer}"
        if scheme.lower() == "basic":
            token = base64.b64encode(f"{self.user}:{self._password}".encode()).decode("ascii")
            return f"Basic {token}"
        raise self._refused()

    @contextmanager
    def _errors(self, timeout: float | None) -> Iterator[None]:
        try:
            yield
        except QueryBadFormed as problem:
            raise SyntaxError(_store_message(problem)) from None
        except Unauthorized:
            raise self._refused() from None
        except urllib.error.HTTPError as problem:
            with problem:  # the error is the store's answer: closed here, whoever keeps the error
                if problem.code in (401, 403):
                    raise self._refused() from None
                if problem.code == 400:
                    raise SyntaxError(problem.read().decode("utf-8", "replace").strip()) from None
                raise StoreUnavailable(f"the {self.origin} answered {problem.code}: "
                                       f"{problem.read().decode('utf-8', 'replace').strip()[:500]}") from None
        except SPARQLWrapperException as problem:
            raise StoreUnavailable(f"the {self.origin} failed: {_store_message(problem)[:500]}") from None
        except TimeoutError:
            raise StoreTimeout(f"the {self.origin} did not answer within {timeout} s") from None
        except urllib.error.URLError as problem:
            if isinstance(problem.reason, TimeoutError):
                raise StoreTimeout(f"the {self.origin} did not answer within {timeout} s") from None
            raise StoreUnavailable(f"the {self.origin} cannot be reached: {problem.reason}") from None
        except ValueError:  # urllib's word for an authentication scheme it cannot answer
            raise self._refused() from None
        except (OSError, http.client.HTTPException) as problem:
            raise StoreUnavailable(f"the {self.origin} cannot be reached: {problem}") from None

    def _refused(self) -> StoreUnavailable:
        who = f"the user {self.user!r}" if self.user else "anonymous writes (set --store-user and --store-password)"
        return StoreUnavailable(f"the {self.origin} refused {who}: wrong user or password, or no write permission")


def _store_message(problem: SPARQLWrapperException) -> str:
    """The store's own words, which SPARQLWrapper keeps only inside its message (as a bytes repr)."""
    text = str(problem)
    _, found, response = text.partition("Response:\n")
    if not found:
        return text
    try:
        return bytes(ast.literal_eval(response)).decode("utf-8", "replace").strip()
    except (ValueError, SyntaxError):
        return response
