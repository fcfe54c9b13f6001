"""Reads of rounds as a member may see them: every product's pooled quantity and the tier it
reached (never who asked for how much), and the member's own quantities and answer."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from purchasing.pricing import next_tier, tier_reached

from .models import Demand, Participation, Round, RoundItem

LISTED = (Round.State.PUBLISHED, Round.State.CLOSED, Round.State.FINISHED)


@dataclass(frozen=True)
class ItemView:
    item: RoundItem
    pooled: int
    tiers: list[tuple[int, Decimal]]
    reached: int | None  # index of the tier reached
    price: Decimal
    next: tuple[int, Decimal] | None
    mine: int

    @property
    def to_next(self) -> int | None:
        return self.next[0] - self.pooled if self.next else None


def listed_rounds() -> QuerySet[Round]:
    return Round.objects.filter(state__in=LISTED).order_by("-opens_at", "-pk")


def round_items(*, round_: Round, member) -> list[ItemView]:
    """Each product with its pooled quantity (one aggregate query) and the member's own."""
    items = list(round_.items.select_related("product__supplier").annotate(
        pooled=Sum("demands__quantity")))
    mine = dict(Demand.objects.filter(item__round=round_, member=member).values_list("item_id", "quantity")
                ) if member is not None else {}
    views = []
    for item in items:
        pooled = item.pooled_quantity if item.pooled_quantity is not None else (item.pooled or 0)
        tiers = item.tier_list()
        views.append(ItemView(item=item, pooled=pooled, tiers=tiers, reached=tier_reached(tiers, pooled),
                              price=item.final_price or item.price_at(pooled), next=next_tier(tiers, pooled),
                              mine=mine.get(item.pk, 0)))
    return views


def answer_of(*, round_: Round, member) -> Participation | None:
    if member is None:
        return None
    return Participation.objects.filter(round=round_, member=member).first()

