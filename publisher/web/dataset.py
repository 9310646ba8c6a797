"""The dataset as a whole: its VoID/DCAT/schema.org description, the dumps, the sitemaps,
robots.txt and the statistics page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from markupsafe import Markup

from publisher.dumps import DUMPS_DIR, DumpFile, read_index
from publisher.store.version import PublishedVersion
from publisher.web import charts, sitemap, stats, void
from publisher.web.derived import PerVersion, per_app
from publisher.web.files import CACHE_CONTROL, CORS, send_version_file
from publisher.web.http import Links, make_representation, parse_time, respond
from publisher.web.media import BY_SUFFIX, HTML, negotiate, serialize
from publisher.web.versions import version

bp = Blueprint("dataset", __name__, template_folder="dataset_templates")
SUFFIXES = "html, ttl, nt, rdf, jsonld"
# The classes the manifest counts: what the page calls them, and where they are listed.
CLASSES = {
    "VideoObject": ("vidéos", "video/"),
    "Person": ("intervenants", "person/"),
    "Organization": ("institutions", "organization/"),
    "Concept": ("thèmes", "theme/"),
}


@bp.route("/dataset")
@bp.route(f"/dataset.<any({SUFFIXES}):suffix>")
def dataset(suffix: str | None = None) -> Response:
    chosen = BY_SUFFIX["." + suffix] if suffix else None
    fmt = negotiate(chosen)
    v = version()
    iri = void.dataset_iri(v)
    links = Links(iri, url_for("dataset.dataset"), iri)
    body = _page(v).encode("utf-8") if fmt is HTML else serialize(void.description(v), fmt)
    return respond(make_representation(body, fmt), links, v.manifest.created, negotiated=chosen is None)


@bp.route("/.well-known/void")
def well_known_void() -> Response:
    """RFC 5785's VoID location: the client is sent on to the description, in the format it asks."""
    response = redirect(url_for("dataset.dataset"), code=303)
    response.headers.update(CORS)
    return response  # type: ignore[return-value]


@bp.route("/dumps/<name>")
def dump(name: str) -> Response:
    v = version()
    found = {f.name: f for f in read_index(v.path)}.get(name)
    if found is None:
        abort(404, f"no dump {name}; the dumps are listed at /dataset")
    return send_version_file(v.path / DUMPS_DIR / found.name, "application/gzip", found.sha256, _created(v))


@bp.route("/sitemap.xml")
def sitemap_index() -> Response:
    v = version()
    return _fixed(_sitemaps().get(v).index, "application/xml", v)


@bp.route("/sitemap-<int:n>.xml")
def sitemap_part(n: int) -> Response:
    v = version()
    parts = _sitemaps().get(v).parts
    if not 1 <= n <= len(parts):
        abort(404, f"no sitemap part {n}")
    return _fixed(parts[n - 1], "application/xml", v)


@bp.route("/robots.txt")
def robots() -> Response:
    v = version()
    body = f"User-agent: *\nAllow: /\n\nSitemap: {v.manifest.base}sitemap.xml\n"
    return _fixed(body.encode("utf-8"), "text/plain; charset=utf-8", v)


@bp.route("/dataset/stats")
def statistics() -> Response:
    v = version()
    html = render_template(
        "dataset/stats.html", title=void.facts(v).title, figures=_figures().get(v), dataset=url_for("dataset.dataset")
    )
    return _fixed(html.encode("utf-8"), HTML.content_type, v)


def _fixed(body: bytes, content_type: str, v: PublishedVersion) -> Response:
    """A response that only changes with the version: strong ETag, Last-Modified, 304s."""
    response = Response(body, content_type=content_type)
    response.set_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
    response.last_modified = _created(v)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers.update(CORS)
    response.make_conditional(request)  # turns it into a 304 in place when the client has it
    return response


def _created(v: PublishedVersion) -> datetime:
    return parse_time(v.manifest.created)


def _sitemaps() -> PerVersion[sitemap.Sitemaps]:
    return per_app("sitemaps", sitemap.build)


# --- the pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    heading: str
    svg: Markup | None  # None when there is nothing to draw


def _figures() -> PerVersion[list[Figure]]:
    return per_app("stats", _draw)


def _draw(v: PublishedVersion) -> list[Figure]:
    s = stats.compute(v)
    top = f"Les {stats.TOP} institutions qui comptent le plus de vidéos"
    return [
        _figure("Vidéos par année de publication", s.per_year, charts.bar_chart),
        _figure("Vidéos par thème", s.per_theme, charts.bar_chart),
        _figure(top, s.per_institution, charts.bar_chart),
        Figure(
            "Vidéos par thème et par institution",
            _markup(charts.heat_map("Vidéos par thème et par institution", s.heat_rows, s.heat_columns, s.heat))
            if s.heat else None,
        ),
    ]


def _figure(title: str, rows: list[tuple[str, int]], draw: Callable[[str, list[tuple[str, int]]], str]) -> Figure:
    return Figure(title, _markup(draw(title, rows)) if rows else None)


def _markup(svg: str) -> Markup:
    return Markup(svg)  # charts.py escapes every text it writes


@dataclass(frozen=True)
class Count:
    label: str
    n: int
    href: str


def _page(v: PublishedVersion) -> str:
    base = v.manifest.base
    counts = []
    for name, n in v.manifest.counts.items():
        label, path = CLASSES.get(name, (name, ""))
        counts.append(Count(label, n, base + path))
    dumps: list[DumpFile] = read_index(v.path)
    return render_template(
        "dataset/page.html", facts=void.facts(v), counts=counts, triples=v.manifest.triples,
        dumps=[(f, f"{base}{DUMPS_DIR}/{f.name}") for f in dumps], version=v.manifest,
        stats=url_for("dataset.statistics"),
        formats=[(f.name, url_for("dataset.dataset", suffix=f.suffix[1:])) for f in BY_SUFFIX.values() if f is not HTML],
    )
