"""``manage.py seed_demo``: idempotent demo data, then a table of the demo logins.

Each installed app may provide ``<app>/demo.py`` with ``seed() -> list[DemoLogin]``; they run
in INSTALLED_APPS order, so an app's seeder can rely on those below it.
"""
from importlib import import_module
from importlib.util import find_spec

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo users and data (safe to run again), and print the demo logins."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data would create accounts with published passwords; "
                               "it is disabled in this settings profile.")
        logins = []
        # The work the seeding queues (certificates, receipts, notices, emails: several hundred
        # jobs) is done here, before the portal starts: a worker started with an empty queue
        # finds the demo ready, instead of draining it for minutes while pages say "生成中".
        eager, current_app.conf.task_always_eager = current_app.conf.task_always_eager, True
        try:
            with transaction.atomic():
                for config in apps.get_app_configs():
                    module_name = f"{config.name}.demo"
                    if config.name != "core" and find_spec(module_name) is not None:
                        logins.extend(import_module(module_name).seed())
        finally:
            current_app.conf.task_always_eager = eager
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（手机号或邮箱均可登录）："))
        width = max((len(login.role) for login in logins), default=0) + 2
        for login in logins:
            self.stdout.write(f"  {login.role.ljust(width, '　')} {login.login:<28} 密码 {login.password}")
