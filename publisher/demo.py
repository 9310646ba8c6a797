"""A deterministic, realistic, FICTIONAL catalogue for demos and benchmarks.

Every person, affiliation history, talk, view count and authority identifier generated here
is invented (see `demo_authorities.py`): never publish this data as real. Records follow
`spec/records.md`; `write_demo_data` streams them to disk, so a million videos need no more
memory than their speakers.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import random
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, islice
from pathlib import Path
from typing import Any, TypeVar

from publisher import demo_authorities as ids
from publisher import demo_vocab as vocab
from publisher.demo_authorities import KIND, generate_institutions, institution_rows
from publisher.errors import UsageError
from publisher.terms import fold

__all__ = ["generate_institutions", "generate_people", "generate_records", "write_demo_data"]

HOST = "https://videos.example.org"
INSTITUTION_FIELDS = ("label", "name", "alt_labels", "parent", "url", "ror", "idref", "isni",
                      "wikidata")
PEOPLE_FIELDS = ("name", "orcid", "idref", "isni", "viaf", "wikidata")
RECORD_FIELDS = ("id", "title", "description", "language", "duration", "views", "published",
                 "url", "embed_url", "content_url", "thumbnail", "license", "keywords", "themes",
                 "speakers")

_FIRST_DAY = date(2010, 1, 1).toordinal()
_LAST_DAY = date(2026, 6, 30).toordinal()
_SPEAKER_COUNTS = (1, 2, 3, 4)
_SPEAKER_COUNT_CUM = (0.75, 0.92, 0.98, 1.0)
_THEME_COUNT_CUM = (0.6, 0.9, 1.0)
_THEME_NAMES = tuple(vocab.THEMES)
_ZIPF_OFFSET, _ZIPF_EXPONENT = 5, 0.7
# Newcomers arrive fast at first, then slowly: the first speakers have time to become regulars.
_ARRIVAL_EXPONENT = 0.7
_SPACES = (" ", "\u00a0", "\u202f")  # ordinary, no-break and narrow no-break spaces

T = TypeVar("T")


# Record generation calls these a few million times; `rng.choice`/`randint` cost 3x more.
def _choice(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _sample(rng: random.Random, items: Sequence[T], count: int) -> list[T]:
    picked: list[T] = []
    while len(picked) < count:
        item = items[int(rng.random() * len(items))]
        if item not in picked:
            picked.append(item)
    return picked


# --- people ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Person:
    family: str  # "DE LA FONTAINE"
    given: str  # "Marie-Hélène"
    themes: tuple[str, ...]
    institutions: tuple[str, ...]  # the first until `moves_at`, then the second
    moves_at: float  # fraction of the catalogue's timeline; 2.0 = never
    ids: dict[str, str] | None

    @property
    def written(self) -> str:
        return f"{self.family} {self.given}"

    def institution_at(self, when: float) -> str:
        return self.institutions[-1] if when >= self.moves_at else self.institutions[0]


_PARTICLES = frozenset({"DE", "DU", "DES", "DA", "DOS", "VAN", "DEN"})


def reading_family(family: str) -> str:
    """`DE LA FONTAINE` -> `de La Fontaine`, `D'ALMEIDA` -> `d'Almeida`, for prose."""
    words = family.split()
    out = []
    for index, word in enumerate(words):
        leading = all(w in _PARTICLES for w in words[:index])
        if word in _PARTICLES and leading and index < len(words) - 1:
            out.append(word.lower())
            continue
        parts = [p.capitalize() for p in re.split(r"([-'])", word)]
        if word.startswith("D'") and len(parts) > 2:
            parts[0] = "d"
        out.append("".join(parts))
    return " ".join(out)


def _unique_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Names that neither fold nor slug together, so that each is one person."""
    seen: set[str] = set()
    names: list[tuple[str, str]] = []
    attempt = 0
    while len(names) < count:
        given = rng.choice(vocab.GIVEN_NAMES)
        if attempt >= 3 or rng.random() < 0.08:  # "Adrien Jean-Guy"; also when pairs run out
            second = rng.choice(vocab.GIVEN_NAMES)
            given = given if second == given else f"{given} {second}"
        family = rng.choice(vocab.FAMILY_NAMES)
        key = re.sub(r"[\W_]+", "-", fold(f"{family} {given}"))
        attempt += 1
        if key not in seen:
            seen.add(key)
            names.append((family, given))
            attempt = 0
    return names


