"""Products suppliers list, and which licence each category needs."""
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from purchasing.suppliers.models import LicenceKind, Supplier


class Category(models.TextChoices):
    EQUIPMENT = "equipment", "口腔设备"
    CONSUMABLE = "consumable", "口腔耗材"
    MATERIAL = "material", "口腔材料"
    DRUG = "drug", "药品"


# The licences that allow a category's sale (any one of them).
LICENCES_FOR = {
    Category.EQUIPMENT: (LicenceKind.DEVICE_PERMIT, LicenceKind.DEVICE_RECORD),
    Category.CONSUMABLE: (LicenceKind.DEVICE_PERMIT, LicenceKind.DEVICE_RECORD),
    Category.MATERIAL: (LicenceKind.DEVICE_PERMIT, LicenceKind.DEVICE_RECORD),
    Category.DRUG: (LicenceKind.DRUG_PERMIT,),
}

_PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新"
# 国械注准20193170123 / 国械注进20182170045 / 粤械注准20202170001 / 京械备20200012号 / 粤穗械备20180123号
DEVICE_NUMBER = re.compile(rf"^(国|[{_PROVINCES}])械注[准进许]\d{{11}}$|^[{_PROVINCES}][\u4e00-\u9fa5]?械备\d{{8}}号?$")
DRUG_NUMBER = re.compile(r"^国药准字[HZSJBT]\d{8}$")  # 国药准字H20043256


def registration_problem(category: str, number: str) -> str | None:
    number = (number or "").strip()
    if category == Category.DRUG:
        return None if DRUG_NUMBER.match(number) else "药品批准文号格式应为“国药准字”加字母和 8 位数字，如 国药准字H20043256。"
    if DEVICE_NUMBER.match(number):
        return None
    return ("医疗器械注册证编号应为“国械注准/进/许”或省份简称“械注准”加 11 位数字（如 国械注准20193170123），"
            "第一类备案编号如 京械备20200012号。")


class Product(models.Model):
    class State(models.TextChoices):
        LISTED = "listed", "在售"
        SUSPENDED = "suspended", "已暂停"
        WITHDRAWN = "withdrawn", "已下架"

    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.PROTECT, related_name="products")
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    name = models.CharField("产品名称", max_length=100)
    specification = models.CharField("规格型号", max_length=100)
    unit = models.CharField("单位", max_length=10)
    brand = models.CharField("品牌", max_length=50)
    manufacturer = models.CharField("生产企业", max_length=100)
    registration_no = models.CharField("医疗器械注册证/备案编号或药品批准文号", max_length=40)
    list_price = models.DecimalField("挂牌价（元）", max_digits=10, decimal_places=2,
                                     validators=[MinValueValidator(Decimal("0.01"))])
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.LISTED)
    suspended_reason = models.CharField("暂停原因", max_length=200, blank=True)
    created_at = models.DateTimeField("上架时间", auto_now_add=True)

    class Meta:
        verbose_name = "产品"
        verbose_name_plural = "产品"
        ordering = ["supplier", "category", "name"]

    def __str__(self):
        return f"{self.name}（{self.specification}）"

    def clean(self):
        problem = registration_problem(self.category, self.registration_no)
        if problem:
            raise ValidationError({"registration_no": problem})
