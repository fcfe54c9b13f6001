"""A realistic demo pool: 44 experts across the eight specialties and twelve provinces, most
appointed and trained; some untrained, one turning 70 within a week, one whose term expired,
one dismissed, one applying, one returned; conflicts of interest with demo institutions; two
training sessions."""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from core.demo import DEMO_PASSWORD, DemoLogin
from core.identifiers import id_number_check_char
from core.pdf import render_pdf
from evaluation.demo import EVALUATORS
from experts.pool import services as pool
from experts.pool.models import Evaluator, Expert, Specialty, TrainingSession
from membership.models import Member

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
GIVEN = ["建国", "晓燕", "志强", "丽华", "海涛", "静", "明", "红梅", "伟", "芳", "磊", "敏", "勇", "婷", "军", "娟"]
PROVINCES = [("北京", "110105"), ("上海", "310104"), ("浙江", "330106"), ("江苏", "320102"), ("广东", "440106"),
             ("四川", "510107"), ("湖北", "420106"), ("山东", "370102"), ("河南", "410105"), ("福建", "350102"),
             ("陕西", "610113"), ("辽宁", "210102")]
EMPLOYERS = {
    "social_medicine": "卫生管理研究院", "clinical": "口腔医院", "pharmacy": "药学院", "nursing": "护理学院",
    "medical_technology": "医学检验中心", "finance": "财经大学会计学院", "credit": "信用管理研究中心", "law": "律师事务所",
}
TOTAL = 44


def seed(office) -> list[DemoLogin]:
    if not Expert.objects.exists():
        _pool(office)
    _evaluators()
    return _logins()


def _evaluators() -> None:
    """The credit programme's evaluators whose accounts evaluation's demo made (and assigned)."""
    for mobile, name in EVALUATORS:
        user = get_user_model().objects.get(mobile=mobile)
        Evaluator.objects.get_or_create(user=user, defaults={"name": name, "organisation": "某某信用评价有限公司"})


def _pool(office) -> None:
    today = timezone.localdate()
    letter = render_pdf("pdf/notice.html", {"title": "所在单位同意函（演示）", "paragraphs": ["同意推荐。"], "date": today})
    specialties = list(Specialty.values)
    experts = []
    for n in range(1, TOTAL + 1):
        province, region = PROVINCES[n % len(PROVINCES)]
        specialty = specialties[n % len(specialties)]
        born = dt.date(1958 + n % 20, 1 + n % 12, 1 + n % 27)
        if n == 7:  # turns 70 in five days: drawable today, not from then on
            born = today - relativedelta(years=70) + dt.timedelta(days=5)
        first17 = f"{region}{born:%Y%m%d}{n:03d}"
        mobile = f"1370000{n + 100:04d}"
        management_route = specialty in ("social_medicine", "finance") and n % 2 == 0
        data = {
            "name": SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)], "gender": "male" if n % 2 else "female",
            "id_number": first17 + id_number_check_char(first17), "birth_date": born, "mobile": mobile,
            "email": f"expert{n}@demo.cnmia.test", "employer_name": f"{province}某某{EMPLOYERS[specialty]}",
            "employer_credit_code": "", "province": province, "specialty": specialty,
            "title": "none" if management_route else ("senior" if n % 3 == 0 else "associate"),
            "title_since": None if management_route else today - relativedelta(years=3 + n % 8),
            "specialty_years": 0 if management_route else 8 + n % 20, "management_years": 6 + n % 10,
            "education": "博士研究生" if n % 2 else "硕士研究生", "cv": "长期从事本专业工作，参加过多次行业评价。",
        }
        user = get_user_model().objects.create_user(mobile=mobile, email=data["email"], password=DEMO_PASSWORD,
                                                    name=data["name"])
        expert = pool.expert_apply(data=data, user=user, consent_letter=ContentFile(letter, name="同意函.pdf"))
        experts.append(expert)
    returned = experts[-2]  # experts[-1] stays 待审核
    for expert in experts[:-2]:
        pool.expert_approve(expert_id=expert.pk, by=office)
    pool.expert_return(expert_id=returned.pk, comment="请补充所在单位同意函的公章页。", by=office)
    sessions = [
        TrainingSession.objects.create(title="服务能力评价专家培训（第一期）", programme="capability", starts_on=today,
                                       ends_on=today + dt.timedelta(days=1), hours=Decimal(12), place="北京"),
        TrainingSession.objects.create(title="社会信用评价业务培训", programme="credit", starts_on=today,
                                       ends_on=today, hours=Decimal(6), place="线上"),
    ]
    for n, expert in enumerate(experts[:-2], start=1):
        if n % 6 != 0:  # every sixth expert has not been trained yet
            pool.training_record(session_id=sessions[0].pk, expert_id=expert.pk, attended=True, passed=n % 11 != 0,
                                 by=office)
    expired, dismissed = experts[9], experts[10]
    Expert.objects.filter(pk=expired.pk).update(term_start=today - relativedelta(years=3),
                                                term_end=today - dt.timedelta(days=3))
    pool.experts_expire(now=timezone.now())
    pool.expert_dismiss(expert_id=dismissed.pk, reason="own_request", note="本人因工作调动申请退出，经评价领导小组批准。",
                        by=office)
    institutions = list(Member.objects.filter(kind="unit", state="active")[:3])
    for expert, member, kind in zip(experts[:3], institutions, ("current_employer", "former_employer", "family"),
                                    strict=False):
        pool.conflict_declare(expert_id=expert.pk, kind=kind, institution_name=member.name,
                              institution_credit_code=member.credit_code, starts_on=today - relativedelta(years=4),
                              ends_on=today - relativedelta(years=1) if kind == "former_employer" else None,
                              by=expert.user)


def _logins() -> list[DemoLogin]:
    return [DemoLogin(role="评价专家（在聘、已培训）", login="13700000101"),
            DemoLogin(role="评价专家（待审核）", login=f"1370000{TOTAL + 100:04d}")]
