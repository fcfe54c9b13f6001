import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core import notifications, sms
from core.models import Delivery, Message
from core.notifications import Attachment, notification_send
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

CONTEXT = {"title": "缴费提醒", "text": "贵单位会费将于 30 日内到期。", "recipient_name": "A&B 口腔诊所"}


def _send(user, **kwargs):
    return notification_send(template="announcement", context=CONTEXT, user=user, **kwargs)


def test_one_call_reaches_all_three_channels(user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(user, url="/messages/")

    assert Message.objects.get(recipient=user) == message
    assert message.subject == "缴费提醒"
    assert "A&B 口腔诊所" in message.body  # plain text: no HTML escaping

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert mailoutbox[0].subject == "缴费提醒"
    assert "贵单位会费将于 30 日内到期" in mailoutbox[0].body

    assert len(sms.outbox) == 1
    mobile, text = sms.outbox[0]
    assert mobile == user.mobile
    assert text.startswith("【中国非公立医疗机构协会】缴费提醒")
    assert set(Delivery.objects.values_list("channel", "status")) == {("email", "sent"), ("sms", "sent")}


def test_email_and_sms_wait_for_the_transaction_to_commit(user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(user)
    assert mailoutbox == [] and sms.outbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1 and len(sms.outbox) == 1


def test_channels_can_be_chosen_and_addresses_overridden(user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(user, channels=["email"], email="contact@clinic.cn")
    assert message is None
    assert [m.to for m in mailoutbox] == [["contact@clinic.cn"]]
    assert sms.outbox == []


def test_in_site_message_only(user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(user, channels=["site"])
    assert Message.objects.filter(recipient=user).count() == 1
    assert mailoutbox == [] and sms.outbox == [] and not Delivery.objects.exists()


def test_unknown_channel_is_an_error(user):
    with pytest.raises(ValueError):
        _send(user, channels=["fax"])


def test_email_carries_the_attachment(user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(user, channels=["site", "email"], attachment=Attachment("发票.pdf", b"%PDF-1.7 test"))
    assert mailoutbox[0].attachments == [("发票.pdf", b"%PDF-1.7 test", "application/pdf")]
    assert message.attachment_name == "发票.pdf"
    assert "发票" not in message.attachment.name  # stored under a random name


def test_delivering_twice_sends_once(user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(user, channels=["email"])
    delivery = Delivery.objects.get()
    assert notifications.delivery_send(delivery_id=delivery.pk) is True
    assert len(mailoutbox) == 1


class FailingSms(sms.BaseSmsBackend):
    def send(self, message):
        raise sms.SmsError("gateway timeout")


def test_a_failed_send_is_recorded_retried_and_finally_marked_failed(user, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "tests.core.test_notifications.FailingSms"
    with django_capture_on_commit_callbacks(execute=False):
        _send(user, channels=["sms"])
    delivery = Delivery.objects.get()

    with pytest.raises(notifications.DeliveryError):
        notifications.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "gateway timeout" in delivery.last_error

    for _ in range(settings.TASK_MAX_RETRIES - 1):
        with pytest.raises(notifications.DeliveryError):
            notifications.delivery_send(delivery_id=delivery.pk)
    assert notifications.delivery_send(delivery_id=delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempts == settings.TASK_MAX_RETRIES + 1


def test_stale_pending_deliveries_are_sent_by_the_scan_once(user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _send(user, channels=["email"])  # the broker "lost" the task
    Delivery.objects.update(enqueued_at=timezone.now() - dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.deliveries_redeliver_stale() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.deliveries_redeliver_stale() == 0
    assert len(mailoutbox) == 1
    assert Delivery.objects.get().status == "sent"


def test_recent_pending_deliveries_are_left_to_the_queue(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _send(user, channels=["email"])
    assert notifications.deliveries_redeliver_stale() == 0


def _login(client, user):
    client.post(reverse("account_login"), {"login": user.mobile, "password": PASSWORD})


def test_inbox_lists_messages_and_reading_one_marks_it_read(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(user, channels=["site"])
    _login(client, user)
    inbox = client.get(reverse("core:inbox")).content.decode()
    assert "缴费提醒" in inbox and "未读" in inbox

    detail = client.get(reverse("core:message_detail", args=[message.pk]))
    assert detail.status_code == 200
    message.refresh_from_db()
    first_read = message.read_at
    assert first_read is not None
    client.get(reverse("core:message_detail", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at == first_read


def test_another_users_message_is_not_found(client, user, other_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(user, channels=["site"])
    _login(client, other_user)
    assert client.get(reverse("core:message_detail", args=[message.pk])).status_code == 404
    assert "缴费提醒" not in client.get(reverse("core:inbox")).content.decode()


def test_inbox_costs_the_same_queries_for_many_messages(client, user, django_assert_max_num_queries):
    Message.objects.bulk_create(Message(recipient=user, subject=f"消息{i}", body="内容") for i in range(30))
    _login(client, user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("core:inbox"))
    assert response.status_code == 200


def test_a_text_can_link_to_the_page_the_message_is_about(user, django_capture_on_commit_callbacks):
    from types import SimpleNamespace

    evaluation = SimpleNamespace(member=SimpleNamespace(name="某某口腔门诊部"))
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_send(template="evaluation_ready_for_committee", user=user, url="/admin/x/1/",
                                    context={"evaluation": evaluation, "total": "82.00"})
    assert "/admin/x/1/" in message.body


def test_the_cached_unread_count_follows_messages_arriving_and_being_read(client, user,
                                                                          django_capture_on_commit_callbacks):
    import re

    from core.selectors import unread_count

    client.force_login(user)

    def shown() -> int:
        found = re.search(r'data-testid="unread-count">(\d+)<', client.get(reverse("core:inbox")).content.decode())
        return int(found[1]) if found else 0

    assert shown() == 0
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(user, channels=["site"])
        _send(user, channels=["site"])
    assert shown() == 2 and unread_count(user=user) == 2
    client.get(reverse("core:message_detail", args=[first.pk]))  # reading it
    assert shown() == 1
    with django_capture_on_commit_callbacks(execute=True):
        Message.objects.get(pk=first.pk).delete()
        Message.objects.filter(recipient=user).first().delete()
    assert shown() == 0


def test_a_notice_to_many_reaches_each_at_their_own_addresses_once_committed(
        client, user, other_user, mailoutbox, django_capture_on_commit_callbacks):
    from core.notifications import notification_send_many
    from core.selectors import unread_count

    assert unread_count(user=user) == 0  # cached before the notice
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        messages = notification_send_many(template="announcement", context=CONTEXT, users=[user, other_user],
                                          url="/admin/x/1/")
    assert mailoutbox == [] and sms.outbox == []
    for callback in callbacks:
        callback()
    assert {m.recipient_id for m in Message.objects.all()} == {user.pk, other_user.pk}
    assert all(m.pk and m.subject == "缴费提醒" and m.url == "/admin/x/1/" for m in messages)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([user.email, other_user.email])
    assert sorted(mobile for mobile, _ in sms.outbox) == sorted([user.mobile, other_user.mobile])
    assert Delivery.objects.filter(status="sent").count() == 4
    assert unread_count(user=user) == 1  # the cached count was forgotten


def test_a_notice_to_many_renders_its_texts_once(user, other_user, django_capture_on_commit_callbacks, monkeypatch):
    from core.notifications import notification_send_many

    rendered = []
    real = notifications._render
    monkeypatch.setattr(notifications, "_render", lambda *args: rendered.append(args[1]) or real(*args))
    with django_capture_on_commit_callbacks(execute=True):
        notification_send_many(template="announcement", context=CONTEXT, users=[user, other_user],
                               channels=["site", "email"])
    assert sorted(rendered) == ["body", "subject"]
    assert Delivery.objects.filter(channel="email").count() == 2 and not Delivery.objects.filter(channel="sms")


def test_a_notice_to_nobody_writes_nothing(django_capture_on_commit_callbacks):
    from core.notifications import notification_send_many

    with django_capture_on_commit_callbacks(execute=True):
        assert notification_send_many(template="announcement", context=CONTEXT, users=[]) == []
    assert not Message.objects.exists() and not Delivery.objects.exists()
