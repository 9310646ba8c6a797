"""The sitemaps of a version (https://www.sitemaps.org/protocol.html): every video, person,
institution and theme page, with its last modification; an index and numbered parts when
there are more than `MAX_URLS` of them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from publisher.store.version import LEDGER, PublishedVersion
from publisher.terms import Iris

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # the protocol's limit per file; tests lower it

ENTITIES = """PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?thing WHERE {
  VALUES ?class { schema:Person schema:Organization skos:Concept }
  ?thing a ?class .
} ORDER BY ?class ?thing"""


@dataclass(frozen=True)
class Sitemaps:
    """`index` is what /sitemap.xml serves; `parts[n - 1]` is /sitemap-n.xml (none when one file holds all)."""

    index: bytes
    parts: list[bytes]


def build(version: PublishedVersion) -> Sitemaps:
    urls = list(_urls(version))
    if len(urls) <= MAX_URLS:
        return Sitemaps(_urlset(urls), [])
    chunks = [urls[i : i + MAX_URLS] for i in range(0, len(urls), MAX_URLS)]
    base = version.manifest.base
    locations = [f"{base}sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
    return Sitemaps(_sitemap_index(locations, version.manifest.created), [_urlset(chunk) for chunk in chunks])


def _urls(version: PublishedVersion) -> Iterator[tuple[str, str]]:
    """(IRI, lastmod): videos with their record's change time, the rest with the version's."""
    iris = Iris(version.manifest.base)
    with (version.path / LEDGER).open(encoding="utf-8") as ledger:
        for line in ledger:
            row = json.loads(line)
            yield iris.video(row["record"]["id"]), row["modified"]
    created = version.manifest.created
    solutions = version.query(ENTITIES)
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        thing = solution["thing"]
        if isinstance(thing, ox.NamedNode):
            yield thing.value, created


def _urlset(urls: list[tuple[str, str]]) -> bytes:
    root = ET.Element("urlset", xmlns=NS)
    for loc, lastmod in urls:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = loc
        ET.SubElement(url, "lastmod").text = lastmod
    return _serialize(root)


def _sitemap_index(locations: list[str], lastmod: str) -> bytes:
    root = ET.Element("sitemapindex", xmlns=NS)
    for loc in locations:
        entry = ET.SubElement(root, "sitemap")
        ET.SubElement(entry, "loc").text = loc
        ET.SubElement(entry, "lastmod").text = lastmod
    return _serialize(root)


def _serialize(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
