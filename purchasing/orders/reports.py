"""The staff report of a round: per product the pooled quantity, the tier reached, the final and
list prices, the confirmed quantity and the savings against the list price; the members and
suppliers taking part. As a page and as an Excel file."""
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from openpyxl import Workbook

from purchasing.rounds.models import Demand
from purchasing.rounds.selectors import round_items

from .models import OrderLine


@dataclass(frozen=True)
class ReportRow:
    product: str
    supplier: str
    pooled: int
    tier: str
    outcome: str
    list_price: Decimal
    final_price: Decimal | None
    confirmed: int
    savings: Decimal


def round_report(round_) -> dict:
    confirmed = dict(OrderLine.objects.filter(order__round=round_).values_list("product").annotate(q=Sum("quantity")))
    rows = []
    for view in round_items(round_=round_, member=None):  # the pooled figures the members saw
        item, reached = view.item, view.reached
        quantity = confirmed.get(item.product_id, 0)
        final = item.final_price
        rows.append(ReportRow(
            product=str(item.product), supplier=item.product.supplier.name, pooled=view.pooled,
            tier="未达到" if reached is None else f"第 {reached + 1} 档（≥{view.tiers[reached][0]}，¥{view.tiers[reached][1]}）",
            outcome=item.get_outcome_display(), list_price=item.product.list_price, final_price=final,
            confirmed=quantity, savings=(item.product.list_price - final) * quantity if final is not None else Decimal(0)))
    people = Demand.objects.filter(item__round=round_, quantity__gt=0).aggregate(
        members=Count("member", distinct=True), suppliers=Count("item__product__supplier", distinct=True))
    return {"rows": rows, "members": people["members"], "suppliers": people["suppliers"],
            "savings": sum((r.savings for r in rows), Decimal(0)), "orders": round_.orders.count()}


HEADINGS = ("产品", "供应商", "汇总数量", "达到档位", "结果", "挂牌价", "成交单价", "确认采购数量", "节省金额")


def report_workbook(round_, report: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "团购报表"
    sheet.append([round_.title])
    sheet.append(HEADINGS)
    for row in report["rows"]:
        sheet.append([row.product, row.supplier, row.pooled, row.tier, row.outcome, float(row.list_price),
                      float(row.final_price) if row.final_price is not None else None, row.confirmed,
                      float(row.savings)])
    sheet.append([])
    sheet.append(["参与会员数", report["members"], "参与供应商数", report["suppliers"], "订单数", report["orders"],
                  "合计节省", float(report["savings"])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
