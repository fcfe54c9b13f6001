"""Test profile: the same services as the environment names (PostgreSQL and Redis in CI),
with fast hashing, in-memory mail and SMS outboxes, and tasks run in-process."""
import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, INSTALLED_APPS, REDIS_URL, STORAGES, VAR_DIR
from .wechat import wechat_login

# WeChat sign-in on, against a local stand-in of WeChat's API (tests/accounts/test_wechat_login.py).
_wechat = wechat_login(website=("wx-test-app", "wx-test-secret"), official_account=("wx-test-mp", "wx-mp-secret"))
globals().update(_wechat)
INSTALLED_APPS = [*INSTALLED_APPS, *_wechat["WECHAT_APPS"]]

DEBUG = False
SECRET_KEY = "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DEMO_DATA_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "core.sms.LocmemSmsBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"

if REDIS_URL:
    # One prefix per pytest-xdist worker: tests that clear rate-limit counters never reach
    # into another worker's.
    CACHES["default"]["KEY_PREFIX"] = "portal-test" + os.environ.get("PYTEST_XDIST_WORKER", "")
    CACHES["limits-shared"]["KEY_PREFIX"] = CACHES["default"]["KEY_PREFIX"]
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CACHES["limits"] = CACHES["default"]
# One process per run, so the in-memory cache's counter is shared by every writer and reader.
FRAGMENT_CACHE = True

PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
}
WECHATPAY_SANDBOX = True
INVOICE_SANDBOX = True
WECHATPAY_NOTIFY_URL = "http://testserver/payments/wechat/notify/"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: browser tests run the site in another thread with its own connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
