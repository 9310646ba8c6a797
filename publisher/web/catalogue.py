"""A per-version, in-memory index of the catalogue for browsing, sorting, search and dates.

Built once per published version, lazily at the first browse or search page: the videos from
the version's ledger (one read, not one per request), the names of people and institutions with
one SPARQL query each. A SPARQL FILTER over 100k titles at every search would take seconds; a
scan of folded strings in memory takes milliseconds.

A video's own representations only need to know whether it exists and when its record last
changed: `VideoDates` asks the store for one video at a time, so that serving a video neither
waits for nor holds the whole index (seconds and a hundred MB per process at 100k videos).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import current_app

from publisher.store.version import PublishedVersion
from publisher.terms import SCHEMA, Iris, fold
from publisher.web import describe


@dataclass(frozen=True)
class Video:
    id: str
    title: str
    views: int
    published: str  # "" when unknown
    modified: str
    folded: str  # the name and every other name it is known by, folded, for search


@dataclass(frozen=True)
class Named:
    slug: str
    name: str
    folded: str
    talks: int = 0


SORTS = ("title", "views", "date")
NAME_SORTS = ("name", "talks")
_TALK_LINK = {"Person": SCHEMA + "creator", "Organization": SCHEMA + "sourceOrganization"}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*\Z")  # what an id must look like to be asked of the store


class Catalogue:
    def __init__(self, version: PublishedVersion) -> None:
        self.version_id = version.id
        self.videos: dict[str, Video] = {}
        for entry in version.ledger():
            r = entry.record
            self.videos[r.id] = Video(r.id, r.title, r.views or 0, r.published or "", entry.modified, fold(r.title))
        iris = Iris(version.manifest.base)
        self.people = _named(version, "Person", len(iris.person("")))
        self.organizations = _named(version, "Organization", len(iris.organization("")))
        self._sorted: dict[str, list[Video]] = {}
        self._by_talks: dict[str, list[Named]] = {}
        self._lock = threading.Lock()

    def sorted_names(self, kind: str, sort: str) -> list[Named]:
        """People or organizations by name, or by number of talks (most first, then by name)."""
        names = self.people if kind == "person" else self.organizations
        if sort != "talks":
            return names
        with self._lock:
            if kind not in self._by_talks:
                self._by_talks[kind] = sorted(names, key=lambda n: -n.talks)  # stable: ties by name
            return self._by_talks[kind]

    def sorted_videos(self, sort: str) -> list[Video]:
        with self._lock:
            if sort not in self._sorted:
                by_title = sorted(self.videos.values(), key=lambda v: (v.folded, v.id))
                if sort == "views":
                    by_title.sort(key=lambda v: v.views, reverse=True)  # stable: ties stay by title
                elif sort == "date":
                    by_title.sort(key=lambda v: v.published, reverse=True)  # undated ("") last
                self._sorted[sort] = by_title
            return self._sorted[sort]

    def search(self, text: str, limit: int = 100) -> tuple[list[Video], list[Named], list[Named]]:
        words = fold(text).split()
        if not words:
            return [], [], []
        videos = [v for v in self.sorted_videos("title") if all(w in v.folded for w in words)][:limit]
        people = [p for p in self.people if all(w in p.folded for w in words)][:limit]
        orgs = [o for o in self.organizations if all(w in o.folded for w in words)][:limit]
        return videos, people, orgs


def _named(version: PublishedVersion, cls: str, prefix_length: int) -> list[Named]:
    rows = describe.select(version, describe.NAMES, terms={"class": ox.NamedNode(SCHEMA + cls)})
    counts = describe.select(version, describe.TALK_COUNTS, terms={"link": ox.NamedNode(_TALK_LINK[cls])})
    talks = {r["thing"]: int(r["n"]) for r in counts}
    found = [
        Named(r["thing"][prefix_length:], r["name"], fold(f"{r['name']} | {r['alternates'] or ''}"), talks.get(r["thing"], 0))
        for r in rows
    ]
    return sorted(found, key=lambda n: (n.folded, n.slug))


class Catalogues:
    """The catalogue of the current version only; an older one is dropped when a new one is built."""

    def __init__(self) -> None:
        self._current: Catalogue | None = None
        self._lock = threading.Lock()

    def of(self, version: PublishedVersion) -> Catalogue:
        current = self._current
        if current is not None and current.version_id == version.id:
            return current
        with self._lock:
            if self._current is None or self._current.version_id != version.id:
                self._current = Catalogue(version)
            return self._current


class VideoDates:
    """`dcterms:modified` of the videos asked for, by id (None: no such video), for the current
    version; bounded, so that a crawler walking every video keeps a process's memory flat."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._version_id = ""
        self._dates: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def modified(self, version: PublishedVersion, video_id: str,
                 find: Callable[[PublishedVersion, str], str | None] | None = None) -> str | None:
        """`find`: how to ask the store for a date not known yet (else a query of its own)."""
        with self._lock:
            if self._version_id == version.id and video_id in self._dates:
                return self._dates[video_id]
        date = (find or _video_modified)(version, video_id)
        with self._lock:
            if self._version_id != version.id or len(self._dates) >= self.limit:
                self._version_id, self._dates = version.id, {}
            self._dates[video_id] = date
        return date


def _video_modified(version: PublishedVersion, video_id: str) -> str | None:
    if not NAME.match(video_id):
        return None
    iri = ox.NamedNode(f"{version.manifest.base}video/{video_id}")
    return next((row["modified"] for row in describe.select(version, describe.VIDEO_MODIFIED, terms={"this": iri})), None)


def catalogue(version: PublishedVersion) -> Catalogue:
    return current_app.extensions["publisher.catalogues"].of(version)  # type: ignore[no-any-return]


def video_modified(version: PublishedVersion, video_id: str,
                   find: Callable[[PublishedVersion, str], str | None] | None = None) -> str | None:
    """When the video's record last changed, or None when no such video is published."""
    return current_app.extensions["publisher.video_dates"].modified(version, video_id, find)  # type: ignore[no-any-return]
