"""The 团购 pages cost the same number of queries with a little data behind them or a lot: the
round list and a round's page, a member's orders and an order, the supplier's centre and order,
and the staff report. (Timings are measured in bench/, not here.)"""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from purchasing.orders.services import participation_confirm
from purchasing.rounds.services import demand_set, rounds_close
from purchasing.suppliers.tests.helpers import approved, member, office_user, open_round, product
from tests.pages import page_queries

pytestmark = pytest.mark.django_db
BUDGET = 12


def world(size: int):
    """A closed round of ``size`` products from two suppliers, ``size`` members who asked for
    each and confirmed (orders for each), and an open round with the same demand."""
    suppliers = [approved(), approved()]
    products = [product(suppliers[i % 2], name=f"产品{i}") for i in range(size)]
    tiers = [(5, Decimal("90")), (10, Decimal("80"))]
    members = [member() for _ in range(size)]
    rounds = [open_round([(p, tiers, 1) for p in products]) for _ in range(2)]
    for round_ in rounds:
        for m in members:
            demand_set(round_id=round_.pk, user=m.user, quantities={i.pk: 3 for i in round_.items.all()})
    closed = rounds[0]
    with time_machine.travel(closed.closes_at + dt.timedelta(minutes=1)):
        rounds_close(now=timezone.now())
        for m in members:
            participation_confirm(round_id=closed.pk, user=m.user)
    return closed, rounds[1], members[0], suppliers[0]


def pages(closed, open_, buyer, supplier):
    order = buyer.purchase_orders.filter(supplier=supplier).first()
    return {
        "round list": page_queries(None, reverse("purchasing:rounds")),
        "open round": page_queries(buyer.user, reverse("purchasing:round", args=[open_.pk])),
        "closed round": page_queries(buyer.user, reverse("purchasing:round", args=[closed.pk])),
        "my orders": page_queries(buyer.user, reverse("purchasing:my_orders")),
        "order": page_queries(buyer.user, reverse("purchasing:order", args=[order.pk])),
        "supplier centre": page_queries(supplier.user, reverse("purchasing:supplier_centre")),
        "supplier order": page_queries(supplier.user, reverse("purchasing:supplier_order", args=[order.pk])),
        "round report": page_queries(office_user(), reverse("admin:purchasing_round_report", args=[closed.pk])),
    }


def test_the_pages_cost_the_same_with_little_or_much_data():
    small = pages(*world(2))
    large = pages(*world(6))
    assert small == large, f"{small} with little data, {large} with more"
    assert max(large.values()) <= BUDGET, large
