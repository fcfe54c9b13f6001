"""Queries and milliseconds per request for every benchmarked page at two data sizes.

    .venv/bin/python bench/page_costs.py

Seeds (once; later runs top up) a database of 1,000 institutions and one of 100,000 (the one
``make bench`` uses) on the machine's PostgreSQL and Redis, then requests each page in one
Django process under the production settings: as built (after any change behind it) and as
kept (served again with nothing changed). A page's query counts must be the same at both sizes;
the suite's tests/core/test_page_queries.py holds the signed-in ones to that.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ENV, page_costs, prepare  # noqa: E402

SIZES = (1_000, 100_000)


def main() -> None:
    measured = {}
    for size in SIZES:
        env = {**ENV, **_stores(size)}
        pages, logins = prepare(env, size)
        measured[size] = page_costs(env, pages[1:], logins)  # the bare view runs no query
    small, large = (measured[size] for size in SIZES)
    print(f"\n| page | queries built ({SIZES[0]:,} / {SIZES[1]:,}) | queries kept | ms built | ms kept |")
    print("| --- | ---: | ---: | ---: | ---: |")
    changed = []
    for name in large:
        (built_s, kept_s, ms_built_s, ms_kept_s), (built_l, kept_l, ms_built_l, ms_kept_l) = small[name], large[name]
        if (built_s, kept_s) != (built_l, kept_l):
            changed.append(name)
        print(f"| {name} | {built_s} / {built_l} | {kept_s} / {kept_l} | {ms_built_s:.1f} / {ms_built_l:.1f} "
              f"| {ms_kept_s:.1f} / {ms_kept_l:.1f} |")
    if changed:
        raise SystemExit(f"\nQuery counts grew with the data: {', '.join(changed)}")


def _stores(size: int) -> dict:
    """The largest size is make bench's database and cache; a smaller one has its own of each
    (kept values are per row id, which two databases share)."""
    if size == SIZES[-1]:
        return {}
    return {"DATABASE_URL": f"{ENV['DATABASE_URL']}_{size}", "REDIS_URL": ENV["REDIS_URL"].rsplit("/", 1)[0] + "/3"}


if __name__ == "__main__":
    main()
