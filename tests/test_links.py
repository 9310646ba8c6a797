"""Authority links: `links suggest` on a generated catalogue whose authority files were written
another way than its records, `links accept` back into those files, the links a build then
publishes, and the linkset dump with its VoID description."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, VOID, XSD

from publisher.authorities import normalise_identifier
from publisher.build import build
from publisher.cli import main
from publisher.demo_authorities import generate_institutions
from publisher.dumps import read_index
from publisher.linking import COLUMNS, suggest_links
from publisher.name_match import LabelIndex, institution_match, person_match
from publisher.querying import published
from publisher.settings import Settings
from publisher.terms import fold
from publisher.web import create_app

from .conftest import require_tool
from .perturb import Perturbed, perturb

SCHEMA = Namespace("http://schema.org/")
THRESHOLD = 0.85
PEOPLE_IDS = ("orcid", "idref", "isni", "viaf", "wikidata")
INSTITUTION_IDS = ("ror", "idref", "isni", "wikidata")


@dataclass
class Catalogue:
    settings: Settings
    data: Path
    truth: dict[str, str]  # entity IRI -> the candidate (row name or label) that is its own
    unlinked: set[str]  # published people and institutions without any sameAs


# What the tests read of a published graph (all of it would take seconds to parse with rdflib).
NAMES_AND_LINKS = """PREFIX schema: <http://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
CONSTRUCT { ?s a ?c ; schema:alternateName ?n ; owl:sameAs ?x ; schema:sameAs ?y }
WHERE { VALUES ?c { schema:Person schema:Organization } ?s a ?c .
        OPTIONAL { ?s schema:alternateName ?n } OPTIONAL { ?s owl:sameAs ?x } OPTIONAL { ?s schema:sameAs ?y } }"""


def names_and_links(settings: Settings) -> Graph:
    """People and institutions with their names and links, read by SPARQL and parsed by rdflib."""
    found = published(settings).query(NAMES_AND_LINKS)
    return Graph().parse(data=found.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")  # type: ignore[attr-defined]


def same_as_statements(settings: Settings) -> Graph:
    graph = Graph()
    for triple in names_and_links(settings).triples((None, OWL.sameAs, None)):
        graph.add(triple)
    return graph


def _unlinked_and_truth(settings: Settings, perturbed: Perturbed) -> tuple[set[str], dict[str, str]]:
    """Read from the published graph with rdflib, not with the code under test."""
    graph = names_and_links(settings)
    unlinked = {
        str(s) for cls in (SCHEMA.Person, SCHEMA.Organization) for s in graph.subjects(RDF.type, cls)
        if graph.value(s, OWL.sameAs) is None
    }
    truth = {}
    for entity in unlinked:
        for name in graph.objects(URIRef(entity), SCHEMA.alternateName):
            key = fold(str(name))
            row = perturbed.people.get(key) or perturbed.institutions.get(key)
            if row is not None:
                truth[entity] = row
    return unlinked, truth


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    tmp = tmp_path_factory.mktemp("links")
    perturbed = perturb(tmp / "data", 1200, seed=5)
    settings = Settings(store=str(tmp / "store"), base="http://example.org/", rejects=str(tmp / "r.jsonl"), workers=1)
    assert build([tmp / "data"], settings).exit_code == 0
    unlinked, truth = _unlinked_and_truth(settings, perturbed)
    assert len(truth) >= 30  # enough perturbed entities for the figures to mean something
    return Catalogue(settings, tmp / "data", truth, unlinked)


def test_suggest_ranks_the_right_row_first_and_proposes_nothing_for_the_others(catalogue: Catalogue):
    found = suggest_links(published(catalogue.settings), [catalogue.data], THRESHOLD).suggestions
    first: dict[str, str] = {}
    for suggestion in found:  # best first
        first.setdefault(suggestion.entity.iri, suggestion.candidate.name)
    assert set(first) <= catalogue.unlinked
    right = sum(1 for entity, row in catalogue.truth.items() if first.get(entity) == row)
    proposed_for_the_others = [e for e in first if e not in catalogue.truth]
    recall = right / len(catalogue.truth)
    precision = right / len(first)
    others = len(catalogue.unlinked) - len(catalogue.truth)
    print(f"\nlinks suggest: {len(catalogue.truth)} perturbed, {others} without a row; recall@1 {recall:.3f}, "
          f"precision {precision:.3f}, proposals for entities without a row: {len(proposed_for_the_others)}")
    assert recall >= 0.95
    assert precision >= 0.95
    assert len(proposed_for_the_others) <= 0.01 * others


@pytest.mark.parametrize(("published", "row"), [
    (("RIVAL", "Madina"), "Rival, M."),
    (("RIVAL", "Madina"), "M. Rival"),
    (("RIVAL", "Madina"), "Madina Rival"),
    (("PASSANT", "Adrien Jean-Guy"), "Passant, A. J.-G."),
    (("DE LA FONTAINE", "Jean"), "LA FONTAINE Jean"),
    (("DE LA FONTAINE", "Jean"), "Fontaine, Jean de La"),
    (("VASSEUR-LENOIR", "Claire"), "Claire Vasseur Lenoir"),
    (("JOULLIÉ", "Jean-Étienne"), "JOULIE Jean-Etienne"),
])
def test_name_variants_of_one_person_score_above_the_threshold(published: tuple[str, str], row: str):
    match = person_match(*published, row)
    assert match is not None and match.score >= THRESHOLD, match


@pytest.mark.parametrize(("published", "row"), [
    (("RIVAL", "Marc"), "RIVAL Madina"),
    (("ROBERT", "Madina"), "RIVAL Madina"),
    (("RIVAL", "Madina"), "Rival, J."),
    (("DUPONT", "Jean"), "Dupuis, Jean-Marc"),
])
def test_other_people_score_below_the_threshold(published: tuple[str, str], row: str):
    match = person_match(*published, row)
    assert match is None or match.score < THRESHOLD, match


# --- accept, then build ---------------------------------------------------------------------


def _suggest_csv(runner: CliRunner, settings: Settings, data: Path, out: Path) -> list[dict[str, str]]:
    result = runner.invoke(main, ["links", "suggest", "--store", settings.store, str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == list(COLUMNS)
        return list(reader)


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)


@dataclass
class Accepted:
    settings: Settings
    data: Path
    rows: list[dict[str, str]]  # the accepted suggestions
    before: dict[str, list[str]]  # authority file name -> its lines before accept


@pytest.fixture(scope="module")
def accepted(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Accepted:
    tmp = tmp_path_factory.mktemp("accepted")
    shutil.copytree(catalogue.data, tmp / "data")
    shutil.copytree(catalogue.settings.store, tmp / "store", symlinks=True)
    settings = Settings(store=str(tmp / "store"), base=catalogue.settings.base, rejects=str(tmp / "r.jsonl"), workers=1)
    runner = CliRunner()
    rows = _suggest_csv(runner, settings, tmp / "data", tmp / "suggestions.csv")
    chosen = []
    for row in rows:  # the librarian accepts the right candidates, and only those
        if catalogue.truth.get(row["entity"]) == row["candidate"] and row["entity"] not in {c["entity"] for c in chosen}:
            row["accept"] = "yes"
            chosen.append(row)
    _write_csv(tmp / "suggestions.csv", rows)
    before = {name: (tmp / "data" / name).read_text(encoding="utf-8").splitlines() for name in ("people.csv", "institutions.csv")}
    result = runner.invoke(main, ["links", "accept", "--store", settings.store, str(tmp / "suggestions.csv"), str(tmp / "data")])
    assert result.exit_code == 0, result.output
    assert build([tmp / "data"], settings).exit_code == 0
    return Accepted(settings, tmp / "data", chosen, before)


def test_accept_keeps_every_row_in_place(accepted: Accepted):
    people = (accepted.data / "people.csv").read_text(encoding="utf-8").splitlines()
    n = len(accepted.before["people.csv"])
    assert people[:n] == accepted.before["people.csv"]
    added = list(csv.DictReader(io.StringIO("\n".join([people[0], *people[n:]]))))
    assert sorted(r["name"] for r in added) == sorted(r["published_name"] for r in accepted.rows if r["kind"] == "person")
    institutions = (accepted.data / "institutions.csv").read_text(encoding="utf-8").splitlines()
    assert len(institutions) == len(accepted.before["institutions.csv"])
    changed = [(old, new) for old, new in zip(accepted.before["institutions.csv"], institutions, strict=True) if old != new]
    assert len(changed) == len({r["candidate"] for r in accepted.rows if r["kind"] == "institution"}) > 0
    for old, new in changed:  # only the alt_labels cell grew
        old_row, new_row = next(csv.reader([old])), next(csv.reader([new]))
        assert [c for i, c in enumerate(old_row) if i != 2] == [c for i, c in enumerate(new_row) if i != 2]
        assert new_row[2].startswith(old_row[2])


def _expected_links(accepted: Accepted, graph: Graph) -> tuple[Graph, Graph]:
    """The sameAs statements the accepted rows call for, and those the store has for the same entities."""
    rows = {}
    for name, keys in (("people.csv", PEOPLE_IDS), ("institutions.csv", INSTITUTION_IDS)):
        with (accepted.data / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows[row.get("name") if name == "people.csv" else row["label"]] = {k: row[k] for k in keys if row[k]}
    expected, found = Graph(), Graph()
    for suggestion in accepted.rows:
        named = Literal(suggestion["published_name"])
        entities = set(graph.subjects(SCHEMA.alternateName, named))
        assert len(entities) == 1, suggestion
        entity = entities.pop()
        if suggestion["kind"] == "person":
            assert str(entity) == suggestion["entity"]  # a person keeps its IRI
        for authority, value in rows[suggestion["candidate"]].items():
            target = URIRef(normalise_identifier(authority, value))
            expected.add((entity, OWL.sameAs, target))
            expected.add((entity, SCHEMA.sameAs, target))
        for predicate in (OWL.sameAs, SCHEMA.sameAs):
            for target in graph.objects(entity, predicate):
                found.add((entity, predicate, target))
    return expected, found


def test_after_accept_the_build_publishes_the_links(accepted: Accepted):
    graph = names_and_links(accepted.settings)
    expected, found = _expected_links(accepted, graph)
    assert len(expected) >= 2 * len(accepted.rows) > 0
    assert isomorphic(expected, found), (sorted(expected - found)[:4], sorted(found - expected)[:4])
    again = suggest_links(published(accepted.settings), [accepted.data], THRESHOLD).suggestions
    assert not {s.entity.iri for s in again} & {r["entity"] for r in accepted.rows}


# --- the linkset ----------------------------------------------------------------------------


def _links_dump(settings: Settings) -> Path:
    return published(settings).path / "dumps" / "links.nt.gz"


def test_the_linkset_dump_holds_exactly_the_same_as_statements(accepted: Accepted, tmp_path: Path):
    dump = _links_dump(accepted.settings)
    links = Graph().parse(data=gzip.decompress(dump.read_bytes()), format="nt")
    same_as = same_as_statements(accepted.settings)
    assert len(same_as) > 0 and isomorphic(links, same_as)
    rapper = require_tool("rapper")
    plain = tmp_path / "links.nt"
    plain.write_bytes(gzip.decompress(dump.read_bytes()))
    done = subprocess.run([rapper, "-i", "ntriples", "-c", str(plain)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and f"returned {len(same_as)} triples" in done.stderr, done.stderr


def test_the_void_linkset_is_described(accepted: Accepted):
    settings = accepted.settings
    client = create_app(settings).test_client()
    description = Graph().parse(data=client.get("/dataset.ttl").data, format="turtle")
    store = same_as_statements(settings)
    dataset, links = URIRef(settings.base + "dataset"), URIRef(settings.base + "dataset#links")
    url = URIRef(settings.base + "dumps/links.nt.gz")
    total = len(set(store.triples((None, OWL.sameAs, None))))
    assert (dataset, VOID.subset, links) in description
    assert (links, RDF.type, VOID.Linkset) in description
    assert description.value(links, VOID.linkPredicate) == OWL.sameAs
    assert description.value(links, VOID.subjectsTarget) == dataset
    assert description.value(links, VOID.triples) == Literal(total, datatype=XSD.integer)
    assert description.value(links, VOID.dataDump) == url
    index = {f.name: f for f in read_index(published(settings).path)}
    assert index["links.nt.gz"].triples == total
    with client.get("/dumps/links.nt.gz") as reply:
        body = reply.data
    assert body == _links_dump(settings).read_bytes()
    assert description.value(url, URIRef("http://www.w3.org/ns/dcat#byteSize")) == Literal(str(len(body)), datatype=XSD.decimal)
    parts = list(description.objects(links, VOID.subset))
    counted = 0
    for part in parts:
        target = description.value(part, VOID.objectsTarget)
        space = str(description.value(target, VOID.uriSpace))
        n = sum(1 for _, _, o in store.triples((None, OWL.sameAs, None)) if str(o).startswith(space))
        assert description.value(part, VOID.triples) == Literal(n, datatype=XSD.integer) and n > 0
        assert description.value(part, VOID.linkPredicate) == OWL.sameAs
        counted += n
    assert len(parts) >= 5 and counted == total
    page = client.get("/dataset", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Liens vers les autorités" in page and "links.nt.gz" in page and "ORCID" in page


# --- bad input ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def suggested(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    rows = _suggest_csv(CliRunner(), catalogue.settings, catalogue.data, tmp_path_factory.mktemp("s") / "s.csv")
    assert len(rows) >= 3
    return rows


@pytest.fixture
def reviewed(catalogue: Catalogue, suggested: list[dict[str, str]], tmp_path: Path
             ) -> Iterator[tuple[Path, Path, list[dict[str, str]]]]:
    """A copy of the authority files and of the suggestions, for tests that spoil one row."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("people.csv", "institutions.csv"):
        shutil.copy(catalogue.data / name, data / name)
    rows = [dict(row) for row in suggested]
    _write_csv(tmp_path / "suggestions.csv", rows)
    yield data, tmp_path / "suggestions.csv", rows


