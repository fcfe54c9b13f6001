"""The social-credit programme with its four documents and the annex's 13 grade bands
(seed 001: lower-inclusive; 100 is AAA). Staff edit texts and templates in the admin."""
from decimal import Decimal

from django.db import migrations

BANDS = [
    ("AAA", 90, "履行社会承诺的意愿和能力极强，表现极好，医疗信用风险极低"),
    ("AAA-", 85, "履行社会承诺的意愿和能力极强，表现很好，医疗信用风险很低"),
    ("AA+", 80, "履行社会承诺的意愿和能力很强，表现很好，医疗信用风险很低"),
    ("AA", 75, "履行社会承诺的意愿和能力很强，表现很好，医疗信用风险低"),
    ("AA-", 70, "履行社会承诺的意愿和能力很强，表现好，医疗信用风险较低"),
    ("A+", 65, "履行社会承诺的意愿和能力强，表现好，医疗信用风险较低"),
    ("A", 60, "履行社会承诺的意愿和能力强，表现好，医疗信用风险低"),
    ("BBB", 50, "履行社会承诺的意愿和能力一般，表现一般，医疗信用风险一般"),
    ("BB", 40, "履行社会承诺的意愿和能力一般，表现一般，医疗信用风险较高"),
    ("B", 30, "履行社会承诺的意愿和能力一般，表现较差，医疗信用风险高"),
    ("CCC", 20, "履行社会承诺的意愿和能力较弱，表现较差，医疗信用风险较高"),
    ("CC", 10, "履行社会承诺的意愿和能力弱，表现差，医疗信用风险高"),
    ("C", 0, "履行社会承诺的意愿和能力极弱，表现极差，医疗信用风险极高"),
]
DOCUMENTS = ["社会信用评价申报表", "社会信用评价信息登记表", "医疗机构承诺书", "国家行业评价确认书"]
DECLARATIONS = [
    "本机构依法设立，持有有效的医疗机构执业许可证，运营正常。",
    "本机构近三年内未发生重大医疗事故和严重违法违规行为。",
    "本机构法定代表人及主要负责人未被列入失信被执行人名单。",
    "本机构承诺所提交材料真实、准确、完整，并承担相应责任。",
]


def create(apps, schema_editor):
    Programme = apps.get_model("evaluation", "Programme")
    programme, _ = Programme.objects.get_or_create(kind="credit", defaults={
        "name": "社会信用评价",
        "regulation_title": "医疗机构社会信用评价管理办法（2022年修订）",
        "regulation_text": "请评价办公室在管理后台录入《医疗机构社会信用评价管理办法（2022年修订）》全文。",
        "declarations": "\n".join(DECLARATIONS),
    })
    for position, name in enumerate(DOCUMENTS):
        apps.get_model("evaluation", "ProgrammeDocument").objects.get_or_create(
            programme=programme, name=name, defaults={"position": position})
    for grade, minimum, meaning in BANDS:
        apps.get_model("evaluation", "GradeBand").objects.get_or_create(
            programme=programme, grade=grade, defaults={"min_score": Decimal(minimum), "meaning": meaning})


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
