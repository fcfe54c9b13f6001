"""Production profile: DEBUG off, HTTPS only, secrets and hosts from the environment.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), REDIS_URL.
``manage.py check --deploy`` reports nothing for this profile (tests/config).
"""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES, env

# The fresh-machine fallbacks (SQLite, a file cache, the filesystem broker) are for
# development only: production refuses to start rather than run on them.
for _required in ("DATABASE_URL", "REDIS_URL"):
    if not env.str(_required, default=""):
        raise ImproperlyConfigured(f"The production profile needs {_required} (PostgreSQL / Redis).")

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# gunicorn serves the collected, hashed static files itself; nginx may cache them.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "core.static_files.KeptAddressesStaticFilesStorage"},
}
PRIVATE_MEDIA_X_ACCEL_PREFIX = env.str("PRIVATE_MEDIA_X_ACCEL_PREFIX", default="/protected/")
