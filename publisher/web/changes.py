"""The change feed at /changes: the IIIF Change Discovery API 1.0 (level 2), in Activity Streams 2.0.

`/changes` is an OrderedCollection whose pages, `/changes/page/N`, list one activity per
resource, its latest: `Create` (first published and unchanged since), `Update` (changed since
first published) or `Delete` (a withdrawn video, or a person, institution or theme no longer
published), each with its `endTime`, oldest first, ties by IRI. Every video, person,
institution and theme the store publishes has exactly one Create or Update in the feed, so a
harvester that replays it from the start, or only the activities newer than the last it saw,
holds the IRIs the store publishes.

The activity list of a version is built once per process, at the first request (the ledger's
change times, the entities' times, the manifest's withdrawals and removals); a page is then a
slice of it. Pages hold a fixed number of activities, so a page's URL names the same
activities for as long as the version is current.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import NamedTuple

from flask import Blueprint, Response, abort, current_app, request

from publisher.store.version import LEDGER, PublishedVersion
from publisher.terms import SCHEMA, SKOS
from publisher.web.derived import per_app
from publisher.web.http import Representation, RepresentationCache, answer_preflight, make_representation, respond
from publisher.web.media import Format
from publisher.web.versions import version

bp = Blueprint("changes", __name__)

PAGE_SIZE = 1000
CONTEXT = "http://iiif.io/api/discovery/1/context.json"  # written, never fetched
ACTIVITY_STREAMS = Format(
    "activitystreams", "Activity Streams 2.0", 'application/ld+json;profile="https://www.w3.org/ns/activitystreams"', "", None
)
JSON = Format("json", "JSON", "application/json", "", None)
# What each kind of published IRI is, by its first path segment.
CLASSES = {
    "video": SCHEMA + "VideoObject",
    "person": SCHEMA + "Person",
    "organization": SCHEMA + "Organization",
    "theme": SKOS + "Concept",
}
NUMBER = re.compile(r"[0-9]+")


class Activity(NamedTuple):  # a tuple sorts by time then IRI by itself, and is quick to make by the 100,000
    end: str  # xsd:dateTime, UTC
    iri: str
    kind: str  # Create, Update or Delete
    cls: str  # the object's class IRI

    def as_json(self) -> dict[str, object]:
        return {"type": self.kind, "object": {"id": self.iri, "type": self.cls}, "endTime": self.end}


def activities(version: PublishedVersion) -> list[Activity]:
    """The latest activity of every resource the version publishes or once published, oldest first."""
    base = version.manifest.base
    video = CLASSES["video"]
    found = []
    # The ledger's rows as JSON, not version.ledger(): making 100,000 records costs three times more.
    with (version.path / LEDGER).open(encoding="utf-8") as ledger:
        for line in ledger:
            row = json.loads(line)
            created, modified = row.get("created", row["modified"]), row["modified"]  # as read_ledger reads it
            kind = "Create" if created == modified else "Update"
            found.append(Activity(modified, f"{base}video/{row['record']['id']}", kind, video))
    found += [Activity(when, f"{base}video/{rid}", "Delete", video) for rid, when in version.manifest.withdrawn.items()]
    for iri, times in version.entities().items():
        kind = "Create" if times.created == times.modified else "Update"
        found.append(Activity(times.modified, iri, kind, _class_of(iri, base)))
    found += [Activity(when, iri, "Delete", _class_of(iri, base)) for iri, when in version.manifest.removed.items()]
    found.sort()
    return found


def _class_of(iri: str, base: str) -> str:
    return CLASSES[iri[len(base):].split("/", 1)[0]]


def _feed(v: PublishedVersion) -> list[Activity]:
    return per_app("changes", activities).get(v)


bp.after_request(answer_preflight)


@bp.route("/changes")
def collection() -> Response:
    v = version()

    def make(fmt: Format) -> Representation:
        feed, base = _feed(v), v.manifest.base
        body = {
            "@context": [CONTEXT],
            "id": f"{base}changes",
            "type": "OrderedCollection",
            "totalItems": len(feed),
            "first": {"id": _page_iri(base, 1), "type": "OrderedCollectionPage"},
            "last": {"id": _page_iri(base, _pages(feed)), "type": "OrderedCollectionPage"},
        }
        return make_representation(_dump(body), fmt)

    return _respond(v, make)


@bp.route("/changes/page/<number>")
def page(number: str) -> Response:
    v = version()
    if not NUMBER.fullmatch(number):
        abort(400, f"{number!r} is not a page number: pages are numbered from 1, as /changes lists them")
    n, pages = int(number), _pages(_feed(v))
    if str(n) != number or not 1 <= n <= pages:
        abort(404, f"no page {number} in the change feed: its pages are 1 to {pages}, as /changes says")

    def make(fmt: Format) -> Representation:
        feed, base = _feed(v), v.manifest.base
        body: dict[str, object] = {
            "@context": [CONTEXT],
            "id": _page_iri(base, n),
            "type": "OrderedCollectionPage",
            "partOf": {"id": f"{base}changes", "type": "OrderedCollection"},
            "startIndex": (n - 1) * PAGE_SIZE,
        }
        if n > 1:
            body["prev"] = {"id": _page_iri(base, n - 1), "type": "OrderedCollectionPage"}
        if n < pages:
            body["next"] = {"id": _page_iri(base, n + 1), "type": "OrderedCollectionPage"}
        body["orderedItems"] = [a.as_json() for a in feed[(n - 1) * PAGE_SIZE : n * PAGE_SIZE]]
        return make_representation(_dump(body), fmt)

    return _respond(v, make)


def _pages(feed: list[Activity]) -> int:
    return max(1, -(-len(feed) // PAGE_SIZE))  # an empty feed still has its (empty) first page


def _page_iri(base: str, n: int) -> str:
    return f"{base}changes/page/{n}"


def _dump(body: dict[str, object]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _respond(v: PublishedVersion, make: Callable[[Format], Representation]) -> Response:
    best = request.accept_mimetypes.best_match(["application/ld+json", "application/json"], "application/ld+json")
    fmt = JSON if best == "application/json" else ACTIVITY_STREAMS
    cache: RepresentationCache = current_app.extensions["publisher.representations"]
    rep = cache.get_or_make((str(v.path), request.path, fmt.name), lambda: make(fmt))
    return respond(rep, None, v.manifest.created, negotiated=True)
