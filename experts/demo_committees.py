"""Demo committees: the credit leading group (11 members) and the capability committee (11
appointed experts from the pool), each with a chair and a secretary, constituted."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.demo import DEMO_PASSWORD

from . import committees
from .models import Committee, Expert

LEADING_GROUP = ["周会长", "吴副会长", "郑副会长", "王秘书长", "冯理事", "陈理事", "褚理事", "卫理事", "蒋理事", "沈理事",
                 "韩理事"]


def seed(office) -> None:
    if Committee.objects.exists():
        return
    today = timezone.localdate()
    term = {"term_start": today.replace(month=1, day=1), "term_end": today.replace(month=1, day=1) + dt.timedelta(
        days=3 * 365)}
    group = Committee.objects.create(kind=Committee.Kind.LEADING_GROUP, name="评价领导小组", **term)
    users = get_user_model().objects
    for n, name in enumerate(LEADING_GROUP, start=1):
        mobile = f"136000001{n:02d}"
        user = users.filter(mobile=mobile).first() or users.create_user(
            mobile=mobile, email=f"{mobile}@demo.cnmia.test", password=DEMO_PASSWORD, name=name)
        committees.committee_add_member(committee_id=group.pk, user=user, role=_role(n), title="中国非公立医疗机构协会",
                                        by=office)
    committees.committee_constitute(committee_id=group.pk, by=office)
    committee = Committee.objects.create(kind=Committee.Kind.CAPABILITY, name="服务能力评价委员会", **term)
    experts = Expert.objects.filter(state=Expert.State.APPOINTED).select_related("user").order_by("pk")[:11]
    for n, expert in enumerate(experts, start=1):
        committees.committee_add_member(committee_id=committee.pk, user=expert.user, role=_role(n),
                                        title=expert.employer_name, by=office)
    committees.committee_constitute(committee_id=committee.pk, by=office)


def _role(n: int) -> str:
    return {1: "chair", 2: "secretary"}.get(n, "member")
