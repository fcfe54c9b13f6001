"""Create the benchmark's data set: 100,000 member institutions (or another size), half as many
articles, one published evaluation per 50 institutions and one running clock per institution
(all past due, on applications waiting on the office).

Idempotent: it tops up to the target counts. Bulk inserts, one shared licence file, one
password hash: the point is realistic row counts and shapes, not realistic uploads.
"""
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from core.identifiers import credit_code_check_char
from evaluation.models import Assignment, Deadline, Evaluation, Programme
from experts.models import Evaluator
from membership.models import Contact, Kind, Member, MembershipTerm, MembershipType, UnitProfile
from payments.models import Order
from portal.models import Article, Column
from portal.search import index_text

BATCH = 2_000
PASSWORD = "bench-password-2026"
CITIES = ["北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "重庆", "天津", "长沙"]
KINDS = ["口腔门诊部", "口腔诊所", "口腔医院", "齿科"]
TOPICS = ["工作会议", "培训班", "义诊活动", "学术年会", "评价结果公示", "标准宣贯", "党建活动", "会员风采"]


def seed(members: int = 100_000) -> dict:
    random.seed(2026)
    unit_type, _ = MembershipType.objects.get_or_create(
        name="会员单位", defaults={"kind": Kind.UNIT, "annual_dues": 2000, "review_required": True})
    have = Member.objects.count()
    if have < members:
        _members(have, members, unit_type)
    columns = _columns()
    have = Article.objects.count()
    if have < members // 2:
        _articles(have, members // 2, columns)
    evaluator_mobile = _evaluations(members // 50)
    _clocks(members)
    with connection.cursor() as cursor:
        # Fresh planner statistics after the bulk load, and the search index's pending list
        # merged into the index as autovacuum does in production: a search that must read a
        # long pending list costs several times the index lookup itself.
        cursor.execute("VACUUM ANALYZE")
    member = (Member.objects.filter(state=Member.State.ACTIVE, evaluations__isnull=False).select_related("user")
              .order_by("pk").first())  # a member with a published evaluation, as many have
    term = member.terms.first()
    evaluator = get_user_model().objects.get(mobile=evaluator_mobile)
    return {"member_mobile": member.user.mobile, "certificate_no": term.certificate_no,
            "evaluator_mobile": evaluator_mobile, "office_mobile": _office(),
            "evaluation_id": member.evaluations.values_list("pk", flat=True).first(),
            "assignment_id": Assignment.objects.filter(evaluator=evaluator).values_list("pk", flat=True).first(),
            "article_id": Article.objects.published().order_by("-publish_at").first().pk,
            "column_slug": columns[0].slug}


def _members(start, stop, unit_type):
    User = get_user_model()
    password = make_password(PASSWORD)
    licence = default_storage.save("bench/licence.pdf", ContentFile(b"%PDF-1.4 bench\n%%EOF\n"))
    today = timezone.localdate()
    member_ct = ContentType.objects.get_for_model(Member)
    for low in range(start, stop, BATCH):
        numbers = range(low, min(low + BATCH, stop))
        users = User.objects.bulk_create(
            User(mobile=f"166{n:08d}", email=f"m{n}@bench.example", name=_name(n), password=password)
            for n in numbers)
        members = Member.objects.bulk_create(
            Member(user=u, kind=Kind.UNIT, membership_type=unit_type, name=u.name, credit_code=_credit(n),
                   state=Member.State.ACTIVE if n % 5 else Member.State.SUBMITTED,
                   member_no=f"DW2025{n:06d}" if n % 5 else None, submitted_at=timezone.now())
            for n, u in zip(numbers, users, strict=True))
        UnitProfile.objects.bulk_create(
            UnitProfile(member=m, institution_type="outpatient", licence_no=f"PDY{m.pk:08d}",
                        legal_representative="张三", address=f"{CITIES[m.pk % 12]}市健康路{m.pk}号",
                        opened_on=dt.date(2010 + m.pk % 14, 1, 1), dental_chairs=5 + m.pk % 30,
                        practising_licence=licence, business_licence=licence)
            for m in members)
        Contact.objects.bulk_create(
            Contact(member=m, name="李四", mobile=m.user.mobile, email=m.user.email, is_primary=True) for m in members)
        active = [m for m in members if m.state == Member.State.ACTIVE]
        orders = Order.objects.bulk_create(
            Order(out_trade_no=f"B{m.pk:012d}", payer_id=m.user_id, content_type=member_ct, object_id=m.pk,
                  description="会员单位会费（1年）", amount=2000, state=Order.State.PAID, method="wechat",
                  invoice_title=m.name, invoice_tax_id=m.credit_code, invoice_email=m.user.email,
                  invoice_mobile=m.user.mobile, expires_at=timezone.now(), paid_at=timezone.now())
            for m in active)
        MembershipTerm.objects.bulk_create(
            MembershipTerm(member=m, order=o, start=today - dt.timedelta(days=m.pk % 300),
                           end=today + dt.timedelta(days=365 - m.pk % 300), certificate_no=f"{m.member_no}-01")
            for m, o in zip(active, orders, strict=True))


def _evaluations(wanted: int) -> str:
    """Published credit results for ``wanted`` institutions, and one evaluator with 20 assignments."""
    programme = Programme.objects.get(kind="credit")
    User = get_user_model()
    user, _ = User.objects.get_or_create(mobile="16599990000", defaults={
        "email": "evaluator@bench.example", "name": "信评师", "password": make_password(PASSWORD)})
    Evaluator.objects.get_or_create(user=user, defaults={"name": "信评师", "organisation": "某信用评价公司"})
    have = Evaluation.objects.count()
    if have >= wanted:
        return user.mobile
    now = timezone.now()
    members = list(Member.objects.filter(state=Member.State.ACTIVE).exclude(evaluations__isnull=False)
                   .order_by("pk")[:wanted - have])
    grades = ["AAA", "AAA-", "AA+", "AA", "AA-", "A+", "A"]
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(programme=programme, member=m, state=Evaluation.State.PUBLISHED, agreed_at=now,
                   score=90 - (m.pk % 30), grade=grades[m.pk % 7], certificate_no=f"XY2025{m.pk:06d}",
                   published_at=now, valid_until=timezone.localdate() + dt.timedelta(days=900 - m.pk % 800))
        for m in members)
    Assignment.objects.bulk_create(Assignment(evaluation=e, evaluator=user, assigned_by=user) for e in evaluations[:20])
    return user.mobile


CLOCK_KINDS = ("accept", "report", "appeal_answer", "final_report", "provincial")


def _clocks(wanted: int) -> None:
    """``wanted`` running clocks, all past due (100,000: 20,000 applications waiting on the
    office, five clocks each). The deadline scan's benchmark acts on them inside a transaction it rolls back."""
    have = Deadline.objects.count()
    if have >= wanted:
        return
    programme = Programme.objects.get(kind="credit")
    now = timezone.now()
    overdue = timezone.localdate() - dt.timedelta(days=3)
    wanted = (wanted - have) // len(CLOCK_KINDS)
    members = Member.objects.filter(state=Member.State.ACTIVE, evaluations__isnull=True).order_by("-pk")
    for low in range(0, wanted, BATCH):
        evaluations = Evaluation.objects.bulk_create(
            Evaluation(programme=programme, member=m, state=Evaluation.State.SUBMITTED, agreed_at=now,
                       submitted_at=now)
            for m in members[:min(BATCH, wanted - low)])
        Deadline.objects.bulk_create(
            Deadline(evaluation=e, kind=kind, starts_on=overdue - dt.timedelta(days=20), due_on=overdue)
            for e in evaluations for kind in CLOCK_KINDS)


def _office() -> str:
    """A member of 评价办公室 (the group the migrations create) for the admin's pages."""
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(mobile="16500000001", defaults={
        "email": "office@bench.example", "name": "评价办公室", "is_staff": True, "password": make_password(PASSWORD)})
    user.groups.add(Group.objects.get(name="评价办公室"))
    return user.mobile


def _columns():
    columns = []
    for position, (slug, name) in enumerate([("news", "新闻动态"), ("notices", "通知公告"), ("evaluation", "行业评价"),
                                             ("members", "会员风采"), ("party", "党建工作"), ("training", "继续教育")]):
        column, _ = Column.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
        columns.append(column)
    return columns


def _articles(start, stop, columns):
    now = timezone.now()
    summary = "口腔分会组织开展相关工作，会员单位积极参与。"
    body = "<p>" + "口腔分会持续推进会员服务和行业自律工作，组织专家开展交流。" * 20 + "</p>"
    for low in range(start, stop, BATCH):
        articles = []
        for n in range(low, min(low + BATCH, stop)):
            title = f"{CITIES[n % 12]}{TOPICS[n % 8]}（第{n}期）"
            articles.append(Article(
                column=columns[n % len(columns)], title=title, summary=summary, body=body, author="秘书处",
                status=Article.Status.PUBLISHED if n % 10 else Article.Status.DRAFT, pinned=n < 3,
                publish_at=now - dt.timedelta(minutes=n * 7),
                search_text=index_text(title=title, summary=summary, body_html=body)))
        Article.objects.bulk_create(articles)


def _name(n):
    return f"{CITIES[n % 12]}第{n}{KINDS[n % 4]}有限公司"


def _credit(n):
    first17 = f"91{n % 90 + 10:02d}0000{n:09d}"
    return first17 + credit_code_check_char(first17)
