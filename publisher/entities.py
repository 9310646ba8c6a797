"""Who and what the catalogue talks about: people, institutions and themes, resolved once.

Resolution runs over the whole catalogue in `id` order, so the outcome does not depend on
the order of input files: the first record (by id) that names a person, an institution or a
theme fixes how it is displayed and its slug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from publisher.model import InstitutionAuthority, PersonAuthority, Record, Speaker, Warning_
from publisher.names import display_name, recase_family
from publisher.terms import fold, make_slug


@dataclass
class Person:
    slug: str
    family: str  # re-cased for reading ("Rival")
    given: str
    name: str  # "Madina Rival"
    written: list[str] = field(default_factory=list)  # every form as written ("RIVAL Madina")
    ids: dict[str, str] = field(default_factory=dict)
    affiliations: list[str] = field(default_factory=list)  # institution keys


@dataclass
class Institution:
    slug: str
    name: str
    labels: list[str] = field(default_factory=list)  # label as written first, then variants
    parent: str | None = None  # institution key
    url: str | None = None
    ids: dict[str, str] = field(default_factory=dict)


@dataclass
class Theme:
    slug: str
    label: str
    language: str


@dataclass
class Registry:
    """Resolved entities, keyed by identity; lookups used by the mapping."""

    people: dict[str, Person] = field(default_factory=dict)  # key: folded name, then "#2", ...
    institutions: dict[str, Institution] = field(default_factory=dict)  # key: folded label
    themes: dict[str, Theme] = field(default_factory=dict)  # key: folded label
    speaker_keys: dict[tuple[str, int], str] = field(default_factory=dict)  # (record id, n) -> person key
    warnings: list[Warning_] = field(default_factory=list)

    def institution_key(self, label: str) -> str:
        return self._institution_alias.get(fold(label), fold(label))

    def theme_key(self, label: str) -> str:
        return fold(label)

    _institution_alias: dict[str, str] = field(default_factory=dict)
    _written_labels: dict[str, str] = field(default_factory=dict)  # parents named only as parents


class _Slugs:
    """Hands out slugs, never the same one twice within a kind."""

    def __init__(self, warnings: list[Warning_], kind: str) -> None:
        self.taken: set[str] = set()
        self.warnings = warnings
        self.kind = kind

    def allocate(self, text: str, record: Record | None) -> str:
        base = make_slug(text) or self.kind
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        if n > 1 and record is not None:
            self.warnings.append(
                Warning_(
                    record.source,
                    record.line,
                    "speakers" if self.kind != "theme" else "themes",
                    f"{text!r} is a different {self.kind} from one already published as "
                    f"{base!r}; it is published as {slug!r}",
                )
            )
        self.taken.add(slug)
        return slug


def resolve(
    records: Iterable[Record],
    institutions: dict[str, InstitutionAuthority],
    people: dict[str, PersonAuthority],
) -> Registry:
    ordered = sorted(records, key=lambda r: r.id)
    reg = Registry()
    _register_authority_aliases(reg, institutions)
    person_slugs = _Slugs(reg.warnings, "person")
    org_slugs = _Slugs(reg.warnings, "institution")
    theme_slugs = _Slugs(reg.warnings, "theme")
    authority_ids = {fold(name): row.ids for name, row in people.items()}
    for record in ordered:
        for n, speaker in enumerate(record.speakers, start=1):
            key = _person(reg, speaker, record, person_slugs, authority_ids)
            reg.speaker_keys[(record.id, n)] = key
            if speaker.institution:
                org = _institution(reg, speaker.institution, institutions, org_slugs, record)
                if org not in reg.people[key].affiliations:
                    reg.people[key].affiliations.append(org)
        for label in record.themes:
            _theme(reg, label, record, theme_slugs)
    _add_parents(reg, institutions, org_slugs)
    return reg


def _register_authority_aliases(reg: Registry, rows: dict[str, InstitutionAuthority]) -> None:
    for row in rows.values():
        for variant in (row.label, *row.alt_labels, *([row.name] if row.name else [])):
            reg._institution_alias.setdefault(fold(variant), fold(row.label))
        if row.parent:
            reg._written_labels.setdefault(fold(row.parent), row.parent)


def _person(
    reg: Registry,
    speaker: Speaker,
    record: Record,
    slugs: _Slugs,
    authority_ids: dict[str, dict[str, str]],
) -> str:
    folded = fold(speaker.name.written)
    ids = {**authority_ids.get(fold(speaker.name.written), {}), **speaker.ids}
    key, n = folded, 1
    while key in reg.people and not _compatible(reg.people[key].ids, ids):
        n += 1
        key = f"{folded}#{n}"
    person = reg.people.get(key)
    if person is None:
        family = recase_family(speaker.name.family)
        person = Person(
            slug=slugs.allocate(f"{family} {speaker.name.given}", record),
            family=family,
            given=speaker.name.given,
            name=display_name(speaker.name),
        )
        reg.people[key] = person
    person.ids.update({k: v for k, v in ids.items() if k not in person.ids})
    if speaker.name.written not in person.written:
        person.written.append(speaker.name.written)
    return key


def _compatible(known: dict[str, str], new: dict[str, str]) -> bool:
    return all(known[k] == v for k, v in new.items() if k in known)


def _institution(
    reg: Registry,
    label: str,
    rows: dict[str, InstitutionAuthority],
    slugs: _Slugs,
    record: Record | None,
) -> str:
    key = reg.institution_key(label)
    org = reg.institutions.get(key)
    if org is None:
        row = next((r for r in rows.values() if fold(r.label) == key), None)
        written = row.label if row else label
        org = Institution(slug=slugs.allocate(written, record), name=(row.name if row and row.name else written))
        org.labels.append(written)
        if row:
            org.labels.extend(v for v in row.alt_labels if v not in org.labels)
            org.url = row.url
            org.ids = dict(row.ids)
            parent = reg.institution_key(row.parent) if row.parent else None
            org.parent = parent if parent != key else None
        reg.institutions[key] = org
    if label not in org.labels:
        org.labels.append(label)
    return key


def _add_parents(reg: Registry, rows: dict[str, InstitutionAuthority], slugs: _Slugs) -> None:
    """Publish the parents of published institutions, up the chain (cycles stop)."""
    pending = [org.parent for org in reg.institutions.values() if org.parent]
    while pending:
        key = pending.pop()
        if key is None or key in reg.institutions:
            continue
        row = next((r for r in rows.values() if fold(r.label) == key), None)
        label = row.label if row else reg._written_labels.get(key, key)
        _institution(reg, label, rows, slugs, None)
        parent = reg.institutions[key].parent
        if parent and parent not in reg.institutions:
            pending.append(parent)


def _theme(reg: Registry, label: str, record: Record, slugs: _Slugs) -> None:
    key = reg.theme_key(label)
    if key not in reg.themes:
        reg.themes[key] = Theme(slug=slugs.allocate(label, record), label=label, language=record.language)
