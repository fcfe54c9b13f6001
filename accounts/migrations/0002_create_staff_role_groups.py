"""Create the staff role groups. Their permissions are kept in step with the apps'
declarations by accounts.roles.sync_role_permissions after every migrate."""
from django.db import migrations

# Frozen copy of accounts.roles.ROLE_GROUP_NAMES as of this migration.
GROUP_NAMES = ["会员部", "评价办公室", "财务", "网站编辑"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUP_NAMES:
        Group.objects.get_or_create(name=name)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
