"""Settings shared by every profile, read from the environment (django-environ).

With nothing set, the portal runs on SQLite under ``var/`` with an embedded Celery broker
(kombu's filesystem transport), so a fresh machine needs no server. ``DATABASE_URL`` and
``REDIS_URL`` switch to PostgreSQL and Redis (broker and cache).
"""
from pathlib import Path

import environ
import xstatic.pkg.bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
# Seals what the database must hold but its readers must not read (ballots before the count,
# a draw's seed before the draw; core.sealing). Empty: derived from SECRET_KEY. Set it apart
# in production so SECRET_KEY can be rotated without losing what is sealed.
SEALING_KEY = env.str("SEALING_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "django_fsm_log",
    "import_export",
    "csp",
    "django_prose_editor",
    "solo",
    # Project apps, lowest layer first (see ARCHITECTURE.md).
    *(PROJECT_APPS := ["core", "accounts", "payments", "membership", "evaluation", "education", "purchasing", "experts", "portal"]),
]

MIDDLEWARE = [
    "core.fragments.TableReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.ImportMapHashMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "portal.context_processors.chrome",
            ],
            # {% url %} reverses fixed addresses once per process (core.templatetags.urls).
            "builtins": ["core.templatetags.urls"],
        },
    },
]
# Every form, ours and allauth's, renders Bootstrap markup with errors at the field.
FORM_RENDERER = "core.forms.BootstrapFormRenderer"

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for locks instead of failing, and take the
    # write lock at BEGIN so two writers never deadlock on an upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -----------------------------------------------------------------
FRAGMENT_CACHE = False
# At most this long is a kept page part trusted when its sources changed unseen (a Redis
# outage, an edit made outside Django).
FRAGMENT_CACHE_SECONDS = 300
# Visitors' whole-page caches (portal.cache, fragments.kept_public_page). Off only to measure
# what a page nobody asked for before costs (the benchmark's "never asked before" rows).
VISITOR_PAGE_CACHE = env.bool("VISITOR_PAGE_CACHE", default=True)
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # django-redis answers a miss (and logs) when Redis is unreachable, so pages keep serving
    # from the database during a cache outage; rate limits fail open for that time.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    # Rate-limit counters go to Redis while it answers and to each process's memory while it
    # does not (core.limits_cache): an outage neither locks everyone out nor lifts the limits.
    CACHES["limits-shared"] = {**CACHES["default"], "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}}
    CACHES["limits"] = {"BACKEND": "core.limits_cache.FailoverCache", "LOCATION": "limits",
                        "OPTIONS": {"PRIMARY": "limits-shared"}}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions are read from Redis on every signed-in request and written through to the
    # database, so a cache outage or flush signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Signed-in pages keep their bodies until a table they were built from is written
    # (core.fragments); that needs the counter Redis shares between every process.
    # Off only to measure pages as built after a write (the benchmark's rows).
    FRAGMENT_CACHE = env.bool("FRAGMENT_CACHE", default=True)
else:
    # A file cache is shared by all processes on the machine, so login rate limits hold
    # across web workers even without Redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CACHES["limits"] = CACHES["default"]

# --- Celery ---------------------------------------------------------------------------
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# A task is killed after 5 minutes. Work that must happen after a commit is also an outbox
# row (core.outbox): a scanner re-queues what is still pending after OUTBOX_RETRY_MINUTES,
# so a killed worker delays it by minutes, not by the broker's visibility timeout. The
# visibility timeout stays above the longest task and the longest retry backoff, so Redis
# never hands a task that is still running (or waiting to retry) to a second worker.
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
TASK_RETRY_BACKOFF_MAX = 300
TASK_MAX_RETRIES = 5
OUTBOX_RETRY_MINUTES = 6
CELERY_BROKER_VISIBILITY_TIMEOUT = 15 * 60
# Publishing to a broker that is down fails fast; the outbox row keeps the work.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
else:
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "deadline-scan": {
        "task": "core.tasks.run_deadline_scanners",
        "schedule": 60.0,
    },
}

