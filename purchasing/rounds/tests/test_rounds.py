"""Rounds: members' quantities move the pooled tier; only active members take part; closing by
the scanner decides each product on its minimum; the confirmation window; member secrecy; and
quantities edited at the moment of closing are neither lost nor counted twice."""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.calendar import add_working_days
from core.deadlines import registered_scanners
from core.models import Message
from purchasing.exceptions import RoundRefused
from purchasing.models import Demand, DemandChange, Participation, Product, Round, RoundItem
from purchasing.orders.services import participation_confirm, rounds_finish
from purchasing.rounds import services
from purchasing.suppliers.tests.helpers import approved, member, open_round, product
from tests.concurrency import at_once, needs_postgresql
from tests.membership.factories import UnitMemberFactory

pytestmark = pytest.mark.django_db
CLOSE = registered_scanners()["purchasing.close_rounds"]
TIERS = [(50, Decimal("90")), (100, Decimal("80"))]


@pytest.fixture
def round_():
    supplier = approved()
    resin, kit = product(supplier), product(supplier, name="器械盒", price="12.00", number="京械备20200012号")
    return open_round([(resin, TIERS, 60), (kit, [(500, Decimal("10"))], 500)])


def items(round_):
    return list(round_.items.order_by("pk"))


def test_quantities_move_the_pooled_tier_and_every_change_is_kept(round_):
    resin, _ = items(round_)
    first, second = member(), member()
    services.demand_set(round_id=round_.pk, user=first.user, quantities={resin.pk: 40})
    services.demand_set(round_id=round_.pk, user=second.user, quantities={resin.pk: 30})
    client = Client()
    client.force_login(first.user)
    page = client.get(reverse("purchasing:round", args=[round_.pk])).content.decode()
    assert "当前汇总：<strong>70</strong>" in page and "单价 <strong>¥90" in page
    services.demand_set(round_id=round_.pk, user=first.user, quantities={resin.pk: 75})
    page = client.get(reverse("purchasing:round", args=[round_.pk])).content.decode()
    assert "当前汇总：<strong>105</strong>" in page and "单价 <strong>¥80" in page
    assert list(DemandChange.objects.filter(demand__member=first).order_by("pk").values_list("before", "after")) == [
        (0, 40), (40, 75)]


def test_only_active_members_take_part_and_only_while_open(round_):
    resin, _ = items(round_)
    lapsed = UnitMemberFactory(state="expired")
    with pytest.raises(RoundRefused, match="有效会员"):
        services.demand_set(round_id=round_.pk, user=lapsed.user, quantities={resin.pk: 10})
    with time_machine.travel(round_.closes_at + dt.timedelta(seconds=1)), pytest.raises(RoundRefused, match="截止后"):
        services.demand_set(round_id=round_.pk, user=member().user, quantities={resin.pk: 10})
    with pytest.raises(RoundRefused, match="不在本次团购"):
        services.demand_set(round_id=round_.pk, user=member().user, quantities={999999: 10})


def test_a_member_never_sees_anothers_quantity(round_):
    resin, kit = items(round_)
    mine, theirs = member(), member()
    services.demand_set(round_id=round_.pk, user=theirs.user, quantities={resin.pk: 37, kit.pk: 123})
    services.demand_set(round_id=round_.pk, user=mine.user, quantities={resin.pk: 5})
    client = Client()
    client.force_login(mine.user)
    page = client.get(reverse("purchasing:round", args=[round_.pk])).content.decode()
    assert "当前汇总：<strong>42</strong>" in page  # the pooled sum only
    assert 'value="37"' not in page and ">37<" not in page and "123" not in page.replace("当前汇总：<strong>123", "")
    assert theirs.name not in page
    anonymous = Client().get(reverse("purchasing:round", args=[round_.pk])).content.decode()
    assert theirs.name not in anonymous and "当前汇总：<strong>42</strong>" in anonymous