def _accept(catalogue: Catalogue, suggestions: Path, data: Path) -> tuple[int, str]:
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = CliRunner().invoke(main, ["links", "accept", "--store", catalogue.settings.store, str(suggestions), str(data)])
    if result.exit_code != 0:
        assert {p.name: p.read_bytes() for p in data.iterdir()} == before  # nothing was written
    return result.exit_code, result.output


def test_an_unknown_column_is_named(catalogue: Catalogue, reviewed: tuple[Path, Path, list[dict[str, str]]]):
    data, suggestions, rows = reviewed
    text = suggestions.read_text(encoding="utf-8").replace("accept", "accepted", 1)
    suggestions.write_text(text, encoding="utf-8")
    code, output = _accept(catalogue, suggestions, data)
    assert code == 1
    assert f"{suggestions}:1: header: unknown column 'accepted'" in output and "no 'accept' column" in output


@pytest.mark.parametrize(("field", "value", "message"), [
    ("entity", "http://example.org/person/nobody-here", "is not a person or institution published"),
    ("accept", "peut-être", "is neither yes nor no"),
    ("published_name", "Quelqu'un d'autre", "is not a name published for"),
])
def test_a_bad_row_is_named_by_file_line_and_field(
    catalogue: Catalogue, reviewed: tuple[Path, Path, list[dict[str, str]]], field: str, value: str, message: str
):
    data, suggestions, rows = reviewed
    rows[0]["accept"] = "yes"
    rows[1]["accept"] = "yes"
    rows[1][field] = value
    _write_csv(suggestions, rows)
    code, output = _accept(catalogue, suggestions, data)
    assert code == 1
    assert f"{suggestions}:3: {field}: " in output and message in output, output
    assert f"{suggestions}:2:" not in output


