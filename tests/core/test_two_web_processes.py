"""Two web processes on one PostgreSQL, one Redis and one S3 server (as `make run-cluster`
starts them): a licence uploaded through the first downloads through the second."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse

from purchasing.models import Licence
from purchasing.suppliers.tests.helpers import application_fields
from tests import s3_server
from tests.accounts.factories import UserFactory
from tests.concurrency import needs_postgresql
from tests.core.files import pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _web(port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"http://127.0.0.1:{port}/livez", timeout=2)
            return process
        except requests.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"the web process on {port} did not start") from None
            time.sleep(0.3)


def _session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY], store[HASH_SESSION_KEY] = str(user.pk), user.get_session_auth_hash()
    store[BACKEND_SESSION_KEY] = "accounts.backends.AuthenticationBackend"
    store.create()
    return store.session_key


def test_a_file_uploaded_through_one_web_process_downloads_through_the_other():
    needs_postgresql()
    database = connection.settings_dict
    with s3_server.seaweedfs() as s3:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "PRIVATE_STORAGE_URL": s3.url,
               "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
                               f"/{database['NAME']}",
               "REDIS_URL": settings.REDIS_URL, "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
               "DJANGO_DEBUG": "false",
               "DJANGO_SECRET_KEY": settings.SECRET_KEY, "SEALING_KEY": "two-processes-test"}
        ports = [s3_server._free_port(), s3_server._free_port()]
        first, second = (_web(port, env) for port in ports)
        try:
            user = UserFactory()
            browser = requests.Session()
            browser.cookies.set(settings.SESSION_COOKIE_NAME, _session_cookie(user))
            apply_url = f"http://127.0.0.1:{ports[0]}/purchasing/supplier/apply/"
            page = browser.get(apply_url, timeout=10).text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
            files = {"business_file": ("营业执照.pdf", pdf_bytes(), "application/pdf"),
                     "device_permit_file": ("许可证.pdf", pdf_bytes(), "application/pdf")}
            sent = browser.post(apply_url, data={**application_fields(), "csrfmiddlewaretoken": token}, files=files,
                                headers={"Referer": apply_url}, allow_redirects=False, timeout=20)
            assert sent.status_code == 302, sent.text[:2000]
            licence = Licence.objects.get(supplier__user=user, kind="business")
            path = reverse("core:download", args=["purchasing.licence", licence.pk, "file"])
            download = browser.get(f"http://127.0.0.1:{ports[1]}{path}", allow_redirects=False, timeout=10)
            assert download.status_code == 302 and download.headers["Location"].startswith(s3.endpoint)
            assert requests.get(download.headers["Location"], timeout=10).content == pdf_bytes()
        finally:
            for process in (first, second):
                process.terminate()
                process.wait(timeout=20)
