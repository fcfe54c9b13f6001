"""SMS backends. ``settings.SMS_BACKEND`` names the class.

A message is sent as an ``SmsMessage``: the text as the portal words it (what the log and the
local backends show) and, for a provider that sends only approved templates (Alibaba Cloud,
Tencent Cloud), the template's code and its parameters. Which provider template carries which
notification is configuration: ``settings.SMS_TEMPLATES`` maps a notification's name (its folder
under ``templates/notifications/``, or ``verification_code``) to ``{"code": ..., "params":
{name: "a Django template over the notification's context"}}``.

A backend raises ``SmsError`` when a later attempt may succeed (network, provider busy) and
``SmsRejected`` when it cannot (no template configured, a number or template the provider
refuses): the first is retried by the delivery task, the second recorded as failed at once.
"""
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.conf import settings
from django.template import Context, Engine
from django.utils.module_loading import import_string

logger = logging.getLogger("core.sms")

# Messages "sent" by LocmemSmsBackend, for tests (like django.core.mail.outbox).
outbox: list[tuple[str, str]] = []


class SmsError(Exception):
    """The provider did not accept the message; it may succeed on a later attempt."""


class SmsRejected(SmsError):
    """The message cannot be sent as it is (no template configured, refused by the provider)."""


@dataclass(frozen=True)
class SmsMessage:
    mobile: str
    text: str  # the portal's own wording, with the signature
    template: str = ""  # the notification's name
    params: dict = field(default_factory=dict)  # the provider template's parameters, rendered


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, message: SmsMessage) -> str:
        """Deliver the message or raise SmsError; returns the provider's message id ("" if none)."""


class LoggingSmsBackend(BaseSmsBackend):
    """Writes each message to the log instead of sending it (the default without a provider)."""

    def send(self, message: SmsMessage) -> str:
        logger.info("SMS to %s: %s", message.mobile, message.text)
        return ""


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> str:
        outbox.append((message.mobile, message.text))
        return ""


class TemplateSmsBackend(BaseSmsBackend):
    """What a template provider shares: the template code for the notification, or a refusal."""

    def template_code(self, message: SmsMessage) -> str:
        code = (settings.SMS_TEMPLATES.get(message.template) or {}).get("code")
        if not code:
            raise SmsRejected(f"SMS_TEMPLATES 中没有“{message.template}”的短信模板")
        return code


def template_params(template: str, context: dict) -> dict:
    """The provider template's parameters for a notification, rendered from its context (empty
    when no template is configured for it)."""
    spec = settings.SMS_TEMPLATES.get(template) or {}
    engine = Engine.get_default()
    return {name: engine.from_string(source).render(Context(context, autoescape=False)).strip()
            for name, source in (spec.get("params") or {}).items()}


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(mobile: str, text: str, *, template: str = "", params: dict | None = None) -> str:
    return get_sms_backend().send(SmsMessage(mobile=mobile, text=f"{settings.SMS_SIGNATURE}{text}", template=template,
                                             params=params or {}))
