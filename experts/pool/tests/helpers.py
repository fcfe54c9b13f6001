"""Experts in every condition the pool's rules care about."""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone

from experts.models import Expert, TrainingSession
from experts.pool import services as pool
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes
from tests.evaluation.helpers import office
from tests.membership.factories import id_number

_n = iter(range(1, 10_000))


def data(**overrides) -> dict:
    n = next(_n)
    today = timezone.localdate()
    values = {
        "name": f"专家{n}", "gender": "female", "id_number": id_number(500 + n), "birth_date": dt.date(1975, 5, 1),
        "mobile": f"136{n:08d}", "email": f"expert{n}@example.cn", "employer_name": "某某大学口腔医学院",
        "employer_credit_code": "", "province": "浙江", "specialty": "clinical", "title": "associate",
        "title_since": today - relativedelta(years=6), "specialty_years": 12, "management_years": 0,
        "education": "博士研究生", "cv": "从事口腔临床工作十余年。",
    }
    values.update(overrides)
    return values


def applied(**overrides) -> Expert:
    return pool.expert_apply(data=data(**overrides), consent_letter=ContentFile(pdf_bytes(), name="同意函.pdf"),
                             user=UserFactory())


def appointed(**overrides) -> Expert:
    expert = applied(**overrides)
    return pool.expert_approve(expert_id=expert.pk, by=office())


def trained(expert: Expert, programme="capability", on: dt.date | None = None) -> Expert:
    on = on or expert.term_start
    session = TrainingSession.objects.create(title="评价业务培训", programme=programme, starts_on=on, ends_on=on,
                                             hours=Decimal(8))
    pool.training_record(session_id=session.pk, expert_id=expert.pk, attended=True, passed=True, by=office())
    return expert
