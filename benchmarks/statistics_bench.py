"""Time the statistics step of a build alone: `statistics()` and its N-Triples text, on a catalogue.

Reads the catalogue and resolves its registry as a build does, then times
`publisher.statistics.statistics` (best of RUNS) and counts the triples it adds.

    .venv/bin/python benchmarks/statistics_bench.py bench-out/catalogue-100000 [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from publisher.build import BuildReport, Catalogue, _apply, now_utc  # noqa: E402
from publisher.entities import resolve  # noqa: E402
from publisher.mapping import as_ntriples  # noqa: E402
from publisher.records import read_inputs  # noqa: E402
from publisher.statistics import statistics  # noqa: E402
from publisher.terms import Iris  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("catalogue", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base", default="http://localhost:5000/")
    args = parser.parse_args()
    read = read_inputs([args.catalogue])
    catalogue = Catalogue({}, {}, {}, {}, {})
    _apply(catalogue, read, now_utc(), BuildReport())
    records = [catalogue.entries[k].record for k in sorted(catalogue.entries)]
    registry = resolve(records, catalogue.institutions, catalogue.people)
    times, text_times = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        lines = statistics(Iris(args.base), registry, records)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        as_ntriples(lines)
        text_times.append(time.perf_counter() - start)
    print(f"{len(records):,} records: statistics() best {min(times):.2f} s, N-Triples text best {min(text_times):.2f} s, "
          f"{len(lines):,} triples")


if __name__ == "__main__":
    main()
