"""Each settings profile is loaded in a fresh interpreter with exactly the environment
a deployment would give it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
    "tz": settings.TIME_ZONE,
    "lang": settings.LANGUAGE_CODE,
    "i18n": settings.USE_I18N,
    "email": settings.EMAIL_BACKEND,
    "sms": settings.SMS_BACKEND,
    "media": str(settings.PRIVATE_MEDIA_ROOT),
}))
"""


def _run(args, profile, tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"} and not k.startswith("DJANGO_")}
    clean.update({"DJANGO_SETTINGS_MODULE": f"config.settings.{profile}", "PORTAL_VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def _probe(profile, tmp_path, **env):
    result = _run(["-c", PROBE], profile, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_nothing_set_the_portal_needs_no_server(tmp_path):
    conf = _probe("dev", tmp_path)
    assert conf["engine"] == "django.db.backends.sqlite3"
    assert conf["broker"] == "filesystem://"
    assert conf["cache"].endswith("FileBasedCache")
    assert conf["email"] == "core.mail.KeptEmailBackend"  # kept under var/emails/, one log line each
    assert conf["sms"] == "core.sms.LoggingSmsBackend"
    assert conf["media"].startswith(str(tmp_path))
    assert (conf["tz"], conf["lang"], conf["i18n"]) == ("Asia/Shanghai", "zh-hans", True)
    assert (tmp_path / "broker" / "queue").is_dir()


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    conf = _probe("dev", tmp_path, DATABASE_URL="postgres://portal@db.example:5432/portal",
                  REDIS_URL="redis://cache.example:6379/1")
    assert conf["engine"] == "django.db.backends.postgresql"
    assert conf["broker"] == "redis://cache.example:6379/1"
    assert conf["cache"] == "django_redis.cache.RedisCache"


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k9$Vq2!rT7wLp4zX8mN1bC6dF3gH5jK0sA2eR7tY9uI4oP6lZ8xQ1vB3nM5",
    "DJANGO_ALLOWED_HOSTS": "portal.example.cn",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_production_profile_passes_check_deploy_with_nothing_reported(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], "production", tmp_path, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _run(["manage.py", "check"], "production", tmp_path, **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_serves_uploads_through_nginx_after_the_check(tmp_path):
    probe = "import django; from django.conf import settings; django.setup(); print(settings.PRIVATE_MEDIA_X_ACCEL_PREFIX, settings.DEBUG, settings.STORAGES['default']['OPTIONS']['base_url'])"
    result = _run(["-c", probe], "production", tmp_path, **PRODUCTION_ENV)
    assert result.stdout.split() == ["/protected/", "False", "None"]


@pytest.mark.django_db
def test_every_response_carries_a_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_its_database_or_redis(tmp_path, missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _run(["manage.py", "check"], "production", tmp_path, **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_make_run_on_another_port_gives_every_process_that_sites_address():
    result = subprocess.run(["make", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    honcho = next(line for line in result.stdout.splitlines() if "honcho start" in line)
    assert 'SITE_URL="http://127.0.0.1:8101"' in honcho and "PORT=8101" in honcho


def test_the_site_url_setting_names_the_notify_url_it_derives(tmp_path):
    probe = "import django; from django.conf import settings; django.setup(); print(settings.WECHATPAY_NOTIFY_URL)"
    result = _run(["-c", probe], "dev", tmp_path, SITE_URL="http://127.0.0.1:8101")
    assert result.stdout.strip().endswith("http://127.0.0.1:8101/payments/wechat/notify/")


def test_gunicorn_as_configured_does_not_name_itself_in_a_server_header():
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                               "tests.config.hello_wsgi:app"], cwd=root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                    headers, body = response.headers, response.read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not come up")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert body == b"ok" and "Date" in headers and "Server" not in headers
