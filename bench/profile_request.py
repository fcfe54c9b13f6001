"""Where a signed-in request's time goes: the page is requested through the whole stack
(middleware, session, context processors, view, templates) under the production settings on
the benchmark's database, many times under cProfile, and the top entries are printed.

    .venv/bin/python bench/profile_request.py /member/ 13900000005 [requests]
    .venv/bin/python bench/profile_request.py "/search/?q=广州义诊" - 200 fresh

``-`` profiles a visitor. ``fresh`` turns the visitors' page caches off (VISITOR_PAGE_CACHE), so
every request is built: the cost of a search nobody has run yet.

Run ``make bench`` once first: it creates and seeds the database this reads.
"""
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import ENV  # noqa: E402

os.environ.update({key: value for key, value in ENV.items() if key not in os.environ or key == "DJANGO_SETTINGS_MODULE"})

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402


def profile(path: str, mobile: str | None, requests: int = 200, fresh: bool = False, top: int = 25) -> str:
    client = Client(HTTP_HOST="127.0.0.1")
    if mobile:
        client.force_login(get_user_model().objects.get(mobile=mobile))
    if fresh:
        settings.VISITOR_PAGE_CACHE = False
    paths = [path] * (20 + requests)
    for warm in paths[:20]:  # warm: templates compiled, caches filled, connections open
        assert client.get(warm).status_code == 200, warm
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for each in paths[20:]:
        client.get(each)
    profiler.disable()
    per_request = (time.perf_counter() - start) / requests * 1000
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return f"{path}: {per_request:.2f} ms per request under the profiler ({requests} requests)\n{out.getvalue()}"


if __name__ == "__main__":
    arguments = sys.argv[1:]
    print(profile(arguments[0], arguments[1] if len(arguments) > 1 and arguments[1] != "-" else None,
                  int(arguments[2]) if len(arguments) > 2 else 200, fresh="fresh" in arguments[3:]))
