"""The service-capability (star) programme, closed for applications until its pages are built,
with the star thresholds the demo uses (the regulation gives none; the office sets its own)."""
from decimal import Decimal

from django.db import migrations

# Lower-inclusive, out of 100: the portal's defaults, shown and editable under 评价项目.
STAR_BANDS = [("5星", "90", "五星（标杆）"), ("4星", "80", "四星（示范）"), ("3星", "70", "三星（规范）"),
              ("不予评定", "0", "未达到三星")]


def create(apps, schema_editor):
    Programme = apps.get_model("evaluation", "Programme")
    programme, _ = Programme.objects.get_or_create(kind="capability", defaults={
        "name": "服务能力评价",
        "regulation_title": "医疗机构服务能力评价管理办法",
        "regulation_text": "请评价办公室在管理后台录入《医疗机构服务能力评价管理办法》全文。",
        "is_open": False,
    })
    for grade, minimum, meaning in STAR_BANDS:
        apps.get_model("evaluation", "GradeBand").objects.get_or_create(
            programme=programme, grade=grade, defaults={"min_score": Decimal(minimum), "meaning": meaning})


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0011_capability_states")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
