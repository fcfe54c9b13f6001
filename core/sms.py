"""SMS backends. ``settings.SMS_BACKEND`` names the class; a provider's backend implements
``send(mobile, text)`` and raises SmsError on failure."""
import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("core.sms")

# Messages "sent" by LocmemSmsBackend, for tests (like django.core.mail.outbox).
outbox: list[tuple[str, str]] = []


class SmsError(Exception):
    """The provider did not accept the message; it may succeed on a later attempt."""


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, mobile: str, text: str) -> None:
        """Deliver ``text`` to ``mobile`` or raise SmsError."""


class LoggingSmsBackend(BaseSmsBackend):
    """Writes each message to the log instead of sending it (the default without a provider)."""

    def send(self, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mobile, text)


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, mobile: str, text: str) -> None:
        outbox.append((mobile, text))


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(mobile: str, text: str) -> None:
    get_sms_backend().send(mobile, f"{settings.SMS_SIGNATURE}{text}")
