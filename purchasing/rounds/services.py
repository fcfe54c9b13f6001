"""Every write to rounds: publication, members' quantities, closing by the scanner (each product
succeeds or fails on its minimum), and a member withdrawing after closing. Quantities and the
closing both lock the round's row, so an edit is either in before the close or refused after
it: nothing lost, nothing counted twice."""
import logging

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from core.calendar import add_working_days
from core.notifications import notification_send
from membership.models import Member
from membership.selectors import active_member_of
from purchasing.catalogue.models import Product
from purchasing.exceptions import RoundRefused
from purchasing.pricing import tier_problems

from .models import Demand, DemandChange, Participation, Round, RoundItem

logger = logging.getLogger(__name__)

CONFIRM_WORKING_DAYS = 3
MAX_QUANTITY = 100_000


def round_publish(*, round_id: int, by) -> Round:
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_id)
        items = list(round_.items.select_related("product"))
        if not items:
            raise RoundRefused("请先添加团购产品。")
        for item in items:
            if item.product.state != Product.State.LISTED:
                raise RoundRefused(f"产品“{item.product}”当前不在售，不能参加团购。")
            problems = tier_problems(item.tier_list(), item.product.list_price)
            if problems:
                raise RoundRefused(f"“{item.product}”的阶梯价：{''.join(problems)}")
        if round_.closes_at <= timezone.now():
            raise RoundRefused("截止时间已过，请修改后再发布。")
        round_.publish(by=by, description="发布团购活动")
        round_.save()
    return round_


def round_cancel(*, round_id: int, by, reason: str) -> Round:
    reason = (reason or "").strip()
    if not reason:
        raise RoundRefused("取消团购活动须写明原因。")
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_id)
        round_.cancel(reason=reason, by=by, description=reason)
        round_.save()
    return round_


def demand_set(*, round_id: int, user, quantities: dict[int, int], now=None) -> list[Demand]:
    """An active member's quantities for the round's products (0 takes one out), each change
    kept. Refused outside the round's opening hours."""
    member = active_member_of(user=user)
    if member is None:
        raise RoundRefused("只有有效会员可以参加团购。")
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_id)
        if not round_.is_open(now or timezone.now()):
            raise RoundRefused("团购活动不在报名时间内：截止后数量不能再修改。")
        items = {item.pk: item for item in round_.items.select_related("product")}
        changed = []
        for item_id, quantity in quantities.items():
            if item_id not in items:
                raise RoundRefused("该产品不在本次团购中。")
            if not 0 <= quantity <= MAX_QUANTITY:
                raise RoundRefused(f"数量应在 0 至 {MAX_QUANTITY} 之间。")
            if quantity and items[item_id].product.state != Product.State.LISTED:
                raise RoundRefused(f"“{items[item_id].product}”已暂停或下架，暂不能增加数量。")
            demand, _ = Demand.objects.select_for_update().get_or_create(item_id=item_id, member=member)
            if demand.quantity != quantity:
                DemandChange.objects.create(demand=demand, before=demand.quantity, after=quantity, by=user)
                demand.quantity = quantity
                demand.save(update_fields=["quantity", "updated_at"])
                changed.append(demand)
    logger.info("round %s: member %s changed %s quantities", round_id, member.pk, len(changed))
    return changed


def rounds_close(*, now=None) -> int:
    """The closing scanner: each published round past its closing time is closed once. A product
    succeeds when the pooled quantity reaches its minimum (and it is still listed), at the tier
    that quantity reached;
    each member with a quantity of a successful product is asked to confirm within 3 working
    days, and every member is told the outcome."""
    now = now or timezone.now()
    closed = 0
    for round_id in Round.objects.filter(state=Round.State.PUBLISHED, closes_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            round_ = Round.objects.select_for_update(skip_locked=True).filter(
                pk=round_id, state=Round.State.PUBLISHED).first()
            if round_ is None:
                continue
            _close(round_, now)
            closed += 1
    return closed


def _close(round_: Round, now) -> None:
    pooled = dict(Demand.objects.filter(item__round=round_).values_list("item").annotate(total=Sum("quantity")))
    succeeded = set()
    for item in round_.items.select_related("product"):
        item.pooled_quantity = pooled.get(item.pk) or 0
        # A listing suspended meanwhile (its licence expired) cannot be ordered, whatever the total.
        if item.pooled_quantity >= item.minimum_quantity and item.product.state == Product.State.LISTED:
            item.outcome, item.final_price = RoundItem.Outcome.SUCCEEDED, item.price_at(item.pooled_quantity)
            succeeded.add(item.pk)
        else:
            item.outcome = RoundItem.Outcome.FAILED
        item.save(update_fields=["pooled_quantity", "outcome", "final_price"])
    confirm_by = add_working_days(timezone.localtime(round_.closes_at).date(), CONFIRM_WORKING_DAYS).date
    round_.close(at=now, confirm_by=confirm_by, description=f"截止：{len(succeeded)} 个产品成团")
    round_.save()
    members = (Member.objects.filter(demands__item__round=round_, demands__quantity__gt=0)
               .select_related("user").distinct())
    for member in members:
        lines = list(Demand.objects.filter(item__round=round_, member=member, quantity__gt=0)
                     .select_related("item__product"))
        if any(line.item_id in succeeded for line in lines):
            Participation.objects.create(round=round_, member=member)
        _tell(member, round_, "purchasing_round_closed", lines=lines)
    logger.info("round %s closed: %s of %s products succeeded", round_.pk, len(succeeded), len(pooled))


def _tell(member: Member, round_: Round, template: str, **context) -> None:
    transaction.on_commit(lambda: notification_send(
        template=template, user=member.user, url=reverse("purchasing:round", args=[round_.pk]),
        context={"member": member, "round": round_, **context}))


def participation_withdraw(*, round_id: int, user, note: str = "") -> Participation:
    """The member does not take the round's final prices: no order is made."""
    with transaction.atomic():
        participation = pending_answer(round_id, user)
        participation.decision = Participation.Decision.WITHDRAWN
        participation.decided_at, participation.note = timezone.now(), note[:200]
        participation.save(update_fields=["decision", "decided_at", "note"])
    return participation


def pending_answer(round_id: int, user) -> Participation:
    """The member's pending answer, locked (inside the caller's transaction); refused when
    there is none or the confirmation window has passed. Confirming (in orders) takes it too."""
    participation = (Participation.objects.select_for_update().select_related("round", "member")
                     .filter(round_id=round_id, member__user=user.pk).first())
    if participation is None:
        raise RoundRefused("您在本次团购中没有需要确认的产品。")
    if participation.decision != Participation.Decision.PENDING:
        raise RoundRefused(f"您已{participation.get_decision_display()}，不能再更改。")
    round_ = participation.round
    if round_.state != Round.State.CLOSED or timezone.localdate() > round_.confirm_by:
        raise RoundRefused("确认期限已过：未确认视为放弃。")
    return participation

