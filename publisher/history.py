"""When each published person, institution and theme was first published and last changed.

Their times are carried from version to version like the records' (for the change feed at
/changes): an IRI new, or back after a removal, is created at the build's time; one whose own
statements differ from the previous version's is modified then; one no longer published is
removed then.
"""

from __future__ import annotations

import hashlib

from publisher.mapping import Mapper
from publisher.store.ledger import EntityTimes
from publisher.terms import iri


def entity_digests(mapper: Mapper) -> dict[str, str]:
    """Each person, institution and theme IRI -> a digest of its own statements."""
    scheme = iri(mapper.iris.scheme)
    digests = {}
    for triples in mapper.entities():
        subject = triples[0].split(" ", 1)[0]
        if subject != scheme:
            digests[subject[1:-1]] = hashlib.sha256("\n".join(sorted(triples)).encode("utf-8")).hexdigest()[:32]
    return digests


def advance_entities(
    before: dict[str, EntityTimes], removed: dict[str, str], digests: dict[str, str], now: str
) -> tuple[dict[str, EntityTimes], dict[str, str]]:
    """The entities' times and the removed IRIs' removal times once `digests` are published."""
    after = {}
    for entity, digest in digests.items():
        old = before.get(entity)
        if old is None:
            after[entity] = EntityTimes(now, now, digest)
        else:
            after[entity] = EntityTimes(old.created, old.modified if old.digest == digest else now, digest)
    gone = {entity: when for entity, when in removed.items() if entity not in after}
    gone.update((entity, now) for entity in before if entity not in after)
    return after, gone
