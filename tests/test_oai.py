"""OAI-PMH over a real server on the sample data: every verb and every error validates against
the OAI-PMH, oai_dc and MARC 21 slim schemas; the crosswalks say what the records say."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import pymarc
import pytest
from lxml import etree
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from publisher.names import recase_family
from tests.conftest import DATA, LiveServer, store_graph
from tests.oai_support import NS, error_code, oai, pages, validated

REPOSITORY = "publisher.invalid"  # the sample server's base is 127.0.0.1: not a domain name
VIDEO = "portrait-alain-burlaud"
IDENTIFIER = f"oai:{REPOSITORY}:{VIDEO}"


def sample_records() -> dict[str, dict]:
    records: dict[str, dict] = {}
    for path in sorted(DATA.glob("*.json*")):
        text = path.read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line.strip()] if path.suffix == ".jsonl" else json.loads(text)
        rows = rows["records"] if isinstance(rows, dict) else rows
        records.update({r["id"]: r for r in rows})
    return records


VERBS = [
    {"verb": "Identify"},
    {"verb": "ListMetadataFormats"},
    {"verb": "ListMetadataFormats", "identifier": IDENTIFIER},
    {"verb": "ListSets"},
    *({"verb": "GetRecord", "identifier": IDENTIFIER, "metadataPrefix": p} for p in ("oai_dc", "rdf", "marcxml")),
    *({"verb": "ListRecords", "metadataPrefix": p} for p in ("oai_dc", "rdf", "marcxml")),
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "theme:portraits"},
    {"verb": "ListIdentifiers", "metadataPrefix": "marcxml", "set": "institution", "from": "2026-01-01", "until": "2026-01-01"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-12-31T23:59:59Z", "until": "2026-01-01T00:00:00Z"},
]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("params", VERBS, ids=lambda p: "-".join(p.values()))
def test_every_verb_answers_valid_oai_pmh(live_server: LiveServer, params: dict[str, str], method: str) -> None:
    root = oai(live_server, method, **{k + ("_" if k == "from" else ""): v for k, v in params.items()})
    assert error_code(root) is None
    assert root.find(f"oai:{params['verb']}", NS) is not None
    request = root.find("oai:request", NS)
    assert request.text == live_server.url + "oai"
    assert dict(request.attrib) == params


def test_identify(live_server: LiveServer) -> None:
    identify = oai(live_server, verb="Identify").find("oai:Identify", NS)
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == "2026-01-01T00:00:00Z"  # the sample's publication
    assert identify.findtext("oai:baseURL", namespaces=NS) == live_server.url + "oai"
    assert identify.findtext("oai:repositoryName", namespaces=NS) == live_server.settings.title
    described = identify.find("oai:description/id:oai-identifier", NS)
    assert described.findtext("id:repositoryIdentifier", namespaces=NS) == REPOSITORY
    sample = described.findtext("id:sampleIdentifier", namespaces=NS)
    got = oai(live_server, verb="GetRecord", identifier=sample, metadataPrefix="oai_dc")
    assert error_code(got) is None


def test_lists_hold_every_published_record_with_its_change_time(live_server: LiveServer) -> None:
    headers = oai(live_server, verb="ListIdentifiers", metadataPrefix="oai_dc").findall(".//oai:header", NS)
    assert {h.findtext("oai:identifier", namespaces=NS) for h in headers} == {f"oai:{REPOSITORY}:{i}" for i in sample_records()}
    assert {h.findtext("oai:datestamp", namespaces=NS) for h in headers} == {"2026-01-01T00:00:00Z"}


def test_sets_select_by_theme_and_by_institution_with_its_parents(live_server: LiveServer) -> None:
    specs = [s.findtext("oai:setSpec", namespaces=NS) for s in oai(live_server, verb="ListSets").findall(".//oai:set", NS)]
    assert "theme" in specs and "institution" in specs and "theme:portraits" in specs and "institution:lirsa-cnam" in specs
    records = sample_records()
    for spec in specs:
        root = oai(live_server, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        found = {h.findtext("oai:identifier", namespaces=NS).rsplit(":", 1)[1] for h in root.findall(".//oai:header", NS)}
        assert found, spec
        for header in root.findall(".//oai:header", NS):
            assert spec in [s.text for s in header.findall("oai:setSpec", NS)]
        if spec.startswith("theme:"):
            label = next(s.findtext("oai:setName", namespaces=NS) for s in oai(live_server, verb="ListSets").findall(".//oai:set", NS)
                         if s.findtext("oai:setSpec", namespaces=NS) == spec)
            assert found == {i for i, r in records.items() if label in _list(r.get("themes"))}
    # the lab LIRSA-CNAM belongs to the Cnam: its talks are in the Cnam's set
    lirsa = _ids(oai(live_server, verb="ListIdentifiers", metadataPrefix="oai_dc", set="institution:lirsa-cnam"))
    assert lirsa and lirsa <= _ids(oai(live_server, verb="ListIdentifiers", metadataPrefix="oai_dc", set="institution:cnam"))


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(";")]
    return list(value or [])  # type: ignore[call-overload]


def _ids(root: etree._Element) -> set[str]:
    return {h.findtext("oai:identifier", namespaces=NS) for h in root.findall(".//oai:header", NS)}


ERRORS = [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "ListSets"]}, "badVerb"),
    ({"verb": "Identify", "identifier": IDENTIFIER}, "badArgument"),
    ({"verb": "GetRecord", "identifier": IDENTIFIER}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListIdentifiers", "metadataPrefix": ["oai_dc", "rdf"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2026-01-01T00:00:00"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01", "until": "2026-01-02T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-02", "until": "2026-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai dc"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListIdentifiers", "resumptionToken": "eyJhZnRlciI6MX0"}, "badResumptionToken"),  # {"after":1}
    ({"verb": "ListSets", "resumptionToken": "abc"}, "badResumptionToken"),
    ({"verb": "GetRecord", "identifier": IDENTIFIER, "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
    ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": f"oai:{REPOSITORY}:no-such-video", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "identifier": VIDEO, "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "oai:elsewhere.org:x"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "identifier": "oai:x:a b <c> é", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "identifier": "oai:x:a\x01", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "\x0b": "x"}, "badArgument"),
    ({"verb": "List\x00Sets"}, "badVerb"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "theme:no-such-theme"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2100-01-01"}, "noRecordsMatch"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2025-12-31T23:59:59Z"}, "noRecordsMatch"),
]


@pytest.mark.parametrize(("params", "code"), ERRORS, ids=[f"{c}-{n}" for n, (_, c) in enumerate(ERRORS)])
def test_errors_are_oai_pmh_errors_with_http_200(live_server: LiveServer, params: dict, code: str) -> None:
    pairs = [(k, v) for k, values in params.items() for v in (values if isinstance(values, list) else [values])]
    reply = live_server.get("/oai?" + urlencode(pairs))
    assert reply.status == 200 and reply.media_type == "text/xml"
    root = validated(reply.body)
    assert error_code(root) == code
    request = root.find("oai:request", NS)
    assert request.text == live_server.url + "oai"
    if code in ("badVerb", "badArgument"):  # the protocol: echo no attribute of a request that is not well formed
        assert dict(request.attrib) == {}
    else:
        assert dict(request.attrib) == {k: v for k, v in pairs}


def test_a_list_resumes_page_by_page(live_server: LiveServer) -> None:
    small = live_server.app.config["PUBLISHER_SETTINGS"]
    live_server.app.config["PUBLISHER_SETTINGS"] = replace(small, oai_page_size=2)
    try:
        walked = pages(live_server, "ListRecords", metadataPrefix="oai_dc")
    finally:
        live_server.app.config["PUBLISHER_SETTINGS"] = small
    assert len(walked) == (len(sample_records()) + 1) // 2
    seen = [h.findtext("oai:identifier", namespaces=NS) for p in walked for h in p.findall(".//oai:header", NS)]
    assert len(seen) == len(set(seen)) == len(sample_records())


def _metadata(server: LiveServer, prefix: str, video: str = VIDEO) -> etree._Element:
    root = oai(server, verb="GetRecord", identifier=f"oai:{REPOSITORY}:{video}", metadataPrefix=prefix)
    return root.find("oai:GetRecord/oai:record/oai:metadata", NS)[0]


@pytest.mark.parametrize("video", sorted(sample_records()))
def test_oai_dc_crosswalk(live_server: LiveServer, video: str) -> None:
    record = sample_records()[video]
    dc = _metadata(live_server, "oai_dc", video)
    values = {name: [e.text for e in dc.findall(f"dc:{name}", NS)] for name in
              ("title", "creator", "subject", "description", "date", "type", "language", "identifier", "rights", "relation")}
    assert values["title"] == [record["title"]]
    assert dc.find("dc:title", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == record.get("language", "fr")
    assert len(values["creator"]) == len(record["speakers"])
    for creator, speaker in zip(values["creator"], record["speakers"], strict=True):
        family, given = speaker["name"].split(" ", 1) if isinstance(speaker["name"], str) else (speaker["name"]["family"], "")
        assert creator.startswith(recase_family(family) + ", ") and given.split()[0] in creator
    assert values["subject"] == _list(record.get("themes")) + _list(record.get("keywords"))
    assert values["description"] == ([record["description"].strip()] if record.get("description") else [])
    assert values["type"] == ["MovingImage"]
    assert values["identifier"][0] == f"{live_server.url}video/{video}"
    assert values["identifier"][1:] == ([record["url"]] if record.get("url") else [])
    assert values["rights"] == ([record["license"]] if record.get("license") else [])
    graph = store_graph(live_server.settings)
    organizations = {str(o) for o in graph.objects(URIRef(values["identifier"][0]), URIRef("http://schema.org/sourceOrganization"))}
    assert set(values["relation"]) == organizations


def test_rdf_is_the_records_own_statements(live_server: LiveServer) -> None:
    rdf = _metadata(live_server, "rdf")
    got = Graph().parse(data=etree.tostring(rdf), format="xml")
    iri = f"{live_server.url}video/{VIDEO}"
    published = store_graph(live_server.settings)
    # The positions among all videos the build computes (statistics) are not the record's description.
    statistics = {f"{live_server.url}ontology#{name}" for name in ("titleOrder", "viewRank", "durationRank", "durationSeconds")}
    own = Graph()
    for s, p, o in published:
        if (str(s) == iri or str(s).startswith(iri + "#")) and str(p) not in statistics:
            own.add((s, p, o))
    assert len(own) > 20 and isomorphic(got, own)


def test_marcxml_loads_with_pymarc(live_server: LiveServer) -> None:
    record = sample_records()[VIDEO]
    marc = _metadata(live_server, "marcxml")
    [loaded] = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(marc)))
    assert loaded["245"]["a"] == record["title"]
    assert len(loaded["008"].data) == 40
    speakers = [loaded["100"], *loaded.get_fields("700")]
    assert len(speakers) == len(record["speakers"])
    graph = store_graph(live_server.settings)
    for field in speakers:
        person = URIRef(field["0"])
        assert (person, URIRef("http://schema.org/familyName"), None) in graph  # the published person's IRI
        family = str(graph.value(person, URIRef("http://schema.org/familyName")))
        assert field["a"].startswith(family + ", ")
        assert field["e"] == "speaker" and field["u"]
    assert [f["a"] for f in loaded.get_fields("650")] == _list(record.get("themes"))
    assert [f["a"] for f in loaded.get_fields("653")] == _list(record.get("keywords"))
    hours, minutes, seconds = (["0", *record["duration"].split(":")] if record["duration"].count(":") == 1 else record["duration"].split(":"))
    assert loaded["306"]["a"] == f"{int(hours):02d}{int(minutes):02d}{int(seconds):02d}"
    links = [f["u"] for f in loaded.get_fields("856")]
    assert f"{live_server.url}video/{VIDEO}" in links
    assert all(record[k] in links for k in ("url", "content_url") if record.get(k))
    assert [f["a"] for f in loaded.get_fields("024") if f.indicator1 == "7"] == [f"{live_server.url}video/{VIDEO}"]


def test_schemas_are_the_official_copies() -> None:
    """The copies hash as the official files did (SOURCES.md records their SHA-256)."""
    sources = (Path(__file__).parent / "schemas" / "SOURCES.md").read_text(encoding="utf-8")
    listed = sources.split("<!-- sha256 -->\n", 1)[1].split("<!-- /sha256 -->", 1)[0].split("\n")
    recorded = dict(reversed(line.split()) for line in listed if line.strip())
    assert set(recorded) == {"OAI-PMH.xsd", "oai_dc.xsd", "simpledc20021212.xsd", "xml.xsd", "MARC21slim.xsd"}
    for name, digest in recorded.items():
        assert hashlib.sha256((Path(__file__).parent / "schemas" / name).read_bytes()).hexdigest() == digest, name
