"""The Celery application shared by the worker, beat and the web process.

Its configuration lives in Django settings under the ``CELERY_`` prefix; tasks are
discovered in each installed app's ``tasks.py``. Celery's Django integration makes
``DjangoTask`` the base class, so every task has ``delay_on_commit``.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
