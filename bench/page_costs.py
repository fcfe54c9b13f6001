"""Measure queries and time per request for pages at growing data sizes."""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="portal-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from core.models import Message  # noqa: E402

SIZES = (10, 100, 1000)
REPEAT = 20


def measure(client: Client, url: str) -> tuple[int, float]:
    reset_queries()  # the capture counts by the log's length, which is capped at 9000
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return len(queries), statistics.median(timings)



def main() -> None:
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(mobile="13700000000", defaults={"email": "bench@example.cn"})
    user.set_password("bench-password-1")
    user.save()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    print(f"{'page':<12}{'rows':>8}{'queries':>10}{'median ms':>12}")
    for size in SIZES:
        missing = size - Message.objects.filter(recipient=user).count()
        Message.objects.bulk_create(Message(recipient=user, subject=f"消息 {i}", body="内容") for i in range(missing))
        for name, url in (("home", "/"), ("inbox", "/messages/")):
            count, median = measure(client, url)
            print(f"{name:<12}{size:>8}{count:>10}{median:>12.1f}")


if __name__ == "__main__":
    main()
