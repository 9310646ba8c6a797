"""The SPARQL query UI (GET /sparql from a browser): YASGUI served by us, a tab per question of
queries/, run for real by headless Chromium against the live server's endpoint."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from benchmarks.browser import Browser, Page, foreign_requests
from benchmarks.screenshots import HEIGHT, PANEL, TABLE, WIDTH, foreign_resources, run_tab
from publisher.named_queries import QUERIES, load_queries, run_named
from publisher.terms import PREFIXES
from tests.conftest import LiveServer
from tests.test_screenshots import chromium_or_skip

HTML = "text/html"
ASSETS = {
    "/static/yasgui/yasgui.min.js": "text/javascript",
    "/static/yasgui/yasgui.min.css": "text/css",
    "/static/yasgui/barchart.js": "text/javascript",
    "/static/yasgui/query-ui.js": "text/javascript",
    "/static/style.css": "text/css",
}

EDITOR = f"{PANEL}.querySelector('.CodeMirror').CodeMirror"
TAB_NAMES = "[...document.querySelectorAll('.yasgui .tabsList .tab a span')].map(s => s.textContent)"


def page_config(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="query-ui-config">(.*?)</script>', html, re.S)
    assert found, "the page gives YASGUI its settings as JSON"
    return json.loads(found[1])


def test_a_browser_gets_the_query_ui_with_its_assets(live_server: LiveServer) -> None:
    page = live_server.get("/sparql", accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.status == 200 and page.media_type == HTML
    assert 'href="/sparql"' in page.text, "the site's navigation links to the query UI"
    assert foreign_resources(page.text, live_server.url + "sparql") == []
    for path, media_type in ASSETS.items():
        assert f'"{path}"' in page.text
        asset = live_server.get(path)
        assert (asset.status, asset.media_type) == (200, media_type), path
        assert len(asset.body) > 1000 or path.endswith("style.css")


def test_every_question_of_the_library_is_a_tab_with_its_file_as_query(live_server: LiveServer) -> None:
    config = page_config(live_server.get("/sparql", accept=HTML).text)
    library = load_queries()
    assert [e["name"] for e in config["examples"]] == sorted(p.stem for p in QUERIES.glob("*.rq"))
    for example in config["examples"]:
        assert example["title"] == library[example["name"]].title
        assert example["query"] == (QUERIES / f"{example['name']}.rq").read_text(encoding="utf-8")
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["schema"] == "http://schema.org/"
    assert config["prefixes"]["person"] == live_server.url + "person/"
    assert config["prefixes"].items() >= PREFIXES.items()
    assert all(f"PREFIX {name}: <{iri}>\n" in config["newTabQuery"] for name, iri in PREFIXES.items())


def test_the_page_honours_the_script_root(live_server: LiveServer) -> None:
    client = live_server.app.test_client()
    page = client.get("/sparql", headers={"Accept": HTML}, base_url="http://127.0.0.1/catalogue/")
    assert page.status_code == 200 and page.headers["Vary"] == "Accept"
    html = page.get_data(as_text=True)
    assert page_config(html)["endpoint"] == "/catalogue/sparql"
    assert all(f'"/catalogue{path}"' in html for path in ASSETS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser(chromium_or_skip(), WIDTH, HEIGHT) as chromium:
        yield chromium


def open_ui(browser: Browser, live_server: LiveServer) -> Page:
    page = browser.open(live_server.url + "sparql")
    page.wait_for(f"{TAB_NAMES}.length > 0")
    return page


@pytest.mark.slow
def test_chromium_runs_a_tab_and_shows_the_result_table(browser: Browser, live_server: LiveServer) -> None:
    page = open_ui(browser, live_server)
    library = load_queries()
    assert page.evaluate(TAB_NAMES) == [q.title for q in library.values()]

    table = run_tab(page, library["top-institutions"].title)
    expected = [s["name"].value for s in run_named(live_server.settings, "top-institutions")]
    assert len(expected) >= 3
    assert table["head"] == ["organization", "name", "talks"]
    assert [row[1] for row in table["rows"]] == expected
    assert table["rows"][0][0] == "organization:cnam", "our IRIs are shown with their prefix"

    # A question with parameters answers its defaults as it is (the endpoint binds the header's).
    table = run_tab(page, library["speakers-of-institution"].title)
    expected = [s["name"].value for s in run_named(live_server.settings, "speakers-of-institution")]
    assert len(expected) >= 3
    assert [row[table["head"].index("name")] for row in table["rows"]] == expected

    assert page.requests.count(live_server.url + "sparql") == 3, "the page, then one request per query run"
    assert foreign_requests(page.requests) == []


@pytest.mark.slow
def test_the_bar_chart_view_draws_a_bar_per_row(browser: Browser, live_server: LiveServer) -> None:
    page = open_ui(browser, live_server)
    table = run_tab(page, load_queries()["top-institutions"].title)
    assert page.evaluate(f"{PANEL}.querySelector('.yasr .select_table').classList.contains('selected')"), \
        "the table stays the default view"

    page.evaluate(f"{PANEL}.querySelector('.yasr .select_barchart').click()")
    bars = page.wait_for(f"""[...{PANEL}.querySelectorAll('svg.barchart g')].map(g =>
        [g.querySelector('title').textContent, g.querySelector('rect').getAttribute('width')])""")
    # label: the name (the nearest text column before the count), value: the talks
    assert [label for label, _ in bars] == [f"{name} : {talks}" for _, name, talks in table["rows"]]
    widths = [float(width) for _, width in bars]
    talks = [int(row[2]) for row in table["rows"]]
    assert [round(w / max(widths) * max(talks), 6) for w in widths] == pytest.approx(talks, rel=0.01)
    assert foreign_requests(page.requests) == []


@pytest.mark.slow
def test_each_visit_starts_from_the_library_not_from_what_the_last_one_left(
        browser: Browser, live_server: LiveServer) -> None:
    page = open_ui(browser, live_server)
    first = sorted(QUERIES.glob("*.rq"))[0]
    page.evaluate(f"{EDITOR}.setValue('SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1')")
    page.evaluate("document.querySelector('.tabsList .tab:nth-child(2) .closeTab').click()")
    count = len(load_queries())
    assert page.evaluate(f"{TAB_NAMES}.length") == count - 1

    again = open_ui(browser, live_server)
    assert again.evaluate(f"{TAB_NAMES}.length") == count
    assert again.evaluate(f"{EDITOR}.getValue()") == first.read_text(encoding="utf-8")


@pytest.mark.slow
def test_typing_completes_our_prefixes_and_asks_no_other_host(browser: Browser, live_server: LiveServer) -> None:
    page = open_ui(browser, live_server)
    page.evaluate(f"(() => {{ const cm = {EDITOR}; cm.setValue('SELECT * WHERE {{\\n  ?s '); cm.focus(); cm.setCursor(1, 5); }})()")
    page.type("schema:na")  # YASGUI's own property completion would ask lov.linkeddata.es here
    text = page.wait_for(f"{EDITOR}.getValue().includes('schema: <') && {EDITOR}.getValue()")
    assert text.startswith("PREFIX schema: <http://schema.org/>\n"), "our schema.org, not https://schema.org/"
    page.type(" person:")  # a prefix of ours alone: the bundled list has no such name
    text = page.wait_for(f"{EDITOR}.getValue().includes('person: <') && {EDITOR}.getValue()")
    assert f"PREFIX person: <{live_server.url}person/>\n" in text
    assert foreign_requests(page.requests) == []


@pytest.mark.slow
def test_a_shared_link_opens_on_its_own_query_and_runs_it(browser: Browser, live_server: LiveServer) -> None:
    query = "SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://schema.org/name> ?name } ORDER BY ?name"
    endpoint = live_server.url + "sparql"
    page = browser.open(f"{endpoint}#{urlencode({'query': query, 'endpoint': endpoint})}")
    table = page.wait_for(TABLE)
    assert page.evaluate(f"{EDITOR}.getValue()") == query
    names = [row[-1] for row in table["rows"]]
    assert table["head"][-1] == "name" and len(names) >= 5 and names == sorted(names)
    assert page.evaluate(f"{TAB_NAMES}.length") == len(load_queries()) + 1, "and the library's tabs beside it"


def test_the_requests_that_count_as_foreign() -> None:
    assert foreign_requests([
        "http://127.0.0.1:5000/sparql", "data:application/json,{}", "blob:http://127.0.0.1:5000/x",
        "https://lov.linkeddata.es/dataset/lov/api/v2/autocomplete/terms?q=a", "http://localhost:5000/x",
    ]) == ["https://lov.linkeddata.es/dataset/lov/api/v2/autocomplete/terms?q=a", "http://localhost:5000/x"]

