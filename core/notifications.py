"""One service to tell someone something: by in-site message, email and SMS.

Texts come from templates under ``templates/notifications/<name>/``: ``subject.txt`` (one
line), ``body.txt`` (email and in-site message) and ``sms.txt``. A channel whose template is
missing is skipped, so a notification opts into SMS by having an ``sms.txt``.

The in-site message is written in the caller's transaction; emails and SMS become Delivery
rows sent by a Celery task after commit, each at most once.
"""
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone

from . import sms
from .deadlines import deadline_scanner
from .models import Delivery, Message
from .outbox import resend_stale, task_send
from .selectors import unread_count_forget, unread_counts_forget

logger = logging.getLogger(__name__)

SITE, EMAIL, SMS = "site", "email", "sms"
ALL_CHANNELS = (SITE, EMAIL, SMS)


class DeliveryError(Exception):
    """A send failed in a way that may succeed later (network, provider); retried."""


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mimetype: str = "application/pdf"


def _render(template: str, part: str, context: dict) -> str | None:
    # Plain text: no HTML autoescaping, or "&" in a unit's name would arrive as "&amp;".
    try:
        tpl = Engine.get_default().get_template(f"notifications/{template}/{part}.txt")
    except TemplateDoesNotExist:
        return None
    return tpl.render(Context({"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context},
                              autoescape=False)).strip()


def notification_send(
    *,
    template: str,
    context: dict,
    user=None,
    email: str | None = None,
    mobile: str | None = None,
    channels: Iterable[str] = ALL_CHANNELS,
    url: str = "",
    attachment: Attachment | None = None,
) -> Message | None:
    """Send the notification ``template`` to ``user`` (and/or explicit addresses).

    ``email``/``mobile`` override the user's own (e.g. a unit's contact person). Returns the
    in-site message, if one was written. Email and SMS go out after the surrounding
    transaction commits.
    """
    texts = _Texts.render(template, context, channels, url=url)
    email = email or (user.email if user else None)
    mobile = mobile or (user.mobile if user else None)
    message, deliveries = texts.rows(user, email=email, mobile=mobile)
    with transaction.atomic():
        if message is not None:
            if attachment:
                message.attachment_name = attachment.name
                message.attachment.save(attachment.name, ContentFile(attachment.content), save=False)
            message.save()
        for delivery in deliveries:
            if attachment and delivery.channel == Delivery.Channel.EMAIL:
                delivery.attachment_name = attachment.name
                delivery.attachment.save(attachment.name, ContentFile(attachment.content), save=False)
            delivery.save()
        _enqueue_after_commit(deliveries)
    logger.info("notification %s to user=%s: %d deliveries", template, getattr(user, "pk", None), len(deliveries))
    return message


def notification_send_many(*, template: str, context: dict, users: Iterable, channels: Iterable[str] = ALL_CHANNELS,
                           url: str = "") -> list[Message]:
    """Send the same notification ``template`` to each of ``users`` at their own addresses
    (a notice to everyone in a staff role): the texts are rendered once and the rows written
    together. Returns the in-site messages written."""
    texts = _Texts.render(template, context, channels, url=url)
    messages, deliveries = [], []
    for user in users:
        message, own = texts.rows(user, email=user.email, mobile=user.mobile)
        messages += [message] if message is not None else []
        deliveries += own
    with transaction.atomic():
        Message.objects.bulk_create(messages)  # no post_save: the unread counts are forgotten here
        unread_counts_forget([message.recipient_id for message in messages])
        Delivery.objects.bulk_create(deliveries)
        _enqueue_after_commit(deliveries)
    logger.info("notification %s to %d users: %d deliveries", template, len(messages), len(deliveries))
    return messages


@dataclass(frozen=True)
class _Texts:
    """A notification's texts for one context, and the rows that carry them to a recipient."""

    template: str
    channels: frozenset
    url: str
    subject: str
    body: str
    sms: str | None
    sms_params: dict

    @classmethod
    def render(cls, template: str, context: dict, channels: Iterable[str], *, url: str) -> "_Texts":
        channels = frozenset(channels)
        unknown = channels - set(ALL_CHANNELS)
        if unknown:
            raise ValueError(f"Unknown channels: {sorted(unknown)}")
        context = {"url": url, **context}  # every text may link to the page the message is about
        subject = _render(template, "subject", context)
        body = _render(template, "body", context)
        if subject is None or body is None:
            raise TemplateDoesNotExist(f"notifications/{template}/subject.txt and body.txt are required")
        sms_text = _render(template, "sms", context) if SMS in channels else None
        params = sms.template_params(template, context) if sms_text else {}
        return cls(template, channels, url, subject, body, sms_text, params)

    def rows(self, user, *, email: str | None, mobile: str | None) -> tuple[Message | None, list[Delivery]]:
        """The unsaved in-site message (for a user) and deliveries (for each address given)."""
        message = None
        if SITE in self.channels and user is not None:
            message = Message(recipient=user, subject=self.subject, body=self.body, url=self.url)
        deliveries = []
        now = timezone.now()
        if EMAIL in self.channels and email:
            deliveries.append(Delivery(channel=Delivery.Channel.EMAIL, recipient=user, address=email,
                                       template=self.template, subject=self.subject, body=self.body, enqueued_at=now))
        if self.sms and mobile:
            deliveries.append(Delivery(channel=Delivery.Channel.SMS, recipient=user, address=mobile,
                                       template=self.template, subject=self.subject, body=self.sms,
                                       params=self.sms_params, enqueued_at=now))
        return message, deliveries


def _enqueue_after_commit(deliveries: list[Delivery]) -> None:
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])


