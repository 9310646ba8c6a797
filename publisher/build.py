"""`publisher build`: read, map, validate, load, and publish a new version atomically.

Runs build on each other: the inputs are applied to the catalogue already published (a
record replaces the one with its id, a tombstone withdraws it), and the whole catalogue
is then mapped and validated again, so that people, institutions, themes and counts
always describe what is published now.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from publisher.dataset import DatasetFacts, dataset_triples
from publisher.dumps import write_dumps
from publisher.entities import resolve
from publisher.errors import PublisherError, UsageError
from publisher.history import advance_entities, entity_digests
from publisher.mapping import Mapper, as_ntriples
from publisher.model import FieldError, InstitutionAuthority, PersonAuthority, ReadResult, Record, Rejection, Tombstone, Warning_
from publisher.produce import Job, make_job, produce
from publisher.records import read_inputs, write_rejects
from publisher.settings import Settings
from publisher.statistics import statistics_sections
from publisher.store import open_store
from publisher.store.ledger import EntityTimes, LedgerEntry, Manifest, digest, record_content
from publisher.store.version import Writer
from publisher.terms import SCHEMA, SKOS, Iris
from publisher.validation import SHAPES_DIR, Shapes, load_shapes, validate

STATISTICS_CHUNK = 100_000  # lines written at a time: the text of a section at 1M talks runs to GBs


@dataclass
class BuildReport:
    records_read: int = 0
    published: int = 0  # records published after this run, in all
    new: int = 0
    replaced: int = 0  # records whose content changed
    unchanged: int = 0  # re-imported with the same content
    withdrawn: int = 0
    rejected: int = 0
    triples: int = 0
    version: str | None = None
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.rejections else 0


@dataclass
class Catalogue:
    """The records to publish, with their change times, and the authority rows in force."""

    entries: dict[str, LedgerEntry]
    published_before: dict[str, LedgerEntry]  # what the previous version published
    withdrawn: dict[str, str]
    institutions: dict[str, InstitutionAuthority]
    people: dict[str, PersonAuthority]
    entities: dict[str, EntityTimes] = field(default_factory=dict)  # person, institution, theme IRI -> times
    removed: dict[str, str] = field(default_factory=dict)  # such an IRI no longer published -> when it left


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build(
    inputs: Sequence[str | Path],
    settings: Settings,
    *,
    full: bool = False,
    check_only: bool = False,
    now: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Publish `inputs` on top of the current version (or alone, with `full`)."""
    freeze = gc.get_freeze_count() == 0  # what a caller froze itself stays frozen
    if freeze:
        gc.collect()  # garbage still waiting would be frozen with the records and outlive the run
    try:
        return _build(inputs, settings, full, check_only, now or now_utc(), on_progress, freeze)
    finally:
        if freeze:
            gc.unfreeze()


def _build(
    inputs: Sequence[str | Path],
    settings: Settings,
    full: bool,
    check_only: bool,
    now: str,
    on_progress: Callable[[int, int], None] | None,
    freeze: bool,
) -> BuildReport:
    report, clock = BuildReport(), _Clock()
    with _kept_out_of_collections(freeze):
        read = read_inputs(inputs)
    report.records_read, report.warnings = read.records_read, list(read.warnings)
    report.rejections.extend(read.rejections)
    clock.lap(report, "read")
    store = open_store(settings)
    # The lock is taken before the published version is read, so that two builds can never
    # both start from the same version and the second undo the first.
    writer = None if check_only else store.begin()
    try:
        previous = None if full else store.current()
        with _kept_out_of_collections(freeze):
            catalogue = _start_from(previous.ledger() if previous else [], previous.manifest if previous else None)
        if previous is not None:
            catalogue.entities, catalogue.removed = previous.entities(), dict(previous.manifest.removed)
        _apply(catalogue, read, now, report)
        clock.lap(report, "apply")
        _publish(catalogue, settings, writer, now, report, clock, on_progress)
        if writer is not None:  # before the switch: readers never see a version without its dumps
            write_dumps(store.open(writer.path.name))
            clock.lap(report, "dumps")
        version = store.commit(writer, settings.keep_versions) if writer is not None else None
    except BaseException:
        if writer is not None:
            store.abort(writer)
        raise
    clock.lap(report, "switch")
    report.rejected = len(report.rejections)
    rejects = Path(settings.rejects)
    if report.rejections or rejects.exists():  # an earlier run's rejects must not look current
        write_rejects(rejects, report.rejections)
    if version is not None:
        report.version = version.id
    return report