# --- Accounts and sessions ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# allauth's backend, keeping the signed-in account between requests (accounts.backends).
AUTHENTICATION_BACKENDS = ["accounts.backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"

# Login by mobile (the user model's username field) or email, with a password. Accounts
# are created by the join wizard and by staff, not by allauth's open sign-up.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = "mobile"
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_RATE_LIMITS = {
    # Five wrong passwords for one account in five minutes, or twenty from one address in
    # a minute, lock further attempts until the window passes.
    "login_failed": "20/m/ip,5/300s/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
# Behind a reverse proxy, per-address limits (allauth's and the portal's own, which ask
# allauth's adapter for the address) must key on the client, not on the proxy: the
# client is the entry that this many trusted proxies appended to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Rate limits of anonymous forms (django-ratelimit) and of signing in (allauth, pointed there by
# accounts.apps) count in the limits cache.
RATELIMIT_USE_CACHE = "limits"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False

# Idle timeout: the session expires after this many seconds without a request
# (core.middleware.SessionIdleTimeoutMiddleware refreshes it every few minutes of activity).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and private files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
# Uploads live outside the web root and have no public URL: they are served only by
# core.downloads after the owning object says the user may see them.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
# No URL pattern serves this prefix: it exists only because Django requires one.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Private files on S3-compatible object storage (Aliyun OSS, Tencent COS, MinIO, SeaweedFS) when
# set: s3://ACCESS_KEY:SECRET_KEY@host[:port]/bucket?region=cn-hangzhou&scheme=https. The bucket
# stays private; a download is answered, after the permission check, by a redirect to a URL
# signed for PRIVATE_URL_SECONDS (core.downloads).
# WeChat sign-in for existing accounts (config/settings/wechat.py); off without the keys: the
# website application's for the QR code on desktops, the official account's inside WeChat.
WECHAT_LOGIN = False
WECHAT_LOGIN_PROVIDERS: list[str] = []
WECHAT_LOGIN_APP_ID = env.str("WECHAT_LOGIN_APP_ID", default="")
WECHAT_LOGIN_APP_SECRET = env.str("WECHAT_LOGIN_APP_SECRET", default="")
WECHAT_MP_APP_ID = env.str("WECHAT_MP_APP_ID", default="")
WECHAT_MP_APP_SECRET = env.str("WECHAT_MP_APP_SECRET", default="")
WECHAT_API_BASE = env.str("WECHAT_API_BASE", default="https://api.weixin.qq.com")
_website = (WECHAT_LOGIN_APP_ID, WECHAT_LOGIN_APP_SECRET) if WECHAT_LOGIN_APP_ID and WECHAT_LOGIN_APP_SECRET else None
_official = (WECHAT_MP_APP_ID, WECHAT_MP_APP_SECRET) if WECHAT_MP_APP_ID and WECHAT_MP_APP_SECRET else None
if _website or _official:
    from .wechat import wechat_login

    _wechat = wechat_login(website=_website, official_account=_official)
    globals().update(_wechat)
    INSTALLED_APPS += _wechat["WECHAT_APPS"]

PRIVATE_STORAGE_URL = env.str("PRIVATE_STORAGE_URL", default="")
PRIVATE_URL_SECONDS = env.int("PRIVATE_URL_SECONDS", default=60)
if PRIVATE_STORAGE_URL:
    from .storage import s3_storage

    STORAGES["default"] = s3_storage(PRIVATE_STORAGE_URL, expire=PRIVATE_URL_SECONDS)
# Set to a location nginx serves as ``internal`` (e.g. "/protected/") to hand file bodies
# to the web server after the permission check.
PRIVATE_MEDIA_X_ACCEL_PREFIX = env.str("PRIVATE_MEDIA_X_ACCEL_PREFIX", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# 对照标准上传材料 posts every item's files in one form: the star standard has 64 items, and two
# or three files an item is common. A page over this is stopped in the browser before sending
# (data-max-files, static/js/portal.js), and the server's refusal is the site's Chinese 400.
DATA_UPLOAD_MAX_NUMBER_FILES = 400
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Email and SMS --------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if not env.str("EMAIL_URL", default=""):
    # Without a mail server: each email kept whole under var/emails/, one line in the log.
    EMAIL_BACKEND = "core.mail.KeptEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="中国非公立医疗机构协会 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env.str("SMS_BACKEND", default="core.sms.LoggingSmsBackend")
SMS_SIGNATURE = env.str("SMS_SIGNATURE", default="【中国非公立医疗机构协会】")
# Template providers (core.sms_providers): the approved sign name, the template per notification
# (a JSON object: {"member_certificate": {"code": "SMS_123", "params": {"no": "{{ term.certificate_no }}"}}}),
# and each provider's keys. Nothing is needed for the default, which writes SMS to the log.
SMS_SIGN_NAME = env.str("SMS_SIGN_NAME", default="中国非公立医疗机构协会")
SMS_TEMPLATES = env.json("SMS_TEMPLATES", default={})
SMS_ALIYUN_ACCESS_KEY_ID = env.str("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env.str("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_ENDPOINT = env.str("SMS_ALIYUN_ENDPOINT", default="dysmsapi.aliyuncs.com")
SMS_TENCENT_SECRET_ID = env.str("SMS_TENCENT_SECRET_ID", default="")
SMS_TENCENT_SECRET_KEY = env.str("SMS_TENCENT_SECRET_KEY", default="")
SMS_TENCENT_SDK_APP_ID = env.str("SMS_TENCENT_SDK_APP_ID", default="")
SMS_TENCENT_REGION = env.str("SMS_TENCENT_REGION", default="ap-guangzhou")
SMS_TENCENT_ENDPOINT = env.str("SMS_TENCENT_ENDPOINT", default="sms.tencentcloudapi.com")
SMS_PROVIDER_TIMEOUT = env.int("SMS_PROVIDER_TIMEOUT", default=10)

# --- Security -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline style attributes (Django admin, WeasyPrint previews) are harmless enough;
        # scripts stay strictly same-origin.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Exports need the per-model "export_<model>" permission (and the view permission; see
# core.admin_exports), granted to roles explicitly.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# --- Project --------------------------------------------------------------------------
SITE_NAME = env.str("SITE_NAME", default="中国非公立医疗机构协会口腔分会")
SITE_ICP = env.str("SITE_ICP", default="京ICP备00000000号")
SITE_CONTACT = env.str("SITE_CONTACT", default="联系电话：010-00000000　地址：北京市")
# The public address used in emails, SMS and QR codes (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEMO_DATA_ALLOWED = False
# Upper bound for any single upload; fields narrow it further.
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_IMAGE_PIXELS = 40_000_000

# --- Payments -------------------------------------------------------------------------
# The sandbox plays WeChat Pay's side with local keys (demo and tests); production sets
# WECHATPAY_SANDBOX=false and the merchant's real credentials below.
WECHATPAY_SANDBOX = env.bool("WECHATPAY_SANDBOX", default=False)
WECHATPAY = {
    "MCHID": env.str("WECHATPAY_MCHID", default=""),
    "APPID": env.str("WECHATPAY_APPID", default=""),
    "APIV3_KEY": env.str("WECHATPAY_APIV3_KEY", default=""),
    "MERCHANT_PRIVATE_KEY": env.str("WECHATPAY_MERCHANT_PRIVATE_KEY", default="", multiline=True),
    "MERCHANT_SERIAL_NO": env.str("WECHATPAY_MERCHANT_SERIAL_NO", default=""),
    "PLATFORM_PUBLIC_KEY": env.str("WECHATPAY_PLATFORM_PUBLIC_KEY", default="", multiline=True),
    "PLATFORM_PUBLIC_KEY_ID": env.str("WECHATPAY_PLATFORM_PUBLIC_KEY_ID", default=""),
}
WECHATPAY_NOTIFY_URL = env.str("WECHATPAY_NOTIFY_URL", default=f"{SITE_URL}/payments/wechat/notify/")
# Native orders unpaid this long are queried at WeChat (in case a notification was lost).
WECHATPAY_QUERY_AFTER_MINUTES = env.int("WECHATPAY_QUERY_AFTER_MINUTES", default=5)
ORDER_EXPIRE_HOURS = env.int("ORDER_EXPIRE_HOURS", default=72)
INVOICE_DUE_WORKING_DAYS = 5
# Official documents (payments.invoicing): which fee gets which (a payable "app_label.model" →
# "e_invoice" for a 数电发票 through the provider, "dues_receipt" for a 社会团体会费票据 that
# finance records from the 财政电子票据 platform; anything unlisted gets a 数电发票), the
# provider backend, and each payable's tax classification code and rate ("*" for the rest) as
# the association's tax office agreed them.
INVOICE_DOCUMENTS = env.json("INVOICE_DOCUMENTS", default={"membership.member": "dues_receipt"})
INVOICE_ITEMS = env.json("INVOICE_ITEMS", default={"*": {"goods_code": "3049900000000000000", "tax_rate": "0.06"}})
INVOICE_BACKEND = env.str("INVOICE_BACKEND", default="payments.invoicing.nuonuo.NuonuoBackend")
# The sandbox plays 诺诺开放平台 offline (demo, tests); production sets INVOICE_SANDBOX=false and
# the app's credentials from 诺诺开放平台 (自用型应用: appKey, appSecret, accessToken).
INVOICE_SANDBOX = env.bool("INVOICE_SANDBOX", default=False)
INVOICE_NUONUO = {
    "URL": env.str("INVOICE_NUONUO_URL", default="https://sdk.nuonuo.com/open/v1/services"),
    "APP_KEY": env.str("INVOICE_NUONUO_APP_KEY", default=""),
    "APP_SECRET": env.str("INVOICE_NUONUO_APP_SECRET", default=""),
    "ACCESS_TOKEN": env.str("INVOICE_NUONUO_ACCESS_TOKEN", default=""),
    "SELLER_TAX_NUM": env.str("INVOICE_SELLER_TAX_NUM", default=""),
    "SELLER_NAME": env.str("INVOICE_SELLER_NAME", default="中国非公立医疗机构协会"),
    "SELLER_ADDRESS": env.str("INVOICE_SELLER_ADDRESS", default=""),
    "SELLER_PHONE": env.str("INVOICE_SELLER_PHONE", default=""),
    "SELLER_ACCOUNT": env.str("INVOICE_SELLER_ACCOUNT", default=""),
    "CLERK": env.str("INVOICE_CLERK", default=""),
    "TIMEOUT": env.int("INVOICE_PROVIDER_TIMEOUT", default=15),
}
ASSOCIATION_BANK_ACCOUNT = {
    "name": env.str("BANK_ACCOUNT_NAME", default="中国非公立医疗机构协会"),
    "bank": env.str("BANK_NAME", default="中国工商银行北京某某支行"),
    "number": env.str("BANK_ACCOUNT_NUMBER", default="0200 0000 0000 0000 000"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refusal (403, 404, 400) is one line: its traceback says nothing an operator needs, and a
    # crawl would fill the log with them. Server errors keep theirs.
    "filters": {"refusals_in_one_line": {"()": "core.log_filters.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["refusals_in_one_line"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# On-site reviews (004 §10, §20): how many visits one expert may take per calendar year, and
# how many working days a drawn expert has to confirm or decline before the next reserve is asked.
EXPERT_VISITS_PER_YEAR = env.int("EXPERT_VISITS_PER_YEAR", default=8)
EXPERT_REPLY_WORKING_DAYS = env.int("EXPERT_REPLY_WORKING_DAYS", default=2)
