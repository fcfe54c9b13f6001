"""Every write to a registration: registering (one seat per person, within capacity), the fee
paid, cancelling; each confirmation goes out by in-site message, SMS and email."""
import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.notifications import notification_send
from core.workflow import locked_step
from education.exceptions import RegistrationRefused
from education.projects.models import Project
from membership.selectors import active_member_of
from payments.selectors import open_order_for
from payments.services import order_close

from .models import Registration

logger = logging.getLogger(__name__)

SEAT_HOLDING = (Registration.State.AWAITING_PAYMENT, Registration.State.REGISTERED)
SEAT_HOLD = dt.timedelta(hours=48)  # an unpaid seat is released after this
UNPAID_REASON = "报名后 48 小时内未缴费，名额已释放"


def _notify_registered(registration: Registration) -> None:
    transaction.on_commit(lambda: notification_send(
        template="education_registered", user=registration.user, email=registration.email or None,
        mobile=registration.mobile, url=reverse("education:registration", args=[registration.pk]),
        context={"registration": registration, "project": registration.project},
    ))


def registration_create(*, project_id: int, user, details: dict) -> Registration:
    """Register ``user`` for the project: refused when registration is closed, the project is
    full or the person already holds a seat (the database's one-registration rule and the
    project's row lock keep both true under concurrent clicks). A free project confirms at
    once; otherwise the seat waits for the fee."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project_id)
        if not project.registration_open():
            raise RegistrationRefused("该项目当前不在报名期内。")
        if project.registrations.filter(user=user.pk, state__in=SEAT_HOLDING).exists():
            raise RegistrationRefused("您已报名该项目，请在“我的报名”中查看。")
        if project.registrations.filter(state__in=SEAT_HOLDING).count() >= project.capacity:
            raise RegistrationRefused("该项目名额已满。")
        member = active_member_of(user=user) is not None
        registration = Registration(project=project, user=user, member_price=member and project.member_fee is not None,
                                    fee=project.price_for(is_member=member), **details)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise RegistrationRefused("您已报名该项目，请在“我的报名”中查看。") from None
        if registration.fee == 0:
            registration.confirm(at=timezone.now(), by=user, description="免费项目，报名即成功")
            registration.save()
            _notify_registered(registration)
    logger.info("registration %s: %s for project %s (fee %s)", registration.pk, user.pk, project.number, registration.fee)
    return registration


def registration_due(registration: Registration) -> bool:
    """payments asks: does this registration wait for its fee now?"""
    return (registration.state == Registration.State.AWAITING_PAYMENT
            and registration.project.state == Project.State.OPEN and registration.fee > 0)


def registration_paid(*, registration_id: int, order, by=None) -> Registration:
    """Called by payments inside the paying transaction: the seat is confirmed (idempotent)."""
    registration = Registration.objects.select_for_update().select_related("project", "user").get(pk=registration_id)
    if registration.state == Registration.State.REGISTERED:
        return registration
    registration.confirm(at=timezone.now(), by=by, description=f"缴纳报名费（订单 {order.out_trade_no}）")
    registration.save()
    _notify_registered(registration)
    return registration


def registrations_release_unpaid(*, now=None) -> int:
    """A seat waiting for its fee is held for ``SEAT_HOLD``: after that it is cancelled (an open
    WeChat order closed with it) and the place is free again. A bank transfer waiting for
    finance keeps the seat. The person is told and may register again while places remain."""
    cutoff = (now or timezone.now()) - SEAT_HOLD
    released = 0
    stale = Registration.objects.filter(state=Registration.State.AWAITING_PAYMENT, created_at__lt=cutoff)
    for registration_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            registration = (Registration.objects.select_for_update(skip_locked=True).select_related("project", "user")
                            .filter(pk=registration_id, state=Registration.State.AWAITING_PAYMENT).first())
            if registration is None:
                continue
            order = open_order_for(payable=registration)
            if order is not None and order.state != order.State.UNPAID:
                continue  # a transfer is being verified: the seat stays
            if order is not None:
                order_close(order_id=order.pk, reason=UNPAID_REASON)
            registration.cancel(reason=UNPAID_REASON, description=UNPAID_REASON)
            registration.save()
            transaction.on_commit(lambda r=registration: notification_send(
                template="education_seat_released", user=r.user, channels=["site", "email"],
                url=reverse("education:project", args=[r.project_id]), context={"registration": r, "project": r.project}))
            released += 1
    return released


def registration_cancel(*, registration_id: int, by, reason: str) -> Registration:
    """The participant withdraws before paying, or staff cancel with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationRefused("取消报名须写明原因。")

    def step(registration):
        if by.pk == registration.user_id and registration.state != Registration.State.AWAITING_PAYMENT:
            raise RegistrationRefused("已缴费的报名请联系继教办取消并办理退费。")
        registration.cancel(reason=reason, by=by, description=reason)

    return locked_step(lambda pk: Registration.objects.select_for_update().get(pk=pk), registration_id, step,
                       refused=lambda r: RegistrationRefused(f"报名当前为“{r.get_state_display()}”，不能取消。"))
