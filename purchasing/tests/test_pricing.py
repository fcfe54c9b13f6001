"""The tier arithmetic (purchasing.pricing): which price a pooled quantity reaches, what the
next tier needs, and the checks on the tiers staff enter."""
from decimal import Decimal as D

import pytest

from purchasing.pricing import next_tier, parse_tiers, tier_problems, tier_reached, unit_price

TIERS = [(50, D("90")), (100, D("80")), (200, D("72"))]


@pytest.mark.parametrize(("pooled", "price", "reached"), [
    (0, D("100"), None), (49, D("100"), None), (50, D("90"), 0), (99, D("90"), 0), (100, D("80"), 1),
    (199, D("80"), 1), (200, D("72"), 2), (10_000, D("72"), 2),
])
def test_the_price_is_the_highest_tier_the_pooled_quantity_reaches(pooled, price, reached):
    assert unit_price(TIERS, pooled, D("100")) == price
    assert tier_reached(TIERS, pooled) == reached


def test_the_next_tier_and_what_it_needs():
    assert next_tier(TIERS, 0) == (50, D("90"))
    assert next_tier(TIERS, 120) == (200, D("72"))
    assert next_tier(TIERS, 200) is None


def test_staff_enter_tiers_as_lines_and_wrong_ones_are_named():
    assert parse_tiers("50 90\n100：80.00\n\n200, 72") == TIERS
    with pytest.raises(ValueError, match="第 2 行"):
        parse_tiers("50 90\n一百 80")
    assert tier_problems(TIERS, D("100")) == []
    assert "数量应递增、单价应递减" in "".join(tier_problems([(100, D("80")), (50, D("90"))], D("100")))
    assert "数量应递增、单价应递减" in "".join(tier_problems([(50, D("80")), (100, D("85"))], D("100")))
    assert "不能高于挂牌价" in "".join(tier_problems([(10, D("120"))], D("100")))
    assert "至少填写一档" in "".join(tier_problems([], D("100")))
