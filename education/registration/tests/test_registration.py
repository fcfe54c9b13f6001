"""Registering for a project: the price a member pays, the fee through payments, the
confirmation on three channels, and the refusals (closed, full, twice, at once)."""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import sms
from core.models import Message
from education.exceptions import RegistrationRefused
from education.models import Registration
from education.projects.tests.helpers import details, make_project, register
from education.registration import services
from payments.models import Order
from payments.services import order_for_payable
from tests.accounts.factories import UserFactory
from tests.concurrency import at_once, needs_postgresql
from tests.membership.factories import IndividualMemberFactory
from tests.payments.helpers import pay_by_wechat

pytestmark = pytest.mark.django_db


def test_a_free_project_confirms_at_once_on_every_channel(mailoutbox, django_capture_on_commit_callbacks):
    project = make_project(fee=Decimal("0"))
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(project, user)
    assert registration.state == Registration.State.REGISTERED and registration.fee == 0
    message = Message.objects.get(recipient=user)
    assert message.subject == f"报名成功：{project.title}"
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert [(mobile, project.title in text) for mobile, text in sms.outbox] == [(user.mobile, True)]


def test_a_member_pays_the_member_price_and_the_seat_is_confirmed_when_paid(client, django_capture_on_commit_callbacks):
    project = make_project(fee=Decimal("600"), member_fee=Decimal("400"))
    member = IndividualMemberFactory(state="active")
    outsider = UserFactory()
    client.force_login(member.user)
    page = client.get(reverse("education:register", args=[project.pk])).content.decode()
    assert "¥400" in page and "会员价" in page
    response = client.post(reverse("education:register", args=[project.pk]), details(member.user))
    registration = Registration.objects.get(user=member.user)
    assert response.url == reverse("education:pay", args=[registration.pk])
    assert registration.fee == Decimal("400") and registration.member_price
    assert registration.state == Registration.State.AWAITING_PAYMENT
    assert register(project, outsider).fee == Decimal("600")

    client.post(reverse("education:pay", args=[registration.pk]),
                {"invoice_email": member.user.email, "invoice_mobile": member.user.mobile})
    order = Order.objects.get(object_id=registration.pk)
    assert order.amount == Decimal("400") and order.payer == member.user
    with django_capture_on_commit_callbacks(execute=True):
        assert pay_by_wechat(Client(), order).status_code in (200, 204)
    registration.refresh_from_db()
    assert registration.state == Registration.State.REGISTERED
    assert Message.objects.filter(recipient=member.user, subject__startswith="报名成功").exists()


def test_registration_is_refused_when_closed_full_or_twice():
    project = make_project(capacity=1)
    first = UserFactory()
    register(project, first)
    with pytest.raises(RegistrationRefused, match="已报名"):
        register(project, first)
    with pytest.raises(RegistrationRefused, match="名额已满"):
        register(project, UserFactory())
    draft = make_project(publish=False)
    with pytest.raises(RegistrationRefused, match="不在报名期"):
        register(draft, UserFactory())


def test_a_cancelled_seat_frees_the_place_and_a_paid_one_is_cancelled_by_staff_only():
    project = make_project(capacity=1, fee=Decimal("100"))
    user = UserFactory()
    registration = register(project, user)
    with pytest.raises(RegistrationRefused, match="原因"):
        services.registration_cancel(registration_id=registration.pk, by=user, reason=" ")
    services.registration_cancel(registration_id=registration.pk, by=user, reason="时间冲突")
    again = register(project, user)  # the person may register again, and the seat is free
    assert again.pk != registration.pk
    free = make_project(fee=Decimal("0"))
    paid = register(free, user)
    with pytest.raises(RegistrationRefused, match="联系继教办"):
        services.registration_cancel(registration_id=paid.pk, by=user, reason="不去了")


def test_the_form_keeps_what_was_typed_and_names_the_wrong_field(client):
    project = make_project()
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("education:register", args=[project.pk]),
                           details(user, id_number="110105198001011234", unit="华西口腔医院"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "校验位不正确" in page and 'value="华西口腔医院"' in page
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_registration_and_a_full_project_admits_no_more():
    needs_postgresql()
    project = make_project(capacity=3)
    user = UserFactory()
    outcomes = at_once(lambda: services.registration_create(project_id=project.pk, user=user, details=details(user)), 4)
    assert sum(isinstance(o, Registration) for o in outcomes) == 1
    assert all(isinstance(o, RegistrationRefused) for o in outcomes if not isinstance(o, Registration))
    others = [UserFactory() for _ in range(4)]
    at_once(lambda: services.registration_create(project_id=project.pk, user=others.pop(), details=details(user)), 4)
    assert Registration.objects.filter(project=project).count() == 3


def test_an_unpaid_seat_is_released_after_48_hours_but_a_transfer_under_review_keeps_it(
        client, django_capture_on_commit_callbacks):
    project = make_project(capacity=2, fee=Decimal("100"))
    idle, transfer = UserFactory(), UserFactory()
    idle_seat, transfer_seat = register(project, idle), register(project, transfer)
    client.force_login(idle)
    client.post(reverse("education:pay", args=[idle_seat.pk]), {"invoice_email": idle.email, "invoice_mobile": idle.mobile})
    order = order_for_payable(payable=transfer_seat, invoice_email=transfer.email, invoice_mobile=transfer.mobile)
    Order.objects.filter(pk=order.pk).update(state=Order.State.AWAITING_VERIFICATION)
    assert services.registrations_release_unpaid() == 0  # not yet
    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)), django_capture_on_commit_callbacks(execute=True):
        assert services.registrations_release_unpaid() == 1
    idle_seat.refresh_from_db()
    transfer_seat.refresh_from_db()
    assert idle_seat.state == Registration.State.CANCELLED and "48 小时" in idle_seat.cancel_reason
    assert Order.objects.get(object_id=idle_seat.pk, content_type__model="registration").state == Order.State.CLOSED
    assert transfer_seat.state == Registration.State.AWAITING_PAYMENT
    assert register(project).state == Registration.State.AWAITING_PAYMENT  # the place is free again
