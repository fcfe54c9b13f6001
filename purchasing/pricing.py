"""The tier arithmetic of a round's product, with no database.

A product's tiers are ``[(minimum pooled quantity, unit price), ...]``. The price is that of the
highest tier the pooled quantity reaches; below the first tier the list price applies. Tiers
rise in quantity and fall in price, and no tier is above the list price.
"""
from decimal import Decimal


def parse_tiers(text: str) -> list[tuple[int, Decimal]]:
    """Lines of "数量 单价" (e.g. "50 88.00") into tiers; ValueError with a message otherwise."""
    tiers = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace("：", " ").replace(":", " ").replace("，", " ").replace(",", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ValueError(f"第 {number} 行应为“数量 单价”，如“50 88.00”。")
        try:
            quantity, price = int(parts[0]), Decimal(parts[1])
        except (ValueError, ArithmeticError):
            raise ValueError(f"第 {number} 行的数量应为整数，单价应为金额。") from None
        tiers.append((quantity, price))
    return tiers


def tier_problems(tiers: list[tuple[int, Decimal]], list_price: Decimal) -> list[str]:
    problems = []
    if not tiers:
        problems.append("至少填写一档价格。")
    for (low_q, low_p), (high_q, high_p) in zip(tiers, tiers[1:], strict=False):
        if high_q <= low_q or high_p >= low_p:
            problems.append("各档数量应递增、单价应递减。")
            break
    if any(q < 1 or p <= 0 for q, p in tiers):
        problems.append("数量至少为 1，单价应大于 0。")
    if any(p > list_price for _, p in tiers):
        problems.append(f"团购价不能高于挂牌价 ¥{list_price}。")
    return problems


def tier_reached(tiers: list[tuple[int, Decimal]], pooled: int) -> int | None:
    """The index of the highest tier ``pooled`` reaches, or None below the first."""
    reached = None
    for index, (quantity, _) in enumerate(tiers):
        if pooled >= quantity:
            reached = index
    return reached


def unit_price(tiers: list[tuple[int, Decimal]], pooled: int, list_price: Decimal) -> Decimal:
    index = tier_reached(tiers, pooled)
    return list_price if index is None else tiers[index][1]


def next_tier(tiers: list[tuple[int, Decimal]], pooled: int) -> tuple[int, Decimal] | None:
    """The next tier up and what it needs, for "再有 N 件可达 ¥P"."""
    index = tier_reached(tiers, pooled)
    following = 0 if index is None else index + 1
    return tiers[following] if following < len(tiers) else None