def test_a_malformed_identifier_is_named(catalogue: Catalogue, reviewed: tuple[Path, Path, list[dict[str, str]]]):
    data, suggestions, rows = reviewed
    row = next(r for r in rows if r["kind"] == "person" and r["orcid"])
    row["accept"] = "yes"
    row["orcid"] = row["orcid"][:-1] + ("0" if row["orcid"][-1] != "0" else "1")
    _write_csv(suggestions, rows)
    code, output = _accept(catalogue, suggestions, data)
    line = rows.index(row) + 2
    assert code == 1 and f"{suggestions}:{line}: orcid: " in output and "check digit" in output, output


def test_one_person_accepted_twice_is_refused(catalogue: Catalogue,
                                              reviewed: tuple[Path, Path, list[dict[str, str]]]):
    data, suggestions, rows = reviewed
    person = next(r for r in rows if r["kind"] == "person")
    twice = [dict(person, accept="yes"), dict(person, accept="x")]
    _write_csv(suggestions, twice)
    code, output = _accept(catalogue, suggestions, data)
    assert code == 1 and f"{suggestions}:3: entity: " in output and "accepted twice" in output


def test_accept_writes_jsonl_authority_files_too(catalogue: Catalogue,
                                                 reviewed: tuple[Path, Path, list[dict[str, str]]]):
    data, suggestions, rows = reviewed
    person = next(r for r in rows if r["kind"] == "person")
    with (data / "people.csv").open(encoding="utf-8", newline="") as handle:
        people = list(csv.DictReader(handle))
    (data / "people.csv").unlink()
    lines = [json.dumps({k: v for k, v in row.items() if v}, ensure_ascii=False) for row in people]
    (data / "people.jsonl").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    before = (data / "people.jsonl").read_bytes()
    _write_csv(suggestions, [dict(person, accept="oui")])
    code, output = _accept(catalogue, suggestions, data)
    assert code == 0, output
    after = (data / "people.jsonl").read_bytes()
    assert after.startswith(before)
    added = json.loads(after[len(before):].decode("utf-8"))
    assert added["name"] == person["published_name"]
    assert {k: normalise_identifier(k, v) for k, v in added.items() if k != "name"} == {
        k: person[k] for k in PEOPLE_IDS if person[k]
    }


