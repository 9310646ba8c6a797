"""Linked-data resources: one IRI, five representations (HTML, Turtle, JSON-LD, N-Triples,
RDF/XML), chosen by the URL's suffix or else by `Accept`; browse, search and home pages.

A description is the resource's own statements plus the labels of what it links to, made by
one SPARQL CONSTRUCT (`describe.DESCRIPTION`); HTML pages add a few SELECTs for reverse links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, g, render_template, request

from publisher.errors import PublisherError
from publisher.store.version import PublishedVersion
from publisher.terms import DCTERMS, RDF, SCHEMA, Iris
from publisher.web import describe, jsonld, pages
from publisher.web.catalogue import NAME_SORTS, SORTS, catalogue, video_modified
from publisher.web.http import Links, Representation, RepresentationCache, answer_preflight, make_representation, respond
from publisher.web.media import BY_NAME, FORMATS, HTML, Format, negotiate, serialize, split_suffix
from publisher.web.versions import version

bp = Blueprint("resources", __name__)

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*\Z")
ONTOLOGY_FILE = Path(__file__).resolve().parent.parent.parent / "ontology" / "ontology.ttl"
PROV = "http://www.w3.org/ns/prov#"
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
RDF_TYPE, VIDEO_OBJECT = ox.NamedNode(RDF + "type"), ox.NamedNode(SCHEMA + "VideoObject")
DCTERMS_MODIFIED = ox.NamedNode(DCTERMS + "modified")


class Withdrawn(PublisherError):
    """A video that was published and then withdrawn: 410 Gone, with when it was withdrawn."""

    http_status = 410

    def __init__(self, iri: str, when: str) -> None:
        super().__init__(f"{iri} was withdrawn on {when}")
        when_literal = ox.Literal(when, datatype=XSD_DATETIME)
        self.triples = [ox.Triple(ox.NamedNode(iri), ox.NamedNode(PROV + "invalidatedAtTime"), when_literal)]


SORT_NAMES = {"title": "titre", "views": "vues", "date": "date"}
NAME_SORT_NAMES = {"name": "nom", "talks": "nombre de vidéos"}


@bp.app_template_global()
def query_with(**changes: object) -> str:
    """This request's query string with some parameters changed (for pagers)."""
    args = request.args.to_dict()
    args.update({k: str(v) for k, v in changes.items()})
    return urlencode(args)


def representations() -> RepresentationCache:
    return current_app.extensions["publisher.representations"]  # type: ignore[no-any-return]


bp.after_request(answer_preflight)


@bp.route("/video/<name>")
def video(name: str) -> Response:
    v = version()
    described: dict[str, list[ox.Triple]] = {}
    find = partial(_described_video, described=described)
    modified = video_modified(v, name, find)  # an id that looks suffixed (`report.nt`) is the id
    stem, suffix = (name, None) if modified is not None else split_suffix(name)
    if suffix is not None:
        modified = video_modified(v, stem, find)
    iri = _iri("video", stem)
    if modified is None:
        withdrawn = v.manifest.withdrawn.get(stem)
        g.publisher_format = negotiate(suffix)  # so that the error speaks the format asked for
        if withdrawn is not None:
            raise Withdrawn(iri, withdrawn)
        abort(404, f"no video {stem}")
    return _serve("video", iri, suffix, modified=modified, triples=described.get(stem))


def _described_video(v: PublishedVersion, video_id: str, described: dict[str, list[ox.Triple]]) -> str | None:
    """When a video not seen yet by this process last changed, read from its description, which is
    kept in `described` for its representation: on a remote store, one round trip instead of two."""
    if not NAME.match(video_id):
        return None
    this = ox.NamedNode(f"{v.manifest.base}video/{video_id}")
    triples = describe.construct(v, describe.DESCRIPTION, this.value)
    own = [t for t in triples if t.subject == this]
    if not any(t.predicate == RDF_TYPE and t.object == VIDEO_OBJECT for t in own):
        return None
    modified = next((t.object.value for t in own if t.predicate == DCTERMS_MODIFIED and isinstance(t.object, ox.Literal)),
                    None)
    if modified is not None:
        described[video_id] = triples
    return modified


@bp.route("/person/<name>")
def person(name: str) -> Response:
    stem, suffix = split_suffix(name)
    return _serve("person", _iri("person", stem), suffix)


@bp.route("/organization/<name>")
def organization(name: str) -> Response:
    stem, suffix = split_suffix(name)
    return _serve("organization", _iri("organization", stem), suffix)


@bp.route("/theme/<name>")
def theme(name: str) -> Response:
    stem, suffix = split_suffix(name)
    if stem == "index" and suffix is not None:  # /theme/index.ttl: the scheme /theme/ in Turtle
        return _serve("scheme", Iris(version().manifest.base).scheme, suffix, path="/theme/index")
    return _serve("theme", _iri("theme", stem), suffix)


@bp.route("/theme/")
def scheme() -> Response:
    return _serve("scheme", Iris(version().manifest.base).scheme, None, path="/theme/index")


@bp.route("/ontology", defaults={"ext": ""})
@bp.route("/ontology.<any(html, ttl, nt, rdf, jsonld):ext>")
def ontology(ext: str) -> Response:
    return _serve("ontology", Iris(version().manifest.base).ontology, split_suffix(f"ontology.{ext}")[1])


