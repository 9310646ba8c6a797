"""What OAI-PMH serves, per published version: every record and withdrawn id, sorted by
(datestamp, id), with their sets; built once per version and per process from the ledger.

Lists are read from the ledger and the manifest, not from SPARQL: a page is a bisection in a
sorted list and a hundred seeks into `records.jsonl`. The index keeps the byte offset of each
record's line, not the record, so that 100k videos cost a few MB per process, not hundreds.

People, institutions and themes are resolved again with `entities.resolve`, over the same
records and authority rows as the build, so that their IRIs are those of the published graph.
"""

from __future__ import annotations

import json
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from publisher.entities import Institution, Person, Registry, Theme, resolve
from publisher.model import PersonName, Record, Speaker
from publisher.store.ledger import ledger_entry
from publisher.store.version import LEDGER, PublishedVersion

THEME_SET = "theme"
INSTITUTION_SET = "institution"
LAST = "\U0010ffff"  # sorts after every id


@dataclass(frozen=True, slots=True)
class Item:
    datestamp: str  # YYYY-MM-DDThh:mm:ssZ
    id: str
    offset: int  # of the record's line in the ledger; -1 for a withdrawn record
    sets: tuple[str, ...]

    @property
    def deleted(self) -> bool:
        return self.offset < 0


@dataclass(frozen=True)
class Resolved:
    """A record with the people, institutions and themes of the published graph."""

    record: Record
    modified: str
    people: tuple[Person, ...]  # one per speaker, in order
    institutions: tuple[Institution | None, ...]  # one per speaker, in order
    themes: tuple[Theme, ...]
    registry: Registry  # for this record only: enough for `Mapper.video`


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str


class OaiIndex:
    def __init__(self, version: PublishedVersion) -> None:
        self.version_id = version.id
        self.ledger = version.path / LEDGER
        records: list[Record] = []
        rows: list[tuple[str, str, int]] = []
        offset = 0
        with self.ledger.open("rb") as lines:
            for line in lines:
                row = json.loads(line.decode("utf-8"))
                records.append(_who_and_what(row))
                rows.append((row["modified"], row["record"]["id"], offset))
                offset += len(line)
        registry = resolve(records, version.manifest.institution_rows(), version.manifest.people_rows())
        self.registry = registry
        self.speakers = {r.id: tuple(sys.intern(registry.speaker_keys[(r.id, n)]) for n in range(1, len(r.speakers) + 1))
                         for r in records}
        registry.speaker_keys = {}  # the per-record tuples above say the same in a tenth of the memory
        registry.warnings.clear()  # the build reported them
        chains: dict[str, list[str]] = {}
        sets = {r.id: self._sets_of(r, chains) for r in records}
        del records
        items = [Item(stamp, rid, off, sets[rid]) for stamp, rid, off in rows]
        items += [Item(stamp, rid, -1, ()) for rid, stamp in version.manifest.withdrawn.items()]
        items.sort(key=lambda i: (i.datestamp, i.id))
        self.items = items
        self.keys = [(i.datestamp, i.id) for i in items]
        self.position = {item.id: n for n, item in enumerate(items)}
        members: dict[str, array[int]] = {}
        for n, item in enumerate(items):
            for spec in item.sets:
                if spec not in members:
                    members[spec] = array("l")
                members[spec].append(n)
        self.members = members  # positions in `items`, ascending, as machine integers (a tenth of a list's memory)
        self.sets = self._set_list()
        self.earliest = items[0].datestamp if items else version.manifest.created

    def _sets_of(self, record: Record, chains: dict[str, list[str]]) -> tuple[str, ...]:
        reg = self.registry
        specs = [f"{THEME_SET}:{reg.themes[reg.theme_key(label)].slug}" for label in record.themes]
        for speaker in record.speakers:
            if speaker.institution:
                label = speaker.institution
                if label not in chains:
                    chains[label] = self._chain(reg.institution_key(label))
                specs += chains[label]
        if record.themes:
            specs.append(THEME_SET)
        if any(s.institution for s in record.speakers):
            specs.append(INSTITUTION_SET)
        return tuple(sys.intern(s) for s in dict.fromkeys(specs))

    def _chain(self, key: str | None) -> list[str]:
        """The sets of an institution and of its parents, up the chain (cycles stop)."""
        specs: list[str] = []
        while key is not None and f"{INSTITUTION_SET}:{self.registry.institutions[key].slug}" not in specs:
            specs.append(f"{INSTITUTION_SET}:{self.registry.institutions[key].slug}")
            key = self.registry.institutions[key].parent
        return specs

    def _set_list(self) -> list[OaiSet]:
        out = [OaiSet(THEME_SET, "Thèmes"), OaiSet(INSTITUTION_SET, "Institutions")]
        out += sorted((OaiSet(f"{THEME_SET}:{t.slug}", t.label) for t in self.registry.themes.values()),
                      key=lambda s: s.spec)
        out += sorted((OaiSet(f"{INSTITUTION_SET}:{i.slug}", i.name) for i in self.registry.institutions.values()),
                      key=lambda s: s.spec)
        return out

    def has_set(self, spec: str) -> bool:
        return spec in self.members or spec in (THEME_SET, INSTITUTION_SET)

    def select(self, spec: str | None, start: str | None, until: str | None) -> Sequence[int]:
        """Positions of the items in the set (all when None) whose datestamps fall in [start, until]."""
        seq: Sequence[int] = range(len(self.items)) if spec is None else self.members.get(spec, array("l"))
        keys = self.keys
        lo = 0 if start is None else bisect_left(seq, (start, ""), key=keys.__getitem__)
        hi = len(seq) if until is None else bisect_right(seq, (until, LAST), key=keys.__getitem__)
        return seq[lo:hi]

    def after(self, positions: Sequence[int], last: tuple[str, str]) -> int:
        """How many of `positions` come at or before `last` (a datestamp and an id)."""
        return bisect_right(positions, last, key=self.keys.__getitem__)

    def resolved(self, items: Sequence[Item]) -> list[Resolved | None]:
        """The records of `items`, read from the ledger (None for a withdrawn record)."""
        out: list[Resolved | None] = []
        with self.ledger.open("rb") as ledger:
            for item in items:
                if item.deleted:
                    out.append(None)
                    continue
                ledger.seek(item.offset)
                entry = ledger_entry(ledger.readline())
                out.append(self._resolve(entry.record, entry.modified))
        return out

    def _resolve(self, record: Record, modified: str) -> Resolved:
        reg = self.registry
        keys = self.speakers[record.id]
        people = tuple(reg.people[k] for k in keys)
        institutions = tuple(
            reg.institutions[reg.institution_key(s.institution)] if s.institution else None for s in record.speakers
        )
        themes = tuple(reg.themes[reg.theme_key(label)] for label in record.themes)
        own = Registry(
            people=reg.people, institutions=reg.institutions, themes=reg.themes,
            speaker_keys={(record.id, n): k for n, k in enumerate(keys, start=1)},
            _institution_alias=reg._institution_alias,
        )
        return Resolved(record, modified, people, institutions, themes, own)


def _who_and_what(row: dict[str, Any]) -> Record:
    """What `entities.resolve` reads of a ledger row: id, speakers, themes, language, provenance.
    The rest (descriptions above all) would only weigh on the process while the index is built."""
    content = row["record"]
    speakers = tuple(Speaker(PersonName(**s["name"]), s["institution"], s["ids"]) for s in content["speakers"])
    return Record(id=content["id"], title=content["title"], speakers=speakers, language=content["language"],
                  themes=tuple(content["themes"]), source=row["source"], line=row["line"])

