"""Run the same call from several threads at once, each on its own database connection."""
import threading

import pytest
from django.db import connection


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (CI runs on PostgreSQL)")


def at_once(call, times: int) -> list:
    """Start ``times`` threads that call ``call()`` together; return each result or exception."""
    barrier = threading.Barrier(times)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(call())
        except Exception as exc:  # collected for the test to inspect
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