def _iri(kind: str, stem: str) -> str:
    if not NAME.match(stem):
        abort(404, f"no {kind} {stem}")
    return f"{version().manifest.base}{kind}/{stem}"


def _serve(kind: str, iri: str, suffix: Format | None, *, path: str | None = None, modified: str | None = None,
           triples: list[ox.Triple] | None = None) -> Response:
    """`triples`: the resource's description when the request already read it."""
    fmt = negotiate(suffix)
    g.publisher_format = fmt
    v = version()
    base = v.manifest.base
    links = Links(iri, path or pages.href(iri, base), base + "dataset")
    make = _html(kind, iri, links, triples) if fmt is HTML else _rdf(kind, iri, fmt, triples)
    key = links.path + ("?" + request.query_string.decode("latin-1") if fmt is HTML and request.query_string else "")
    rep = representations().get_or_make((v.id, key, fmt.name), make)
    # A video's page also shows related talks, so only its data follows the record's own date.
    last = modified if modified is not None and fmt is not HTML else v.manifest.created
    return respond(rep, links, last, negotiated=suffix is None)


def _description(kind: str, iri: str, known: list[ox.Triple] | None = None) -> list[ox.Triple]:
    if known is not None:
        return known
    if kind == "ontology":
        return _ontology(version().manifest.base)
    triples = describe.construct(version(), describe.DESCRIPTION, iri)
    if not triples:
        abort(404, f"nothing is published as {iri}")
    return triples


@cache
def _ontology(base: str) -> list[ox.Triple]:
    with ONTOLOGY_FILE.open("rb") as text:
        return [q.triple for q in ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=base)]


def _rdf(kind: str, iri: str, fmt: Format, known: list[ox.Triple] | None = None) -> Callable[[], Representation]:
    return lambda: _written(_description(kind, iri, known), fmt)


def _written(triples: list[ox.Triple], fmt: Format) -> Representation:
    if fmt.name == "jsonld":
        return make_representation(jsonld.dumps(jsonld.compact(triples)).encode("utf-8"), fmt)
    return make_representation(serialize(triples, fmt), fmt)


def _html(kind: str, iri: str, links: Links, known: list[ox.Triple] | None = None) -> Callable[[], Representation]:
    def make() -> Representation:
        v = version()
        triples = _description(kind, iri, known)
        description = pages.Description(triples, v.manifest.base)
        # The page embeds the JSON-LD written from the same description: one query for both.
        data = representations().get_or_make((v.id, links.path, "jsonld"), lambda: _written(triples, BY_NAME["jsonld"]))
        page = pages.PAGES[kind](description, v, iri)
        html = render_template(
            f"{kind}.html", page=page, iri=iri, links=links, formats=FORMATS[1:],
            jsonld=jsonld.for_html(data.body.decode("utf-8")),
        )
        return make_representation(html.encode("utf-8"), HTML)

    return make


# --- browse, search, home ---------------------------------------------------------------


@bp.route("/video/")
def videos() -> Response:
    sort = request.args.get("sort", "title")
    if sort not in SORTS:
        abort(400, f"sort must be one of {', '.join(SORTS)}")
    return _page("videos.html", lambda: {
        "items": pages.paginate(catalogue(version()).sorted_videos(sort)), "sort": sort, "sorts": SORTS,
        "sort_names": SORT_NAMES,
    })


@bp.route("/person/")
def people() -> Response:
    return _names("person", "Intervenants")


@bp.route("/organization/")
def organizations() -> Response:
    return _names("organization", "Institutions")


def _names(kind: str, title: str) -> Response:
    sort = request.args.get("sort", "name")
    if sort not in NAME_SORTS:
        abort(400, f"sort must be one of {', '.join(NAME_SORTS)}")
    return _page("names.html", lambda: {
        "items": pages.paginate(catalogue(version()).sorted_names(kind, sort)), "kind": kind, "title": title,
        "sort": sort, "sorts": NAME_SORTS, "sort_names": NAME_SORT_NAMES,
    })


@bp.route("/search")
def search() -> Response:
    text = request.args.get("q", "")[:200]

    def found() -> dict[str, object]:
        videos, people, organizations = catalogue(version()).search(text)
        return {"q": text, "videos": videos, "people": people, "organizations": organizations}

    return _page("search.html", found)


@bp.route("/")
def home() -> Response:
    return _page("home.html", lambda: {"counts": version().manifest.counts})


def _page(template: str, context: Callable[[], dict[str, object]]) -> Response:
    """An HTML-only page, with the same ETag and conditional handling as every representation;
    `context` is only computed when the page is not cached yet."""
    if request.accept_mimetypes and request.accept_mimetypes.best_match([HTML.media_type]) is None:
        abort(406, "this page is only available as text/html")
    g.publisher_format = HTML
    v = version()
    rep = representations().get_or_make(
        (v.id, request.full_path, "page"),
        lambda: make_representation(render_template(template, **context()).encode("utf-8"), HTML),
    )
    return respond(rep, None, v.manifest.created, negotiated=False)