@pytest.fixture(scope="module")
def label_index() -> LabelIndex:
    rows = generate_institutions(0)
    return LabelIndex([v for row in rows for v in (row["label"], row["name"], *row.get("alt_labels", "").split(";")) if v])


@pytest.mark.parametrize(("published", "row", "same"), [
    ("LIRSA-CNAM", "LIRSA (CNAM)", True),
    ("IAE Lille", "Lille, IAE de", True),
    ("Université Polytechnique Hauts-de-France", "UPHF", True),
    ("UPHF", "Hauts-de-France, Université Polytechnique", True),
    ("IAE de Valenciennes", "IAE de Vannes", False),
    ("LIRSA-USMB", "Université Savoie Mont Blanc", False),
    ("CRG-Limoges", "IRG Limoges", False),
])
def test_institution_labels(label_index: LabelIndex, published: str, row: str, same: bool):
    match = institution_match(label_index, [published], [row])
    assert (match is not None and match.score >= THRESHOLD) == same, match


@pytest.mark.parametrize("command", ["suggest", "accept"])
def test_links_commands_have_help(command: str):
    result = CliRunner().invoke(main, ["links", command, "--help"])
    assert result.exit_code == 0 and len(result.output) > 400


def test_a_label_another_row_already_holds_is_refused(catalogue: Catalogue,
                                                      reviewed: tuple[Path, Path, list[dict[str, str]]]):
    data, suggestions, rows = reviewed
    institution = next(r for r in rows if r["kind"] == "institution")
    with (data / "institutions.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([institution["published_name"], "", "", "", "", "", "", "", ""])
    _write_csv(suggestions, [dict(institution, accept="yes")])
    code, output = _accept(catalogue, suggestions, data)
    assert code == 1 and f"{suggestions}:2: published_name: " in output and "is already a label of" in output, output