def _person_ids(rng: random.Random, likely: bool) -> dict[str, str] | None:
    if rng.random() >= (0.6 if likely else 0.2):
        return None
    found = {"orcid": ids.orcid(rng)} if rng.random() < 0.8 else {}
    for field, rate, make in (("idref", 0.5, ids.idref), ("isni", 0.25, ids.isni),
                              ("viaf", 0.2, ids.viaf), ("wikidata", 0.1, ids.wikidata)):
        if rng.random() < rate:
            found[field] = make(rng)
    return found or {"idref": ids.idref(rng)}


def _zipf_cum(size: int, offset: float = _ZIPF_OFFSET,
              exponent: float = _ZIPF_EXPONENT) -> list[float]:
    return list(accumulate((rank + offset) ** -exponent for rank in range(size)))


def _pick(rng: random.Random, items: Sequence[str], cum: list[float]) -> str:
    return items[bisect_right(cum, rng.random() * cum[-1])]


def _population(videos: int, seed: int, institutions: list[dict[str, str]]) -> list[_Person]:
    """About one speaker per four videos, in order of first appearance (see `_World`)."""
    rng = random.Random(f"demo-people:{seed}:{videos}")
    size = max(1, round(videos / 4))
    # Labs, IAE and schools are what speakers usually show; universities get the least weight.
    homes = [row["label"] for row in institutions if row[KIND] != "university"]
    rng.shuffle(homes)
    homes += [row["label"] for row in institutions if row[KIND] == "university"]
    home_cum = _zipf_cum(len(homes), 3, 0.8)
    themes = list(_THEME_NAMES)
    rng.shuffle(themes)
    theme_cum = _zipf_cum(len(themes), 4, 0.9)
    people = []
    for rank, (family, given) in enumerate(_unique_names(rng, size)):
        frequent = rank < max(1, size // 5)
        first = _pick(rng, homes, home_cum)
        moves = rng.random() < (0.12 if frequent else 0.03)
        second = _pick(rng, homes, home_cum) if moves else first
        arrival = (rank / size) ** (1 / _ARRIVAL_EXPONENT)
        people.append(_Person(
            family=family, given=given,
            themes=tuple(dict.fromkeys(_pick(rng, themes, theme_cum)
                                       for _ in range(rng.randint(1, 3)))),
            institutions=(first, second) if second != first else (first,),
            moves_at=arrival + (1 - arrival) * rng.uniform(0.2, 0.8) if second != first
            else 2.0,
            ids=_person_ids(rng, frequent)))
    return people


def _people_rows(people: Iterable[_Person]) -> list[dict[str, str]]:
    return [{"name": p.written, **p.ids} for p in people if p.ids]


def generate_people(videos: int, seed: int = 0) -> list[dict[str, str]]:
    """`people.csv` rows for the speakers of `generate_records(videos, seed)` who have ids.
    The identifiers are fictional."""
    _check_count(videos)
    return _people_rows(_population(videos, seed, institution_rows(seed)))


# --- text ------------------------------------------------------------------------------

def _de(phrase: str) -> str:
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if phrase.startswith(article):
            return contracted + phrase[len(article):]
    return "de " + phrase


def _a(phrase: str) -> str:
    for article, contracted in (("le ", "au "), ("les ", "aux ")):
        if phrase.startswith(article):
            return contracted + phrase[len(article):]
    return "à " + phrase


# Each phrase's capitalised, `de` and `à` forms, worked out once rather than per record.
_FORMS = {phrase: (phrase[:1].upper() + phrase[1:], _de(phrase), _a(phrase))
          for phrase in (*vocab.CONTEXTS, *(t for _, ts in vocab.THEMES.values() for t in ts))}


def _words(rng: random.Random, theme: str) -> dict[str, Any]:
    topic = _choice(rng, vocab.THEMES[theme][1])
    context = _choice(rng, vocab.CONTEXTS)
    capitalised, de_topic, a_topic = _FORMS[topic]
    return {
        "topic": topic, "Topic": capitalised, "de_topic": de_topic,
        "a_topic": a_topic, "context": context, "de_context": _FORMS[context][1],
        "n": _choice(rng, (12, 25, 40, 60, 150, 300)), "orgs": _choice(rng, vocab.ORGS),
        "finding": _choice(rng, vocab.FINDINGS), "method": _choice(rng, vocab.METHODS),
        "audience": _choice(rng, vocab.AUDIENCES),
    }


def _talk_text(rng: random.Random, words: dict[str, Any]) -> tuple[str, str]:
    title = _choice(rng, vocab.TITLE_TEMPLATES).format_map(words)
    if rng.random() < 0.5 and ":" not in title and not title.endswith("?"):
        title = f"{title} : {_choice(rng, vocab.ANGLES)}"
    sentences = [_choice(rng, vocab.OPENERS)]
    sentences += _sample(rng, vocab.MIDDLES, 1 if rng.random() < 0.5 else 2)
    if rng.random() < 0.7:
        sentences.append(_choice(rng, vocab.CLOSERS))
    glue = "\n" if rng.random() < 0.35 else " "
    return title, glue.join(s.format_map(words) for s in sentences)


def _portrait_text(rng: random.Random, person: _Person,
                   words: dict[str, Any]) -> tuple[str, str]:
    who = f"{person.given} {reading_family(person.family)}"
    title = _choice(rng, ("Portrait du Professeur {}", "Portrait de {}", "Rencontre avec {}"))
    description = f"Découvrez le portrait du Professeur {who}."
    if rng.random() < 0.6:
        description += (f"\n{who} revient sur son parcours et sur ses travaux consacrés "
                        f"{words['a_topic']}.")
    return title.format(who), description


# --- facts -----------------------------------------------------------------------------

def _duration(rng: random.Random, portrait: bool) -> str:
    """Clips, interviews and lectures, written as the platform does or in ISO 8601."""
    draw = rng.random()
    if portrait:
        seconds = _between(rng, 15 * 60, 65 * 60)
    elif draw < 0.55:
        seconds = _between(rng, 90, 8 * 60)
    elif draw < 0.8:
        seconds = _between(rng, 8 * 60, 30 * 60)
    else:
        seconds = _between(rng, 30 * 60, 2 * 3600)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if rng.random() < 0.2:
        parts = ((hours, "H"), (minutes, "M"), (secs, "S"))
        return "PT" + "".join(f"{value}{unit}" for value, unit in parts if value)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _views(rng: random.Random, when: float) -> int | str:
    """Heavy-tailed, older videos seen more; some written as the page does (`2 024 vues`)."""
    count = min(3_000_000, int((rng.paretovariate(1.1) - 1) * 300 * (1.3 - when)))
    if rng.random() >= 0.15:
        return count
    written = f"{count:,}".replace(",", _choice(rng, _SPACES))
    return written + " vues" if rng.random() < 0.5 else written


def _published(rng: random.Random, when: float) -> str:
    offset_days = int(when * (_LAST_DAY - _FIRST_DAY)) + _between(rng, 0, 20)
    day = date.fromordinal(min(_LAST_DAY, _FIRST_DAY + offset_days))
    if rng.random() < 0.55:
        return day.isoformat()
    clock = f"{_between(rng, 8, 20):02d}:{_between(rng, 0, 59):02d}"
    if rng.random() < 0.7:
        clock += f":{_between(rng, 0, 59):02d}"
    offset = "Z" if rng.random() < 0.15 else ("+02:00" if 4 <= day.month <= 10 else "+01:00")
    return f"{day.isoformat()}T{clock}{offset}"


def _media(rng: random.Random, record: dict[str, Any]) -> None:
    record_id = record["id"]
    if rng.random() < 0.97:
        record["url"] = f"{HOST}/video/{record_id}"
    if rng.random() < 0.8:
        record["embed_url"] = f"{HOST}/embed/{record_id}"
    if rng.random() < 0.3:
        record["content_url"] = f"{HOST}/media/{record_id}.mp4"
    if rng.random() < 0.8:
        record["thumbnail"] = f"{HOST}/thumbnails/{record_id}.jpg"
    if rng.random() < 0.35:
        record["license"] = _choice(rng, vocab.LICENSES)


def _keyword_pool(themes: Sequence[str], pools: dict[tuple[str, ...], list[str]]) -> list[str]:
    key = tuple(themes)
    if key not in pools:
        words = (k for t in themes if t in vocab.THEMES for k in vocab.THEMES[t][0])
        pools[key] = list(dict.fromkeys(words))
    return pools[key]


def _subjects(rng: random.Random, lead: _Person, portrait: bool,
              pools: dict[tuple[str, ...], list[str]]) -> tuple[list[str], list[str]]:
    """Themes (mostly the lead speaker's) and keywords from their vocabularies."""
    wanted = 1 + bisect_right(_THEME_COUNT_CUM, rng.random())
    themes = list(lead.themes[:wanted])
    if rng.random() < 0.1:
        themes = list(dict.fromkeys([*themes, _choice(rng, _THEME_NAMES)]))
    if portrait:
        themes.insert(0, vocab.PORTRAIT_THEME)
    del themes[3:]
    if rng.random() < 0.2:
        return themes, []
    pool = _keyword_pool(themes, pools)
    return themes, _sample(rng, pool, _between(rng, 1, min(6, len(pool))))


# --- records ---------------------------------------------------------------------------

@dataclass
class _World:
    """Everything records are drawn from, plus how far the arrival of speakers has got."""

    videos: int
    people: list[_Person]
    alt_labels: dict[str, list[str]]
    cum: list[float]  # Zipf weights over people in order of arrival
    arrived: int = 0
    keyword_pools: dict[tuple[str, ...], list[str]] = dataclasses.field(default_factory=dict)

    @classmethod
    def build(cls, videos: int, seed: int) -> _World:
        rows = institution_rows(seed)
        alts = {r["label"]: r["alt_labels"].split(";") for r in rows if "alt_labels" in r}
        people = _population(videos, seed, rows)
        return cls(videos, people, alts, _zipf_cum(len(people)))

    def pick_speakers(self, rng: random.Random, index: int) -> list[_Person]:
        """Newcomers first, on a schedule that brings every speaker in by the end; other
        places go to people already seen, the earliest arrivals most often (Zipf)."""
        size = len(self.people)
        due = max(1, int(size * ((index + 1) / self.videos) ** _ARRIVAL_EXPONENT))
        wanted = _SPEAKER_COUNTS[bisect_right(_SPEAKER_COUNT_CUM, rng.random())]
        newcomers = min(due - self.arrived, wanted) if due > self.arrived else 0
        chosen = list(range(self.arrived, self.arrived + newcomers))
        self.arrived += newcomers
        wanted = min(wanted, self.arrived)
        limit = self.cum[self.arrived - 1]
        while len(chosen) < wanted:
            pick = bisect_right(self.cum, rng.random() * limit, 0, self.arrived)
            if pick not in chosen:
                chosen.append(pick)
        if len(chosen) > 1 and rng.random() < 0.3:
            rng.shuffle(chosen)
        return [self.people[i] for i in chosen]

    def speaker(self, rng: random.Random, person: _Person, when: float) -> dict[str, Any]:
        name: str | dict[str, str] = person.written
        if rng.random() < 0.02:
            name = {"family": reading_family(person.family), "given": person.given}
        out: dict[str, Any] = {"name": name}
        if rng.random() >= 0.02:
            label = person.institution_at(when)
            variants = self.alt_labels.get(label)
            if variants and rng.random() < 0.05:
                label = _choice(rng, variants)
            out["institution"] = label
        if person.ids and rng.random() < 0.1:
            out["ids"] = dict(person.ids)
        return out


def _record(world: _World, rng: random.Random, index: int) -> dict[str, Any]:
    when = index / world.videos
    speakers = world.pick_speakers(rng, index)
    portrait = len(speakers) <= 2 and rng.random() < 0.05
    themes, keywords = _subjects(rng, speakers[0], portrait, world.keyword_pools)
    words = _words(rng, next(t for t in themes if t in vocab.THEMES))
    title, description = (_portrait_text(rng, speakers[0], words) if portrait
                          else _talk_text(rng, words))
    record: dict[str, Any] = {"id": f"demo-{index + 1:06d}", "title": title}
    if rng.random() < 0.92:
        record["description"] = description
    if rng.random() < 0.85:
        record["language"] = "fr"
    if rng.random() < 0.95:
        record["duration"] = _duration(rng, portrait)
    if rng.random() < 0.95:
        record["views"] = _views(rng, when)
    if rng.random() < 0.92:
        record["published"] = _published(rng, when)
    _media(rng, record)
    if keywords:  # a few exports write lists as one `;`-joined string, which JSON allows
        record["keywords"] = ";".join(keywords) if rng.random() < 0.02 else keywords
    record["themes"] = themes
    record["speakers"] = [world.speaker(rng, person, when) for person in speakers]
    return record


def _check_count(videos: int) -> None:
    if videos < 0:
        raise UsageError(f"the number of videos must be 0 or more, not {videos}")


def _records(world: _World, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"demo-records:{seed}:{world.videos}")
    for index in range(world.videos):
        yield _record(world, rng, index)


def generate_records(videos: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """`videos` records in the JSON form of `spec/records.md`, ids `demo-000001`..., in
    publication order. Deterministic for a seed; streamed."""
    _check_count(videos)
    return _records(_World.build(videos, seed), seed)


# --- files -----------------------------------------------------------------------------

def speaker_line(speaker: dict[str, Any]) -> str:
    """The platform's display form, `RIVAL Madina - LIRSA-CNAM`."""
    name = speaker["name"]
    if isinstance(name, dict):
        name = f"{name['family'].upper()} {name['given']}".strip()
    institution = speaker.get("institution")
    return f"{name} - {institution}" if institution else str(name)


def _csv_row(record: dict[str, Any]) -> dict[str, str]:
    row: dict[str, str] = {}
    for field, value in record.items():
        if field == "speakers":
            row[field] = " | ".join(speaker_line(s) for s in value)
        elif isinstance(value, list):
            row[field] = ";".join(value)
        else:
            row[field] = str(value)
    return row


def _write_csv(path: Path, fields: Sequence[str], rows: Iterable[dict[str, str]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields), restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        iterator = iter(records)
        while batch := list(islice(iterator, 1000)):
            handle.write("".join(encode(record) + "\n" for record in batch))
            count += len(batch)
    return count


def write_demo_data(out_dir: Path, videos: int, seed: int = 0,
                    fmt: str = "jsonl") -> dict[str, int]:
    """Write `videos.jsonl` (or `videos.csv`), `institutions.csv` and `people.csv` into
    `out_dir`; return how many rows each got."""
    if fmt not in ("jsonl", "csv"):
        raise UsageError(f'unknown demo data format "{fmt}"; use jsonl or csv')
    _check_count(videos)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = _World.build(videos, seed)
    records = _records(world, seed)
    if fmt == "csv":
        count = _write_csv(out_dir / "videos.csv", RECORD_FIELDS, map(_csv_row, records))
    else:
        count = _write_jsonl(out_dir / "videos.jsonl", records)
    return {
        "videos": count,
        "institutions": _write_csv(out_dir / "institutions.csv", INSTITUTION_FIELDS,
                                   generate_institutions(seed)),
        "people": _write_csv(out_dir / "people.csv", PEOPLE_FIELDS, _people_rows(world.people)),
    }
