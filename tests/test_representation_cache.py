"""The per-process cache of representations stays within its byte budget."""

from __future__ import annotations

from publisher.web.http import RepresentationCache, make_representation
from publisher.web.media import TURTLE


def test_cache_is_bounded_by_bytes_and_recent_first() -> None:
    cache = RepresentationCache(budget=1000, max_body=400)
    made: list[str] = []

    def maker(name: str, size: int):
        def make():
            made.append(name)
            return make_representation(b"x" * size, TURTLE)
        return make

    for n in range(5):
        cache.get_or_make(("v", f"/r{n}", "turtle"), maker(f"r{n}", 300))
    assert cache.size <= 1000
    cache.get_or_make(("v", "/r4", "turtle"), maker("again", 300))
    assert "again" not in made  # still cached
    cache.get_or_make(("v", "/r0", "turtle"), maker("r0-again", 300))
    assert "r0-again" in made  # evicted, made again
    cache.get_or_make(("v", "/big", "turtle"), maker("big", 500))
    cache.get_or_make(("v", "/big", "turtle"), maker("big-again", 500))
    assert "big-again" in made  # too big to keep


def test_etag_is_a_strong_hash_of_the_bytes() -> None:
    assert make_representation(b"a", TURTLE).etag == make_representation(b"a", TURTLE).etag
    assert make_representation(b"a", TURTLE).etag != make_representation(b"b", TURTLE).etag


def test_a_cache_without_budget_keeps_nothing() -> None:
    cache = RepresentationCache(budget=0, max_body=0)
    made: list[int] = []

    def make():
        made.append(1)
        return make_representation(b"", TURTLE)

    cache.get_or_make(("v", "/r", "turtle"), make)
    cache.get_or_make(("v", "/r", "turtle"), make)
    assert len(made) == 2 and cache.size == 0
