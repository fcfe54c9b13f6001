"""Demo committees: the credit leading group (11 members) and the capability committee (11
appointed experts from the pool), each with a chair and a secretary, constituted.

Demo committee meetings: a capability committee meeting held yesterday that voted three star
cases (published since, with certificates: five, four and three stars), its minutes signed by
the chair and the secretary; and upcoming meetings of both bodies with the cases waiting for
them (the on-site review that just ended, the credit case after its appeal window)."""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.demo import DEMO_PASSWORD, DemoLogin
from core.pdf import render_pdf
from evaluation import demo_supervision
from evaluation import services as evaluation_services
from evaluation.certificates import certificates_generate
from evaluation.demo_capability import complete_answers
from evaluation.models import ApplicationForm, Evaluation, Programme
from evaluation.services.notice import notice_end
from experts.committees import meetings
from experts.committees import services as committees
from experts.committees.models import Committee, Meeting
from experts.pool.models import Expert
from membership import demo as membership_demo

LEADING_GROUP = ["周会长", "吴副会长", "郑副会长", "王秘书长", "冯理事", "陈理事", "褚理事", "卫理事", "蒋理事", "沈理事",
                 "韩理事"]


def seed_bodies(office) -> None:
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


STARRED = [("5星", "AAA", Decimal("93.50"), "北京"), ("4星", "AA+", Decimal("86.00"), "上海"),
           ("3星", "AA", Decimal("74.00"), "杭州")]


def seed_meetings(office) -> list[DemoLogin]:
    if Meeting.objects.exists():
        return []
    capability = Committee.objects.get(kind=Committee.Kind.CAPABILITY)
    group = Committee.objects.get(kind=Committee.Kind.LEADING_GROUP)
    logins = _held(capability, office)
    waiting = Evaluation.objects.filter(state=Evaluation.State.COMMITTEE)
    for body in (capability, group):
        cases = [e.pk for e in waiting.filter(programme__kind=body.programme_kind)]
        if cases:
            when = timezone.localtime().replace(hour=14, minute=30, second=0, microsecond=0) + dt.timedelta(days=5)
            meetings.meeting_convene(committee_id=body.pk, held_at=when, online=body.needs_experts,
                                     place="线上会议室（会前发送链接）" if body.needs_experts else "协会第一会议室",
                                     evaluation_ids=cases, note="请委员会前在专家工作台查阅各案材料。", by=office)
    return logins


def _held(body: Committee, office) -> list[DemoLogin]:
    """Three star cases decided at yesterday's meeting, then through the appeal window and the
    notice (the clocks' services, not by hand): published with certificate and plaque."""
    cases = [_star_case(n, stars, grade, score, city) for n, (stars, grade, score, city) in enumerate(STARRED, 1)]
    meeting = meetings.meeting_convene(committee_id=body.pk, held_at=timezone.now(),
                                       online=True, place="线上会议室", evaluation_ids=[e.pk for e in cases],
                                       by=office)
    seats = list(body.members.filter(until__isnull=True).order_by("pk"))
    present = seats[:8]
    meetings.meeting_open_voting(meeting_id=meeting.pk, present_member_ids=[s.pk for s in present], by=office)
    for case, (stars, *_rest) in zip(cases, STARRED, strict=True):
        item = meeting.items.get(evaluation=case)
        for k, seat in enumerate(present):
            if item.recusals.filter(member=seat).exists():
                continue
            meetings.ballot_cast(item_id=item.pk, choice=stars if k < 7 else "send_back", by=seat.user)
    meetings.meeting_close(meeting_id=meeting.pk, by=office)
    Meeting.objects.filter(pk=meeting.pk).update(held_at=timezone.now() - dt.timedelta(days=1))
    meeting.refresh_from_db()
    for seat in seats[:2]:  # the chair and the secretary
        meetings.minutes_sign(meeting_id=meeting.pk, content_hash=meeting.minutes_hash, by=seat.user)
    meetings.minutes_pdf_render(meeting_id=meeting.pk)
    for case in cases:
        evaluation_services.evaluation_close_appeal_window(evaluation_id=case.pk)
        notice_end(evaluation_id=case.pk)
        certificates_generate(evaluation_id=case.pk)
    demo_supervision.seed(office, cases)
    return [DemoLogin(role=f"星级评价·已发布（{s}）", login=e.member.user.mobile) for e, (s, *_r) in zip(
        cases, STARRED, strict=True)]


def _star_case(n: int, stars: str, grade: str, score: Decimal, city: str) -> Evaluation:
    """A unit member with a published credit grade and a star evaluation whose group report is
    in (its on-site review is not part of the demo: the evaluation is placed in committee)."""
    mobile = f"139000003{n:02d}"
    pdf = render_pdf("pdf/notice.html", {"title": "执业许可证（演示）", "paragraphs": ["演示文件。"],
                                         "date": timezone.localdate()})
    with transaction.atomic():
        member = membership_demo._unit(90 + n, mobile, f"{city}演示{stars}口腔医院", "会员单位", "周院长", pdf)
        member.unit.opened_on = dt.date(2012, 3, 1)
        member.unit.save(update_fields=["opened_on"])
        membership_demo._bring_to(member, "active")
        now = timezone.now()
        credit = Evaluation.objects.create(programme=Programme.objects.get(kind="credit"), member=member, agreed_at=now,
                                           grade=grade, score=Decimal(95), published_at=now,
                                           valid_until=timezone.localdate() + dt.timedelta(days=3 * 365 - 30))
        Evaluation.objects.filter(pk=credit.pk).update(state=Evaluation.State.PUBLISHED,
                                                       certificate_no=f"XY{now:%Y}{credit.pk:06d}")
        case = Evaluation(programme=Programme.objects.get(kind="capability"), member=member, agreed_at=now,
                          submitted_at=now, score=score)
        case.report.save(f"report-{member.pk}.pdf", ContentFile(pdf), save=False)
        case.save()
        # Its 申报表 as submitted, like every star application's (the page reads it back).
        form = ApplicationForm(evaluation=case, changed_at=now)
        form.data = complete_answers(form.years, name="周院长", mobile=mobile)
        form.save()
        Evaluation.objects.filter(pk=case.pk).update(state=Evaluation.State.COMMITTEE)
    certificates_generate(evaluation_id=credit.pk)
    return Evaluation.objects.get(pk=case.pk)
