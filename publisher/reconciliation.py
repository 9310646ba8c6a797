"""Entity reconciliation over a published version: an in-memory index of people, institutions,
themes and videos, candidate look-up and scoring (the W3C Entity Reconciliation API's core,
with no web in it; `web/reconcile.py` speaks the protocol).

Names are compared after `fold` (case, accents, spacing) as sorted word lists, so that `RIVAL
Madina`, `Madina Rival` and `rival madina` are the same name; `Rival, M.` compares the family
name and checks the initials. Scores come from rapidfuzz. An institution given as a property
of a person (`affiliation`) is evidence: it raises people shown with it, or with one of its
sub-labs or parents, and lowers people shown only with others.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from publisher.store.version import PublishedVersion
from publisher.terms import AUTHORITY_IRI, PREFIXES, SCHEMA, fold

KINDS = ("person", "organization", "theme", "video")
TYPE_IDS = {"person": "Person", "organization": "Organization", "theme": "DefinedTerm", "video": "VideoObject"}
TYPE_NAMES = {"person": "Person (intervenant)", "organization": "Institution", "theme": "Thème", "video": "Vidéo"}
# What a client may write as a type: our ids, the schema.org IRIs, and the words people use.
TYPE_ALIASES = {
    **{t.lower(): k for k, t in TYPE_IDS.items()},
    **{(SCHEMA + t).lower(): k for k, t in TYPE_IDS.items()},
    **{k: k for k in KINDS},
    "institution": "organization", "concept": "theme", "videoobject": "video",
}
# Properties whose values name an institution, as evidence for a person or a video.
INSTITUTION_PROPERTIES = frozenset({"affiliation", "institution", "organization", "sourceOrganization"})
AUTHORITY_PARTS = {name: tuple(template.split("{}")) for name, template in AUTHORITY_IRI.items()}
MATCH_SCORE = 92.0  # the lowest score that may be a match...
MATCH_GAP = 5.0  # ...when the next candidate is at least this far behind

_WORD = re.compile(r"[^\W_]+")
_INITIALS = re.compile(r"(?:[^\W\d_]\.-?)+|[^\W\d_]")  # `M.`, `J.-P.`, `J.P.`, `M`
_SMALL_WORDS = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "et", "en", "pour", "a", "au", "aux", "of", "and"})


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def key(text: str) -> str:
    """A name as a sorted word list: word order and punctuation do not count."""
    return " ".join(sorted(words(text)))


def acronym(name: str) -> str:
    """`Conservatoire national des arts et métiers` -> `cnam`, for labels written as acronyms."""
    letters = [w[0] for w in words(name) if w not in _SMALL_WORDS]
    return "".join(letters) if len(letters) >= 3 else ""


@dataclass(slots=True)
class Entity:
    id: str  # the IRI less the base: "person/rival-madina"
    kind: str
    name: str
    keys: list[str] = field(default_factory=list)  # sorted-word keys of every name it is known by
    family: list[str] = field(default_factory=list)  # folded words, people only
    given: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)  # organization ids
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    url: str | None = None
    talks: int = 0
    words: frozenset[str] = frozenset()  # every word of its keys, set when indexed


@dataclass
class Candidate:
    entity: Entity
    score: float
    name_score: float
    evidence: bool | None = None  # property evidence: None when no property was given or none applies
    match: bool = False


@dataclass
class Query:
    text: str
    kinds: tuple[str, ...] = KINDS
    limit: int = 5
    institutions: list[str | dict[str, str]] = field(default_factory=list)  # values of affiliation-like properties
    authorities: list[str] = field(default_factory=list)  # authority IRIs (ORCID, IdRef, ...) the entity should have


PREFIX_LINES = "".join(f"PREFIX {n}: <{i}>\n" for n, i in PREFIXES.items())
# One SELECT per fact (Oxigraph answers each in under a second at 100k videos; joined in one
# query with OPTIONALs they multiply). `$class` is one of the four classes.
_LOAD = {
    "names": "SELECT ?s ?name WHERE { ?s a $class ; schema:name ?name }",
    "people": "SELECT ?s ?name ?family ?given WHERE { ?s schema:familyName ?family ; schema:name ?name "
              "OPTIONAL { ?s schema:givenName ?given } }",
    "alternates": "SELECT ?s ?alt WHERE { ?s schema:alternateName ?alt }",
    "affiliations": "SELECT ?s ?org WHERE { ?s a schema:Person ; schema:affiliation ?org }",
    "parents": "SELECT ?s ?parent WHERE { ?s schema:parentOrganization ?parent }",
    "same_as": "SELECT ?s ?same WHERE { ?s owl:sameAs ?same }",
    "urls": "SELECT ?s ?url WHERE { ?s a schema:Organization ; schema:url ?url }",
    "talks": "SELECT ?s (COUNT(DISTINCT ?video) AS ?n) WHERE { "
             "VALUES ?link { schema:creator schema:sourceOrganization schema:about } ?video ?link ?s } GROUP BY ?s",
}


def _rows(version: PublishedVersion, name: str, cls: str = "") -> Iterator[list[str]]:
    solutions = version.graph.query(PREFIX_LINES + _LOAD[name].replace("$class", f"<{cls}>"))
    assert isinstance(solutions, ox.QuerySolutions), "a SELECT query"
    for row in solutions:
        yield [term.value if term is not None else "" for term in row]


class Index:
    """Everything reconciliation reads, for one published version; built once, then read-only."""

    def __init__(self, base: str, entities: Iterable[Entity], videos: Callable[[], list[Entity]] | None = None) -> None:
        self.base = base
        self.entities: dict[str, Entity] = {}
        self.by_kind: dict[str, list[Entity]] = {k: [] for k in KINDS}
        self._postings: dict[str, dict[str, list[Entity]]] = {k: defaultdict(list) for k in KINDS}
        self._vocabulary: dict[str, list[str]] = {k: [] for k in KINDS}
        self._all_keys: dict[str, list[tuple[str, Entity]]] = {k: [] for k in KINDS}
        # Videos are four in five entities and most reconciliation is of people and institutions:
        # they are read at the first request that asks for them.
        self._videos = videos
        self._lock = threading.Lock()
        self._add(entities)
        self.by_authority = {iri: e for e in self.entities.values() for iri in e.same_as}

    def _add(self, entities: Iterable[Entity]) -> None:
        added = sorted(entities, key=lambda e: e.id)
        for entity in added:
            self.entities[entity.id] = entity
            self.by_kind[entity.kind].append(entity)
            entity.words = frozenset(w for k in entity.keys for w in k.split())
            for word in entity.words:
                self._postings[entity.kind][word].append(entity)
        for kind in {e.kind for e in added}:
            self._vocabulary[kind] = sorted(self._postings[kind])
            self._all_keys[kind] = [(key, e) for e in self.by_kind[kind] for key in e.keys]

    def ready(self, kinds: Iterable[str]) -> None:
        """Reads the videos now if `kinds` needs them and they are not read yet."""
        if self._videos is not None and "video" in kinds:
            with self._lock:
                if self._videos is not None:
                    self._add(self._videos())
                    self._videos = None

    @classmethod
    def load(cls, version: PublishedVersion) -> Index:
        base = version.manifest.base
        short = len(base)
        entities: dict[str, Entity] = {}
        for s, name, family, given in _rows(version, "people"):
            if s.startswith(base):
                entities[s[short:]] = Entity(s[short:], "person", name, [key(name)], words(family), words(given))
        for kind in ("organization", "theme"):
            for s, name in _rows(version, "names", SCHEMA + TYPE_IDS[kind]):
                if s.startswith(base) and s[short:] not in entities:
                    entities[s[short:]] = Entity(s[short:], kind, name, [key(name)])

        def each(query: str) -> Iterator[tuple[Entity, str]]:
            for s, value in _rows(version, query):
                entity = entities.get(s[short:]) if s.startswith(base) else None
                if entity is not None:
                    yield entity, value

        for e, alt in each("alternates"):
            e.alternates.append(alt)
            e.keys.append(key(alt))
        for e, org in each("affiliations"):
            e.affiliations.append(org[short:])
        for e, parent in each("parents"):
            e.parent = parent[short:]
            if e.parent in entities:
                entities[e.parent].children.append(e.id)
        for e, same in each("same_as"):
            e.same_as.append(same)
        for e, url in each("urls"):
            e.url = url
        for e, n in each("talks"):
            e.talks = int(n)
        for e in entities.values():
            if e.kind == "organization":
                e.keys.append(acronym(e.name))
            e.keys = [k for k in dict.fromkeys(e.keys) if k]

        def videos() -> list[Entity]:
            found = {s[short:]: name for s, name in _rows(version, "names", SCHEMA + "VideoObject") if s.startswith(base)}
            return [Entity(i, "video", name, [key(name), i.removeprefix("video/").lower()]) for i, name in found.items()]

        return cls(base, entities.values(), videos)

    def get(self, entity_id: str) -> Entity | None:
        """An entity by its id or its full IRI."""
        entity_id = entity_id.removeprefix(self.base)
        if entity_id.startswith("video/"):
            self.ready(["video"])
        return self.entities.get(entity_id)

    # --- reconciliation ------------------------------------------------------------------

    def reconcile(self, query: Query) -> list[Candidate]:
        self.ready(query.kinds)
        found: list[Candidate] = []
        for kind in query.kinds:
            found.extend(self._candidates(kind, query))
        found.sort(key=lambda c: (-c.score, c.entity.id))
        if found:
            top, second = found[0], (found[1].score if len(found) > 1 else 0.0)
            top.match = top.score >= MATCH_SCORE and top.score - second >= MATCH_GAP and top.evidence is not False
        return found[: query.limit]

    def _candidates(self, kind: str, query: Query) -> list[Candidate]:
        text_words = words(query.text)
        known = [e for iri in query.authorities if (e := self.by_authority.get(iri)) is not None and e.kind == kind]
        if kind == "person":
            name = PersonQuery.parse(query.text)
            pool = self._lookup(kind, name.words or text_words) if text_words else []
            scored = [Candidate(e, s, s) for e in _union(pool, known) if (s := name.score(e) if text_words else 100) >= 50]
            if query.institutions:
                orgs = self._institutions(query.institutions)
                for c in scored:
                    _weigh_affiliation(c, orgs)
        else:
            q = " ".join(sorted(text_words))
            scored = []
            for e in _union(self._lookup(kind, text_words) if text_words else [], known):
                s = max(fuzz.ratio(q, k) for k in e.keys) if text_words else 100
                if s >= 50:
                    scored.append(Candidate(e, s, s))
        if query.authorities:
            for c in scored:
                _weigh_authorities(c, query.authorities)
        return scored

    def _lookup(self, kind: str, query_words: list[str]) -> list[Entity]:
        """Entities sharing a word with the query; when none does (a typo in every word), the
        closest names by edit distance."""
        postings = self._postings[kind]
        hits = sorted((postings[w] for w in set(query_words) if w in postings), key=len)
        if len(hits) == len(set(query_words)) > 1:
            # Every word is known: those having all of them, found from the rarest word's list.
            common = [e for e in hits[0] if e.words.issuperset(query_words)]
            if common:
                return common
        if hits:  # a word is misspelt or missing: those sharing one of the two rarest words
            return list({e.id: e for found in hits[:2] for e in found}.values())
        choices = self._all_keys[kind]
        best = process.extract(" ".join(sorted(query_words)), [k for k, _ in choices], scorer=fuzz.ratio, limit=20)
        return list({id(choices[i][1]): choices[i][1] for _, _, i in best}.values())

    def _institutions(self, values: list[str | dict[str, str]]) -> tuple[set[str], set[str]]:
        """The organizations the values name (exactly), and those related to them (parents, sub-labs)."""
        named: set[str] = set()
        for value in values:
            if isinstance(value, dict):
                entity = self.get(value.get("id", ""))
                if entity is not None:
                    named.add(entity.id)
                    continue
                value = value.get("name", "")
            if not value.strip():
                continue
            scored = self._candidates("organization", Query(value, ("organization",)))
            best = max((c.score for c in scored), default=0)
            named.update(c.entity.id for c in scored if c.score >= 88 and c.score >= best - 2)
        related: set[str] = set()
        for org in named:
            related.update(self.lineage(org))
        return named, related - named

    def lineage(self, org_id: str) -> Iterator[str]:
        """Parents up the chain and sub-organizations down it."""
        seen = {org_id}
        up = self.entities[org_id].parent
        while up and up not in seen and up in self.entities:
            seen.add(up)
            yield up
            up = self.entities[up].parent
        stack = list(self.entities[org_id].children)
        while stack:
            down = stack.pop()
            if down not in seen:
                seen.add(down)
                yield down
                stack.extend(self.entities[down].children)

    # --- suggest -------------------------------------------------------------------------

    def suggest(self, prefix: str, kinds: Iterable[str], limit: int, cursor: int = 0) -> list[Entity]:
        """Entities with a word starting with each word of `prefix` (the last one may be cut short)."""
        typed = words(prefix)
        if not typed:
            return []
        kinds = list(kinds)
        self.ready(kinds)
        found: list[Entity] = []
        for kind in kinds:
            sets = [self._starting_with(kind, w) for w in typed]
            found.extend(self.entities[i] for i in set.intersection(*sets))
        found.sort(key=lambda e: (-e.talks, fold(e.name), e.id))
        return found[cursor : cursor + limit]

    def _starting_with(self, kind: str, prefix: str) -> set[str]:
        vocabulary = self._vocabulary[kind]
        out: set[str] = set()
        i = bisect_left(vocabulary, prefix)
        while i < len(vocabulary) and vocabulary[i].startswith(prefix):
            out.update(e.id for e in self._postings[kind][vocabulary[i]])
            i += 1
        return out


def _weigh_affiliation(candidate: Candidate, orgs: tuple[set[str], set[str]]) -> None:
    named, related = orgs
    if not named:
        return  # an institution we do not know says nothing either way
    # A tenth of the score is the institution's: shown with it, with a parent or sub-lab of it,
    # with none (nothing known), or only with others.
    shown = set(candidate.entity.affiliations)
    weight = 10 if shown & named else 6 if shown & related else -10 if shown else 0
    candidate.score = 0.9 * candidate.score + weight
    candidate.evidence = weight > 0 if shown else None


def _weigh_authorities(candidate: Candidate, wanted: list[str]) -> None:
    """An authority identifier that the entity has settles it; one of the same authority that
    differs rules it out."""
    have = candidate.entity.same_as
    if any(iri in have for iri in wanted):
        candidate.score, candidate.evidence = max(candidate.score, 100.0), True
    elif any(authority_of(iri) == authority_of(mine) for iri in wanted for mine in have):
        candidate.score, candidate.evidence = candidate.score - 30, False


def authority_of(iri: str) -> str | None:
    return next((name for name, (prefix, _) in AUTHORITY_PARTS.items() if iri.startswith(prefix)), None)


def short_id(iri: str) -> str:
    """`https://orcid.org/0000-0002-1825-0097` -> `0000-0002-1825-0097`."""
    for prefix, suffix in AUTHORITY_PARTS.values():
        if iri.startswith(prefix) and iri.endswith(suffix):
            return iri[len(prefix) : len(iri) - len(suffix)]
    return iri


def _union(*groups: list[Entity]) -> list[Entity]:
    return list({e.id: e for group in groups for e in group}.values())


@dataclass
class PersonQuery:
    """A name as written in a query, with what its shape says about which part is the family name."""

    words: list[str]  # full words (initials left out)
    initials: list[str]
    family: list[str] | None  # None when the shape does not say (`rival madina`)

    @classmethod
    def parse(cls, text: str) -> PersonQuery:
        family_part, comma, given_part = text.partition(",")
        raw = text.replace(",", " ").split()
        initials = [letter for w in raw if _is_initials(w) for letter in words(w)]
        full = [w for w in raw if not _is_initials(w)]
        family: list[str] | None = None
        if comma:
            family = words(family_part)
        else:
            capitals = [w for w in full if w == w.upper() and w != w.lower()]
            if capitals and len(capitals) < len(full):
                family = words(" ".join(capitals))  # the platform's `RIVAL Madina`
            elif full and all(w[:1].isupper() and w[1:] != w[1:].upper() for w in full):
                family = words(full[-1])  # `Madina Rival`
        return cls(words(" ".join(full)), initials, family)

    def score(self, person: Entity) -> float:
        if not self.words:
            return 0.0
        mine = " ".join(sorted(self.words))
        if self.initials:
            # `Rival, M.`: the family name by spelling, the given names by their first letters.
            given_initials = [w[0] for w in person.given]
            if not person.given or not _in_order(self.initials, given_initials):
                return 0.0
            return 0.85 * fuzz.ratio(mine, " ".join(sorted(person.family)))
        score = 0.97 * fuzz.ratio(mine, " ".join(sorted(person.family + person.given)))
        if self.family is not None and self.family == person.family:
            score += 3  # the order written agrees: breaks the tie between `Martin Paul` and `Paul Martin`
        return score


def _is_initials(word: str) -> bool:
    return _INITIALS.fullmatch(word) is not None


def _in_order(wanted: list[str], have: list[str]) -> bool:
    return have[: len(wanted)] == wanted
