"""Demo staff: a superuser and one user per staff role."""
from django.contrib.auth.models import Group

from core.demo import DEMO_PASSWORD, DemoLogin

from .models import User
from .roles import ROLE_GROUP_NAMES

STAFF = [
    # (mobile, email, name, role key or None for the superuser)
    ("13800000000", "admin@demo.cnmia.test", "系统管理员", None),
    ("13800000001", "member-staff@demo.cnmia.test", "会员部 王老师", "membership_staff"),
    ("13800000002", "eval-office@demo.cnmia.test", "评价办公室 李老师", "evaluation_office"),
    ("13800000003", "finance@demo.cnmia.test", "财务 张老师", "finance"),
    ("13800000004", "editor@demo.cnmia.test", "网站编辑 陈老师", "site_editor"),
    ("13800000005", "cme-office@demo.cnmia.test", "继教办 赵老师", "education_office"),
    ("13800000006", "purchasing@demo.cnmia.test", "团购办 钱老师", "purchasing_office"),
]


def seed() -> list[DemoLogin]:
    logins = []
    for mobile, email, name, role in STAFF:
        user = User.objects.filter(mobile=mobile).first()
        if user is None:
            user = User(mobile=mobile, email=email, name=name, is_staff=True, is_superuser=role is None)
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role:
            user.groups.add(Group.objects.get(name=ROLE_GROUP_NAMES[role]))
        logins.append(DemoLogin(role="超级管理员" if role is None else ROLE_GROUP_NAMES[role], login=mobile))
    return logins
