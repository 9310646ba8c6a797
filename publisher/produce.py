"""Map and validate a whole catalogue, in batches, on every core.

Video records are mapped and validated in batches by worker processes: a batch holds its
videos (with their speaker appearances and view counters) and the types of the people,
institutions and themes they link to, for the sh:class checks, and is checked against the
shapes of videos only. People, institutions, themes and the scheme are checked once, in a
batch of their own. Each violation is traced back to its record (file, line, field).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult

from publisher.entities import Registry
from publisher.mapping import Mapper, as_ntriples
from publisher.model import FieldError, Record
from publisher.store.ledger import LedgerEntry, ledger_line
from publisher.terms import SCHEMA, SKOS, A, Iris, iri
from publisher.validation import Shapes, Violation, validate, validate_pyshacl

BATCH = 1000
AHEAD = 4  # batches mapped ahead of the caller, per worker
PERSON, ORGANIZATION, CONCEPT = iri(SCHEMA + "Person"), iri(SCHEMA + "Organization"), iri(SKOS + "Concept")


@dataclass(frozen=True)
class Job:
    mapper: Mapper
    records: Sequence[Record]
    entries: dict[str, LedgerEntry]  # record id -> change time and, when known, digest
    engine: Callable[[str, Shapes], list[Violation]]
    video_shapes: Shapes  # what a batch of videos is checked against
    entity_shapes: Shapes  # what people, institutions, themes and the scheme are checked against


# The project's node shapes (shapes/shapes.ttl), by what they describe. Local rules given
# with --extra-shapes run in every batch; their violations count where their focus lives.
VIDEO_SHAPES = ("Video", "SpeakerAppearance", "ViewCounter")
ENTITY_SHAPES = ("Person", "Institution", "Theme", "ThemeScheme", "OnlyThemeScheme")


def make_job(
    mapper: Mapper, records: Sequence[Record], entries: dict[str, LedgerEntry], shapes: Shapes, engine: str
) -> Job:
    """Each batch is checked only against the shapes of what it describes; the dataset's
    description is checked on its own when it is written."""
    base = mapper.iris.base + "shapes#"
    return Job(
        mapper, records, entries, engine_for(engine),
        video_shapes=shapes.without(*(base + n for n in (*ENTITY_SHAPES, "Dataset"))),
        entity_shapes=shapes.without(*(base + n for n in (*VIDEO_SHAPES, "Dataset"))),
    )


@dataclass
class BatchResult:
    ntriples: bytes  # what to load
    ledger: bytes  # the batch's lines of the version's records.jsonl
    errors: dict[str, list[FieldError]]  # record id -> what SHACL found wrong


_job: Job | None = None  # set before the workers fork, so they inherit it without pickling


def engine_for(name: str) -> Callable[[str, Shapes], list[Violation]]:
    return validate_pyshacl if name == "pyshacl" else validate


def produce(job: Job, workers: int, on_batch: Callable[[int], None] | None = None) -> Iterator[BatchResult]:
    """Yield the entity batch first, then each video batch in catalogue order."""
    global _job
    _job = job
    starts = range(0, len(job.records), BATCH)
    if workers <= 1 or len(starts) <= 1:
        yield _entity_batch()
        for start in starts:
            yield _video_batch(start)
            if on_batch:
                on_batch(min(BATCH, len(job.records) - start))
        return
    # At most AHEAD batches a worker are mapped before the caller takes them: Pool.imap would go on
    # mapping into the caller's memory while it waits on a store that trails (9.6 GB at 1M videos).
    # The entities are a worker's task too: at 1M talks they take 15 s, in which the other
    # worker maps the first videos instead of waiting.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        window: deque[tuple[int | None, AsyncResult[BatchResult]]] = deque([(None, pool.apply_async(_entity_batch))])
        for start in starts:
            window.append((start, pool.apply_async(_video_batch, (start,))))
            if len(window) >= AHEAD * workers:
                yield _taken(window.popleft(), len(job.records), on_batch)
        while window:
            yield _taken(window.popleft(), len(job.records), on_batch)


def _taken(mapped: tuple[int | None, AsyncResult[BatchResult]], records: int,
           on_batch: Callable[[int], None] | None) -> BatchResult:
    start, pending = mapped
    result = pending.get()
    if on_batch and start is not None:  # the entity batch holds no record
        on_batch(min(BATCH, records - start))
    return result


def _video_batch(start: int) -> BatchResult:
    assert _job is not None
    job = _job
    mapper, reg = job.mapper, job.mapper.reg
    videos: list[str] = []
    ledger: list[str] = []
    people: set[str] = set()
    for record in job.records[start : start + BATCH]:
        entry = job.entries[record.id]
        videos.append(as_ntriples(mapper.video(record, entry.modified)))
        ledger.append(ledger_line(record, entry.created, entry.modified, entry.digest))
        people.update(reg.speaker_keys[(record.id, n)] for n in range(1, len(record.speakers) + 1))
    text = "".join(videos)
    violations = job.engine(text + _context(mapper, people), job.video_shapes)
    own = mapper.iris.base + "video/"
    errors = _errors_by_record([v for v in violations if v.focus.startswith(own)], own)
    return BatchResult(text.encode("utf-8"), "".join(ledger).encode("utf-8"), errors)


def _context(mapper: Mapper, people: set[str]) -> str:
    """The types of what the batch's videos link to, for the sh:class checks; the entities
    themselves are checked in a batch of their own."""
    reg, iris = mapper.reg, mapper.iris
    lines = [f"<{iris.person(reg.people[key].slug)}> {A} {PERSON} .\n" for key in people]
    lines += [f"<{iris.organization(org.slug)}> {A} {ORGANIZATION} .\n" for org in reg.institutions.values()]
    lines += [f"<{iris.theme(theme.slug)}> {A} {CONCEPT} .\n" for theme in reg.themes.values()]
    return "".join(lines)


def _errors_by_record(violations: list[Violation], own: str) -> dict[str, list[FieldError]]:
    errors: dict[str, list[FieldError]] = {}
    for v in violations:
        record_id = v.focus[len(own) :].split("#", 1)[0]
        field = v.field or ("speakers" if "#speaker-" in v.focus else "views" if v.focus.endswith("#views") else "")
        errors.setdefault(record_id, []).append(FieldError(field, v.message))
    return errors


def _entity_batch() -> BatchResult:
    assert _job is not None
    job = _job
    mapper = job.mapper
    text = "".join(as_ntriples(triples) for triples in mapper.entities())
    violations = job.engine(text, job.entity_shapes)
    return BatchResult(text.encode("utf-8"), b"", _entity_errors(mapper, job.records, violations))


def _entity_errors(mapper: Mapper, records: Sequence[Record], violations: list[Violation]) -> dict[str, list[FieldError]]:
    """An entity that does not conform rejects every record that names it."""
    if not violations:
        return {}
    reg, iris = mapper.reg, mapper.iris
    by_entity: dict[str, list[str]] = {}
    for v in violations:
        by_entity.setdefault(v.focus, []).append(v.message)
    errors: dict[str, list[FieldError]] = {}
    for record in records:
        for entity, field in _named_by(record, reg, iris):
            for message in by_entity.get(entity, []):
                errors.setdefault(record.id, []).append(FieldError(field, message))
    return errors


def _named_by(record: Record, reg: Registry, iris: Iris) -> Iterator[tuple[str, str]]:
    for n, speaker in enumerate(record.speakers, start=1):
        yield iris.person(reg.people[reg.speaker_keys[(record.id, n)]].slug), f"speakers[{n}].name"
        if speaker.institution:
            org = reg.institutions[reg.institution_key(speaker.institution)]
            yield iris.organization(org.slug), f"speakers[{n}].institution"
    for label in record.themes:
        yield iris.theme(reg.themes[reg.theme_key(label)].slug), "themes"
