"""Demo group purchasing: an approved supplier with products, one awaiting review, a round open
now, and a round that closed an hour ago with one member's orders confirmed."""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from core.demo import DEMO_PASSWORD, DemoLogin
from core.identifiers import credit_code_check_char
from core.pdf import render_pdf

from .catalogue.services import product_list
from .models import LicenceKind, Product, Round, RoundItem, Supplier
from .orders.services import order_accept, participation_confirm
from .rounds.services import demand_set, rounds_close
from .suppliers.services import supplier_apply, supplier_approve

User = get_user_model()
OFFICE = "13800000006"
MEMBERS = ("13900000005", "13900000012")  # an active unit member and an active individual member
SUPPLIERS = [("13500000001", "北京康达口腔器材有限公司", "张强", True), ("13500000002", "上海齿科材料贸易有限公司", "李娜", False)]
PRODUCTS = [
    ("consumable", "一次性使用口腔器械盒", "基础型（口镜、镊子、探针）", "盒", "康达", "北京康达医疗器械有限公司",
     "京械备20200012号", "12.00", [(500, "10.50"), (1000, "9.80")], 300),
    ("material", "光固化复合树脂", "A2 色 4g/支", "支", "3M", "3M 中国有限公司", "国械注进20182170045", "168.00",
     [(50, "150.00"), (100, "138.00")], 30),
    ("equipment", "牙科综合治疗机", "标准型", "台", "西诺德", "西诺德（中国）有限公司", "国械注进20193170123", "98000.00",
     [(5, "92000.00"), (10, "88000.00")], 3),
]


def _scan(title: str) -> ContentFile:
    return ContentFile(render_pdf("pdf/notice.html", {"title": title, "paragraphs": ["演示证照扫描件"],
                                                      "date": timezone.localdate()}), name=f"{title}.pdf")


def _supplier(mobile, name, contact, serial) -> Supplier:
    supplier = Supplier.objects.filter(user__mobile=mobile).first()
    if supplier is not None:
        return supplier
    first17 = f"91110105{serial:09d}"
    supplier = supplier_apply(
        data={"name": name, "credit_code": first17 + credit_code_check_char(first17), "contact_name": contact,
              "contact_mobile": mobile, "address": "北京市朝阳区", "mobile": mobile,
              "email": f"{mobile}@demo.cnmia.test"},
        licences={LicenceKind.BUSINESS: {"number": "营业执照", "expires_on": None, "file": _scan("营业执照")},
                  LicenceKind.DEVICE_PERMIT: {"number": f"京朝食药监械经营许{serial:08d}号",
                                              "expires_on": timezone.localdate() + dt.timedelta(days=400),
                                              "file": _scan("医疗器械经营许可证")}},
        password=DEMO_PASSWORD)
    return supplier


def _round(title, *, opens_at, closes_at, products, fee=Decimal("0")) -> Round:
    """A round written as published (the demo's second round opened days ago)."""
    round_ = Round.objects.create(title=title, opens_at=opens_at, closes_at=closes_at, service_fee_percent=fee,
                                  state=Round.State.PUBLISHED,
                                  description="协会与供应商谈定阶梯价；汇总数量越多，单价越低。")
    for product, (*_, tiers, minimum) in products:
        RoundItem.objects.create(round=round_, product=product, tiers=[[q, p] for q, p in tiers],
                                 minimum_quantity=minimum)
    return round_


def seed() -> list[DemoLogin]:
    office = User.objects.get(mobile=OFFICE)
    approved = _supplier(*SUPPLIERS[0][:3], serial=880001)
    _supplier(*SUPPLIERS[1][:3], serial=880002)
    if approved.state == Supplier.State.SUBMITTED:
        supplier_approve(supplier_id=approved.pk, by=office)
    if not approved.products.exists():
        for row in PRODUCTS:
            category, name, spec, unit, brand, maker, number, price, *_ = row
            product_list(supplier_id=approved.pk, by=approved.user, data={
                "category": category, "name": name, "specification": spec, "unit": unit, "brand": brand,
                "manufacturer": maker, "registration_no": number, "list_price": Decimal(price)})
    products = list(zip(Product.objects.filter(supplier=approved).order_by("pk"), PRODUCTS, strict=True))
    members = [User.objects.get(mobile=mobile) for mobile in MEMBERS]
    now = timezone.now()
    if not Round.objects.exists():
        open_round = _round("2026 年冬季口腔耗材团购", opens_at=now - dt.timedelta(days=2),
                            closes_at=now + dt.timedelta(days=10), products=products[:2], fee=Decimal("1.5"))
        items = list(open_round.items.order_by("pk"))
        demand_set(round_id=open_round.pk, user=members[0], quantities={items[0].pk: 300, items[1].pk: 20})
        demand_set(round_id=open_round.pk, user=members[1], quantities={items[0].pk: 100})

        closed = _round("口腔设备与材料团购（第三期）", opens_at=now - dt.timedelta(days=9),
                        closes_at=now - dt.timedelta(hours=1), products=products, fee=Decimal("1"))
        items = list(closed.items.order_by("pk"))
        during = closed.opens_at + dt.timedelta(hours=1)
        demand_set(round_id=closed.pk, user=members[0], now=during,
                   quantities={items[0].pk: 600, items[1].pk: 40, items[2].pk: 1})
        demand_set(round_id=closed.pk, user=members[1], now=during, quantities={items[0].pk: 500, items[1].pk: 20})
        rounds_close(now=now)
        for order in participation_confirm(round_id=closed.pk, user=members[0]):
            order_accept(order_id=order.pk, user=approved.user)
    return [DemoLogin(role="供应商：已认证（有产品和订单）", login=SUPPLIERS[0][0]),
            DemoLogin(role="供应商：待审核", login=SUPPLIERS[1][0])]