@contextmanager
def _kept_out_of_collections(freeze: bool) -> Iterator[None]:
    """Read what the whole run keeps (records, the ledger before) with Python's cyclic garbage
    collector paused, then freeze it out of the collector's sight until the run ends. It holds
    no reference cycles, and as it piles up each full collection would scan all of it again:
    at 1M talks, 31 of the 71 s the read took. Frozen, it is never scanned, in this process nor
    in the workers forked from it, whose memory pages then stay shared."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, report: BuildReport, step: str) -> None:
        now = time.perf_counter()
        report.seconds[step] = report.seconds.get(step, 0.0) + now - self.last
        self.last = now


def _start_from(entries: Iterable[LedgerEntry], manifest: Manifest | None) -> Catalogue:
    before = {e.record.id: e for e in entries}
    return Catalogue(
        entries=dict(before),
        published_before=before,
        withdrawn=dict(manifest.withdrawn) if manifest else {},
        institutions=manifest.institution_rows() if manifest else {},
        people=manifest.people_rows() if manifest else {},
    )


def _apply(catalogue: Catalogue, read: ReadResult, now: str, report: BuildReport) -> None:
    catalogue.institutions.update(read.institutions)
    catalogue.people.update(read.people)
    for record_id, event in read.events.items():
        if isinstance(event, Tombstone):
            _withdraw(catalogue, event, now, report)
            continue
        old = catalogue.entries.get(record_id)
        if old is None:  # new: its digest is computed later, by the workers
            report.new += 1
            catalogue.entries[record_id] = LedgerEntry(event, now, "", created=now)
            catalogue.withdrawn.pop(record_id, None)
            continue
        content = digest(event)
        if old.digest != content:
            report.replaced += 1
        else:
            report.unchanged += 1
        modified = old.modified if old.digest == content else now
        catalogue.entries[record_id] = LedgerEntry(event, modified, content, created=old.created)
        catalogue.withdrawn.pop(record_id, None)


def _withdraw(catalogue: Catalogue, tombstone: Tombstone, now: str, report: BuildReport) -> None:
    if catalogue.entries.pop(tombstone.id, None) is None:
        report.warnings.append(
            Warning_(tombstone.source, tombstone.line, "id", f"{tombstone.id!r} was never published; nothing to withdraw")
        )
        return
    catalogue.withdrawn[tombstone.id] = now
    report.withdrawn += 1


def _publish(
    catalogue: Catalogue,
    settings: Settings,
    writer: Writer | None,
    now: str,
    report: BuildReport,
    clock: _Clock,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    iris = Iris(settings.base)
    shapes = load_shapes(settings.base, shape_files(settings))
    records = [catalogue.entries[k].record for k in sorted(catalogue.entries)]
    while True:
        registry = resolve(records, catalogue.institutions, catalogue.people)
        mapper = Mapper(iris, registry)
        job = make_job(mapper, records, catalogue.entries, shapes, settings.validator)
        failed = _map_and_validate(job, settings.worker_count, writer, on_progress)
        clock.lap(report, "map+validate+load")
        if not failed:
            break
        records = _reject(catalogue, records, failed, report)
        if writer is not None:
            writer.reset()
    report.warnings.extend(registry.warnings)
    report.published = len(records)
    if writer is not None:
        _describe(writer, shapes, mapper, records, catalogue, settings, now, report)
        clock.lap(report, "describe")


def shape_files(settings: Settings) -> list[Path]:
    """The project's shapes, and the user's local rules if any."""
    project = sorted(SHAPES_DIR.glob("*.ttl"))
    if not settings.extra_shapes:
        return project
    extra = Path(settings.extra_shapes)
    if not extra.exists():
        raise UsageError(f"--extra-shapes {extra}: no such file or directory")
    return project + (sorted(extra.glob("*.ttl")) if extra.is_dir() else [extra])


def _map_and_validate(
    job: Job, workers: int, writer: Writer | None, on_progress: Callable[[int, int], None] | None
) -> dict[str, list[FieldError]]:
    """Map and validate every batch, loading each into the new version as it comes."""
    failed: dict[str, list[FieldError]] = {}
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, len(job.records))

    stream = writer.stream() if writer is not None else None
    ledger = writer.open_ledger() if writer is not None else None
    try:
        for batch in produce(job, workers, progress):
            failed.update(batch.errors)
            if stream is not None and ledger is not None and not failed:
                stream.write(batch.ntriples)
                ledger.write(batch.ledger)
        if stream is not None and not failed:  # they count the whole catalogue: once every batch is in
            mapper = job.mapper
            for section in statistics_sections(mapper.iris, mapper.reg, job.records):
                for start in range(0, len(section), STATISTICS_CHUNK):
                    stream.write(as_ntriples(section[start:start + STATISTICS_CHUNK]).encode("utf-8"))
    finally:
        if ledger is not None:
            ledger.close()
        if stream is not None:
            stream.close()
    return failed


def _reject(
    catalogue: Catalogue, records: list[Record], failed: dict[str, list[FieldError]], report: BuildReport
) -> list[Record]:
    """Drop the records SHACL rejected; a rejected record never replaces what was published."""
    for record in records:
        if record.id not in failed:
            continue
        report.rejections.append(
            Rejection(record.source, record.line, tuple(failed[record.id]), record.raw or record_content(record))
        )
        before = catalogue.published_before.get(record.id)
        _uncount(report, catalogue.entries[record.id], before)
        if before is not None and before.record is not record:
            catalogue.entries[record.id] = before
        else:
            del catalogue.entries[record.id]
    return [catalogue.entries[k].record for k in sorted(catalogue.entries)]


def _check_description(description: list[str], shapes: Shapes, dataset: str) -> None:
    """The publisher writes the dataset's description itself: a violation there is a bug."""
    problems = [p for p in validate(as_ntriples(description), shapes) if p.focus.startswith(dataset)]
    if problems:
        raise PublisherError("the dataset description does not conform (a bug): " + "; ".join(p.message for p in problems))


