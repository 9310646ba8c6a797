"""The reconciliation service over a real server: every answer validated against the API's own
JSON Schemas (0.2, and the 1.0 draft for its JSON POSTs), both ways of sending a batch, JSONP,
CORS, suggest, preview, data extension, and bad requests answered 400 in JSON."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.conftest import LiveServer, Reply

SCHEMAS = Path(__file__).parent / "schemas" / "reconciliation"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*/*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(instance: Any, version: str, name: str) -> None:
    schema = json.loads((SCHEMAS / version / f"{name}.json").read_text(encoding="utf-8"))
    Draft7Validator(schema, registry=REGISTRY).validate(instance)


def send(server: LiveServer, path: str, body: bytes | str, content_type: str, method: str = "POST",
         headers: dict[str, str] | None = None) -> Reply:
    connection = http.client.HTTPConnection(server.url.split("/")[2], timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": content_type, **(headers or {})})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def answer(reply: Reply) -> Any:
    assert reply.status == 200, reply.text
    assert reply.media_type == "application/json"
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    return json.loads(reply.body)


BATCH = {
    "q0": {"query": "RIVAL Madina", "type": "Person", "limit": 3},
    "q1": {"query": "Madina Rival", "type": "Person", "properties": [{"pid": "affiliation", "v": "CNAM"}]},
    "q2": {"query": "joullie jean-etienne"},
    "q3": {"query": "Conservatoire national des arts et métiers", "type": ["Organization"]},
    "q4": {"query": "Rival, M.", "type": "Person", "properties": [{"pid": "affiliation", "v": {"id": "organization/lirsa-cnam"}}]},
}


def test_schemas_reject_what_they_should() -> None:
    """The validation below can fail: a candidate without a score, a manifest without versions."""
    with pytest.raises(ValidationError):
        validate({"q0": {"result": [{"id": "x", "name": "x"}]}}, "0.2", "reconciliation-result-batch")
    with pytest.raises(ValidationError):
        validate({"name": "x", "identifierSpace": "x", "schemaSpace": "x"}, "0.2", "manifest")
    with pytest.raises(ValidationError):
        validate({"results": [{"candidates": [{"id": "x", "name": "x", "features": [{"id": "f", "value": 1}]}]}]},
                 "1.0-draft", "reconciliation-result-batch")


def test_manifest_validates_and_points_at_our_pages(live_server: LiveServer) -> None:
    manifest = answer(live_server.get("/reconcile"))
    validate(manifest, "0.2", "manifest")
    assert manifest["identifierSpace"] == live_server.url
    assert {t["id"] for t in manifest["defaultTypes"]} == {"Person", "Organization", "DefinedTerm", "VideoObject"}
    view = manifest["view"]["url"].replace("{{id}}", "person/rival-madina")
    assert view == live_server.url + "person/rival-madina"
    assert live_server.get("/" + view.removeprefix(live_server.url), "text/turtle").status == 200
    preview = manifest["preview"]["url"].replace("{{id}}", "person/rival-madina").removeprefix(live_server.url)
    assert live_server.get("/" + preview).status == 200


def _top(result: dict[str, Any]) -> dict[str, Any]:
    return result["result"][0]


@pytest.mark.parametrize("how", ["GET", "POST form"])
def test_a_batch_is_reconciled_the_same_by_get_and_post(live_server: LiveServer, how: str) -> None:
    validate(BATCH, "0.2", "reconciliation-query-batch")
    text = json.dumps(BATCH)
    if how == "GET":
        reply = live_server.get("/reconcile?queries=" + quote(text))
    else:
        reply = send(live_server, "/reconcile", urlencode({"queries": text}), "application/x-www-form-urlencoded")
    results = answer(reply)
    validate(results, "0.2", "reconciliation-result-batch")
    assert set(results) == set(BATCH)
    assert _top(results["q0"])["id"] == "person/rival-madina" and _top(results["q0"])["match"] is True
    assert _top(results["q0"])["name"] == "Madina Rival"
    assert _top(results["q1"])["id"] == "person/rival-madina" and _top(results["q1"])["match"] is True
    assert _top(results["q2"])["id"] == "person/joullie-jean-etienne"
    assert _top(results["q3"])["id"] == "organization/cnam" and _top(results["q3"])["match"] is True
    assert _top(results["q4"])["id"] == "person/rival-madina"
    assert _top(results["q4"])["match"] is False  # initials alone never settle it
    assert len(results["q0"]["result"]) <= 3
    assert all(c["type"][0]["id"] == "Person" for c in results["q1"]["result"])


def test_institution_evidence_ranks_the_person_shown_with_it(live_server: LiveServer) -> None:
    """The institution given raises the person shown with it, and withholds a match from a
    person of that name shown only with another."""
    queries = {
        "ok": {"query": "Passant, A.", "type": "Person", "properties": [{"pid": "affiliation", "v": "EMLV"}]},
        "wrong": {"query": "PASSANT Adrien Jean-Guy", "type": "Person", "properties": [{"pid": "affiliation", "v": "CNAM"}]},
    }
    results = answer(live_server.get("/reconcile?queries=" + quote(json.dumps(queries))))
    ok, wrong = _top(results["ok"]), _top(results["wrong"])
    assert ok["id"] == wrong["id"] == "person/passant-adrien-jean-guy"
    assert {"id": "property", "name": "Property values agree", "value": True} in ok["features"]
    assert wrong["match"] is False  # the right name, shown only with another institution: not certain
    assert {"id": "property", "name": "Property values agree", "value": False} in wrong["features"]


def test_jsonp_wraps_get_answers(live_server: LiveServer) -> None:
    reply = live_server.get("/reconcile?callback=jsonp1234&queries=" + quote(json.dumps({"q": {"query": "GAREL Gilles"}})))
    assert reply.status == 200 and reply.media_type == "application/javascript"
    assert reply.text.startswith("/**/jsonp1234(") and reply.text.endswith(");")
    wrapped = json.loads(reply.text[len("/**/jsonp1234(") : -2])
    validate(wrapped, "0.2", "reconciliation-result-batch")
    manifest = live_server.get("/reconcile?callback=cb")
    validate(json.loads(manifest.text[len("/**/cb(") : -2]), "0.2", "manifest")


def test_cors_preflight_allows_json_posts(live_server: LiveServer) -> None:
    reply = live_server.request("/reconcile/match", {"Origin": "https://example.com", "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "content-type"}, method="OPTIONS")
    assert reply.status == 200
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in reply.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in reply.headers["Access-Control-Allow-Headers"]


def test_json_post_of_the_1_0_draft(live_server: LiveServer) -> None:
    body = {"queries": [
        {"type": "Person", "limit": 2, "conditions": [{"matchType": "name", "propertyValue": "Bénédicte Grall"},
                                                      {"matchType": "property", "propertyId": "affiliation", "propertyValue": "LIRSA"}]},
        {"conditions": [{"matchType": "name", "propertyValue": "IAE Nice"}]},
    ]}
    validate(body, "1.0-draft", "reconciliation-query-batch")
    results = answer(send(live_server, "/reconcile/match", json.dumps(body), "application/json"))
    validate(results, "1.0-draft", "reconciliation-result-batch")
    first, second = (r["candidates"][0] for r in results["results"])
    assert (first["id"], first["match"]) == ("person/grall-benedicte", True)
    assert (second["id"], second["match"]) == ("organization/iae-de-nice", True)


def test_suggest_entities_types_and_properties(live_server: LiveServer) -> None:
    entities = answer(live_server.get("/reconcile/suggest/entity?prefix=joul"))
    validate(entities, "0.2", "suggest-entities-response")
    assert [e["id"] for e in entities["result"]] == ["person/joullie-jean-etienne"]
    orgs = answer(live_server.get("/reconcile/suggest/entity?prefix=iae%20ni&type=Organization"))
    assert [e["id"] for e in orgs["result"]] == ["organization/iae-de-nice"]
    types = answer(live_server.get("/reconcile/suggest/type?prefix=pers"))
    validate(types, "0.2", "suggest-types-response")
    assert [t["id"] for t in types["result"]] == ["Person"]
    props = answer(live_server.get("/reconcile/suggest/property?prefix=aff"))
    validate(props, "0.2", "suggest-properties-response")
    assert [p["id"] for p in props["result"]] == ["affiliation"]
    proposed = answer(live_server.get("/reconcile/properties?type=Organization&limit=3"))
    validate(proposed, "0.2", "data-extension-property-proposal")
    assert len(proposed["properties"]) == 3 and "affiliation" not in [p["id"] for p in proposed["properties"]]
    every = answer(live_server.get("/reconcile/properties"))
    validate(every, "0.2", "data-extension-property-proposal")
    assert {"affiliation", "ror", "speakers"} <= {p["id"] for p in every["properties"]}


def test_preview_is_a_small_escaped_card(live_server: LiveServer) -> None:
    reply = live_server.get("/reconcile/preview?id=person/rival-madina")
    assert reply.status == 200 and reply.media_type == "text/html"
    assert "Madina Rival" in reply.text and "Laboratoire interdisciplinaire" in reply.text
    assert f'href="{live_server.url}person/rival-madina"' in reply.text
    assert "l&#39;action" in reply.text  # the institution's name, escaped


def test_data_extension_0_2_and_1_0(live_server: LiveServer) -> None:
    query = {"ids": ["person/rival-madina", "organization/cnam", "video/innovation-publique", "person/nobody"],
             "properties": [{"id": "affiliation"}, {"id": "talks"}, {"id": "themes"}, {"id": "subOrganization"},
                            {"id": "speakers"}]}
    validate(query, "0.2", "data-extension-query")
    old = answer(live_server.get("/reconcile?extend=" + quote(json.dumps(query))))
    validate(old, "0.2", "data-extension-response")
    rival = old["rows"]["person/rival-madina"]
    assert rival["affiliation"] == [{"id": "organization/lirsa-cnam", "name": "Laboratoire interdisciplinaire de recherche en sciences de l'action"}]
    assert rival["talks"] == [{"int": 2}]
    assert rival["themes"] == [{"id": "theme/innovation-publique", "name": "Innovation publique"}]
    assert old["rows"]["organization/cnam"]["subOrganization"][0]["id"] == "organization/lirsa-cnam"
    assert old["rows"]["video/innovation-publique"]["speakers"] == [{"id": "person/rival-madina", "name": "Madina Rival"}]
    assert all(v == [] for v in old["rows"]["person/nobody"].values())
    assert [m["id"] for m in old["meta"]] == [p["id"] for p in query["properties"]]
    validate(query, "1.0-draft", "data-extension-query")
    new = answer(send(live_server, "/reconcile/extend", json.dumps(query), "application/json"))
    validate(new, "1.0-draft", "data-extension-response")
    assert new["rows"][0]["properties"][0] == {"id": "affiliation", "values": rival["affiliation"]}


BAD = [
    ("GET", "/reconcile?queries=" + quote("{not json"), "not valid JSON"),
    ("GET", "/reconcile?queries=" + quote("[1, 2]"), "JSON object of queries"),
    ("GET", "/reconcile?queries=" + quote(json.dumps({"q": {"query": "x", "type": "Planet"}})), 'unknown type "Planet"'),
    ("GET", "/reconcile?queries=" + quote(json.dumps({"q": {"query": "x", "limit": "5"}})), "limit must be an integer"),
    ("GET", "/reconcile?queries=" + quote(json.dumps({"q": {"query": "x", "limit": 2.5}})), "limit must be an integer"),
    ("GET", "/reconcile?queries=" + quote(json.dumps({"q": {"query": 3}})), "query must be a string"),
    ("GET", "/reconcile?queries=" + quote(json.dumps({"q": {"query": "x", "properties": [{"pid": "views", "v": "3"}]}})), "cannot be matched on"),
    ("GET", "/reconcile?queries=" + quote(json.dumps({"q": {"qeury": "x"}})), "unknown fields qeury"),
    ("GET", "/reconcile?callback=" + quote("alert(1)//") + "&queries=" + quote(json.dumps({"q": {"query": "x"}})), "callback"),
    ("GET", "/reconcile?extend=" + quote(json.dumps({"ids": ["person/rival-madina"], "properties": [{"id": "shoe-size"}]})), "unknown property"),
    ("GET", "/reconcile?queries=" + quote(json.dumps({"q": {"query": "RIVAL " * 200}})), "longer than 500 characters"),
    ("GET", "/reconcile?extend=" + quote(json.dumps({"ids": ["person/rival-madina"], "properties": [{"id": ["talks"]}]})), "unknown property"),
    ("GET", "/reconcile?queries=" + quote(json.dumps({"q": {"query": "x", "properties": [{"pid": "affiliation", "v": {"id": "x", "name": 3}}]}})), "must be a string"),
    ("GET", "/reconcile/suggest/entity?prefix=a&type=Planet", "unknown type"),
    ("GET", "/reconcile/suggest/entity?prefix=a&limit=ten", "must be integers"),
    ("GET", "/reconcile/preview?id=person/nobody", "no entity"),
    ("POST", "/reconcile/match", "not valid JSON"),
    ("POST json", "/reconcile/match", "queries"),
]


@pytest.mark.parametrize(("method", "path", "message"), BAD)
def test_bad_requests_get_400_with_a_json_message(live_server: LiveServer, method: str, path: str, message: str) -> None:
    if method == "GET":
        reply = live_server.get(path)
    elif method == "POST":
        reply = send(live_server, path, "{oops", "application/json")
    else:
        reply = send(live_server, path, json.dumps({"queries": {"q": {"query": "x"}}}), "application/json")
    assert reply.status == 400, reply.text
    assert reply.media_type == "application/json"
    body = json.loads(reply.body)
    assert body["status"] == 400 and message in body["message"]
    assert reply.headers["Access-Control-Allow-Origin"] == "*"


def test_a_publication_is_reconciled_against_at_the_next_request(fresh_server: LiveServer, tmp_path: Path) -> None:
    query = "/reconcile?queries=" + quote(json.dumps({"q": {"query": "Noor Haddad", "type": "Person"}}))
    assert [c["id"] for c in answer(fresh_server.get(query))["q"]["result"]] == []
    record = {"id": "nouvelle", "title": "Nouvelle vidéo", "speakers": [{"name": "HADDAD Noor", "institution": "CNAM"}]}
    (tmp_path / "more.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    fresh_server.publish(tmp_path / "more.jsonl")
    top = answer(fresh_server.get(query))["q"]["result"][0]
    assert (top["id"], top["match"], top["description"]) == ("person/haddad-noor", True, "Conservatoire national des arts et métiers")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["Person", "Organization", "affiliation", "orcid", "query", "type", "limit", "properties",
                       "pid", "v", "ids", "id", "conditions", "matchType", "name", "property", "propertyValue", "propertyId"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["query", "type", "limit", "properties", "pid", "v", "ids", "id", "settings", "queries",
                         "conditions", "matchType", "propertyId", "propertyValue", "q0", "name"]) | st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(payload=JSON, where=st.sampled_from(["queries", "extend", "match", "extend-1.0"]))
@example(payload={"ids": [], "properties": [{"id": []}]}, where="extend")
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_payload_makes_a_500(live_server: LiveServer, payload: Any, where: str) -> None:
    text = json.dumps(payload)
    if where in ("queries", "extend"):
        reply = send(live_server, "/reconcile", urlencode({where: text}), "application/x-www-form-urlencoded")
    else:
        reply = send(live_server, "/reconcile/match" if where == "match" else "/reconcile/extend", text, "application/json")
    assert reply.status in (200, 400), reply.text
    assert reply.media_type == "application/json"
