"""The HTML a person reads: every link works, values are escaped, lists page, search finds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from rdflib import Graph, Literal, URIRef
from werkzeug.exceptions import NotFound

from publisher.terms import fold
from tests.conftest import LiveServer, serve

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts: list[tuple[str, str]] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("a", "link") and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "script":
            self._script = values.get("type") or ""

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


def crawl(server: LiveServer) -> Iterator[tuple[str, int]]:
    seen, queue = {"/"}, ["/"]
    while queue:
        path = queue.pop()
        reply = server.get(path, BROWSER)
        yield path, reply.status
        if reply.media_type != "text/html" or reply.status != 200:
            continue
        for href in parse(reply.text).hrefs:
            url = urljoin(server.url + path.lstrip("/"), href)
            if not url.startswith(server.url):
                continue
            parts = urlsplit(url)
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                seen.add(local)
                queue.append(local)


def served_by_a_route(server: LiveServer, path: str) -> bool:
    try:
        server.app.url_map.bind("localhost").match(urlsplit(path).path)
    except NotFound:
        return False
    return True


def test_crawler_finds_no_broken_link(live_server: LiveServer) -> None:
    visited = dict(crawl(live_server))
    assert len(visited) > 30
    for kind in ("video", "person", "organization", "theme"):
        assert any(p.startswith(f"/{kind}/") and len(p) > len(kind) + 2 for p in visited), kind
    # Pages of another blueprint that is not registered yet (e.g. /dataset) are left to its own tests.
    broken = {p: s for p, s in visited.items() if s >= 400 and served_by_a_route(live_server, p)}
    assert broken == {}


def test_every_page_embeds_its_json_ld(live_server: LiveServer) -> None:
    page = parse(live_server.get("/video/portrait-alain-burlaud", BROWSER).text)
    [(kind, data)] = page.scripts
    assert kind == "application/ld+json"
    assert json.loads(data)["@context"] == "https://schema.org/"
    assert "/video/portrait-alain-burlaud.ttl" in page.hrefs


def test_video_page_shows_what_the_platform_shows(live_server: LiveServer) -> None:
    html = live_server.get("/video/innovation-publique", BROWSER).text
    assert "Qu’est-ce que l’Innovation publique ?" in html
    assert "2024 vues" in html
    assert 'href="/person/rival-madina">Madina Rival</a>' in html
    assert 'href="/organization/lirsa-cnam">' in html
    assert "Médias de la même institution" in html and 'href="/video/portrait-alain-burlaud"' in html
    assert "Médias de la même thématique" in html and 'href="/video/innovation-secteur-public"' in html
    assert "recouvre. Pour" in html and "organisations publiques" in html
    assert "\nCette innovation publique" in html  # the record's line breaks are kept (shown with CSS pre-line)
    assert "http://" not in html.split("<main>")[1].split("</main>")[0]  # labels, not IRIs


def test_person_and_institution_pages(live_server: LiveServer) -> None:
    person = live_server.get("/person/burlaud-alain", BROWSER).text
    assert "Portrait du Professeur Alain Burlaud" in person
    assert 'href="/person/walliser-elisabeth">Elisabeth Walliser</a>' in person  # co-speaker
    org = live_server.get("/organization/lirsa-cnam", BROWSER).text
    for name in ("Madina Rival", "Gilles Garel", "Bénédicte Grall"):
        assert name in org
    assert 'href="/organization/cnam"' in org  # the parent
    cnam = live_server.get("/organization/cnam", BROWSER).text
    assert 'href="/organization/lirsa-cnam"' in cnam  # a sub-lab
    theme = live_server.get("/theme/innovation-publique", BROWSER).text
    assert 'href="/video/innovation-publique"' in theme and 'href="/organization/lirsa-cnam"' in theme


@pytest.mark.parametrize(("q", "found"), [
    ("innovation", "/video/innovation-publique"),
    ("INNOVATION publique", "/video/innovation-publique"),
    ("qu’est", "/video/innovation-publique"),
    ("joullie", "/person/joullie-jean-etienne"),
    ("Jean-Étienne", "/person/joullie-jean-etienne"),
    ("lirsa", "/organization/lirsa-cnam"),
])
def test_search_ignores_case_and_accents(live_server: LiveServer, q: str, found: str) -> None:
    reply = live_server.request("/search?" + urlencode({"q": q}), {"Accept": BROWSER})
    assert reply.status == 200
    assert f'href="{found}"' in reply.text


def test_search_without_a_match(live_server: LiveServer) -> None:
    assert "Aucun résultat" in live_server.get("/search?q=zzzzzz", BROWSER).text


def listed(html: str) -> list[str]:
    return re.findall(r'<li><a href="/video/([^"]+)">', html)


@pytest.fixture(scope="module")
def big_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("big")
    records = [
        {"id": f"talk-{n:03d}", "title": f"Exposé numéro {n:03d}", "views": n * 7 % 61, "published": f"2020-01-{n % 28 + 1:02d}",
         "themes": ["Gestion"], "speakers": f"DUPONT Jean - LIRSA-CNAM | MARTIN Léa - IAE de Nice{' ' if n % 2 else ''}"}
        for n in range(1, 121)
    ] + [{"id": "xss", "title": "<script>alert(1)</script>", "description": "a </script><b>b</b>\n<!-- c",
          "speakers": "DUPONT Jean - LIRSA-CNAM"}]
    path = directory / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    yield from serve(directory, [path])


def test_long_lists_are_paginated(big_server: LiveServer) -> None:
    first = big_server.get("/video/", BROWSER).text
    assert len(listed(first)) == 50 and "page 1 / 3" in first
    third = big_server.get("/video/?page=3", BROWSER).text
    assert len(listed(third)) == 21
    assert big_server.get("/video/?page=4", BROWSER).status == 404
    person = big_server.get("/person/dupont-jean", BROWSER).text
    assert "page 1 / 3" in person and "Interventions (121)" in person
    assert 'href="?page=2"' in person


def test_browse_sorts(big_server: LiveServer) -> None:
    by_title = listed(big_server.get("/video/?sort=title", BROWSER).text)
    assert by_title[:3] == ["xss", "talk-001", "talk-002"]  # "<script>…" folds before "exposé"
    by_views = listed(big_server.get("/video/?sort=views", BROWSER).text)
    views = {f"talk-{n:03d}": n * 7 % 61 for n in range(1, 121)}
    assert [views[v] for v in by_views[:3]] == [60, 60, 59]
    assert by_views[:2] == ["talk-026", "talk-087"]  # equal views: by title
    by_date = listed(big_server.get("/video/?sort=date", BROWSER).text)
    assert by_date[0] in {f"talk-{n:03d}" for n in range(1, 121) if n % 28 + 1 == 28}
    assert big_server.get("/video/?sort=nonsense", BROWSER).status == 400


def test_record_values_are_escaped_in_html_and_intact_in_turtle(big_server: LiveServer) -> None:
    html = big_server.get("/video/xss", BROWSER).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>b</b>" not in html and "<!-- c" not in html
    page = parse(html)
    [(kind, data)] = page.scripts  # the JSON-LD did not end early nor open another element
    assert kind == "application/ld+json"
    document = json.loads(data)
    assert "<script>alert(1)</script>" in json.dumps(document, ensure_ascii=False)
    turtle = Graph().parse(data=big_server.get("/video/xss.ttl").body, format="turtle")
    title = Literal("<script>alert(1)</script>", lang="fr")
    assert (URIRef(big_server.url + "video/xss"), URIRef("http://schema.org/name"), title) in turtle
    listing = big_server.get("/search?q=script", BROWSER).text
    assert "&lt;script&gt;" in listing and "<script>alert" not in listing


def test_home_links_to_the_browse_pages_and_the_dataset(live_server: LiveServer) -> None:
    hrefs = parse(live_server.get("/", BROWSER).text).hrefs
    for target in ("/video/", "/person/", "/organization/", "/theme/", "/dataset"):
        assert target in hrefs


def test_static_css_is_served(live_server: LiveServer) -> None:
    css = live_server.get("/static/style.css")
    assert css.status == 200 and css.media_type == "text/css"


def browsed(html: str, kind: str) -> list[tuple[str, int]]:
    return [(slug, int(n)) for slug, n in re.findall(rf'<li><a href="/{kind}/([^"]+)">[^<]*</a> <span class="count">\((\d+)\)', html)]


def test_people_and_institutions_sort_by_name_or_by_talks(live_server: LiveServer) -> None:
    page = live_server.get("/person/", BROWSER).text
    by_name = browsed(page, "person")
    names = re.findall(r'<li><a href="/person/[^"]+">([^<]*)</a>', page)
    assert len(names) == 7 and names == sorted(names, key=fold)  # "Adrien Jean-Guy Passant" first
    by_talks = browsed(live_server.get("/person/?sort=talks", BROWSER).text, "person")
    assert by_talks[0] == ("rival-madina", 2) and sorted(by_talks) == sorted(by_name)
    assert [n for _, n in by_talks] == sorted((n for _, n in by_talks), reverse=True)
    organizations = browsed(live_server.get("/organization/?sort=talks", BROWSER).text, "organization")
    assert organizations[0] == ("lirsa-cnam", 5)
    assert live_server.get("/person/?sort=age", BROWSER).status == 400
