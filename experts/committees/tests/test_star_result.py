"""The star result from the committee's vote to publication and after (004 §3-5, §20(七), §23;
seed 000 二(二)): the initial result with the group report, one appeal in 5 working days, 7
working days of notice, the numbered certificate and plaque, the registry and the brand list,
3 years' validity, 失效 on expiry, renewal from 6 months before, downgrade and revocation
published, 不予评定 ending without notice."""
import datetime as dt
import io

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation import services
from evaluation.certificates import certificates_generate
from evaluation.deadlines import act_on_clocks, expire_results
from evaluation.exceptions import AppealRefused, NotEligible
from evaluation.models import Evaluation
from experts.committees.tests import helpers as m
from tests.evaluation import helpers as h

pytestmark = pytest.mark.django_db
S = Evaluation.State
MONDAY = dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _pdf(field) -> tuple[str, tuple]:
    field.open("rb")
    reader = PdfReader(io.BytesIO(field.read()))
    box = reader.pages[0].mediabox
    return "".join(p.extract_text() for p in reader.pages), (round(float(box.width) / 72 * 25.4),
                                                             round(float(box.height) / 72 * 25.4))


def _five_stars():
    with time_machine.travel(MONDAY, tick=False):
        body = m.committee("capability")
        case, _ = m.capability_case(grade="AAA")
        m.decided(body, case, "5星")
    return Evaluation.objects.get(pk=case.pk)


def test_five_stars_from_the_vote_to_the_certificate_plaque_registry_and_brand_list():
    case = _five_stars()
    assert (case.state, case.grade, case.score) == (S.INITIAL_RESULT, "5星", 82)
    window = case.deadlines.get(kind="appeal_window")
    assert window.due_on == dt.date(2026, 3, 9)  # 5 working days after Monday 2 March
    act_on_clocks(h.day_after(window.due_on))
    case.refresh_from_db()
    assert case.state == S.PUBLIC_NOTICE
    notice = case.deadlines.get(kind="notice")
    assert act_on_clocks(h.day_after(notice.due_on - dt.timedelta(days=1))) == 0
    act_on_clocks(h.day_after(notice.due_on))
    case.refresh_from_db()
    assert case.state == S.PUBLISHED and case.certificate_no.startswith("NL")
    assert case.valid_until == timezone.localdate(case.published_at) + relativedelta(years=3) - dt.timedelta(days=1)
    certificates_generate(evaluation_id=case.pk)
    case.refresh_from_db()
    text, size = _pdf(case.certificate)
    text = text.replace(" ", "")  # the title is letter-spaced
    assert size == (360, 260)  # annex 2-1-2: the 260 × 360 mm inner page
    assert "星级医疗机构证书" in text and "★★★★★" in text and "五星级" in text and "标杆单位" in text
    assert case.member.name in text and case.certificate_no in text
    text, size = _pdf(case.plaque)
    text = text.replace(" ", "")
    assert size == (600, 400)  # annex 2-1-3: 400 × 600 mm
    assert "医疗机构评价" in text and "★★★★★" in text and case.certificate_no in text
    client = Client()
    page = client.get(reverse("evaluation:registry"), {"q": case.member.name}).content.decode()
    assert "★★★★★ 五星级" in page and "信用等级 AAA" in page and "有效" in page
    assert case.member.name in client.get(reverse("evaluation:brand_list")).content.decode()


def test_one_appeal_within_five_working_days_is_answered_then_noticed():
    case = _five_stars()
    with time_machine.travel(MONDAY + dt.timedelta(days=4), tick=False):
        _appeal_and_answer(case)


def _appeal_and_answer(case):
    services.evaluation_appeal(evaluation_id=case.pk, reasons="对第 2 项评分有异议", by=case.member.user)
    with pytest.raises(AppealRefused, match="仅限一次"):
        services.evaluation_appeal(evaluation_id=case.pk, reasons="再次", by=case.member.user)
    case = services.evaluation_answer_appeal(evaluation_id=case.pk, answer="经复核维持五星级。", by=h.office())
    assert case.state == S.PUBLIC_NOTICE and case.deadlines.get(kind="notice").met_at is None


def test_an_appeal_after_the_window_is_refused():
    case = _five_stars()
    closes = case.deadlines.get(kind="appeal_window").due_on
    with time_machine.travel(h.day_after(closes), tick=False), pytest.raises(AppealRefused, match="已于"):
        services.evaluation_appeal(evaluation_id=case.pk, reasons="逾期", by=case.member.user)


def test_not_rated_ends_without_public_notice():
    body = m.committee("capability")
    case, _ = m.capability_case(grade="AA")
    m.decided(body, case, "不予评定")
    case.refresh_from_db()
    assert (case.state, case.grade) == (S.INITIAL_RESULT, "不予评定")
    act_on_clocks(h.day_after(case.deadlines.get(kind="appeal_window").due_on))
    case.refresh_from_db()
    assert case.state == S.UNRATED and not case.deadlines.filter(kind="notice").exists()
    assert case.member.name not in Client().get(reverse("evaluation:notices")).content.decode()


def test_expiry_is_shown_as_invalid_renewal_opens_six_months_before_and_changes_are_published():
    case = _five_stars()
    act_on_clocks(h.day_after(case.deadlines.get(kind="appeal_window").due_on))
    case.refresh_from_db()
    act_on_clocks(h.day_after(case.deadlines.get(kind="notice").due_on))
    case.refresh_from_db()
    opens = case.valid_until - relativedelta(months=6)
    Evaluation.objects.filter(member=case.member, programme__kind="credit").update(  # still AAA then
        valid_until=case.valid_until + relativedelta(years=1))
    with time_machine.travel(h.day_after(opens - dt.timedelta(days=2)), tick=False), \
            pytest.raises(NotEligible, match="起申请续评"):
        services.evaluation_start(member=case.member, programme=case.programme, by=case.member.user,
                                  declarations=case.programme.declaration_list())
    case = services.evaluation_downgrade(evaluation_id=case.pk, grade="4星", by=h.office(), **h.approved(),
                                         reason="抽查发现问题，经评价领导小组核准降为四星级")
    assert (case.state, case.grade) == (S.PUBLISHED, "4星")
    page = Client().get(reverse("evaluation:registry")).content.decode()
    assert "由★★★★★ 五星级降为★★★★ 四星级" in page and "经评价领导小组核准降为四星级" in page
    assert "评价领导小组核准情况：评价领导小组 2026 年第 3 次会议核准" in page
    expire_results(timezone.make_aware(dt.datetime.combine(case.valid_until + dt.timedelta(days=1), dt.time(9))))
    case.refresh_from_db()
    assert case.state == S.EXPIRED
    assert "失效（有效期满）" in Client().get(reverse("evaluation:registry"), {"q": case.member.name}).content.decode()