def test_closing_decides_each_product_on_its_minimum_and_asks_to_confirm(round_, django_capture_on_commit_callbacks):
    resin, kit = items(round_)
    buyer, small = member(), member()
    services.demand_set(round_id=round_.pk, user=buyer.user, quantities={resin.pk: 70, kit.pk: 100})
    services.demand_set(round_id=round_.pk, user=small.user, quantities={kit.pk: 50})
    assert CLOSE(timezone.now()) == 0  # not yet
    with time_machine.travel(round_.closes_at + dt.timedelta(minutes=1)), \
            django_capture_on_commit_callbacks(execute=True):
        assert CLOSE(timezone.now()) == 1
        assert CLOSE(timezone.now()) == 0  # once
    resin.refresh_from_db()
    kit.refresh_from_db()
    assert (resin.outcome, resin.pooled_quantity, resin.final_price) == ("succeeded", 70, Decimal("90"))
    assert (kit.outcome, kit.pooled_quantity, kit.final_price) == ("failed", 150, None)  # minimum 500
    round_.refresh_from_db()
    assert round_.state == Round.State.CLOSED
    assert round_.confirm_by == add_working_days(timezone.localtime(round_.closes_at).date(), 3).date
    # Only a member with a successful product is asked to confirm; both are told the outcome.
    assert list(Participation.objects.values_list("member", flat=True)) == [buyer.pk]
    told = Message.objects.filter(subject=f"团购结果：{round_.title}")
    assert set(told.values_list("recipient", flat=True)) == {buyer.user_id, small.user_id}
    assert "未达到成团最低总量" in told.get(recipient=small.user).body


def test_the_confirmation_window_closes_after_three_working_days(round_):
    resin, _ = items(round_)
    late, prompt = member(), member()
    for who in (late, prompt):
        services.demand_set(round_id=round_.pk, user=who.user, quantities={resin.pk: 40})
    with time_machine.travel(round_.closes_at + dt.timedelta(minutes=1)):
        CLOSE(timezone.now())
        participation_confirm(round_id=round_.pk, user=prompt.user)
    round_.refresh_from_db()
    after = timezone.make_aware(dt.datetime.combine(round_.confirm_by + dt.timedelta(days=1), dt.time(9)))
    with time_machine.travel(after):
        with pytest.raises(RoundRefused, match="确认期限已过"):
            participation_confirm(round_id=round_.pk, user=late.user)
        assert rounds_finish(now=timezone.now()) == 1
    answers = dict(Participation.objects.values_list("member", "decision"))
    assert answers == {prompt.pk: "confirmed", late.pk: "withdrawn"}
    round_.refresh_from_db()
    assert round_.state == Round.State.FINISHED


@pytest.mark.django_db(transaction=True)
def test_quantities_edited_as_the_round_closes_are_neither_lost_nor_counted_twice():
    needs_postgresql()
    supplier = approved()
    round_ = open_round([(product(supplier), TIERS, 1)])
    item = round_.items.get()
    members = [member() for _ in range(6)]
    for m in members:
        services.demand_set(round_id=round_.pk, user=m.user, quantities={item.pk: 10})
    closing = round_.closes_at + dt.timedelta(seconds=1)
    calls = [lambda: services.rounds_close(now=closing)] + [
        (lambda m=m: services.demand_set(round_id=round_.pk, user=m.user, quantities={item.pk: 20}, now=closing
                                         - dt.timedelta(seconds=2))) for m in members[:5]]
    outcomes = at_once(lambda: calls.pop()(), len(calls))
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, RoundRefused)]
    services.rounds_close(now=closing)  # the next scan, had the first found the round locked by an edit
    item.refresh_from_db()
    # Every edit that was accepted is in the closing total, and a refused one changed nothing.
    assert item.pooled_quantity == sum(Demand.objects.filter(item=item).values_list("quantity", flat=True))
    refused = sum(isinstance(o, RoundRefused) for o in outcomes)
    assert item.pooled_quantity == 10 * len(members) + 10 * (5 - refused)
    assert RoundItem.objects.get(pk=item.pk).outcome == "succeeded"


def test_a_listing_suspended_during_the_round_takes_no_more_and_does_not_succeed(round_):
    resin, _ = items(round_)
    buyer = member()
    services.demand_set(round_id=round_.pk, user=buyer.user, quantities={resin.pk: 70})
    Product.objects.filter(pk=resin.product_id).update(state=Product.State.SUSPENDED, suspended_reason="证照过期")
    with pytest.raises(RoundRefused, match="已暂停或下架"):
        services.demand_set(round_id=round_.pk, user=buyer.user, quantities={resin.pk: 80})
    services.demand_set(round_id=round_.pk, user=member().user, quantities={resin.pk: 0})  # taking out is allowed
    with time_machine.travel(round_.closes_at + dt.timedelta(minutes=1)):
        services.rounds_close(now=timezone.now())
    resin.refresh_from_db()
    assert resin.pooled_quantity == 70 >= resin.minimum_quantity and resin.outcome == RoundItem.Outcome.FAILED
    assert not Participation.objects.filter(round=round_).exists()
