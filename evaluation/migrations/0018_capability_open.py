"""The capability programme opens: its application is the online form (annex 2-2), printed,
signed by the legal representative, sealed and uploaded as a scan; the applicant declares what
annex 2-2 part 六 has it declare."""
from django.db import migrations

SCAN = "能力评价申报表（法定代表人签字并加盖公章的扫描件）"
DECLARATIONS = "\n".join([
    "申报表所填信息完全属实，本单位自愿申报参加由中国非公立医疗机构协会组织的非公立医疗机构能力评价工作。",
    "本单位已阅读并遵守《非公立医疗机构能力评价管理暂行办法》，接受评价专家组的现场评价和评价委员会的审议。",
])


def open_programme(apps, schema_editor):
    Programme = apps.get_model("evaluation", "Programme")
    programme = Programme.objects.filter(kind="capability").first()
    if programme is None:
        return
    apps.get_model("evaluation", "ProgrammeDocument").objects.get_or_create(programme=programme, name=SCAN)
    if not programme.declarations:
        programme.declarations = DECLARATIONS
    programme.is_open = True
    programme.save(update_fields=["declarations", "is_open"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0017_capability_application_form")]
    operations = [migrations.RunPython(open_programme, migrations.RunPython.noop)]
