"""`publisher links suggest`: authority rows that may be the published people and institutions
that have no identifier yet, for a librarian to review.

A candidate is a row of the authority files none of whose identifiers is published: the build
attached it to nobody (its name is written another way than in the records). Each published
person or institution without `owl:sameAs` is compared with every candidate of its kind
(`name_match`); institutions also get co-affiliation evidence: their speakers also spoke for
the row's parent institution, or for one of its sub-institutions. The people file has no
affiliation column (records.md), so people are compared by name alone.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from publisher.model import AUTHORITIES, InstitutionAuthority, PersonAuthority, Warning_
from publisher.name_match import LabelIndex, Match, institution_match, person_match
from publisher.records import AUTHORITY_FILES, input_files, read_inputs
from publisher.store.version import PublishedVersion
from publisher.terms import OWL, SCHEMA, fold

PERSON, INSTITUTION = "person", "institution"
COLUMNS = (
    "entity", "kind", "published_name", "context", "candidate", "candidate_file", "candidate_line",
    *AUTHORITIES, "score", "evidence", "accept",
)
CO_AFFILIATION_BONUS = 0.05
PARENT_PENALTY = 0.8  # both parents known, and different
RIVAL_PENALTY = 0.9
OWN_ROW_PENALTY = 0.8  # a row that fits another entity better is less likely this one's

_PREFIXES = f"PREFIX schema: <{SCHEMA}>\nPREFIX owl: <{OWL}>\n"
PEOPLE = _PREFIXES + """SELECT ?p ?family ?given ?written ?org WHERE {
  ?p a schema:Person ; schema:familyName ?family .
  FILTER NOT EXISTS { ?p owl:sameAs ?any }
  OPTIONAL { ?p schema:givenName ?given }
  OPTIONAL { ?p schema:alternateName ?written }
  OPTIONAL { ?p schema:affiliation/schema:name ?org }
}"""
INSTITUTIONS = _PREFIXES + """SELECT ?o ?label WHERE {
  ?o a schema:Organization .
  FILTER NOT EXISTS { ?o owl:sameAs ?any }
  { ?o schema:alternateName ?label } UNION { ?o schema:name ?label }
}"""
# The other institutions the speakers of an institution spoke for, with how many speakers did.
ALSO_SPOKE_FOR = _PREFIXES + """SELECT ?o ?label (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?o a schema:Organization .
  FILTER NOT EXISTS { ?o owl:sameAs ?any }
  ?p schema:affiliation ?o , ?other .
  FILTER (?other != ?o)
  { ?other schema:alternateName ?label } UNION { ?other schema:name ?label }
} GROUP BY ?o ?label"""
PARENTS = _PREFIXES + """SELECT ?o ?label WHERE {
  ?o a schema:Organization ; schema:parentOrganization ?parent .
  FILTER NOT EXISTS { ?o owl:sameAs ?any }
  { ?parent schema:alternateName ?label } UNION { ?parent schema:name ?label }
}"""
PUBLISHED_IDS = _PREFIXES + "SELECT DISTINCT ?id WHERE { ?s owl:sameAs ?id }"


@dataclass
class Entity:
    """A published person or institution without an authority identifier."""

    iri: str
    kind: str
    names: list[str] = field(default_factory=list)  # as written in the records, first = shown
    family: str = ""
    given: str = ""
    context: list[str] = field(default_factory=list)  # people: the institutions they spoke for; else parents
    also_spoke_for: dict[str, int] = field(default_factory=dict)  # institutions: folded label -> speakers
    parent: set[str] = field(default_factory=set)  # institutions: folded names of the published parent
    own_row: str = ""  # "file:line" of an authority row with its name and no identifier


@dataclass(frozen=True)
class Candidate:
    kind: str
    name: str  # people: the name; institutions: the label
    variants: tuple[str, ...]  # everything the row calls the institution
    ids: dict[str, str]
    source: str
    line: int
    relatives: dict[str, str]  # institutions: folded label of the parent or a sub-institution -> how related
    parent: str | None = None  # institutions: the row's parent, as written


@dataclass(frozen=True)
class Suggestion:
    entity: Entity
    candidate: Candidate
    score: float
    evidence: tuple[str, ...]

    def row(self) -> dict[str, str]:
        e, c = self.entity, self.candidate
        return {
            "entity": e.iri, "kind": e.kind, "published_name": e.names[0], "context": "; ".join(e.context),
            "candidate": c.name, "candidate_file": c.source, "candidate_line": str(c.line),
            **{a: c.ids.get(a, "") for a in AUTHORITIES},
            "score": f"{self.score:.3f}", "evidence": "; ".join(self.evidence), "accept": "",
        }


@dataclass
class Suggested:
    suggestions: list[Suggestion]
    entities: int  # published without an identifier
    candidates: int  # unattached authority rows with identifiers
    warnings: list[Warning_]


def suggest_links(version: PublishedVersion, authority_files: Sequence[str | Path], threshold: float,
                  per_entity: int = 3) -> Suggested:
    """Everything `links suggest` does but writing the CSV."""
    people, institutions, warnings = read_authorities(authority_files)
    rows = candidates(people, institutions, published_identifiers(version))
    entities = published_entities(version)
    mark_own_rows(entities, people, institutions)
    return Suggested(suggest(entities, rows, threshold, per_entity), len(entities), len(rows), warnings)


def read_authorities(paths: Sequence[str | Path]) -> tuple[dict[str, PersonAuthority], dict[str, InstitutionAuthority],
                                                           list[Warning_]]:
    """The rows of the authority files among `paths` (files, or directories holding them)."""
    files = [p for p in input_files(paths) if p.stem in AUTHORITY_FILES]
    read = read_inputs(files)
    return read.people, read.institutions, read.warnings


def published_entities(version: PublishedVersion) -> list[Entity]:
    entities: dict[str, Entity] = {}
    for row in _select(version, PEOPLE):
        person = entities.setdefault(row["p"], Entity(row["p"], PERSON, family=row["family"], given=row.get("given", "")))
        _add(person.names, row.get("written"))
        _add(person.context, row.get("org"))
    for row in _select(version, INSTITUTIONS):
        _add(entities.setdefault(row["o"], Entity(row["o"], INSTITUTION)).names, row["label"])
    for row in _select(version, ALSO_SPOKE_FOR):
        entities[row["o"]].also_spoke_for[fold(row["label"])] = int(row["n"])
    for row in _select(version, PARENTS):
        entities[row["o"]].parent.add(fold(row["label"]))
        _add(entities[row["o"]].context, f"part of {row['label']}")
    for entity in entities.values():
        entity.names.sort()
        entity.context.sort()
    return sorted(entities.values(), key=lambda e: e.iri)


def published_identifiers(version: PublishedVersion) -> set[str]:
    return {row["id"] for row in _select(version, PUBLISHED_IDS)}


def _select(version: PublishedVersion, query: str) -> Iterable[dict[str, str]]:
    results = version.query(query)
    names = [v.value for v in results.variables]  # type: ignore[attr-defined]
    for solution in results:  # type: ignore[attr-defined]
        yield {name: solution[name].value for name in names if solution[name] is not None}


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def candidates(
    people: dict[str, PersonAuthority], institutions: dict[str, InstitutionAuthority], published: set[str]
) -> list[Candidate]:
    """Rows with identifiers, none of them published."""
    out = [
        Candidate(PERSON, row.name, (row.name,), row.ids, row.source, row.line, {})
        for row in people.values() if row.ids and not published & set(row.ids.values())
    ]
    relatives = _relatives(institutions)
    for row in institutions.values():
        if row.ids and not published & set(row.ids.values()):
            variants = (row.label, *row.alt_labels, *([row.name] if row.name else []))
            out.append(Candidate(INSTITUTION, row.label, variants, row.ids, row.source, row.line, relatives[row.label],
                                 row.parent))
    return out


def _relatives(rows: dict[str, InstitutionAuthority]) -> dict[str, dict[str, str]]:
    """Per row label: the folded names of its parent and of its sub-institutions."""
    by_key = {fold(v): row for row in rows.values() for v in (row.label, *row.alt_labels)}
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows.values():
        parent = by_key.get(fold(row.parent)) if row.parent else None
        if parent is None:
            continue
        for name in (parent.label, *parent.alt_labels, *([parent.name] if parent.name else [])):
            out[row.label][fold(name)] = f"its parent {parent.label}"
        for name in (row.label, *row.alt_labels, *([row.name] if row.name else [])):
            out[parent.label][fold(name)] = f"its sub-institution {row.label}"
    return out


def mark_own_rows(
    entities: Sequence[Entity], people: dict[str, PersonAuthority], institutions: dict[str, InstitutionAuthority]
) -> None:
    """Note the entities that an authority row without identifiers already names: the
    identifiers belong in that row, and another row is less likely to be theirs."""
    own = {(PERSON, fold(r.name)): f"{r.source}:{r.line}" for r in people.values() if not r.ids}
    for r in institutions.values():
        if not r.ids:
            for name in (r.label, *r.alt_labels):
                own.setdefault((INSTITUTION, fold(name)), f"{r.source}:{r.line}")
    for entity in entities:
        entity.own_row = next((own[(entity.kind, fold(n))] for n in entity.names if (entity.kind, fold(n)) in own), "")


def suggest(entities: Sequence[Entity], rows: Sequence[Candidate], threshold: float, per_entity: int) -> list[Suggestion]:
    """Scored candidates at or above `threshold`, at most `per_entity` each, best first."""
    found: list[Suggestion] = []
    index = LabelIndex([n for e in entities if e.kind == INSTITUTION for n in e.names]
                       + [v for c in rows if c.kind == INSTITUTION for v in c.variants])
    for entity in entities:
        for candidate in rows:
            if candidate.kind == entity.kind:
                suggestion = _score(index, entity, candidate)
                if suggestion is not None:
                    found.append(suggestion)
    found = _weigh_rivals(found)
    by_entity: dict[str, list[Suggestion]] = defaultdict(list)
    for s in sorted(found, key=lambda s: (-s.score, s.candidate.source, s.candidate.line)):
        if s.score >= threshold and len(by_entity[s.entity.iri]) < per_entity:
            by_entity[s.entity.iri].append(s)
    groups = sorted(by_entity.values(), key=lambda g: (-g[0].score, g[0].entity.iri))
    return [s for group in groups for s in group]


def _score(index: LabelIndex, entity: Entity, candidate: Candidate) -> Suggestion | None:
    suggestion = _person(entity, candidate) if entity.kind == PERSON else _institution(index, entity, candidate)
    if suggestion is None or not entity.own_row:
        return suggestion
    note = f"it has a row of its own without identifiers ({entity.own_row}): do they name one {entity.kind}?"
    return Suggestion(entity, candidate, round(suggestion.score * OWN_ROW_PENALTY, 3), (*suggestion.evidence, note))


def _person(entity: Entity, candidate: Candidate) -> Suggestion | None:
    match = person_match(entity.family, entity.given, candidate.name)
    return None if match is None else Suggestion(entity, candidate, match.score, match.evidence)


def _institution(index: LabelIndex, entity: Entity, candidate: Candidate) -> Suggestion | None:
    match: Match | None
    match = institution_match(index, entity.names, list(candidate.variants))
    if match is None:
        return None
    score, evidence = match.score, list(match.evidence)
    shared = {how: entity.also_spoke_for[key] for key, how in candidate.relatives.items() if key in entity.also_spoke_for}
    if shared:
        score = min(1.0, score + CO_AFFILIATION_BONUS)
        evidence += [f"{n} of its speakers also spoke for {how}" for how, n in sorted(shared.items())]
    parents = {key for key, how in candidate.relatives.items() if how.startswith("its parent")}
    if entity.parent and parents:
        if entity.parent & parents:
            score = min(1.0, score + CO_AFFILIATION_BONUS)
            evidence.append(f"the same parent institution, {candidate.parent}")
        else:
            score *= PARENT_PENALTY
            evidence.append(f"its published parent is not the row's parent, {candidate.parent}")
    return Suggestion(entity, candidate, round(score, 3), tuple(evidence))


def _weigh_rivals(found: list[Suggestion]) -> list[Suggestion]:
    """A people row that fits another person better counts for less here, and says so.
    (Several published labels may well be one institution: their row is not weighed.)"""
    best: dict[tuple[str, int], Suggestion] = {}
    for s in found:
        if s.entity.kind != PERSON:
            continue
        key = (s.candidate.source, s.candidate.line)
        if key not in best or s.score > best[key].score:
            best[key] = s
    out = []
    for s in found:
        top = best.get((s.candidate.source, s.candidate.line), s)
        if top is not s and top.score > s.score:
            note = f"fits {top.entity.names[0]} better ({top.score:.3f})"
            s = Suggestion(s.entity, s.candidate, round(s.score * RIVAL_PENALTY, 3), (*s.evidence, note))
        out.append(s)
    return out


def write_suggestions(suggestions: Iterable[Suggestion], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    count = 0
    for suggestion in suggestions:
        writer.writerow(suggestion.row())
        count += 1
    return count


