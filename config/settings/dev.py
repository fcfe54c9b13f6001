"""Development profile: what ``make run`` uses on a fresh machine."""
from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="dev-only-secret-key-not-for-production-use-0123456789abcdef"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
DEMO_DATA_ALLOWED = True
WECHATPAY_SANDBOX = env.bool("WECHATPAY_SANDBOX", default=True)
INVOICE_SANDBOX = env.bool("INVOICE_SANDBOX", default=True)