def _enqueue(delivery_id: int) -> None:
    task_send("core.tasks.deliver_notification", delivery_id)  # the row stays pending; the scanner re-sends it


def delivery_send(*, delivery_id: int) -> bool:
    """Send one pending delivery; safe to call any number of times (sends at most once
    successfully). Returns whether it is sent. Raises DeliveryError when a retry may help."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != Delivery.Status.PENDING:
            return delivery.status == Delivery.Status.SENT
        delivery.attempts += 1
        try:
            delivery.provider_id = _send(delivery) or ""
        except Exception as exc:  # a provider's failure of any kind is recorded, then retried
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if delivery.attempts >= settings.TASK_MAX_RETRIES + 1 or isinstance(exc, sms.SmsRejected):
                delivery.status = Delivery.Status.FAILED
            delivery.save(update_fields=["attempts", "last_error", "status"])
            logger.warning("delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
            if delivery.status == Delivery.Status.FAILED:
                return False
            # Leave the transaction normally so the attempt is recorded, then ask for a retry.
            error = DeliveryError(delivery.last_error)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            delivery.save(update_fields=["attempts", "last_error", "status", "sent_at", "provider_id"])
            return True
    raise error


def _send(delivery: Delivery) -> str:
    """Send the delivery; the provider's message id, if it gives one."""
    if delivery.channel == Delivery.Channel.SMS:
        return sms.send_sms(delivery.address, delivery.body, template=delivery.template, params=delivery.params)
    email = EmailMessage(subject=delivery.subject, body=delivery.body, to=[delivery.address])
    if delivery.attachment:
        with delivery.attachment.open("rb") as fh:
            email.attach(delivery.attachment_name or "attachment.pdf", fh.read())
    email.send(fail_silently=False)
    return ""


def message_mark_read(*, message: Message) -> None:
    """Mark an in-site message read (once; reading again keeps the first time)."""
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
        message.refresh_from_db(fields=["read_at"])
        unread_count_forget(message.recipient_id)


def deliveries_redeliver_stale(*, now=None) -> int:
    """Re-enqueue deliveries still pending long after they were queued (a lost broker
    message, a worker that died), as the outbox does for its jobs."""
    return resend_stale(Delivery.objects.filter(status=Delivery.Status.PENDING), _enqueue, now=now)


@deadline_scanner("core.redeliver_stale_notifications")
def _scan_stale_deliveries(now):
    return deliveries_redeliver_stale(now=now)