def _uncount(report: BuildReport, current: LedgerEntry, before: LedgerEntry | None) -> None:
    """A record SHACL rejected was not new, replaced or unchanged after all."""
    if before is None:
        report.new -= 1
    elif current.digest == before.digest:
        report.unchanged -= 1
    else:
        report.replaced -= 1


def _describe(
    writer: Writer,
    shapes: Shapes,
    mapper: Mapper,
    records: list[Record],
    catalogue: Catalogue,
    settings: Settings,
    now: str,
    report: BuildReport,
) -> None:
    """Add the dataset's description with its counts, the ledger and the manifest."""
    reg = mapper.reg
    counts = {
        SCHEMA + "VideoObject": len(records),
        SCHEMA + "Person": len(reg.people),
        SCHEMA + "Organization": len(reg.institutions),
        SKOS + "Concept": len(reg.themes),
    }
    triples = writer.count()
    links = Counter(k for p in reg.people.values() for k in p.ids) + Counter(k for o in reg.institutions.values() for k in o.ids)
    facts = DatasetFacts(settings.title, settings.license, now, triples, counts, records[0].id if records else None,
                         dict(links))
    description = dataset_triples(mapper.iris, facts)
    _check_description(description, shapes, mapper.iris.dataset)
    writer.load(as_ntriples(description))
    report.triples = triples + len(description)
    entities, removed = advance_entities(catalogue.entities, catalogue.removed, entity_digests(mapper), now)
    writer.save_entities(entities)
    writer.finish(
        Manifest(
            version=writer.path.name,
            created=now,
            base=settings.base,
            triples=report.triples,
            counts={k.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: v for k, v in counts.items()},
            withdrawn=catalogue.withdrawn,
            removed=removed,
            institutions=[asdict(r) for r in catalogue.institutions.values()],
            people=[asdict(r) for r in catalogue.people.values()],
        )
    )
