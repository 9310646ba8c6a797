"""Harvesters' own clients against a live server over a generated catalogue: Sickle and pyoai
harvest every record through resumption tokens; after a republication that changes 50 records
and withdraws 20, an incremental harvest from the previous run's time gets exactly those 70,
and a token issued before the republication still resumes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pymarc
import pytest
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from publisher.demo import write_demo_data
from tests.conftest import ROOT, LiveServer, serve
from tests.oai_support import NS, error_code, oai

VIDEOS = 400
PAGE = 30
REPOSITORY = "publisher.invalid"

# pyoai 2.5 calls XPathEvaluator.evaluate, which lxml 5 removed: it runs in a venv of its own with lxml 4.
PYOAI = ["pyoai==2.5.0", "lxml==4.9.4"]
PYOAI_HARVEST = """
import json, sys
from datetime import datetime
from oaipmh.client import Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader
registry = MetadataRegistry()
registry.registerReader("oai_dc", oai_dc_reader)
client = Client(sys.argv[1], registry, force_http_get=True)
args = {"metadataPrefix": "oai_dc"}
if len(sys.argv) > 2:
    args["from_"] = datetime.strptime(sys.argv[2], "%Y-%m-%dT%H:%M:%SZ")
rows = [[h.identifier(), h.isDeleted(), h.datestamp().strftime("%Y-%m-%dT%H:%M:%SZ"),
         None if m is None else m.getField("title")] for h, m, _ in client.listRecords(**args)]
print(json.dumps(rows))
"""


@pytest.fixture(scope="module")
def pyoai_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A venv with pyoai and an lxml it works with, made once and kept beside the project's venv."""
    home = ROOT / ".venv" if (ROOT / ".venv").is_dir() else tmp_path_factory.mktemp("venvs")
    venv = home / "pyoai-lxml4"
    python = venv / "bin" / "python"
    stamp = venv / ("installed-" + "-".join(PYOAI))
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PYOAI],
                       check=True, env={**os.environ, "PIP_NO_INPUT": "1"})
        stamp.touch()
    return str(python)


def pyoai_harvest(python: str, server: LiveServer, since: str | None = None) -> list[list]:
    done = subprocess.run([python, "-c", PYOAI_HARVEST, server.url + "oai", *([since] if since else [])],
                          check=True, capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, list[dict]]]:
    directory = tmp_path_factory.mktemp("oai-demo")
    write_demo_data(directory / "input", VIDEOS, seed=7)
    records = [json.loads(line) for line in (directory / "input" / "videos.jsonl").read_text(encoding="utf-8").splitlines()]
    for live in serve(directory, [directory / "input"]):
        live.app.config["PUBLISHER_SETTINGS"] = replace(live.settings, oai_page_size=PAGE)
        yield live, records


def sickle_harvest(server: LiveServer, **args: str) -> tuple[list, str]:
    """Every record, and the responseDate of the harvest's first response (the harvester's next `from`)."""
    harvester = Sickle(server.url + "oai", max_retries=0)
    try:
        records = harvester.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **args)
    except NoRecordsMatch:
        return [], ""
    started = records.oai_response.xml.findtext(".//{http://www.openarchives.org/OAI/2.0/}responseDate")
    return list(records), started


def test_sickle_harvests_a_set(demo: tuple[LiveServer, list[dict]]) -> None:
    server, records = demo
    sets = {s.setSpec: s.setName for s in Sickle(server.url + "oai", max_retries=0).ListSets()}
    spec, label = max(((k, v) for k, v in sets.items() if k.startswith("theme:")),
                      key=lambda kv: sum(kv[1] in r.get("themes", []) for r in records))
    harvested, _ = sickle_harvest(server, set=spec)
    published = {f"oai:{REPOSITORY}:{r['id']}" for r in records if label in r.get("themes", [])}
    assert len(published) > PAGE and {r.header.identifier for r in harvested} == published
    assert all(label in r.metadata["subject"] for r in harvested)


