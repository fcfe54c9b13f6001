"""Suppliers, products, rounds and members as the purchasing tests need them, made through the
services wherever the step is a user's."""
import datetime as dt
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.identifiers import credit_code_check_char
from purchasing.catalogue.services import product_list
from purchasing.models import LicenceKind, Round, RoundItem
from purchasing.rounds.services import round_publish
from purchasing.suppliers.services import supplier_apply, supplier_approve
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes
from tests.membership.factories import UnitMemberFactory

_serials = count(1)


def office_user():
    user = UserFactory(is_staff=True, name="团购办老师")
    user.groups.add(Group.objects.get(name="团购办"))
    return user


def scan(name="licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def credit_code(serial: int) -> str:
    first17 = f"91310000{serial:09d}"
    return first17 + credit_code_check_char(first17)


def applied(*, device_expires=None, drug=False, user=None):
    serial = next(_serials)
    user = user or UserFactory()
    licences = {LicenceKind.BUSINESS: {"number": "营业执照", "expires_on": None, "file": scan()},
                LicenceKind.DEVICE_PERMIT: {"number": f"沪药监械经营许{serial:05d}号",
                                            "expires_on": device_expires or timezone.localdate() + dt.timedelta(days=365),
                                            "file": scan()}}
    if drug:
        licences[LicenceKind.DRUG_PERMIT] = {"number": f"沪AA{serial:07d}", "expires_on": None, "file": scan()}
    return supplier_apply(data={"name": f"供应商{serial}", "credit_code": credit_code(serial), "contact_name": "张强",
                                "contact_mobile": user.mobile, "address": "上海"}, licences=licences, user=user)


def approved(**kwargs):
    supplier = applied(**kwargs)
    return supplier_approve(supplier_id=supplier.pk, by=office_user())


def product(supplier, *, category="consumable", price="100.00", name="复合树脂", number="国械注进20182170045"):
    return product_list(supplier_id=supplier.pk, by=supplier.user, data={
        "category": category, "name": name, "specification": "A2", "unit": "支", "brand": "3M",
        "manufacturer": "3M 中国", "registration_no": number, "list_price": Decimal(price)})


def member():
    return UnitMemberFactory(state="active")


def open_round(products_tiers, *, fee=Decimal("0"), hours_left=48) -> Round:
    """A published round open now: ``products_tiers`` is [(product, tiers, minimum), ...]."""
    now = timezone.now()
    round_ = Round.objects.create(title=f"团购 {next(_serials)}", opens_at=now - dt.timedelta(hours=1),
                                  closes_at=now + dt.timedelta(hours=hours_left), service_fee_percent=fee)
    for product_, tiers, minimum in products_tiers:
        RoundItem.objects.create(round=round_, product=product_, tiers=[[q, str(p)] for q, p in tiers],
                                 minimum_quantity=minimum)
    return round_publish(round_id=round_.pk, by=office_user())


def application_fields(**overrides) -> dict:
    """The supplier application page's fields for a signed-in applicant (files given apart)."""
    serial = next(_serials)
    return {"name": f"供应商{serial}", "credit_code": credit_code(serial), "contact_name": "张强",
            "contact_mobile": "13712340000", "address": "上海", "device_permit_number": f"沪药监械经营许{serial:05d}号",
            **overrides}