def test_harvest_everything_then_what_changed(demo: tuple[LiveServer, list[dict]], pyoai_python: str,
                                               tmp_path: Path) -> None:
    server, records = demo
    ids = {f"oai:{REPOSITORY}:{r['id']}" for r in records}
    titles = {f"oai:{REPOSITORY}:{r['id']}": r["title"] for r in records}

    harvested, started = sickle_harvest(server)
    assert len(harvested) == VIDEOS > 10 * PAGE  # through a dozen resumption tokens
    assert {r.header.identifier for r in harvested} == ids
    assert all(r.metadata["title"] == [titles[r.header.identifier]] for r in harvested)
    by_pyoai = pyoai_harvest(pyoai_python, server)
    assert sorted(row[0] for row in by_pyoai) == sorted(ids)
    assert all(row[3] == [titles[row[0]]] and not row[1] for row in by_pyoai)

    first_page = oai(server, verb="ListIdentifiers", metadataPrefix="oai_dc")
    old_token = first_page.find("oai:ListIdentifiers/oai:resumptionToken", NS).text

    changed, withdrawn = records[::8][:50], records[3::8][:20]
    assert not {r["id"] for r in changed} & {r["id"] for r in withdrawn}
    changes = tmp_path / "changes.jsonl"
    with changes.open("w", encoding="utf-8") as out:
        for record in changed:
            out.write(json.dumps({**record, "title": record["title"] + " (nouvelle version)"}, ensure_ascii=False) + "\n")
        for record in withdrawn:
            out.write(json.dumps({"id": record["id"], "deleted": True}) + "\n")
    server.publish(changes)

    since, _ = sickle_harvest(server, **{"from": started})
    expected = {f"oai:{REPOSITORY}:{r['id']}" for r in changed + withdrawn}
    assert len(since) == 70 and {r.header.identifier for r in since} == expected
    assert {r.header.identifier for r in since if r.header.deleted} == {f"oai:{REPOSITORY}:{r['id']}" for r in withdrawn}
    assert all(r.metadata["title"][0].endswith("(nouvelle version)") for r in since if not r.header.deleted)
    assert len({r.header.datestamp for r in since}) == 1 and since[0].header.datestamp >= started
    by_pyoai = pyoai_harvest(pyoai_python, server, started)
    assert sorted(row[0] for row in by_pyoai) == sorted(expected)
    assert sum(row[1] for row in by_pyoai) == 20

    # the token issued before the republication resumes, and the rest of the list follows
    seen = {h.findtext("oai:identifier", namespaces=NS) for h in first_page.iter(f"{{{NS['oai']}}}header")}
    token = old_token
    while token:
        page = oai(server, verb="ListIdentifiers", resumptionToken=token)
        assert error_code(page) is None
        seen |= {h.findtext("oai:identifier", namespaces=NS) for h in page.iter(f"{{{NS['oai']}}}header")}
        token = page.find("oai:ListIdentifiers/oai:resumptionToken", NS).text
    assert seen == ids

    gone = f"oai:{REPOSITORY}:{withdrawn[0]['id']}"
    record = oai(server, verb="GetRecord", identifier=gone, metadataPrefix="marcxml").find(".//oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted" and record.find("oai:metadata", NS) is None
    assert error_code(oai(server, verb="ListMetadataFormats", identifier=gone)) == "noMetadataFormats"


def test_marcxml_of_a_generated_record_loads_with_pymarc(demo: tuple[LiveServer, list[dict]]) -> None:
    server, records = demo
    record = next(r for r in records[1::8] if len(r["speakers"]) > 1 and r.get("keywords") and r.get("url") and r.get("themes"))
    root = oai(server, verb="GetRecord", identifier=f"oai:{REPOSITORY}:{record['id']}", metadataPrefix="marcxml")
    [marc] = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(root.find(".//oai:metadata", NS)[0])))
    assert marc["001"].data == record["id"] and marc["245"]["a"] == record["title"]
    people = [marc["100"], *marc.get_fields("700")]
    assert [f["e"] for f in people] == ["speaker"] * len(record["speakers"])
    assert [bool(f["u"]) for f in people] == [bool(s.get("institution")) for s in record["speakers"]]
    assert [f["a"] for f in marc.get_fields("650")] == record["themes"]
    assert [f["a"] for f in marc.get_fields("653")] == record["keywords"]
    links = [f["u"] for f in marc.get_fields("856")]
    assert record["url"] in links and f"{server.url}video/{record['id']}" in links
    assert marc["024"]["a"] == f"{server.url}video/{record['id']}"
    assert len(marc["008"].data) == 40 and marc["306"]["a"].isdigit()
